//! A case received from another place (跨省通办 / 异地代收代办) that the 户籍地 cannot take up is
//! returned to the accepting place with written reasons, and the received cases can be counted as
//! completed or returned (the 2021 report: 3 received from outside the province, 1
//! completed, 2 returned). The return is the engine's 终止办理 by the 户籍地 county (`Who::Authority`)
//! with the reasons on the termination notice, prefixed 退回受理地. Its limit: 3 working days from
//! receipt — 国办发〔2020〕35号 gives 3 个工作日 for the push and for telling the applicant; for a return
//! the same limit is the platform's reading [unconfirmed].

use chrono::NaiveDate;
use domain::access::{Actor, Permission};
use domain::assistance::Program;
use domain::calendar::shanghai_date;
use domain::engine::action::Action;
use domain::engine::case::{CaseStatus, CrossRegion, Outcome};
use store::persons::Scope;

use crate::cases::CaseView;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The words that mark a termination as a return to the accepting place.
pub const RETURN_PREFIX: &str = "退回受理地：";
/// Working days from receipt to return [unconfirmed, see the module].
pub const RETURN_WORKDAYS: u32 = 3;

/// A returned case with its limit.
#[derive(Debug, Clone)]
pub struct Returned {
    pub view: CaseView,
    pub received_on: NaiveDate,
    pub due: NaiveDate,
    pub on_time: bool,
}

/// How a received case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceivedResult {
    /// Decided at the 户籍地.
    Completed,
    /// Returned to the accepting place with reasons.
    Returned,
    /// Still being handled.
    Open,
    /// Closed otherwise (withdrawn, terminated for another reason).
    Other,
}

/// One case received from outside the province: what the annual report lists under its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedCase {
    pub id: i64,
    pub number: String,
    pub received_on: NaiveDate,
    /// The 户籍地 office that received it.
    pub competent_division: String,
    pub result: ReceivedResult,
}

/// The cases a county received from outside the province in a period, by result.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReceivedCounts {
    pub received: usize,
    /// Decided at the 户籍地 (granted or refused).
    pub completed: usize,
    /// Returned to the accepting place with reasons.
    pub returned: usize,
    pub returned_on_time: usize,
    /// Still being handled.
    pub open: usize,
    /// The received cases themselves, in the order submitted.
    pub cases: Vec<ReceivedCase>,
}

impl App {
    /// When case `id` was received at the 户籍地 (its `case.receive` act), if it was.
    async fn received_on(&self, id: i64) -> ServiceResult<Option<NaiveDate>> {
        let events = self.store.stream_events(&format!("case:{id}")).await?;
        Ok(events
            .iter()
            .find(|e| e.act == "case.receive")
            .and_then(|e| chrono::DateTime::from_timestamp_millis(e.at_ms))
            .map(shanghai_date))
    }

    /// Returns a received cross-region assistance case to the accepting place with written reasons
    /// (before any decision), by the 户籍地 county's decider. The termination notice carries them.
    pub async fn return_received_case(&self, actor: &Actor, id: i64, reasons: &str) -> ServiceResult<Returned> {
        self.return_case(actor, id, None, None, reasons).await
    }

    /// [`App::return_received_case`] as a client sends it: the act (终止) at the revision the
    /// client saw, with an optional idempotency key (the contract of acts).
    pub async fn return_received_case_keyed(
        &self,
        actor: &Actor,
        id: i64,
        expected_revision: i64,
        key: Option<&str>,
        reasons: &str,
    ) -> ServiceResult<Returned> {
        self.return_case(actor, id, Some(expected_revision), key, reasons).await
    }

