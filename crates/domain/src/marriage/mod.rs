//! Marriage registration (婚姻登记), pure: which office is competent on the date of the act, the
//! legal age, the marital-status registry as a fold over registrations, the divorce windows
//! (离婚冷静期), certificate numbers and the cross-region classification of a registration.
//! Sources: /work/shared/docs/domain.md §3; every rule cites its own below.

pub mod age;
pub mod basis;
pub mod certificate;
pub mod competence;
pub mod divorce;
pub mod region;
pub mod registry;
pub mod stats;

pub use age::{check_marriage_age, check_parties, legal_marriage_age};
pub use certificate::{certificate_number, CertificateKind};
pub use competence::{competent_office, CompetenceGround, Party, RegistrationKind};
pub use divorce::{divorce_windows, DivorcePhase, DivorceWindows};
pub use region::classify_registration;
pub use registry::{MaritalRegistry, MaritalStatus, PersonId, RegistryEntry, RegistryError};
