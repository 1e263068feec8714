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
    /// The field of the act the refusal is about (`until`), when it is one the actor filled in.
    pub field: Option<&'static str>,
}

impl Refusal {
    pub fn new(code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal { code, message: message.into(), basis: None, field: None }
    }

    pub fn with_field(mut self, field: &'static str) -> Refusal {
        self.field = Some(field);
        self
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

/// A required free-text field (reasons, opinion, basis): trimmed, not empty, at most 2,000
/// characters. Returns the trimmed text.
pub(crate) fn required_text(value: &str, what: &str, code: &'static str) -> Result<String, Refusal> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Refusal::new(code, format!("请填写{what}")));
    }
    optional_text(trimmed, what)
}

/// An optional free-text field: trimmed, at most 2,000 characters.
pub(crate) fn optional_text(value: &str, what: &str) -> Result<String, Refusal> {
    const MAX_CHARS: usize = 2000;
    let trimmed = value.trim();
    let n = trimmed.chars().count();
    if n > MAX_CHARS {
        return Err(Refusal::new("text_too_long", format!("{what}不能超过{MAX_CHARS}个字符，当前为{n}个")));
    }
    Ok(trimmed.to_string())
}

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

    #[test]
    fn text_fields() {
        assert_eq!(required_text("  理由 ", "理由", "reasons_required").unwrap(), "理由");
        assert_eq!(required_text(" \n ", "理由", "reasons_required").unwrap_err().code, "reasons_required");
        assert_eq!(optional_text("", "理由").unwrap(), "");
        assert_eq!(optional_text(&"长".repeat(2001), "理由").unwrap_err().code, "text_too_long");
    }
}
