//! 公众参与 online: a citizen's comment on a draft published for comment (重大行政决策程序暂行条例
//! 第十四条: the draft is published with how to comment, 第十五条: the period) and the organ's
//! answer to each, from which the 意见采纳情况 is published (第十八条). The period is the one
//! recorded by the decision's `Step::CommentOpened`: comments are accepted from its day through
//! its last day, inclusive.

use chrono::NaiveDate;

use crate::person::Phone;
use crate::problem::{text_field, FieldError};

/// The longest comment accepted (characters).
pub const COMMENT_MAX_CHARS: usize = 2000;
/// The shortest comment accepted (characters): a comment says something.
pub const COMMENT_MIN_CHARS: usize = 5;

/// Whether a comment may be made on `on` in the period `opened..=until`.
pub fn accepts(opened: NaiveDate, until: NaiveDate, on: NaiveDate) -> bool {
    opened <= on && on <= until
}

/// What the organ made of a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentStatus {
    /// Received, not yet answered.
    Received,
    Adopted,
    PartlyAdopted,
    NotAdopted,
    /// Not published: unrelated to the draft, or unlawful or insulting content (moderation;
    /// the reason is recorded as the answer and never shown publicly).
    Withheld,
}

impl CommentStatus {
    pub const ANSWERS: [CommentStatus; 4] =
        [CommentStatus::Adopted, CommentStatus::PartlyAdopted, CommentStatus::NotAdopted, CommentStatus::Withheld];

    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Received => "received",
            CommentStatus::Adopted => "adopted",
            CommentStatus::PartlyAdopted => "partly",
            CommentStatus::NotAdopted => "not_adopted",
            CommentStatus::Withheld => "withheld",
        }
    }

    pub fn parse(s: &str) -> Option<CommentStatus> {
        [CommentStatus::Received].into_iter().chain(CommentStatus::ANSWERS).find(|c| c.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            CommentStatus::Received => "待答复",
            CommentStatus::Adopted => "采纳",
            CommentStatus::PartlyAdopted => "部分采纳",
            CommentStatus::NotAdopted => "未采纳",
            CommentStatus::Withheld => "不予公开",
        }
    }

    /// Shown on the public page with its answer once answered.
    pub fn public(self) -> bool {
        matches!(self, CommentStatus::Adopted | CommentStatus::PartlyAdopted | CommentStatus::NotAdopted)
    }
}

/// Multi-line text: line breaks kept (normalised to `\n`), other control characters refused.
pub(crate) fn long_text(field: &str, value: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let text = value.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::new(field, "required", "此项为必填项"));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FieldError::new(field, "control_chars", "不能包含控制字符"));
    }
    let n = text.chars().count();
    if n < min {
        return Err(FieldError::new(field, "too_short", format!("意见至少{min}个字")));
    }
    if n > max {
        return Err(FieldError::new(field, "too_long", format!("长度不能超过{max}个字符，当前为{n}个")));
    }
    Ok(text.to_string())
}

/// A citizen's comment as typed (the one parser for the form and any client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    /// The name the commenter gives (a person or an organization); shown masked.
    pub name: String,
    pub content: String,
}

impl NewComment {
    pub fn parse(name: &str, content: &str) -> Result<NewComment, Vec<FieldError>> {
        let mut problems = Vec::new();
        let name = text_field("name", name, 50, true).map_err(|e| problems.push(e)).unwrap_or_default();
        let content = long_text("content", content, COMMENT_MIN_CHARS, COMMENT_MAX_CHARS)
            .map_err(|e| problems.push(e))
            .unwrap_or_default();
        if problems.is_empty() {
            Ok(NewComment { name, content })
        } else {
            Err(problems)
        }
    }
}

/// The organ's answer to one comment: adopted or not and why, or withheld with its reason.
pub fn parse_answer(status: &str, answer: &str) -> Result<(CommentStatus, String), FieldError> {
    let status = CommentStatus::parse(status.trim())
        .filter(|s| *s != CommentStatus::Received)
        .ok_or_else(|| FieldError::new("status", "bad_choice", "请选择采纳情况"))?;
    let answer = long_text("answer", answer, 1, 2000)?;
    Ok((status, answer))
}

// ---------------------------------------------------------------------------------------------
// A comment from a phone verified by a one-time code (an SMS)

