//! A 12345 ticket (工单): its type and limit, the inbound schema, and its dated history.
//!
//! 《四川省12345政务服务便民热线运行管理办法》 (四川省人民政府办公厅, 2025-12; implementing
//! 国办函〔2025〕66号): 咨询类 3 个工作日; 求助、意见建议类 7 个工作日; 投诉举报类 15 个工作日;
//! complex matters may be extended on request and approval. The state machine of a ticket:
//! 受理 → 派单 → 签收 → (退单) → 办理 → (延期申请/批准) → 办结反馈 → 回访 (满意 → 归档 | 不满意 → 重办).
//!
//! Periods in 工作日 on the official calendar, the start day not counted (民法典 第二百零一条).
//! The 签收 limit and the escalation steps are not numbers of the Sichuan text we hold: they
//! are [`Rules`] data, set to common practice and meant to be set to the local rule.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::calendar::{shanghai_date, shanghai_offset, CalendarError, WorkCalendar};
use crate::person::Phone;
use crate::problem::{text_field, FieldError};

/// The completion limits' source.
pub const LIMIT_BASIS: &str =
    "《四川省12345政务服务便民热线运行管理办法》（咨询类3个工作日，求助、意见建议类7个工作日，投诉举报类15个工作日）";

/// The four ticket types of the Sichuan rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TicketKind {
    /// 咨询类.
    Consultation,
    /// 求助类.
    Help,
    /// 意见建议类.
    Suggestion,
    /// 投诉举报类.
    Complaint,
}

impl TicketKind {
    pub const ALL: [TicketKind; 4] =
        [TicketKind::Consultation, TicketKind::Help, TicketKind::Suggestion, TicketKind::Complaint];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketKind::Consultation => "consultation",
            TicketKind::Help => "help",
            TicketKind::Suggestion => "suggestion",
            TicketKind::Complaint => "complaint",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            TicketKind::Consultation => "咨询",
            TicketKind::Help => "求助",
            TicketKind::Suggestion => "意见建议",
            TicketKind::Complaint => "投诉举报",
        }
    }

    pub fn parse(s: &str) -> Option<TicketKind> {
        let s = s.trim();
        TicketKind::ALL.into_iter().find(|k| k.as_str() == s || k.name_zh() == s)
    }
}

/// The area's rules as data: the completion limits of [`LIMIT_BASIS`], and the local practice
/// (签收, the escalation steps, the repeat window) that the provincial text leaves to the centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Completion limits in 工作日 per type, in the order of [`TicketKind::ALL`].
    pub limits: [u32; 4],
    /// 签收: working days after 派单 (local practice).
    pub sign_workdays: u32,
    /// 催办 once a limit is passed by this many working days; 督办 and 通报 at the next two.
    pub urge_after: u32,
    pub supervise_after: u32,
    pub notify_after: u32,
    /// A longest extension, in working days, at most one approved per round.
    pub max_extension_workdays: u32,
    /// Calls from the same number or on the same subject within this many days are repeats.
    pub repeat_days: u32,
}

impl Rules {
    /// Sichuan's limits; the rest is local practice and configurable.
    pub const SICHUAN: Rules = Rules {
        limits: [3, 7, 7, 15],
        sign_workdays: 1,
        urge_after: 1,
        supervise_after: 3,
        notify_after: 5,
        max_extension_workdays: 15,
        repeat_days: 30,
    };

    /// The completion limit of `kind` in 工作日 ([`LIMIT_BASIS`]).
    pub fn limit(&self, kind: TicketKind) -> u32 {
        match kind {
            TicketKind::Consultation => self.limits[0],
            TicketKind::Help => self.limits[1],
            TicketKind::Suggestion => self.limits[2],
            TicketKind::Complaint => self.limits[3],
        }
    }
}

/// A ticket as the platform sends it or staff type it: the one parser of the JSON API and the
/// form. Every field is text so that each problem is named with its field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketInput {
    /// 平台工单编号; empty for a ticket typed by staff.
    pub platform_number: String,
    pub kind: String,
    pub caller_name: String,
    pub caller_phone: String,
    pub subject: String,
    pub content: String,
    /// The division (GB/T 2260 code) the ticket concerns.
    pub division: String,
    /// `2021-09-17T10:30:00+08:00` or `2021-09-17 10:30` (Beijing time).
    pub received_at: String,
}

