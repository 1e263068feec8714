//! What is registered and recorded of a suggestion and of an open day, each parsed by one parser
//! shared by the page's form and the JSON API, every problem reported at once in Chinese with its
//! field and a stable code.

use chrono::NaiveDate;

use crate::problem::{text_field, FieldError};

/// Whose suggestion it is, and so which rule governs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 人大代表建议、批评和意见 (代表法 第五十一条).
    Deputy,
    /// 政协委员提案 (政协章程; handled the same way by the bureau).
    Member,
    /// A citizen's suggestion received at an open day, tracked like a deputy's (the bureau's choice).
    Public,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Deputy, Kind::Member, Kind::Public];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Deputy => "deputy",
            Kind::Member => "member",
            Kind::Public => "public",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Kind::Deputy => "人大代表建议",
            Kind::Member => "政协委员提案",
            Kind::Public => "群众意见建议",
        }
    }

    /// Who made it, as a reply letter addresses them.
    pub fn proposer_zh(self) -> &'static str {
        match self {
            Kind::Deputy => "代表",
            Kind::Member => "委员",
            Kind::Public => "同志",
        }
    }
}

/// The deputy's answer on the 征询意见表 sent with the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Satisfaction {
    Satisfied,
    Basic,
    Dissatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] = [Satisfaction::Satisfied, Satisfaction::Basic, Satisfaction::Dissatisfied];

    pub fn as_str(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::Basic => "basic",
            Satisfaction::Dissatisfied => "dissatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Satisfaction> {
        Satisfaction::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "满意",
            Satisfaction::Basic => "基本满意",
            Satisfaction::Dissatisfied => "不满意",
        }
    }
}

/// What can be recorded on a suggestion after its 交办.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActKind {
    /// A co-handling unit's opinion to the lead unit.
    CoOpinion,
    /// Contact with the deputy (面商, by telephone, at a forum), with what was said.
    Contact,
    /// The reply drafted by the lead unit.
    Draft,
    /// The draft approved by the bureau's leader: only an approved reply is sent.
    Approve,
    /// The reply sent to one proposer (a merged suggestion is answered to each).
    Send,
    /// One proposer's 征询意见表 received.
    Feedback,
    /// Sent back to the assigning office as wrongly assigned, with the reason.
    SendBack,
}

impl ActKind {
    pub const ALL: [ActKind; 7] = [
        ActKind::CoOpinion,
        ActKind::Contact,
        ActKind::Draft,
        ActKind::Approve,
        ActKind::Send,
        ActKind::Feedback,
        ActKind::SendBack,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActKind::CoOpinion => "co_opinion",
            ActKind::Contact => "contact",
            ActKind::Draft => "draft",
            ActKind::Approve => "approve",
            ActKind::Send => "send",
            ActKind::Feedback => "feedback",
            ActKind::SendBack => "send_back",
        }
    }

    pub fn parse(s: &str) -> Option<ActKind> {
        ActKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            ActKind::CoOpinion => "协办单位意见",
            ActKind::Contact => "联系沟通（面商）",
            ActKind::Draft => "拟定答复",
            ActKind::Approve => "领导审定答复",
            ActKind::Send => "答复",
            ActKind::Feedback => "征询意见表",
            ActKind::SendBack => "退回交办机关",
        }
    }

    /// The event recorded with the act.
    pub fn event(self) -> &'static str {
        match self {
            ActKind::CoOpinion => "suggestion.co_opinion",
            ActKind::Contact => "suggestion.contact",
            ActKind::Draft => "suggestion.draft",
            ActKind::Approve => "suggestion.approve",
            ActKind::Send => "suggestion.send",
            ActKind::Feedback => "suggestion.feedback",
            ActKind::SendBack => "suggestion.send_back",
        }
    }
}

/// Parses an optional `YYYY-MM-DD` field.
pub fn date_field(field: &str, value: &str, required: bool) -> Result<Option<NaiveDate>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return if required { Err(FieldError::new(field, "required", "此项为必填项")) } else { Ok(None) };
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| value.len() == 10)
        .map(Some)
        .ok_or_else(|| FieldError::new(field, "invalid_date", "日期应为 YYYY-MM-DD 格式的有效日期"))
}

