//! Why the engine refused an act: a stable machine code, a Chinese message for the person at the
//! keyboard, and the legal basis of the rule that refused it, when there is one.

use std::fmt;

/// A refused act. `code` is stable (clients match on it, never on the message); `basis` names
/// the article the refusal rests on, so a clerk can show the applicant why. A refusal never
/// changes the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
    pub basis: Option<String>,
}

impl Refusal {
    pub fn new(code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal { code, message: message.into(), basis: None }
    }

    pub fn with_basis(mut self, basis: &str) -> Refusal {
        self.basis = Some(basis.to_string());
        self
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.basis {
            Some(basis) => write!(f, "{}（依据：{}）", self.message, basis),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_basis() {
        let plain = Refusal::new("case_closed", "本件已办结");
        assert_eq!(plain.to_string(), "本件已办结");
        let based = Refusal::new("reasons_required", "请填写理由").with_basis("行政许可法第三十八条");
        assert_eq!(based.to_string(), "请填写理由（依据：行政许可法第三十八条）");
    }
}