    async fn return_case(
        &self,
        actor: &Actor,
        id: i64,
        expected_revision: Option<i64>,
        key: Option<&str>,
        reasons: &str,
    ) -> ServiceResult<Returned> {
        let (_, stored, _) = self.case_for(actor, id, false).await?;
        let case = &stored.case;
        // A retry of a return already made (its key on record) is answered by the act's replay,
        // not refused by the checks the return itself made true.
        let replay = match crate::idempotency::parse_key(key)? {
            Some(key) => self.store.act_key(key).await?.is_some(),
            None => false,
        };
        if replay {
            let received_on = self.received_on(id).await?.unwrap_or_else(|| self.today());
            let due = self.calendar().add_workdays(received_on, RETURN_WORKDAYS).unwrap_or(received_on);
            let action = Action::Terminate { reason: format!("{RETURN_PREFIX}{}", reasons.trim()) };
            let view = self.act_on_case_keyed(actor, id, expected_revision.unwrap_or(0), key, &action).await?;
            return Ok(Returned { view, received_on, due, on_time: self.today() <= due });
        }
        if Program::for_item(&case.item_slug).is_empty() || case.cross_region == CrossRegion::None {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "not_cross_region",
                "本件不是异地受理的救助、补贴或儿童认定申请，不能退回受理地",
            ));
        }
        let Some(received_on) = self.received_on(id).await? else {
            return Err(ServiceError::new(ErrorKind::Invalid, "not_received", "本件尚未由户籍地接收，不能退回"));
        };
        if case.decision.is_some() {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "already_decided",
                "本件已作出决定，应将结果返回受理地，不能退回",
            ));
        }
        let reasons = reasons.trim();
        if reasons.is_empty() {
            return Err(ServiceError::invalid(vec![domain::problem::FieldError::new(
                "reasons",
                "reasons_required",
                "请写明退回的理由（将写入告知书）",
            )]));
        }
        let due = self.calendar().add_workdays(received_on, RETURN_WORKDAYS).map_err(|e| {
            ServiceError::new(ErrorKind::Invalid, "calendar_missing", format!("工作日历不完整，无法计算退回期限：{e}"))
        })?;
        let action = Action::Terminate { reason: format!("{RETURN_PREFIX}{reasons}") };
        let view = match expected_revision {
            Some(expected) => self.act_on_case_keyed(actor, id, expected, key, &action).await?,
            None => self.act_on_case(actor, id, None, &action).await?,
        };
        let on_time = self.today() <= due;
        Ok(Returned { view, received_on, due, on_time })
    }

    /// The assistance cases submitted from `from` to `to` (YYYY-MM-DD, both included) that a county
    /// received from outside the province (accepted in another province, competent inside the
    /// county), by result: completed (decided), returned (退回受理地, and how many within the
    /// limit), still open.
    pub async fn received_from_other_provinces(
        &self,
        actor: &Actor,
        county: &str,
        from: &str,
        to: &str,
    ) -> ServiceResult<ReceivedCounts> {
        use domain::problem::FieldError;
        let mut p = Vec::new();
        let code = domain::division::DivisionCode::parse(county.trim())
            .ok()
            .filter(|c| self.divisions().get(c).is_some_and(|d| d.level == domain::division::Level::County));
        if code.is_none() {
            p.push(FieldError::new("county", "invalid_county", "请选择县（市、区）区划代码"));
        }
        let date = |name: &str, text: &str, p: &mut Vec<FieldError>| {
            let d = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
            if d.is_none() {
                p.push(FieldError::new(name, "invalid_date", "日期格式应为 YYYY-MM-DD"));
            }
            d
        };
        let (from, to) = (date("from", from, &mut p), date("to", to, &mut p));
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                p.push(FieldError::new("to", "period_reversed", "截止日期不能早于起始日期"));
            }
        }
        let (Some(code), Some(from), Some(to), true) = (code, from, to, p.is_empty()) else {
            return Err(ServiceError::invalid(p));
        };
        self.authorize(actor, Permission::ReadServiceStats, &code)?;
        let ms = |d: NaiveDate| {
            d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_millis() - 8 * 3_600_000).unwrap_or_default()
        };
        let end = to.succ_opt().unwrap_or(to);
        let scope = Scope(vec![code.to_string()]);
        let province = CrossRegion::Province.as_str();
        let rows = self.store.cases_submitted_of_class(ms(from), ms(end), province, &scope).await?;
        let mut counts = ReceivedCounts::default();
        for row in rows.iter().filter(|r| r.columns.cross_region == province) {
            let competent = domain::division::DivisionCode::parse(&row.columns.competent_division).ok();
            let inside = competent.is_some_and(|c| self.divisions().is_within(&c, &code));
            if !inside || Program::for_item(&row.columns.item_slug).is_empty() {
                continue;
            }
            let Some(received_on) = self.received_on(row.id).await? else { continue };
            counts.received += 1;
            let (_, stored, _) = self.load_case(row.id).await?;
            let case = &stored.case;
            let mut result = ReceivedResult::Other;
            if case.decision.is_some() {
                counts.completed += 1;
                result = ReceivedResult::Completed;
            } else if case.status == CaseStatus::Closed(Outcome::Terminated) {
                let events = self.store.stream_events(&format!("case:{}", row.id)).await?;
                let returned = events.iter().rev().find(|e| e.act == "case.terminate").filter(|e| {
                    serde_json::from_str::<serde_json::Value>(&e.payload)
                        .ok()
                        .and_then(|p| p.get("reason").and_then(|r| r.as_str()).map(|r| r.starts_with(RETURN_PREFIX)))
                        .unwrap_or(false)
                });
                if let Some(e) = returned {
                    counts.returned += 1;
                    result = ReceivedResult::Returned;
                    let on = chrono::DateTime::from_timestamp_millis(e.at_ms).map(shanghai_date);
                    let due = self.calendar().add_workdays(received_on, RETURN_WORKDAYS).ok();
                    if matches!((on, due), (Some(on), Some(due)) if on <= due) {
                        counts.returned_on_time += 1;
                    }
                }
            } else if !matches!(case.status, CaseStatus::Closed(_)) {
                counts.open += 1;
                result = ReceivedResult::Open;
            }
            counts.cases.push(ReceivedCase {
                id: row.id,
                number: row.number.clone(),
                received_on,
                competent_division: row.columns.competent_division.clone(),
                result,
            });
        }
        Ok(counts)
    }
}
