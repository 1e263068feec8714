//! 12345 tickets and 差评整改: the use cases. Tickets arrive from the hotline platform (the
//! inbound API, idempotent on the platform's number) or are typed by staff; the bureau
//! dispatches them to a unit in its jurisdiction, the unit signs, handles, asks for an
//! extension or sends it back, replies; the bureau calls the caller back (满意 → 归档, 不满意 →
//! 重办) and exports the replies to the platform. Every 差评 of a case is a rectification matter
//! for the office that handled it. The rules are `domain::verticals::hotline`'s; this layer
//! checks the grants, reads the history, asks the domain whether the act is lawful today and
//! commits it with its event as the next act of the history it read.
//!
//! Access: a ticket carries the caller's name and number, so receiving and handling it is
//! [`Permission::WritePerson`] and reading it [`Permission::ReadPerson`] at its division (each
//! read of one ticket is an event); the unit's acts (签收, 退单, 延期申请, 办结) are checked at the
//! unit's division, the bureau's (派单, 延期审批, 回访) at the ticket's. The platform's account is
//! a 窗口受理人员 (clerk) at the city: it receives like a window and holds no power to decide.
//! The figures are [`Permission::ReadServiceStats`]. A rectification is handled at the case's
//! competent division (谁办理、谁负责); the rater's name is shown masked, the rating is never
//! written here.

pub mod indicators;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::division::DivisionCode;
use domain::verticals::hotline::stats::TicketFacts;
use domain::verticals::hotline::{
    self as rules, Act, ActInput, Dated, RectAct, RectDated, RectInput, RectRules, RectState, RectStats, Rectification,
    Rules, Stage, Status, TicketInput, TicketStats, Timeline,
};
use serde_json::json;
use store::persons::Scope;
use store::verticals::hotline::{BadRating, TicketFull};
use store::StoreError;

use crate::portal::Grade;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The rules in force: Sichuan's limits and the local practice ([`Rules::SICHUAN`]).
pub const RULES: Rules = Rules::SICHUAN;
/// The rectification limits in force ([`RectRules::DEFAULT`]).
pub const RECT_RULES: RectRules = RectRules::DEFAULT;

/// A ticket with its state on the day read.
#[derive(Debug, Clone)]
pub struct TicketView {
    pub full: TicketFull,
    pub status: Status,
}

/// A 差评 and its rectification on the day read; the rater's name masked.
#[derive(Debug, Clone)]
pub struct RectView {
    pub rating: BadRating,
    pub state: RectState,
    pub rater_masked: String,
}

/// The year's figures of a jurisdiction.
#[derive(Debug, Clone)]
pub struct HotlineStats {
    pub year: i32,
    pub tickets: TicketStats,
    pub rectifications: RectStats,
}

/// A reply as it goes back to the platform.
#[derive(Debug, Clone)]
pub struct ExportLine {
    pub platform_number: String,
    pub stage: Stage,
    pub replied_on: Option<NaiveDate>,
    pub reply: String,
    pub satisfied: Option<bool>,
}

fn conflict(err: StoreError) -> ServiceError {
    match err {
        StoreError::Conflict(_) => ServiceError::new(
            ErrorKind::Conflict,
            "hotline_conflict",
            "该工单或整改事项已被他人办理，请刷新后按当前情况重新操作",
        ),
        StoreError::NotFound => ServiceError::not_found("工单"),
        other => other.into(),
    }
}

fn timeline(full: &TicketFull) -> Timeline {
    Timeline { kind: full.ticket.kind, received_on: full.ticket.received_on, acts: full.acts.clone() }
}

fn calendar_error(e: domain::calendar::CalendarError) -> ServiceError {
    ServiceError::new(ErrorKind::Invalid, e.code(), e.to_string()).with_basis(Some(rules::ticket::LIMIT_BASIS.into()))
}

/// The event name of a ticket act (each literal has its label in the area's `EVENT_LABELS`).
fn act_event(act: &Act) -> &'static str {
    match act {
        Act::Dispatch { .. } => "hotline.dispatch",
        Act::Sign => "hotline.sign",
        Act::Return { .. } => "hotline.return",
        Act::ExtensionRequest { .. } => "hotline.extension_request",
        Act::ExtensionDecision { .. } => "hotline.extension_decision",
        Act::Reply { .. } => "hotline.reply",
        Act::CallBack { .. } => "hotline.callback",
    }
}