/// A valid ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    pub platform_number: Option<String>,
    pub kind: TicketKind,
    pub caller_name: String,
    pub caller_phone: Phone,
    pub subject: String,
    pub content: String,
    pub division: String,
    pub received_at: DateTime<Utc>,
    /// The day of receipt in Beijing time: the limit counts from the day after.
    pub received_on: NaiveDate,
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"].iter().find_map(|f| {
        NaiveDateTime::parse_from_str(text, f)
            .ok()
            .and_then(|n| shanghai_offset().from_local_datetime(&n).single())
            .map(|t| t.with_timezone(&Utc))
    })
}

impl TicketInput {
    /// Parses the ticket; every problem at once. A ticket from the future (after `now`) is
    /// refused.
    pub fn parse(&self, now: DateTime<Utc>) -> Result<NewTicket, Vec<FieldError>> {
        let mut problems = Vec::new();
        let mut keep = |r: Result<String, FieldError>| r.map_err(|e| problems.push(e)).ok();
        let platform_number = keep(text_field("platform_number", &self.platform_number, 40, false));
        let caller_name = keep(text_field("caller_name", &self.caller_name, 50, true));
        let subject = keep(text_field("subject", &self.subject, 100, true));
        let content = keep(text_field("content", &self.content, 4000, true));
        if let Some(n) = &platform_number {
            if !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                problems.push(FieldError::new(
                    "platform_number",
                    "invalid_platform_number",
                    "平台工单编号只能由字母、数字和“-”组成",
                ));
            }
        }
        let kind = TicketKind::parse(&self.kind);
        if kind.is_none() {
            problems.push(FieldError::new(
                "kind",
                "unknown_ticket_kind",
                "请选择工单类型：咨询、求助、意见建议或投诉举报",
            ));
        }
        let phone = Phone::parse(&self.caller_phone)
            .map_err(|e| problems.push(FieldError::new("caller_phone", e.code, e.message)))
            .ok();
        let division = self.division.trim().to_string();
        if !(division.len() == 6 || division.len() == 9 || division.len() == 12)
            || !division.bytes().all(|b| b.is_ascii_digit())
        {
            problems.push(FieldError::new("division", "invalid_division", "请选择工单涉及的行政区划"));
        }
        let received_at = match parse_time(&self.received_at) {
            Some(t) if t > now => {
                problems.push(FieldError::new("received_at", "received_in_future", "受理时间不能晚于当前时间"));
                None
            }
            Some(t) => Some(t),
            None => {
                problems.push(FieldError::new(
                    "received_at",
                    "invalid_received_at",
                    "受理时间格式应为 2021-09-17 10:30（北京时间）",
                ));
                None
            }
        };
        match (platform_number, caller_name, subject, content, kind, phone, received_at) {
            (
                Some(platform_number),
                Some(caller_name),
                Some(subject),
                Some(content),
                Some(kind),
                Some(caller_phone),
                Some(received_at),
            ) if problems.is_empty() => Ok(NewTicket {
                platform_number: (!platform_number.is_empty()).then_some(platform_number),
                kind,
                caller_name,
                caller_phone,
                subject,
                content,
                division,
                received_at,
                received_on: shanghai_date(received_at),
            }),
            _ => Err(problems),
        }
    }
}

/// What is done to a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act {
    /// 派单 to a unit (a division code within the ticket's).
    Dispatch { unit: String },
    /// 签收 by the unit.
    Sign,
    /// 退单: the unit sends it back to the dispatcher, with its reason.
    Return { reason: String },
    /// 延期申请.
    ExtensionRequest { workdays: u32, reason: String },
    /// 延期审批.
    ExtensionDecision { approved: bool, note: String },
    /// 办结反馈: the reply to the caller.
    Reply { text: String },
    /// 回访: satisfied → 归档; not → 重办.
    CallBack { satisfied: bool, note: String },
}