/// A list typed as one text: names separated by 、，, ; or new lines; each trimmed, none empty,
/// none repeated.
pub fn name_list(field: &str, value: &str, max: usize, required: bool) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for part in value.split(['、', '，', ',', ';', '；', '\n', '\r']) {
        let name = text_field(field, part, 60, false)?;
        if name.is_empty() {
            continue;
        }
        if out.contains(&name) {
            return Err(FieldError::new(field, "duplicate_name", format!("“{name}”重复")));
        }
        out.push(name);
    }
    if out.is_empty() && required {
        return Err(FieldError::new(field, "required", "此项为必填项"));
    }
    if out.len() > max {
        return Err(FieldError::new(field, "too_many", format!("最多{max}个")));
    }
    Ok(out)
}

/// A text of several lines (a reply's paragraphs): as [`text_field`], line breaks kept (`\r\n`
/// read as `\n`), no other control character.
pub fn multiline_field(field: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    let lines: Vec<String> = value
        .replace("\r\n", "\n")
        .split('\n')
        .map(|line| text_field(field, line, max_chars, false))
        .collect::<Result<_, _>>()?;
    let text = lines.join("\n").trim().to_string();
    let n = text.chars().count();
    if n > max_chars {
        return Err(FieldError::new(field, "too_long", format!("长度不能超过{max_chars}个字符，当前为{n}个")));
    }
    Ok(text)
}

fn flag(field: &str, value: &str) -> Result<bool, FieldError> {
    match value.trim() {
        "" | "false" | "0" | "off" => Ok(false),
        "true" | "1" | "on" => Ok(true),
        _ => Err(FieldError::new(field, "invalid_flag", "应为“是”或“否”")),
    }
}

fn keep<T: Default>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> T {
    result.unwrap_or_else(|e| {
        errors.push(e);
        T::default()
    })
}

/// A 交办 as typed (form or API): every field a string, parsed by [`NewSuggestion::parse`].
#[derive(Debug, Clone, Default)]
pub struct SuggestionInput {
    pub kind: String,
    /// The congress or committee and its session, e.g. 达州市第五届人民代表大会第一次会议.
    pub session: String,
    /// The number given by the assigning office, e.g. 第0123号.
    pub number: String,
    /// The deputies or members (several for a merged suggestion, 并案).
    pub proposers: String,
    pub subject: String,
    pub lead_unit: String,
    pub co_units: String,
    /// 代表法 第五十一条: a wide-ranging or difficult suggestion (six months).
    pub difficult: String,
    /// The day of 交办.
    pub assigned_on: String,
}

/// A valid 交办.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSuggestion {
    pub kind: Kind,
    pub session: String,
    pub number: String,
    pub proposers: Vec<String>,
    pub subject: String,
    pub lead_unit: String,
    pub co_units: Vec<String>,
    pub difficult: bool,
    pub assigned_on: NaiveDate,
}

impl NewSuggestion {
    /// Every problem at once. `today` bounds 交办: it is not in the future.
    pub fn parse(input: &SuggestionInput, today: NaiveDate) -> Result<NewSuggestion, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = Kind::parse(input.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", "invalid_kind", "类型应为人大代表建议、政协委员提案或群众意见建议"));
        }
        let session = keep(&mut errors, text_field("session", &input.session, 100, true));
        let number = keep(&mut errors, text_field("number", &input.number, 40, true));
        let proposers = keep(&mut errors, name_list("proposers", &input.proposers, 50, true));
        let subject = keep(&mut errors, text_field("subject", &input.subject, 200, true));
        let lead_unit = keep(&mut errors, text_field("lead_unit", &input.lead_unit, 60, true));
        let co_units = keep(&mut errors, name_list("co_units", &input.co_units, 20, false));
        if co_units.contains(&lead_unit) && !lead_unit.is_empty() {
            errors.push(FieldError::new("co_units", "lead_is_co_unit", "主办单位不能同时是协办单位"));
        }
        let difficult = keep(&mut errors, flag("difficult", &input.difficult));
        let assigned_on = keep(&mut errors, date_field("assigned_on", &input.assigned_on, true));
        if assigned_on.is_some_and(|d| d > today) {
            errors.push(FieldError::new("assigned_on", "assigned_in_future", "交办日期不能晚于今天"));
        }
        match (kind, assigned_on, errors.is_empty()) {
            (Some(kind), Some(assigned_on), true) => Ok(NewSuggestion {
                kind,
                session,
                number,
                proposers,
                subject,
                lead_unit,
                co_units,
                difficult,
                assigned_on,
            }),
            _ => Err(errors),
        }
    }
}

