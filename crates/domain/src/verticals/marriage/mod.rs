//! Marriage registration (婚姻登记), pure: which office is competent on the date of the act, the
//! legal age, the marital-status registry as a fold over registrations, the divorce windows
//! (离婚冷静期), certificate numbers and the cross-region classification of a registration.
//! Sources: 民法典婚姻家庭编, 婚姻登记条例; every rule cites its own below.

pub mod age;
pub mod basis;
pub mod certificate;
pub mod codes;
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

/// The guard names a marriage item's steps may name (`guards = [...]` in the catalog), each
/// checked by the service's guard registry over the marital-status registry and the case's form:
/// the parties (民法典 第一千零四十九条, 第一千零七十六条), the signed declaration (婚姻登记条例),
/// the competent office on the act's date ([`competent_office`]), the legal age (民法典 第一千零
/// 四十七条), no spouse (第一千零四十二条), married to each other (第一千零七十六条), and a
/// registration on record for a reissue. The catalog refuses any other name on a marriage item.
pub const GUARDS: &[&str] = &[
    "marriage_parties",
    "marriage_declaration_signed",
    "marriage_office_competent",
    "marriage_age",
    "marriage_no_spouse",
    "divorce_parties",
    "divorce_office_competent",
    "divorce_married_to_each_other",
    "reissue_record_exists",
];

/// The effect names a marriage item's steps may name: none yet (the registration a granting act
/// makes is written by the service, not named in the catalog).
pub const EFFECTS: &[&str] = &[];

/// The Chinese labels of the events of marriage registration ([`crate::event_label`] asks each area).
pub const EVENT_LABELS: &[(&str, &str)] = &[
    ("marriage.registered", "婚姻登记办结"),
    ("marriage.desk_refused", "不予登记（说明理由）"),
    ("marriage.import", "导入婚姻登记历史记录"),
];