impl Act {
    pub fn kind(&self) -> &'static str {
        match self {
            Act::Dispatch { .. } => "dispatch",
            Act::Sign => "sign",
            Act::Return { .. } => "return",
            Act::ExtensionRequest { .. } => "extension_request",
            Act::ExtensionDecision { .. } => "extension_decision",
            Act::Reply { .. } => "reply",
            Act::CallBack { .. } => "callback",
        }
    }

    pub fn name_zh(&self) -> &'static str {
        match self {
            Act::Dispatch { .. } => "派单",
            Act::Sign => "签收",
            Act::Return { .. } => "退单",
            Act::ExtensionRequest { .. } => "申请延期",
            Act::ExtensionDecision { approved: true, .. } => "批准延期",
            Act::ExtensionDecision { approved: false, .. } => "不予延期",
            Act::Reply { .. } => "办结反馈",
            Act::CallBack { satisfied: true, .. } => "回访：满意",
            Act::CallBack { satisfied: false, .. } => "回访：不满意，重办",
        }
    }

    /// The act's text (reason, reply, note, unit) as stored.
    pub fn text(&self) -> &str {
        match self {
            Act::Dispatch { unit } => unit,
            Act::Sign => "",
            Act::Return { reason } | Act::ExtensionRequest { reason, .. } => reason,
            Act::ExtensionDecision { note, .. } | Act::CallBack { note, .. } => note,
            Act::Reply { text } => text,
        }
    }

    /// The act's number (extension working days; 1/0 for an approval or a satisfied call-back).
    pub fn number(&self) -> Option<i64> {
        match self {
            Act::ExtensionRequest { workdays, .. } => Some(i64::from(*workdays)),
            Act::ExtensionDecision { approved, .. } => Some(i64::from(*approved)),
            Act::CallBack { satisfied, .. } => Some(i64::from(*satisfied)),
            _ => None,
        }
    }

    /// The act back from its stored kind, text and number.
    pub fn from_stored(kind: &str, text: &str, number: Option<i64>) -> Option<Act> {
        let text = text.to_string();
        Some(match kind {
            "dispatch" => Act::Dispatch { unit: text },
            "sign" => Act::Sign,
            "return" => Act::Return { reason: text },
            "extension_request" => Act::ExtensionRequest { workdays: u32::try_from(number?).ok()?, reason: text },
            "extension_decision" => Act::ExtensionDecision { approved: number? == 1, note: text },
            "reply" => Act::Reply { text },
            "callback" => Act::CallBack { satisfied: number? == 1, note: text },
            _ => return None,
        })
    }
}

/// An act as typed (the form and the JSON API): kind and text fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActInput {
    /// dispatch | sign | return | extension_request | extension_decision | reply | callback
    pub kind: String,
    /// The unit's division code (dispatch).
    pub unit: String,
    /// The reason, reply or note.
    pub text: String,
    /// Working days (extension_request).
    pub workdays: String,
    /// `yes` / `no` (extension_decision: approved; callback: satisfied).
    pub yes: String,
}

impl ActInput {
    pub fn parse(&self, rules: &Rules) -> Result<Act, FieldError> {
        let yes = || match self.yes.trim() {
            "yes" | "true" | "1" => Ok(true),
            "no" | "false" | "0" => Ok(false),
            _ => Err(FieldError::new("yes", "choice_required", "请选择“是”或“否”")),
        };
        Ok(match self.kind.trim() {
            "dispatch" => {
                let unit = self.unit.trim();
                if unit.is_empty() || !unit.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(FieldError::new("unit", "unit_required", "请选择承办单位"));
                }
                Act::Dispatch { unit: unit.to_string() }
            }
            "sign" => Act::Sign,
            "return" => Act::Return { reason: text_field("text", &self.text, 500, true)? },
            "extension_request" => {
                let workdays: u32 = self
                    .workdays
                    .trim()
                    .parse()
                    .map_err(|_| FieldError::new("workdays", "invalid_workdays", "延期天数应为工作日数（整数）"))?;
                if workdays == 0 || workdays > rules.max_extension_workdays {
                    return Err(FieldError::new(
                        "workdays",
                        "extension_out_of_range",
                        format!("延期天数应为1至{}个工作日", rules.max_extension_workdays),
                    ));
                }
                Act::ExtensionRequest { workdays, reason: text_field("text", &self.text, 500, true)? }
            }
            "extension_decision" => {
                Act::ExtensionDecision { approved: yes()?, note: text_field("text", &self.text, 500, false)? }
            }
            "reply" => Act::Reply { text: text_field("text", &self.text, 4000, true)? },
            "callback" => Act::CallBack { satisfied: yes()?, note: text_field("text", &self.text, 500, false)? },
            _ => return Err(FieldError::new("kind", "unknown_act", "未知的办理操作")),
        })
    }
}