/// The first instant of a year in Beijing time, in ms.
fn year_start_ms(year: i32) -> i64 {
    domain::calendar::shanghai_offset()
        .with_ymd_and_hms(year, 1, 1, 0, 0, 0)
        .single()
        .map_or(0, |t| t.with_timezone(&Utc).timestamp_millis())
}

fn year_bounds(year: i32) -> ServiceResult<(NaiveDate, NaiveDate)> {
    // The range first: `year + 1` of an arbitrary number would overflow.
    let year = Some(year).filter(|y| (2000..=2100).contains(y));
    match year.map(|y| (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y + 1, 1, 1))) {
        Some((Some(a), Some(b))) => Ok((a, b)),
        _ => Err(ServiceError::new(ErrorKind::Invalid, "invalid_year", "年份应在2000至2100之间").with_field("year")),
    }
}

impl App {
    fn hotline_scope(&self, actor: &Actor, permission: Permission) -> ServiceResult<Scope> {
        let scope = actor.scope(permission);
        if scope.is_empty() {
            return Err(ServiceError::forbidden());
        }
        Ok(Scope(scope.iter().map(|c| c.to_string()).collect()))
    }

    fn hotline_may(&self, actor: &Actor, permission: Permission, division: &str) -> bool {
        DivisionCode::parse(division).is_ok_and(|d| actor.may(permission, &d, self.divisions()))
    }

    fn hotline_status(&self, full: &TicketFull) -> ServiceResult<Status> {
        timeline(full).status(&RULES, &self.calendar(), self.today()).map_err(calendar_error)
    }

    /// The ticket, for a caller holding `permission` at its division or at the unit it is with.
    async fn hotline_load(&self, actor: &Actor, id: i64, permission: Permission) -> ServiceResult<TicketFull> {
        let full = self.store.hotline_ticket(id).await.map_err(conflict)?;
        if self.hotline_reaches(actor, permission, &full)? {
            Ok(full)
        } else {
            Err(ServiceError::forbidden())
        }
    }

    /// `permission` at the ticket's division, or at the unit it is with now.
    fn hotline_reaches(&self, actor: &Actor, permission: Permission, full: &TicketFull) -> ServiceResult<bool> {
        if self.hotline_may(actor, permission, &full.ticket.division) {
            return Ok(true);
        }
        let state = timeline(full).state(&RULES, &self.calendar()).map_err(calendar_error)?;
        Ok(state.unit.is_some_and(|unit| self.hotline_may(actor, permission, &unit)))
    }

    /// Receives a ticket from the hotline platform or typed by staff, for its division. The
    /// platform's number makes it idempotent: the same number again answers the ticket already
    /// received (`false`), and a different ticket under a number already used is refused.
    pub async fn hotline_receive(&self, actor: &Actor, input: &TicketInput) -> ServiceResult<(i64, bool)> {
        let ticket = input.parse(self.now()).map_err(ServiceError::invalid)?;
        let division = self.division("division", &ticket.division)?;
        self.authorize(actor, Permission::WritePerson, &division)?;
        let payload = json!({
            "kind": ticket.kind.as_str(),
            "platform_number": ticket.platform_number,
            "received_on": ticket.received_on.to_string(),
        });
        let label = actor.label();
        let division_text = division.to_string();
        let (id, created) = self
            .store
            .hotline_receive(&self.keys, &ticket, Some(actor.account_id), self.now(), |id| {
                EventDraft::new(rules::stream(id), label, "hotline.receive", payload).in_division(division_text)
            })
            .await
            .map_err(conflict)?;
        if !created {
            let stored = self.hotline_load(actor, id, Permission::WritePerson).await?;
            let same = stored.ticket.kind == ticket.kind
                && stored.ticket.subject == ticket.subject
                && stored.ticket.content == ticket.content
                && stored.ticket.received_at_ms == ticket.received_at.timestamp_millis();
            if !same {
                return Err(ServiceError::new(
                    ErrorKind::Conflict,
                    "platform_number_reused",
                    "该平台工单编号已受理另一工单，内容不同，请核对编号",
                )
                .with_field("platform_number"));
            }
        }
        Ok((id, created))
    }