/// How long a code sent by SMS may be used (minutes).
pub const PHONE_CODE_MINUTES: i64 = 10;
/// Wrong codes accepted against one code before it is spent: a new code must be asked for.
pub const PHONE_CODE_TRIES: i64 = 5;

/// The mobile number a code is sent to: a phone number (`Phone::parse`) that receives SMS,
/// that is a mainland mobile of 11 digits (a fixed line cannot).
pub fn mobile(input: &str) -> Result<Phone, FieldError> {
    let phone = Phone::parse(input)?;
    if phone.as_str().len() == 11 && phone.as_str().starts_with('1') {
        Ok(phone)
    } else {
        Err(FieldError::new("phone", "not_mobile", "验证码以短信发送，请填写11位手机号码"))
    }
}

/// The code as typed: the 6 digits of the SMS (spaces around them ignored).
pub fn parse_code(input: &str) -> Result<String, FieldError> {
    let code = input.trim();
    if code.is_empty() {
        return Err(FieldError::new("code", "required", "请填写短信验证码"));
    }
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new("code", "bad_code", "验证码应为短信中的6位数字"));
    }
    Ok(code.to_string())
}

/// The text of the SMS carrying `code`, in the organ's name, for the draft `title`.
pub fn sms_text(organ: &str, title: &str, code: &str) -> String {
    format!(
        "【{organ}】您正在对《{title}》提交意见，验证码{code}，{PHONE_CODE_MINUTES}分钟内有效。如非本人操作，请忽略本短信。"
    )
}

/// The name as shown publicly: the first character and a mask (an organization's name too,
/// since the commenter chose nothing else; the full name stays with the organ).
pub fn public_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().clamp(1, 3))),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_period_includes_its_first_and_last_day() {
        let (opened, until) = (d("2021-09-01"), d("2021-10-08"));
        assert!(!accepts(opened, until, d("2021-08-31")));
        assert!(accepts(opened, until, d("2021-09-01")));
        assert!(accepts(opened, until, d("2021-10-08")));
        assert!(!accepts(opened, until, d("2021-10-09")));
    }

    #[test]
    fn a_comment_needs_a_name_and_some_words() {
        assert!(NewComment::parse("张三", "建议延长申请期限。\r\n理由如下").is_ok());
        assert_eq!(
            NewComment::parse("张三", "建议延长申请期限。\r\n理由如下").unwrap().content,
            "建议延长申请期限。\n理由如下"
        );
        let errs = NewComment::parse(" ", "好").unwrap_err();
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["name", "content"]);
        assert_eq!(errs[1].code, "too_short");
        assert_eq!(NewComment::parse("张三", "有\u{7}控制字符的意见").unwrap_err()[0].code, "control_chars");
        assert_eq!(NewComment::parse("张三", &"长".repeat(2001)).unwrap_err()[0].code, "too_long");
    }

    #[test]
    fn an_answer_is_a_choice_with_its_reason() {
        assert_eq!(parse_answer("partly", "已吸收").unwrap().0, CommentStatus::PartlyAdopted);
        assert_eq!(parse_answer("received", "x").unwrap_err().code, "bad_choice");
        assert_eq!(parse_answer("adopted", " ").unwrap_err().code, "required");
        assert!(!CommentStatus::Withheld.public());
        assert!(CommentStatus::NotAdopted.public());
    }

    #[test]
    fn a_code_goes_to_a_mobile_and_has_six_digits() {
        assert_eq!(mobile(" 138 1234 5678 ").unwrap().as_str(), "13812345678");
        assert_eq!(mobile("0818-2123456").unwrap_err().code, "not_mobile");
        assert_eq!(mobile("12812345678").unwrap_err().code, "invalid_phone");
        assert_eq!(mobile("").unwrap_err().field, "phone");
        assert_eq!(parse_code(" 012345 ").unwrap(), "012345");
        assert_eq!(parse_code("").unwrap_err().code, "required");
        assert_eq!(parse_code("12345").unwrap_err().code, "bad_code");
        assert_eq!(parse_code("12345６").unwrap_err().code, "bad_code");
        let text = sms_text("达州市民政局", "殡葬设施规划", "012345");
        assert!(text.starts_with("【达州市民政局】") && text.contains("验证码012345") && text.contains("10分钟"));
    }

    #[test]
    fn names_are_masked() {
        assert_eq!(public_name("张三"), "张*");
        assert_eq!(public_name("达州市某某协会"), "达***");
    }
}
