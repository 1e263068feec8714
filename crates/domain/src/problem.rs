//! A refusal of user input: a stable machine code, the field it concerns and a Chinese message.

use std::fmt;

/// One thing wrong with an input. Validation that can find several problems returns all of
/// them (`Vec<FieldError>`), so a form can show every error at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The input field, e.g. `id_number`; empty when the problem is not about one field.
    pub field: String,
    /// A stable machine code, e.g. `id_checksum`. Clients match on this, never on the message.
    pub code: &'static str,
    /// What is wrong, in Chinese, for the person at the keyboard.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &'static str, message: impl Into<String>) -> FieldError {
        FieldError { field: field.to_string(), code, message: message.into() }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}：{}", self.field, self.message)
        }
    }
}

/// Checks a free-text field: trimmed, non-empty if required, at most `max_chars` characters,
/// no control characters. Returns the trimmed text.
pub fn text_field(field: &str, value: &str, max_chars: usize, required: bool) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        if required {
            return Err(FieldError::new(field, "required", "此项为必填项"));
        }
        return Ok(String::new());
    }
    if trimmed.chars().any(|c| c.is_control()) {
        return Err(FieldError::new(field, "control_chars", "不能包含控制字符"));
    }
    let n = trimmed.chars().count();
    if n > max_chars {
        return Err(FieldError::new(field, "too_long", format!("长度不能超过{max_chars}个字符，当前为{n}个")));
    }
    Ok(trimmed.to_string())
}

/// An optional `YYYY-MM-DD` field: empty is `None` (refused as `required` when `required`);
/// anything but a real date of that form is `invalid_date`.
pub fn date_field(field: &str, value: &str, required: bool) -> Result<Option<chrono::NaiveDate>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return if required { Err(FieldError::new(field, "required", "此项为必填项")) } else { Ok(None) };
    }
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| value.len() == 10)
        .map(Some)
        .ok_or_else(|| FieldError::new(field, "invalid_date", "日期应为 YYYY-MM-DD 格式的有效日期"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_field_rules() {
        assert_eq!(text_field("name", "  张三 ", 10, true).unwrap(), "张三");
        assert_eq!(text_field("name", "  ", 10, true).unwrap_err().code, "required");
        assert_eq!(text_field("name", "", 10, false).unwrap(), "");
        assert_eq!(text_field("name", "a\u{0}b", 10, true).unwrap_err().code, "control_chars");
        assert_eq!(text_field("name", "一二三四五六", 5, true).unwrap_err().code, "too_long");
        assert_eq!(text_field("name", "一二三四五", 5, true).unwrap(), "一二三四五");
    }
}