    /// One ticket with its state today; the read is an event (the caller's data).
    pub async fn hotline_view(&self, actor: &Actor, id: i64) -> ServiceResult<TicketView> {
        let full = self.hotline_load(actor, id, Permission::ReadPerson).await?;
        let status = self.hotline_status(&full)?;
        let event = EventDraft::new(rules::stream(id), actor.label(), "hotline.read", json!({}))
            .in_division(full.ticket.division.clone());
        self.store.record(&event, self.now()).await?;
        Ok(TicketView { full, status })
    }

    /// The tickets of `year` in the reader's jurisdiction, owing first, the most escalated and
    /// the nearest limit at the top.
    pub async fn hotline_list(&self, actor: &Actor, year: i32) -> ServiceResult<Vec<TicketView>> {
        let (from, to) = year_bounds(year)?;
        let scope = self.hotline_scope(actor, Permission::ReadPerson)?;
        let mut views = Vec::new();
        for full in self.store.hotline_tickets(&scope, from, to).await? {
            if !self.hotline_reaches(actor, Permission::ReadPerson, &full)? {
                continue;
            }
            let status = self.hotline_status(&full)?;
            views.push(TicketView { full, status });
        }
        views.sort_by_key(|v| {
            (v.status.remaining_workdays.is_none(), std::cmp::Reverse(v.status.escalation), v.status.remaining_workdays)
        });
        Ok(views)
    }

    /// Records an act on a ticket today, if lawful on its history; `expected_acts`: the number
    /// of acts the caller saw (a history that moved since is `hotline_conflict`).
    pub async fn hotline_act(
        &self,
        actor: &Actor,
        id: i64,
        expected_acts: Option<i64>,
        input: &ActInput,
    ) -> ServiceResult<TicketView> {
        let full = self.hotline_load(actor, id, Permission::WritePerson).await?;
        let act = input.parse(&RULES).map_err(|e| ServiceError::invalid(vec![e]))?;
        if expected_acts.is_some_and(|n| n != full.acts.len() as i64) {
            return Err(conflict(StoreError::Conflict("hotline_revision".into())));
        }
        let status = self.hotline_status(&full)?;
        match &act {
            Act::Dispatch { unit } => {
                let unit = self.division("unit", unit)?;
                let ticket_division =
                    DivisionCode::parse(&full.ticket.division).map_err(|_| ServiceError::forbidden())?;
                if !self.divisions().is_within(&unit, &ticket_division) {
                    return Err(ServiceError::new(
                        ErrorKind::Invalid,
                        "unit_outside_division",
                        "承办单位须在工单所属行政区划之内",
                    )
                    .with_field("unit"));
                }
            }
            // The unit's own acts: at the unit's division (the stage check refuses them before 派单).
            Act::Sign | Act::Return { .. } | Act::ExtensionRequest { .. } | Act::Reply { .. } => {}
            Act::ExtensionDecision { .. } | Act::CallBack { .. } => {}
        }
        let bureau_act = matches!(act, Act::Dispatch { .. } | Act::ExtensionDecision { .. } | Act::CallBack { .. });
        let unit = status.state.unit.as_deref().filter(|_| !bureau_act).unwrap_or(&full.ticket.division);
        if !self.hotline_may(actor, Permission::WritePerson, unit) {
            return Err(ServiceError::forbidden());
        }
        let today = self.today();
        let by = actor.label();
        timeline(&full)
            .check(&act, &by, today, &RULES, &self.calendar())
            .map_err(|e| ServiceError::invalid(vec![e]))?;
        let dated = Dated { act, on: today, by: by.clone() };
        let event = EventDraft::new(
            rules::stream(id),
            by,
            act_event(&dated.act),
            json!({ "kind": dated.act.kind(), "on": today.to_string(), "text": dated.act.text(), "number": dated.act.number() }),
        )
        .in_division(full.ticket.division.clone());
        self.store.hotline_act(id, full.acts.len(), &dated, self.now(), &event).await.map_err(conflict)?;
        let full = self.store.hotline_ticket(id).await.map_err(conflict)?;
        let status = self.hotline_status(&full)?;
        Ok(TicketView { full, status })
    }

