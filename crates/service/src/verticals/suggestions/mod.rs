//! 建议提案办理 and 政务开放日: the use cases. Staff register a 交办 and record its acts (a
//! co-handling unit's opinion, contact with the deputy, the reply drafted, approved by the
//! leader and sent to each proposer, the satisfaction form, a send-back); they record open days
//! and the suggestions received there, each of which may be registered as a tracked suggestion;
//! the figures and the public results are computed from the records. The rules are
//! `domain::verticals::suggestions`'s: this layer checks the caller's grants (the suggestion's
//! division), asks the domain whether the act is lawful on the history and commits it with its
//! event under the revision it read.
//!
//! Access: [`Permission::ReadSuggestions`] to read, [`Permission::HandleSuggestions`] to register
//! and record, [`Permission::ApproveSuggestionReply`] (the leader) to approve a reply; the public
//! results (代表法 第五十一条: the handling is made public) need no account.

pub mod indicators;
pub mod openness;
pub mod track;

use chrono::{Datelike, NaiveDate};
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::division::DivisionCode;
use domain::problem::FieldError;
use domain::verticals::suggestions::{
    self as rules, Act, ActInput, ActKind, Kind, Limits, NewOpenDay, NewOpenDayInput, NewSuggestion, OpenDayInput,
    OpenDayInputInput, Progress, Stats, SuggestionInput, SuggestionRecord,
};
use serde_json::json;
use store::persons::Scope;
pub use store::verticals::suggestions::{OpenDayFull, OpenDayInputRow, OpenDayRow, SuggestionFull};
use store::StoreError;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// A suggestion with its state on the day it is read.
#[derive(Debug, Clone)]
pub struct SuggestionView {
    pub full: SuggestionFull,
    pub progress: Progress,
    pub today: NaiveDate,
}

/// The figures of a year: per kind and in all.
#[derive(Debug, Clone)]
pub struct StatsView {
    pub year: i32,
    pub by_kind: Vec<(Kind, Stats)>,
    pub total: Stats,
}

fn conflict(err: StoreError) -> ServiceError {
    match err {
        StoreError::Conflict(what) if what == "open_day_input_registered" => {
            ServiceError::new(ErrorKind::Conflict, "open_day_input_registered", "这条意见建议已经登记为建议提案办理")
        }
        StoreError::Conflict(_) => ServiceError::new(
            ErrorKind::Conflict,
            "suggestion_conflict",
            "该建议提案已被他人办理或已变化，请刷新后按当前情况重新操作",
        ),
        StoreError::NotFound => ServiceError::not_found("建议提案"),
        other => other.into(),
    }
}

fn refused(problem: FieldError) -> ServiceError {
    ServiceError::invalid(vec![problem])
}

fn year_checked(year: i32, today: NaiveDate) -> ServiceResult<i32> {
    if (2000..=today.year()).contains(&year) {
        Ok(year)
    } else {
        Err(refused(FieldError::new("year", "invalid_year", format!("年度应在2000年至{}年之间", today.year()))))
    }
}

impl App {
    /// The periods the bureau applies (代表法 第五十一条 and the local rules' defaults).
    pub fn suggestion_limits(&self) -> Limits {
        Limits::default()
    }

    fn suggestion_progress(&self, full: &SuggestionFull) -> ServiceResult<Progress> {
        Progress::compute(&full.row.suggestion, &full.acts(), &self.suggestion_limits(), &self.calendar())
            .map_err(|e| ServiceError::invalid(vec![e]))
    }

    fn suggestion_viewed(&self, full: SuggestionFull) -> ServiceResult<SuggestionView> {
        let progress = self.suggestion_progress(&full)?;
        Ok(SuggestionView { full, progress, today: self.today() })
    }

    async fn suggestion_load(&self, actor: &Actor, id: i64, permission: Permission) -> ServiceResult<SuggestionFull> {
        let full = self.store.suggestion(id).await.map_err(conflict)?;
        let division = DivisionCode::parse(&full.row.division).map_err(|_| ServiceError::forbidden())?;
        self.authorize(actor, permission, &division)?;
        Ok(full)
    }

    fn reach(&self, actor: &Actor, permission: Permission) -> ServiceResult<Scope> {
        let scope = actor.scope(permission);
        if scope.is_empty() {
            return Err(ServiceError::forbidden());
        }
        Ok(Scope(scope.iter().map(|c| c.to_string()).collect()))
    }

    fn within(&self, actor: &Actor, permission: Permission, division: &str) -> bool {
        DivisionCode::parse(division).is_ok_and(|d| actor.may(permission, &d, self.divisions()))
    }