/// An act as typed.
#[derive(Debug, Clone, Default)]
pub struct ActInput {
    pub kind: String,
    pub on: String,
    /// The deputy it concerns (contact, send, feedback).
    pub proposer: String,
    /// The co-handling unit (co_opinion).
    pub unit: String,
    /// The form's answer (feedback): satisfied | basic | dissatisfied.
    pub result: String,
    /// The opinion, what was discussed, the reply's text, the reason for sending back.
    pub note: String,
}

/// A valid act (its lawfulness on the suggestion's history is [`crate::verticals::suggestions::Progress::check`]'s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Act {
    pub kind: ActKind,
    pub on: NaiveDate,
    pub proposer: String,
    pub unit: String,
    pub result: Option<Satisfaction>,
    pub note: String,
}

impl Act {
    /// Every problem at once; `today` bounds the date.
    pub fn parse(input: &ActInput, today: NaiveDate) -> Result<Act, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = ActKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", "invalid_act", "请选择要记录的办理环节"));
        }
        let on = keep(&mut errors, date_field("on", &input.on, true));
        if on.is_some_and(|d| d > today) {
            errors.push(FieldError::new("on", "date_in_future", "日期不能晚于今天"));
        }
        let proposer = keep(&mut errors, text_field("proposer", &input.proposer, 60, false));
        let unit = keep(&mut errors, text_field("unit", &input.unit, 60, false));
        let note_max = if kind == Some(ActKind::Draft) { 5000 } else { 1000 };
        let note = keep(&mut errors, multiline_field("note", &input.note, note_max));
        // A note refused as typed is not also reported missing.
        let missing_note = note.is_empty() && !errors.iter().any(|e| e.field == "note");
        let mut result = None;
        match kind {
            Some(ActKind::CoOpinion) => {
                if unit.is_empty() {
                    errors.push(FieldError::new("unit", "required", "请选择协办单位"));
                }
                if missing_note {
                    errors.push(FieldError::new("note", "required", "请填写协办意见"));
                }
            }
            Some(ActKind::Contact) => {
                if missing_note {
                    errors.push(FieldError::new("note", "required", "请填写联系沟通的方式和内容"));
                }
            }
            Some(ActKind::Draft) => {
                if missing_note {
                    errors.push(FieldError::new("note", "required", "请填写答复内容"));
                }
            }
            Some(ActKind::SendBack) => {
                if missing_note {
                    errors.push(FieldError::new("note", "required", "请填写退回的理由"));
                }
            }
            Some(ActKind::Send) => {
                if proposer.is_empty() {
                    errors.push(FieldError::new("proposer", "required", "请选择答复的代表委员"));
                }
            }
            Some(ActKind::Feedback) => {
                if proposer.is_empty() {
                    errors.push(FieldError::new("proposer", "required", "请选择反馈意见的代表委员"));
                }
                result = Satisfaction::parse(input.result.trim());
                if result.is_none() {
                    errors.push(FieldError::new("result", "invalid_result", "请选择满意、基本满意或不满意"));
                }
            }
            Some(ActKind::Approve) | None => {}
        }
        match (kind, on, errors.is_empty()) {
            (Some(kind), Some(on), true) => Ok(Act { kind, on, proposer, unit, result, note }),
            _ => Err(errors),
        }
    }
}

/// An open day as typed.
#[derive(Debug, Clone, Default)]
pub struct OpenDayInput {
    pub held_on: String,
    pub place: String,
    pub theme: String,
    pub invited_deputies: String,
    pub invited_citizens: String,
}

/// A 政务开放日 (or a like public event): when, where, on what, who was invited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOpenDay {
    pub held_on: NaiveDate,
    pub place: String,
    pub theme: String,
    pub invited_deputies: Vec<String>,
    pub invited_citizens: Vec<String>,
}

