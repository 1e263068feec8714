//! Social assistance's web pieces.

pub mod notices;