    /// The replies of the platform's tickets of `year` in the caller's jurisdiction, for the
    /// platform (办结反馈 and 回访), recorded as an export.
    pub async fn hotline_export(&self, actor: &Actor, year: i32) -> ServiceResult<Vec<ExportLine>> {
        let views = self.hotline_list(actor, year).await?;
        let mut lines = Vec::new();
        for v in views {
            let Some(number) = v.full.ticket.platform_number.clone() else { continue };
            let reply = v.full.acts.iter().rev().find_map(|d| match &d.act {
                Act::Reply { text } => Some(text.clone()),
                _ => None,
            });
            let Some(reply) = reply else { continue };
            lines.push(ExportLine {
                platform_number: number,
                stage: v.status.state.stage,
                replied_on: v.status.state.replied_on,
                reply,
                satisfied: v.status.state.satisfied,
            });
        }
        let event = EventDraft::new(
            "hotline:export",
            actor.label(),
            "hotline.export",
            json!({ "year": year, "count": lines.len() }),
        );
        self.store.record(&event, self.now()).await?;
        Ok(lines)
    }

    /// The year's figures of the reader's jurisdiction, from the records.
    pub async fn hotline_stats(&self, actor: &Actor, year: i32) -> ServiceResult<HotlineStats> {
        let (from, to) = year_bounds(year)?;
        let scope = self.hotline_scope(actor, Permission::ReadServiceStats)?;
        let mut views = Vec::new();
        for full in self.store.hotline_tickets(&scope, from, to).await? {
            if self.hotline_may(actor, Permission::ReadServiceStats, &full.ticket.division) {
                let status = self.hotline_status(&full)?;
                views.push((full, status));
            }
        }
        let facts: Vec<TicketFacts<'_>> = views
            .iter()
            .map(|(full, status)| TicketFacts {
                status,
                received_on: full.ticket.received_on,
                phone_hash: &full.ticket.phone_hash,
                subject: &full.ticket.subject,
            })
            .collect();
        let tickets = TicketStats::of(&facts, RULES.repeat_days);
        let states: Vec<RectState> = self
            .hotline_rect_views(actor, Permission::ReadServiceStats, year, None)
            .await?
            .into_iter()
            .map(|v| v.state)
            .collect();
        Ok(HotlineStats { year, tickets, rectifications: RectStats::of(&states) })
    }

    async fn hotline_rect_views(
        &self,
        actor: &Actor,
        permission: Permission,
        year: i32,
        case_id: Option<i64>,
    ) -> ServiceResult<Vec<RectView>> {
        year_bounds(year)?;
        let scope = self.hotline_scope(actor, permission)?;
        let ratings =
            self.store.hotline_bad_ratings(&scope, year_start_ms(year), year_start_ms(year + 1), case_id).await?;
        let calendar = self.calendar();
        let today = self.today();
        let mut views = Vec::new();
        for rating in ratings {
            if !self.hotline_may(actor, permission, &rating.competent_division) {
                continue;
            }
            let state = self.rect_state(&rating, &calendar, today)?;
            let rater_masked =
                rating.rater_name.as_deref().map(domain::person::mask_name).unwrap_or_else(|| "匿名".into());
            views.push(RectView { rating, state, rater_masked });
        }
        Ok(views)
    }

    fn rect_state(
        &self,
        rating: &BadRating,
        calendar: &domain::calendar::WorkCalendar,
        today: NaiveDate,
    ) -> ServiceResult<RectState> {
        rect_of(rating).state(&RECT_RULES, calendar, today).map_err(calendar_error)
    }

    /// The 差评 of `year` in the reader's jurisdiction with their rectification, open first.
    pub async fn hotline_rectifications(&self, actor: &Actor, year: i32) -> ServiceResult<Vec<RectView>> {
        let mut views = self.hotline_rect_views(actor, Permission::ReadPerson, year, None).await?;
        views.sort_by_key(|v| v.state.closed_on.is_some());
        Ok(views)
    }

    async fn hotline_rect_one(&self, actor: &Actor, case_id: i64, permission: Permission) -> ServiceResult<RectView> {
        let rating = self.store.case_rating(case_id).await?.filter(|r| r.is_bad());
        let Some(rating) = rating else { return Err(ServiceError::not_found("差评整改事项")) };
        let division = DivisionCode::parse(&rating.competent_division).map_err(|_| ServiceError::forbidden())?;
        self.authorize(actor, permission, &division)?;
        let year =
            domain::calendar::shanghai_date(DateTime::from_timestamp_millis(rating.rated_at_ms).unwrap_or_default())
                .year();
        self.hotline_rect_views(actor, permission, year, Some(case_id))
            .await?
            .pop()
            .ok_or_else(|| ServiceError::not_found("差评整改事项"))
    }