    /// Registers a 交办 at `division` (the bureau it was assigned to), optionally from a
    /// suggestion received at one of the bureau's open days.
    pub async fn suggestion_create(
        &self,
        actor: &Actor,
        division: &str,
        input: &SuggestionInput,
        from_input: Option<i64>,
    ) -> ServiceResult<i64> {
        let division = self.division("division", division)?;
        self.authorize(actor, Permission::HandleSuggestions, &division)?;
        let s = NewSuggestion::parse(input, self.today()).map_err(ServiceError::invalid)?;
        if let Some(input_id) = from_input {
            let (row, day_division) = self.store.open_day_input(input_id).await.map_err(|e| match e {
                StoreError::NotFound => ServiceError::not_found("开放日意见建议"),
                other => other.into(),
            })?;
            if day_division != division.as_str() {
                return Err(refused(FieldError::new(
                    "open_day_input",
                    "other_bureau",
                    "这条意见建议是其他单位开放日收到的",
                )));
            }
            if row.item_id.is_some() {
                return Err(conflict(StoreError::Conflict("open_day_input_registered".into())));
            }
        }
        Progress::start(&s, &self.suggestion_limits(), &self.calendar()).map_err(|e| {
            refused(FieldError::new("assigned_on", e.code(), format!("交办日期超出工作日历的范围：{e}")))
        })?;
        let payload = json!({
            "kind": s.kind.as_str(),
            "number": s.number,
            "proposers": s.proposers,
            "difficult": s.difficult,
            "assigned_on": s.assigned_on.to_string(),
            "open_day_input": from_input,
        });
        let division_text = division.to_string();
        let label = actor.label();
        self.store
            .create_suggestion(division.as_str(), &s, from_input, actor.account_id, self.now(), |id| {
                EventDraft::new(rules::stream(id), label, "suggestion.assigned", payload).in_division(division_text)
            })
            .await
            .map_err(conflict)
    }

    /// One suggestion with its state today.
    pub async fn suggestion_view(&self, actor: &Actor, id: i64) -> ServiceResult<SuggestionView> {
        let full = self.suggestion_load(actor, id, Permission::ReadSuggestions).await?;
        self.suggestion_viewed(full)
    }

    /// The suggestions in the reader's jurisdiction (assigned in `year` when given), newest first.
    pub async fn suggestion_list(&self, actor: &Actor, year: Option<i32>) -> ServiceResult<Vec<SuggestionView>> {
        let year = year.map(|y| year_checked(y, self.today())).transpose()?;
        let scope = self.reach(actor, Permission::ReadSuggestions)?;
        let rows = self.store.suggestions(Some(&scope), year).await?;
        rows.into_iter()
            .filter(|f| self.within(actor, Permission::ReadSuggestions, &f.row.division))
            .map(|f| self.suggestion_viewed(f))
            .collect()
    }

    /// Records an act at the revision the caller saw, if the domain allows it on the history.
    /// Approving a reply is the leader's ([`Permission::ApproveSuggestionReply`]).
    pub async fn suggestion_act(
        &self,
        actor: &Actor,
        id: i64,
        expected_revision: i64,
        input: &ActInput,
    ) -> ServiceResult<SuggestionView> {
        let full = self.suggestion_load(actor, id, Permission::ReadSuggestions).await?;
        let act = Act::parse(input, self.today()).map_err(ServiceError::invalid)?;
        let division = DivisionCode::parse(&full.row.division).map_err(|_| ServiceError::forbidden())?;
        let permission = if act.kind == ActKind::Approve {
            Permission::ApproveSuggestionReply
        } else {
            Permission::HandleSuggestions
        };
        self.authorize(actor, permission, &division)?;
        if full.row.revision != expected_revision {
            return Err(conflict(StoreError::Conflict("suggestion_revision".into())));
        }
        let progress = self.suggestion_progress(&full)?;
        progress.check(&act, &self.suggestion_limits(), &self.calendar()).map_err(refused)?;
        let payload = json!({
            "kind": act.kind.as_str(),
            "on": act.on.to_string(),
            "proposer": act.proposer,
            "unit": act.unit,
            "result": act.result.map(|r| r.as_str()),
        });
        let label = actor.label();
        let division_text = full.row.division.clone();
        self.store
            .add_suggestion_act(id, expected_revision, &act, actor.account_id, self.now(), |act_id| {
                let mut payload = payload;
                payload["act_id"] = json!(act_id);
                EventDraft::new(rules::stream(id), label, act.kind.event(), payload).in_division(division_text)
            })
            .await
            .map_err(conflict)?;
        let full = self.store.suggestion(id).await.map_err(conflict)?;
        self.suggestion_viewed(full)
    }

    fn stats_of(&self, year: i32, views: &[SuggestionView]) -> StatsView {
        let records: Vec<SuggestionRecord> = views
            .iter()
            .map(|v| SuggestionRecord {
                kind: v.full.row.suggestion.kind,
                assigned_on: v.full.row.suggestion.assigned_on,
                progress: v.progress.clone(),
            })
            .collect();
        let today = self.today();
        StatsView {
            year,
            by_kind: Kind::ALL.iter().map(|k| (*k, Stats::compute(year, Some(*k), &records, today))).collect(),
            total: Stats::compute(year, None, &records, today),
        }
    }