/// An act on its day, by whom (the record's actor label).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    pub act: Act,
    pub on: NaiveDate,
    pub by: String,
}

/// Where a ticket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// 待派单 (received, or sent back by a unit).
    Undispatched,
    /// 待签收.
    AwaitingSign,
    /// 办理中 (including 重办).
    Handling,
    /// 已办结，待回访.
    Replied,
    /// 已回访满意，归档.
    Closed,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Undispatched => "undispatched",
            Stage::AwaitingSign => "awaiting_sign",
            Stage::Handling => "handling",
            Stage::Replied => "replied",
            Stage::Closed => "closed",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Stage::Undispatched => "待派单",
            Stage::AwaitingSign => "待签收",
            Stage::Handling => "办理中",
            Stage::Replied => "已办结，待回访",
            Stage::Closed => "已归档",
        }
    }
}

/// 催办 → 督办 → 通报, by how many working days a limit has passed ([`Rules`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Escalation {
    None,
    Urge,
    Supervise,
    Notify,
}

impl Escalation {
    pub fn as_str(self) -> &'static str {
        match self {
            Escalation::None => "none",
            Escalation::Urge => "urge",
            Escalation::Supervise => "supervise",
            Escalation::Notify => "notify",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Escalation::None => "正常",
            Escalation::Urge => "催办",
            Escalation::Supervise => "督办",
            Escalation::Notify => "通报",
        }
    }

    fn of(late: u32, rules: &Rules) -> Escalation {
        if late >= rules.notify_after {
            Escalation::Notify
        } else if late >= rules.supervise_after {
            Escalation::Supervise
        } else if late >= rules.urge_after {
            Escalation::Urge
        } else {
            Escalation::None
        }
    }
}

/// A ticket's history, replayed to its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub kind: TicketKind,
    pub received_on: NaiveDate,
    pub acts: Vec<Dated>,
}

/// The state a history leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub stage: Stage,
    /// The unit the ticket is with (after 派单, until 退单).
    pub unit: Option<String>,
    /// The day the current round's limit counts from: receipt, or the 重办's call-back.
    pub round_start: NaiveDate,
    /// 1, then 2 after a first 重办…
    pub round: u32,
    /// The last day to reply in this round, extensions included.
    pub due: NaiveDate,
    /// The last day to sign (while awaiting 签收).
    pub sign_due: Option<NaiveDate>,
    /// An extension asked for and not yet decided, with who asked.
    pub pending_extension: Option<(u32, String)>,
    /// Working days approved in this round.
    pub extension_workdays: u32,
    /// The day of the last reply; whether it was within that round's limit.
    pub replied_on: Option<NaiveDate>,
    pub replied_in_time: Option<bool>,
    /// Call-backs: how many, and the last one's answer.
    pub callbacks: u32,
    pub satisfied: Option<bool>,
    pub last_on: NaiveDate,
}

/// A ticket's state on the day read, with what it owes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub state: State,
    pub today: NaiveDate,
    /// Working days left to reply after today (0 on the last day, negative once past), while the
    /// reply is owed.
    pub remaining_workdays: Option<i64>,
    /// The escalation the passed limit (签收 or reply) has reached today.
    pub escalation: Escalation,
}