impl NewOpenDay {
    pub fn parse(input: &OpenDayInput) -> Result<NewOpenDay, Vec<FieldError>> {
        let mut errors = Vec::new();
        let held_on = keep(&mut errors, date_field("held_on", &input.held_on, true));
        let place = keep(&mut errors, text_field("place", &input.place, 100, true));
        let theme = keep(&mut errors, text_field("theme", &input.theme, 100, true));
        let invited_deputies = keep(&mut errors, name_list("invited_deputies", &input.invited_deputies, 100, false));
        let invited_citizens = keep(&mut errors, name_list("invited_citizens", &input.invited_citizens, 200, false));
        match (held_on, errors.is_empty()) {
            (Some(held_on), true) => Ok(NewOpenDay { held_on, place, theme, invited_deputies, invited_citizens }),
            _ => Err(errors),
        }
    }
}

/// A suggestion received at an open day, as typed.
#[derive(Debug, Clone, Default)]
pub struct OpenDayInputInput {
    pub from_name: String,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOpenDayInput {
    pub from_name: String,
    pub content: String,
}

impl NewOpenDayInput {
    pub fn parse(input: &OpenDayInputInput) -> Result<NewOpenDayInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let from_name = keep(&mut errors, text_field("from_name", &input.from_name, 60, true));
        let content = keep(&mut errors, text_field("content", &input.content, 1000, true));
        if errors.is_empty() {
            Ok(NewOpenDayInput { from_name, content })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, 6, 1).expect("date")
    }

    fn input() -> SuggestionInput {
        SuggestionInput {
            kind: "deputy".into(),
            session: "达州市第五届人民代表大会第一次会议".into(),
            number: "第0123号".into(),
            proposers: "李四、王五".into(),
            subject: "关于加强农村留守老人关爱服务的建议".into(),
            lead_unit: "市民政局".into(),
            co_units: "市财政局，市卫生健康委".into(),
            difficult: "".into(),
            assigned_on: "2021-03-15".into(),
        }
    }

    #[test]
    fn a_merged_suggestion_keeps_each_deputy_and_unit() {
        let s = NewSuggestion::parse(&input(), today()).unwrap();
        assert_eq!(s.proposers, ["李四", "王五"]);
        assert_eq!(s.co_units, ["市财政局", "市卫生健康委"]);
        assert!(!s.difficult);
        assert_eq!(s.kind, Kind::Deputy);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = SuggestionInput {
            kind: "x".into(),
            proposers: "李四、李四".into(),
            co_units: "市民政局".into(),
            difficult: "maybe".into(),
            assigned_on: "2021-06-02".into(),
            ..input()
        };
        let codes: Vec<&str> = NewSuggestion::parse(&bad, today()).unwrap_err().iter().map(|e| e.code).collect();
        assert_eq!(codes, ["invalid_kind", "duplicate_name", "lead_is_co_unit", "invalid_flag", "assigned_in_future"]);
        let empty = NewSuggestion::parse(&SuggestionInput::default(), today()).unwrap_err();
        assert!(empty.iter().any(|e| e.field == "proposers" && e.code == "required"));
        assert!(empty.iter().any(|e| e.field == "assigned_on" && e.code == "required"));
        let leap = SuggestionInput { assigned_on: "2021-02-29".into(), ..input() };
        assert_eq!(NewSuggestion::parse(&leap, today()).unwrap_err()[0].code, "invalid_date");
    }

    #[test]
    fn acts_need_what_they_record() {
        let act = |kind: &str, result: &str, note: &str| ActInput {
            kind: kind.into(),
            on: "2021-05-01".into(),
            proposer: String::new(),
            unit: String::new(),
            result: result.into(),
            note: note.into(),
        };
        let codes = |a: ActInput| -> Vec<&'static str> {
            Act::parse(&a, today()).err().unwrap_or_default().iter().map(|e| e.code).collect()
        };
        assert_eq!(codes(act("feedback", "pleased", "")), ["required", "invalid_result"]);
        assert_eq!(codes(act("draft", "", "")), ["required"]);
        assert_eq!(codes(act("approve", "", "")), Vec::<&str>::new());
        assert_eq!(codes(act("delete", "", "")), ["invalid_act"]);
        let future = ActInput { on: "2021-06-02".into(), ..act("approve", "", "") };
        assert_eq!(codes(future), ["date_in_future"]);
        let paragraphs = Act::parse(&act("draft", "", "一、已办。\r\n二、将办。\n"), today()).unwrap();
        assert_eq!(paragraphs.note, "一、已办。\n二、将办。");
        assert_eq!(codes(act("draft", "", "答复\u{7}")), ["control_chars"]);
    }
}