    /// The figures of `year` over the reader's jurisdiction, computed from the records.
    pub async fn suggestion_stats(&self, actor: &Actor, year: i32) -> ServiceResult<StatsView> {
        let views = self.suggestion_list(actor, Some(year)).await?;
        Ok(self.stats_of(year, &views))
    }

    /// 代表法 第五十一条: the results made public — the suggestions assigned in `year` that have
    /// been answered or sent back, every bureau's, and the year's figures. No personal data:
    /// the deputies are named as in their suggestions, the reply's text is not shown.
    pub async fn suggestion_results(&self, year: i32) -> ServiceResult<(Vec<SuggestionView>, StatsView)> {
        let year = year_checked(year, self.today())?;
        let rows = self.store.suggestions(None, Some(year)).await?;
        let views = rows.into_iter().map(|f| self.suggestion_viewed(f)).collect::<ServiceResult<Vec<_>>>()?;
        let stats = self.stats_of(year, &views);
        let public = views
            .into_iter()
            .filter(|v| v.progress.proposers.iter().all(|p| p.first_reply.is_some()) || v.progress.sent_back.is_some())
            .collect();
        Ok((public, stats))
    }

    /// Records an open day held by the bureau at `division`.
    pub async fn open_day_create(&self, actor: &Actor, division: &str, input: &OpenDayInput) -> ServiceResult<i64> {
        let division = self.division("division", division)?;
        self.authorize(actor, Permission::HandleSuggestions, &division)?;
        let day = NewOpenDay::parse(input).map_err(ServiceError::invalid)?;
        if day.held_on > self.today() {
            return Err(refused(FieldError::new(
                "held_on",
                "held_in_future",
                "活动日期不能晚于今天（活动举行后登记）",
            )));
        }
        let payload = json!({ "held_on": day.held_on.to_string(), "theme": day.theme });
        let label = actor.label();
        let division_text = division.to_string();
        Ok(self
            .store
            .create_open_day(division.as_str(), &day, actor.account_id, self.now(), |id| {
                EventDraft::new(rules::open_day_stream(id), label, "open_day.held", payload).in_division(division_text)
            })
            .await?)
    }

    async fn open_day_load(&self, actor: &Actor, id: i64, permission: Permission) -> ServiceResult<OpenDayFull> {
        let full = self.store.open_day(id).await.map_err(|e| match e {
            StoreError::NotFound => ServiceError::not_found("政务开放日活动"),
            other => other.into(),
        })?;
        let division = DivisionCode::parse(&full.row.division).map_err(|_| ServiceError::forbidden())?;
        self.authorize(actor, permission, &division)?;
        Ok(full)
    }

    /// An open day with the suggestions received there.
    pub async fn open_day_view(&self, actor: &Actor, id: i64) -> ServiceResult<OpenDayFull> {
        self.open_day_load(actor, id, Permission::ReadSuggestions).await
    }

    /// The open days in the reader's jurisdiction, newest first.
    pub async fn open_days(&self, actor: &Actor) -> ServiceResult<Vec<OpenDayRow>> {
        let scope = self.reach(actor, Permission::ReadSuggestions)?;
        let rows = self.store.open_days(&scope).await?;
        Ok(rows.into_iter().filter(|r| self.within(actor, Permission::ReadSuggestions, &r.division)).collect())
    }

    /// Records a suggestion received at an open day.
    pub async fn open_day_add_input(
        &self,
        actor: &Actor,
        id: i64,
        input: &OpenDayInputInput,
    ) -> ServiceResult<OpenDayFull> {
        let full = self.open_day_load(actor, id, Permission::HandleSuggestions).await?;
        let input = NewOpenDayInput::parse(input).map_err(ServiceError::invalid)?;
        let label = actor.label();
        let division = full.row.division.clone();
        self.store
            .add_open_day_input(id, &input, actor.account_id, self.now(), |input_id| {
                EventDraft::new(rules::open_day_stream(id), label, "open_day.input", json!({ "input_id": input_id }))
                    .in_division(division)
            })
            .await?;
        self.open_day_load(actor, id, Permission::HandleSuggestions).await
    }

    /// A suggestion received at an open day, for its registration form (the reader may handle
    /// suggestions at the open day's division).
    pub async fn open_day_input(&self, actor: &Actor, input_id: i64) -> ServiceResult<OpenDayInputRow> {
        let (row, division) = self.store.open_day_input(input_id).await.map_err(|e| match e {
            StoreError::NotFound => ServiceError::not_found("开放日意见建议"),
            other => other.into(),
        })?;
        let division = DivisionCode::parse(&division).map_err(|_| ServiceError::forbidden())?;
        self.authorize(actor, Permission::HandleSuggestions, &division)?;
        Ok(row)
    }
}