impl Timeline {
    /// Replays the history. Acts were checked when recorded, so a replay only fails on a day
    /// without calendar data.
    pub fn state(&self, rules: &Rules, calendar: &WorkCalendar) -> Result<State, CalendarError> {
        let limit = rules.limit(self.kind);
        let mut s = State {
            stage: Stage::Undispatched,
            unit: None,
            round_start: self.received_on,
            round: 1,
            due: calendar.add_workdays(self.received_on, limit)?,
            sign_due: None,
            pending_extension: None,
            extension_workdays: 0,
            replied_on: None,
            replied_in_time: None,
            callbacks: 0,
            satisfied: None,
            last_on: self.received_on,
        };
        for d in &self.acts {
            s.last_on = d.on;
            match &d.act {
                Act::Dispatch { unit } => {
                    s.stage = Stage::AwaitingSign;
                    s.unit = Some(unit.clone());
                    s.sign_due = Some(calendar.add_workdays(d.on, rules.sign_workdays)?);
                }
                Act::Sign => {
                    s.stage = Stage::Handling;
                    s.sign_due = None;
                }
                Act::Return { .. } => {
                    s.stage = Stage::Undispatched;
                    s.unit = None;
                    s.sign_due = None;
                    s.pending_extension = None;
                }
                Act::ExtensionRequest { workdays, .. } => s.pending_extension = Some((*workdays, d.by.clone())),
                Act::ExtensionDecision { approved, .. } => {
                    if let (true, Some((workdays, _))) = (approved, &s.pending_extension) {
                        s.extension_workdays += workdays;
                        s.due = calendar.add_workdays(s.due, *workdays)?;
                    }
                    s.pending_extension = None;
                }
                Act::Reply { .. } => {
                    s.stage = Stage::Replied;
                    s.replied_on = Some(d.on);
                    s.replied_in_time = Some(d.on <= s.due);
                    s.pending_extension = None;
                }
                Act::CallBack { satisfied, .. } => {
                    s.callbacks += 1;
                    s.satisfied = Some(*satisfied);
                    if *satisfied {
                        s.stage = Stage::Closed;
                    } else {
                        // 重办: the unit handles it again, within the type's limit from the call-back.
                        s.stage = Stage::Handling;
                        s.round += 1;
                        s.round_start = d.on;
                        s.due = calendar.add_workdays(d.on, limit)?;
                        s.extension_workdays = 0;
                    }
                }
            }
        }
        Ok(s)
    }

    /// The state on `today`: the working days left and the escalation of a passed limit, from
    /// the dates (never from when a sweep ran).
    pub fn status(&self, rules: &Rules, calendar: &WorkCalendar, today: NaiveDate) -> Result<Status, CalendarError> {
        let state = self.state(rules, calendar)?;
        let owes_reply = matches!(state.stage, Stage::Undispatched | Stage::AwaitingSign | Stage::Handling);
        let remaining_workdays = if !owes_reply {
            None
        } else if today <= state.due {
            Some(i64::from(calendar.workdays_elapsed(today, state.due, &[])?))
        } else {
            Some(-i64::from(calendar.workdays_elapsed(state.due, today, &[])?))
        };
        let mut late = 0;
        if owes_reply && today > state.due {
            late = calendar.workdays_elapsed(state.due, today, &[])?;
        }
        if let Some(sign_due) = state.sign_due.filter(|_| state.stage == Stage::AwaitingSign) {
            if today > sign_due {
                late = late.max(calendar.workdays_elapsed(sign_due, today, &[])?);
            }
        }
        Ok(Status { escalation: Escalation::of(late, rules), remaining_workdays, today, state })
    }