    /// One rectification; the read is an event (the rater's comment and the case).
    pub async fn hotline_rectification(&self, actor: &Actor, case_id: i64) -> ServiceResult<RectView> {
        let view = self.hotline_rect_one(actor, case_id, Permission::ReadPerson).await?;
        let event = EventDraft::new(
            rules::rectification_stream(case_id),
            actor.label(),
            "hotline.rectification_read",
            json!({}),
        )
        .in_division(view.rating.competent_division.clone());
        self.store.record(&event, self.now()).await?;
        Ok(view)
    }

    /// A staff act on a rectification (回访, 核实, 整改, 解释, 申诉, 申诉审核), today, if lawful.
    pub async fn hotline_rectify(
        &self,
        actor: &Actor,
        case_id: i64,
        expected_acts: Option<i64>,
        input: &RectInput,
    ) -> ServiceResult<RectView> {
        let view = self.hotline_rect_one(actor, case_id, Permission::WritePerson).await?;
        let act = input.parse().map_err(|e| ServiceError::invalid(vec![e]))?;
        self.hotline_rect_commit(view, expected_acts, act, actor.label()).await?;
        self.hotline_rect_one(actor, case_id, Permission::ReadPerson).await
    }

    async fn hotline_rect_commit(
        &self,
        view: RectView,
        expected_acts: Option<i64>,
        act: RectAct,
        by: String,
    ) -> ServiceResult<()> {
        let rating = &view.rating;
        if expected_acts.is_some_and(|n| n != rating.acts.len() as i64) {
            return Err(conflict(StoreError::Conflict("hotline_revision".into())));
        }
        let today = self.today();
        rect_of(rating)
            .check(&act, &by, today, &RECT_RULES, &self.calendar())
            .map_err(|e| ServiceError::invalid(vec![e]))?;
        let name =
            if matches!(act, RectAct::RaterGrade { .. }) { "hotline.fix_rated" } else { "hotline.rectification" };
        let event = EventDraft::new(
            rules::rectification_stream(rating.case_id),
            by.clone(),
            name,
            json!({ "kind": act.kind(), "on": today.to_string(), "text": act.text(), "number": act.number() }),
        )
        .in_division(rating.competent_division.clone());
        let dated = RectDated { act, on: today, by };
        self.store
            .hotline_rectification_act(rating.case_id, rating.acts.len(), &dated, self.now(), &event)
            .await
            .map_err(conflict)
    }

    /// The rater's own rating of the fix, on the public page with the case's number and check
    /// (the same check as the progress look-up): never a staff act.
    pub async fn hotline_rate_fix(&self, number: &str, check: &str, address: &str, grade: &str) -> ServiceResult<()> {
        let grade = Grade::parse_field("grade", "", grade).map_err(|e| ServiceError::invalid(vec![e]))?;
        let (case, rating) = self.rater_case(number, check, address).await?;
        let Some(rating) = rating.filter(|r| r.is_bad()) else {
            return Err(ServiceError::not_found("差评整改事项"));
        };
        let year =
            domain::calendar::shanghai_date(DateTime::from_timestamp_millis(rating.rated_at_ms).unwrap_or_default())
                .year();
        let scope = Scope(vec![rating.competent_division.clone()]);
        let ratings = self
            .store
            .hotline_bad_ratings(&scope, year_start_ms(year), year_start_ms(year + 1), Some(case.case.id))
            .await?;
        let Some(rating) = ratings.into_iter().next() else {
            return Err(ServiceError::not_found("差评整改事项"));
        };
        let state = self.rect_state(&rating, &self.calendar(), self.today())?;
        let view = RectView { rating, state, rater_masked: String::new() };
        self.hotline_rect_commit(view, None, RectAct::RaterGrade { grade: grade.as_str().into() }, "public".into())
            .await
    }
}

fn rect_of(rating: &BadRating) -> Rectification {
    let rated = DateTime::from_timestamp_millis(rating.rated_at_ms).unwrap_or_default();
    Rectification { rated_on: domain::calendar::shanghai_date(rated), acts: rating.acts.clone() }
}
