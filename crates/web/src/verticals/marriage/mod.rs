//! Marriage registration's web pieces.

pub mod certificate;
pub mod notices;