    /// Whether `act` by `by` on `on` is lawful after this history; the refusal names the field.
    pub fn check(
        &self,
        act: &Act,
        by: &str,
        on: NaiveDate,
        rules: &Rules,
        calendar: &WorkCalendar,
    ) -> Result<(), FieldError> {
        let s = self.state(rules, calendar).map_err(|e| FieldError::new("", e.code(), e.to_string()))?;
        if on < s.last_on {
            return Err(FieldError::new("on", "act_before_last", "办理日期不能早于上一步的日期"));
        }
        let wrong = |what: &str| {
            FieldError::new("kind", "hotline_wrong_stage", format!("工单当前为“{}”，不能{what}", s.stage.name_zh()))
        };
        match act {
            Act::Dispatch { .. } if s.stage != Stage::Undispatched => Err(wrong("派单")),
            Act::Sign if s.stage != Stage::AwaitingSign => Err(wrong("签收")),
            Act::Return { .. } if !matches!(s.stage, Stage::AwaitingSign | Stage::Handling) => Err(wrong("退单")),
            Act::ExtensionRequest { .. } if s.stage != Stage::Handling => Err(wrong("申请延期")),
            Act::ExtensionRequest { .. } if s.pending_extension.is_some() => {
                Err(FieldError::new("kind", "extension_pending", "已有延期申请待审批"))
            }
            Act::ExtensionRequest { .. } if s.extension_workdays > 0 => {
                Err(FieldError::new("kind", "extension_used", "本轮办理已延期一次，不能再次申请"))
            }
            Act::ExtensionRequest { .. } if on > s.due => {
                Err(FieldError::new("kind", "extension_too_late", "办理期限已过，不能再申请延期"))
            }
            Act::ExtensionDecision { .. } => match &s.pending_extension {
                None => Err(FieldError::new("kind", "no_extension_pending", "没有待审批的延期申请")),
                Some((_, asker)) if asker == by => {
                    Err(FieldError::new("kind", "extension_self_approval", "延期申请须由申请人以外的人员审批"))
                }
                Some(_) => Ok(()),
            },
            Act::Reply { .. } if s.stage != Stage::Handling => Err(wrong("办结反馈")),
            Act::CallBack { .. } if s.stage != Stage::Replied => Err(wrong("回访")),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::builtin()
    }

    fn at(act: Act, on: &str, by: &str) -> Dated {
        Dated { act, on: d(on), by: by.into() }
    }

    fn timeline(kind: TicketKind, received: &str, acts: Vec<Dated>) -> Timeline {
        Timeline { kind, received_on: d(received), acts }
    }

    /// 投诉举报类 15 个工作日 across 国庆 2021: received Friday 2021-09-17. Working days after it:
    /// 09-18 (调休 Saturday) 1, 09-19..21 中秋 off, 22 2, 23 3, 24 4, 09-26 (调休 Sunday) 5,
    /// 27 6, 28 7, 29 8, 30 9, 10-01..07 国庆 off, 10-08 10, 10-09 (调休 Saturday) 11,
    /// 11 12, 12 13, 13 14, 14 15.
    #[test]
    fn fifteen_working_days_across_national_day_2021_count_the_make_up_days() {
        let t = timeline(TicketKind::Complaint, "2021-09-17", vec![]);
        let s = t.state(&Rules::SICHUAN, cal()).unwrap();
        assert_eq!(s.due, d("2021-10-14"));
        // Without the 调休 days it would be 10-18: they count.
        assert_eq!(cal().add_workdays(d("2021-09-25"), 1).unwrap(), d("2021-09-26"));
        assert_eq!(cal().add_workdays(d("2021-10-08"), 1).unwrap(), d("2021-10-09"));
    }

    #[test]
    fn the_limits_per_type_are_three_seven_seven_fifteen() {
        let r = Rules::SICHUAN;
        let limits: Vec<u32> = TicketKind::ALL.iter().map(|k| r.limit(*k)).collect();
        assert_eq!(limits, [3, 7, 7, 15]);
        // 咨询 received on the eve of 春节 2021 (Wed 02-10): 02-11..17 off, 02-18 1, 02-19 2, 02-20 (调休 Sat) 3.
        let s = timeline(TicketKind::Consultation, "2021-02-10", vec![]).state(&r, cal()).unwrap();
        assert_eq!(s.due, d("2021-02-20"));
        // 求助 received on Fri 2021-02-26: 7 working days → 03-09.
        let s = timeline(TicketKind::Help, "2021-02-26", vec![]).state(&r, cal()).unwrap();
        assert_eq!(s.due, d("2021-03-09"));
        // 咨询 across the leap day: Tue 2024-02-27 → 28, 29, 03-01.
        let s = timeline(TicketKind::Consultation, "2024-02-27", vec![]).state(&r, cal()).unwrap();
        assert_eq!(s.due, d("2024-03-01"));
    }

    #[test]
    fn a_ticket_left_unsigned_escalates_on_its_own_by_the_dates() {
        let t = timeline(
            TicketKind::Complaint,
            "2021-09-13",
            vec![at(Act::Dispatch { unit: "511702001".into() }, "2021-09-13", "a")],
        );
        let r = Rules::SICHUAN;
        // 签收 due the next working day, 09-14.
        assert_eq!(t.state(&r, cal()).unwrap().sign_due, Some(d("2021-09-14")));
        let level = |today: &str| t.status(&r, cal(), d(today)).unwrap().escalation;
        assert_eq!(level("2021-09-14"), Escalation::None, "the last day to sign is still on time");
        assert_eq!(level("2021-09-15"), Escalation::Urge);
        assert_eq!(level("2021-09-16"), Escalation::Urge);
        assert_eq!(level("2021-09-17"), Escalation::Supervise);
        // 09-18 is a working Saturday: 4 days late; 中秋 09-19..21 add nothing.
        assert_eq!(level("2021-09-21"), Escalation::Supervise);
        assert_eq!(level("2021-09-22"), Escalation::Notify);
        // Signed: the sign limit no longer counts, the reply limit (10-09) is not passed.
        let mut signed = t.clone();
        signed.acts.push(at(Act::Sign, "2021-09-22", "b"));
        assert_eq!(signed.status(&r, cal(), d("2021-09-23")).unwrap().escalation, Escalation::None);
    }

    #[test]
    fn an_unreplied_ticket_escalates_after_its_limit_and_counts_down_before() {
        let t = timeline(
            TicketKind::Consultation,
            "2021-09-27",
            vec![at(Act::Dispatch { unit: "511702".into() }, "2021-09-27", "a"), at(Act::Sign, "2021-09-27", "b")],
        );
        let r = Rules::SICHUAN;
        let s = t.status(&r, cal(), d("2021-09-27")).unwrap();
        assert_eq!(s.state.due, d("2021-09-30"));
        assert_eq!(s.remaining_workdays, Some(3));
        assert_eq!(t.status(&r, cal(), d("2021-09-30")).unwrap().remaining_workdays, Some(0));
        // 国庆: no working day passes until 10-08.
        let s = t.status(&r, cal(), d("2021-10-07")).unwrap();
        assert_eq!((s.remaining_workdays, s.escalation), (Some(0), Escalation::None));
        let s = t.status(&r, cal(), d("2021-10-08")).unwrap();
        assert_eq!((s.remaining_workdays, s.escalation), (Some(-1), Escalation::Urge));
        assert_eq!(t.status(&r, cal(), d("2021-10-12")).unwrap().escalation, Escalation::Supervise);
    }

    #[test]
    fn extension_needs_another_persons_approval_and_moves_the_due_day() {
        let r = Rules::SICHUAN;
        let mut t = timeline(
            TicketKind::Help,
            "2021-09-01",
            vec![
                at(Act::Dispatch { unit: "511702".into() }, "2021-09-01", "a"),
                at(Act::Sign, "2021-09-01", "b"),
                at(Act::ExtensionRequest { workdays: 5, reason: "需现场核查".into() }, "2021-09-06", "b"),
            ],
        );
        assert_eq!(t.state(&r, cal()).unwrap().due, d("2021-09-10"));
        let approve = Act::ExtensionDecision { approved: true, note: String::new() };
        assert_eq!(t.check(&approve, "b", d("2021-09-06"), &r, cal()).unwrap_err().code, "extension_self_approval");
        t.check(&approve, "c", d("2021-09-06"), &r, cal()).unwrap();
        t.acts.push(at(approve, "2021-09-06", "c"));
        let s = t.state(&r, cal()).unwrap();
        // 09-10 + 5 working days: 13, 14, 15, 16, 17.
        assert_eq!((s.due, s.extension_workdays), (d("2021-09-17"), 5));
        let again = Act::ExtensionRequest { workdays: 1, reason: "再延".into() };
        assert_eq!(t.check(&again, "b", d("2021-09-07"), &r, cal()).unwrap_err().code, "extension_used");
    }

    #[test]
    fn callback_unsatisfied_reopens_with_a_new_limit_and_satisfied_closes() {
        let r = Rules::SICHUAN;
        let mut t = timeline(
            TicketKind::Consultation,
            "2021-09-01",
            vec![
                at(Act::Dispatch { unit: "511702".into() }, "2021-09-01", "a"),
                at(Act::Sign, "2021-09-01", "b"),
                at(Act::Reply { text: "已答复".into() }, "2021-09-07", "b"),
            ],
        );
        let s = t.state(&r, cal()).unwrap();
        assert_eq!((s.stage, s.replied_in_time), (Stage::Replied, Some(false)), "due 09-06, replied 09-07");
        // No call-back before a reply; no reply twice.
        assert_eq!(
            t.check(&Act::Reply { text: "x".into() }, "b", d("2021-09-07"), &r, cal()).unwrap_err().code,
            "hotline_wrong_stage"
        );
        t.acts.push(at(Act::CallBack { satisfied: false, note: "未解决".into() }, "2021-09-08", "a"));
        let s = t.state(&r, cal()).unwrap();
        assert_eq!((s.stage, s.round, s.due), (Stage::Handling, 2, d("2021-09-13")));
        t.acts.push(at(Act::Reply { text: "已重办".into() }, "2021-09-13", "b"));
        t.acts.push(at(Act::CallBack { satisfied: true, note: String::new() }, "2021-09-14", "a"));
        let s = t.state(&r, cal()).unwrap();
        assert_eq!((s.stage, s.replied_in_time, s.callbacks, s.satisfied), (Stage::Closed, Some(true), 2, Some(true)));
        assert_eq!(t.status(&r, cal(), d("2022-01-01")).unwrap().escalation, Escalation::None);
    }

    #[test]
    fn return_sends_it_back_to_dispatch_and_needs_a_reason() {
        let r = Rules::SICHUAN;
        let mut t = timeline(
            TicketKind::Help,
            "2021-09-01",
            vec![at(Act::Dispatch { unit: "511702001".into() }, "2021-09-01", "a")],
        );
        let input = ActInput { kind: "return".into(), ..Default::default() };
        assert_eq!(input.parse(&r).unwrap_err().field, "text");
        t.acts.push(at(Act::Return { reason: "不属本单位职责".into() }, "2021-09-02", "b"));
        let s = t.state(&r, cal()).unwrap();
        assert_eq!((s.stage, s.unit), (Stage::Undispatched, None));
        assert_eq!(t.check(&Act::Sign, "b", d("2021-09-02"), &r, cal()).unwrap_err().code, "hotline_wrong_stage");
        assert_eq!(
            t.check(&Act::Dispatch { unit: "511702".into() }, "a", d("2021-09-01"), &r, cal()).unwrap_err().code,
            "act_before_last"
        );
    }

    #[test]
    fn acts_round_trip_through_their_stored_form() {
        for act in [
            Act::Dispatch { unit: "511702".into() },
            Act::Sign,
            Act::Return { reason: "r".into() },
            Act::ExtensionRequest { workdays: 3, reason: "r".into() },
            Act::ExtensionDecision { approved: false, note: "n".into() },
            Act::Reply { text: "t".into() },
            Act::CallBack { satisfied: true, note: "n".into() },
        ] {
            assert_eq!(Act::from_stored(act.kind(), act.text(), act.number()), Some(act));
        }
        assert_eq!(Act::from_stored("extension_request", "r", None), None);
    }

    #[test]
    fn the_inbound_ticket_is_validated_field_by_field() {
        let now = Utc.with_ymd_and_hms(2021, 9, 17, 8, 0, 0).unwrap();
        let good = TicketInput {
            platform_number: "SC12345-20210917-0001".into(),
            kind: "complaint".into(),
            caller_name: "王先生".into(),
            caller_phone: "13812345678".into(),
            subject: "低保申请进度".into(),
            content: "申请低保两个月未答复".into(),
            division: "511702".into(),
            received_at: "2021-09-17 00:30".into(),
        };
        let t = good.parse(now).unwrap();
        // 00:30 in Beijing is still the 16th in UTC: the day of receipt is Beijing's.
        assert_eq!(t.received_on, d("2021-09-17"));
        assert_eq!(t.caller_phone.masked(), "138****5678");
        let bad = TicketInput {
            kind: "praise".into(),
            caller_phone: "12345".into(),
            received_at: "2021-09-18 09:00".into(),
            platform_number: "a b".into(),
            ..good.clone()
        };
        let fields: Vec<String> = bad.parse(now).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["platform_number", "kind", "caller_phone", "received_at"]);
        let staff =
            TicketInput { platform_number: String::new(), received_at: "2021-09-17T08:00:00+08:00".into(), ..good };
        assert_eq!(staff.parse(now).unwrap().platform_number, None);
    }
}
