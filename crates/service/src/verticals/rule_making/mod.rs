//! 重大行政决策和规范性文件: the use cases. Staff open a major decision in the year's catalogue
//! (目录) and record the acts of its five procedures; the domain's gates
//! (`domain::verticals::rule_making::decision`) decide whether an act is lawful on the current
//! history, and a refused act is itself recorded with its article. Normative documents are
//! registered, filed (备案), repealed or declared lapsed, flagged when a superior law changes,
//! and cleaned up in campaigns whose published results become the documents' acts. Every state
//! and deadline is derived from the dates on read.
//!
//! Access, at the division of the decision, document or campaign: [`Permission::ManageRules`]
//! for the catalogue, the register and the clean-up; [`Permission::ReviewRuleLegality`] for the
//! legality opinion (第二十五条: the legal office); [`Permission::DecideRules`] for the collective
//! discussion (第三十条). Reading needs any of the three. The register in force on a date is
//! public (a normative document is published law).

pub mod consultation;
pub mod hearing;
pub mod openness;
pub mod stats;

use chrono::{Datelike, NaiveDate};
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::division::DivisionCode;
use domain::problem::{text_field, FieldError};
use domain::verticals::rule_making::decision::{
    Completeness, DecisionHistory, Procedure, ProcedureState, Step, StepInput,
};
use domain::verticals::rule_making::document::{
    filing_due, review_due, DocumentInput, DocumentState, Limits, NewDocument, StatusAct, StatusActKind, Verdict,
};
use domain::verticals::rule_making::hearing::check_list;
use domain::verticals::rule_making::{cleanup_stream, decision_stream, document_stream};
use serde_json::json;
use store::persons::Scope;
use store::verticals::rule_making::NewDecisionRow;
pub use store::verticals::rule_making::{CleanupFull, CleanupItem, DecisionFull, DocumentRow};
use store::StoreError;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

const READ: [Permission; 3] = [Permission::ManageRules, Permission::ReviewRuleLegality, Permission::DecideRules];

/// A decision with where its procedures stand.
#[derive(Debug, Clone)]
pub struct DecisionView {
    pub full: DecisionFull,
    pub states: Vec<(Procedure, ProcedureState)>,
    pub completeness: Completeness,
}

impl DecisionView {
    pub(crate) fn new(full: DecisionFull) -> DecisionView {
        let history = history(&full);
        let states = Procedure::ALL.into_iter().map(|p| (p, history.state(p))).collect();
        DecisionView { completeness: history.completeness(), states, full }
    }

    /// The hearing announced and not yet held whose list is not yet published: its notice's
    /// position among the acts and its day (`DecisionHistory::hearing_unlisted`).
    pub fn hearing_unlisted(&self) -> Option<(usize, NaiveDate)> {
        history(&self.full).hearing_unlisted()
    }
}

fn history(full: &DecisionFull) -> DecisionHistory {
    DecisionHistory { steps: full.steps.iter().map(|(s, _)| s.clone()).collect() }
}

/// A decision as opened by staff (the one parser for the form and the API).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DecisionInput {
    pub division: String,
    pub year: String,
    pub title: String,
    pub organ: String,
    pub summary: String,
}

/// A document in the register with what is derived from its dates today.
#[derive(Debug, Clone)]
pub struct DocumentLine {
    pub row: DocumentRow,
    pub state: DocumentState,
    /// In force and within the warning days of its 有效期至.
    pub expiring: bool,
    pub filing_due: Option<NaiveDate>,
    /// Not filed and its filing limit passed.
    pub filing_overdue: bool,
    pub review_due: Option<NaiveDate>,
    /// The opinion came after the review's limit.
    pub review_late: bool,
}

pub(crate) fn conflict(what: &str) -> impl Fn(StoreError) -> ServiceError + '_ {
    move |err| match err {
        StoreError::Conflict(c) if c == "rule_document_number" => {
            ServiceError::new(ErrorKind::Conflict, "rule_document_number", "该制定机关已登记同一文号的规范性文件")
                .with_field("number")
        }
        StoreError::Conflict(_) => {
            ServiceError::new(ErrorKind::Conflict, "rule_conflict", "记录已被他人更新，请刷新后按当前情况重新操作")
        }
        StoreError::NotFound => ServiceError::not_found(what),
        other => other.into(),
    }
}

fn invalid(problem: FieldError) -> ServiceError {
    ServiceError::invalid(vec![problem])
}

fn parse_date(field: &str, value: &str) -> ServiceResult<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| invalid(FieldError::new(field, "bad_date", "日期格式应为 YYYY-MM-DD")))
}

impl App {
    /// The limits of the register (data; the defaults are [`Limits::default`]).
    pub fn rule_limits(&self) -> Limits {
        Limits::default()
    }

    fn rule_may_read(&self, actor: &Actor, division: &DivisionCode) -> ServiceResult<()> {
        if READ.iter().any(|p| actor.may(*p, division, self.divisions())) {
            Ok(())
        } else {
            Err(ServiceError::forbidden())
        }
    }

    fn rule_scope(&self, actor: &Actor) -> ServiceResult<Scope> {
        let mut codes: Vec<String> = READ.iter().flat_map(|p| actor.scope(*p)).map(|c| c.to_string()).collect();
        codes.sort();
        codes.dedup();
        if codes.is_empty() {
            return Err(ServiceError::forbidden());
        }
        Ok(Scope(codes))
    }

    fn rule_in_reach(&self, actor: &Actor, division: &str) -> bool {
        DivisionCode::parse(division).is_ok_and(|d| READ.iter().any(|p| actor.may(*p, &d, self.divisions())))
    }

    /// 重大行政决策 立项: a decision entered in the year's catalogue.
    pub async fn rule_decision_open(&self, actor: &Actor, input: &DecisionInput) -> ServiceResult<i64> {
        let division = self.division("division", &input.division)?;
        self.authorize(actor, Permission::ManageRules, &division)?;
        let mut problems = Vec::new();
        let year = input.year.trim().parse::<i32>().ok().filter(|y| (2019..=2100).contains(y));
        if year.is_none() {
            problems.push(FieldError::new(
                "year",
                "bad_year",
                "目录年度应为2019年以后的年份（《重大行政决策程序暂行条例》自2019年9月1日起施行）",
            ));
        }
        let mut text = |field: &str, value: &str, max: usize| {
            text_field(field, value, max, true).map_err(|e| problems.push(e)).unwrap_or_default()
        };
        let title = text("title", &input.title, 200);
        let organ = text("organ", &input.organ, 100);
        let summary = text("summary", &input.summary, 4000);
        let (Some(year), true) = (year, problems.is_empty()) else {
            return Err(ServiceError::invalid(problems));
        };
        let decision = NewDecisionRow { year, title, organ, summary, opened_on: self.today() };
        let label = actor.label();
        let division_text = division.to_string();
        self.store
            .create_rule_decision(division.as_str(), &decision, actor.account_id, self.now(), |id| {
                EventDraft::new(decision_stream(id), label, "rule_making.decision_opened", json!({ "year": year }))
                    .in_division(division_text)
            })
            .await
            .map_err(conflict("重大行政决策"))
    }

    pub(crate) async fn rule_decision_load(&self, actor: &Actor, id: i64) -> ServiceResult<DecisionFull> {
        let full = self.store.rule_decision(id).await.map_err(conflict("重大行政决策"))?;
        let division = DivisionCode::parse(&full.decision.division).map_err(|_| ServiceError::forbidden())?;
        self.rule_may_read(actor, &division)?;
        Ok(full)
    }

    /// One decision and where its procedures stand.
    pub async fn rule_decision(&self, actor: &Actor, id: i64) -> ServiceResult<DecisionView> {
        Ok(DecisionView::new(self.rule_decision_load(actor, id).await?))
    }

    /// The year's catalogue in the reader's jurisdiction.
    pub async fn rule_catalogue(&self, actor: &Actor, year: i32) -> ServiceResult<Vec<DecisionView>> {
        let scope = self.rule_scope(actor)?;
        let rows = self.store.rule_decisions(&scope, year).await?;
        Ok(rows
            .into_iter()
            .filter(|f| self.rule_in_reach(actor, &f.decision.division))
            .map(DecisionView::new)
            .collect())
    }

    /// Records an act of a decision's procedures, at the revision the caller read. The gate of
    /// the domain decides; a refusal is recorded on the decision's stream with its code.
    pub async fn rule_decision_step(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        input: &StepInput,
    ) -> ServiceResult<DecisionView> {
        let full = self.store.rule_decision(id).await.map_err(conflict("重大行政决策"))?;
        let division = DivisionCode::parse(&full.decision.division).map_err(|_| ServiceError::forbidden())?;
        let step = input.parse().map_err(invalid)?;
        let permission = match step {
            Step::LegalityOpinion { .. } => Permission::ReviewRuleLegality,
            Step::Discussion { .. } => Permission::DecideRules,
            _ => Permission::ManageRules,
        };
        self.authorize(actor, permission, &division)?;
        if full.decision.revision != revision {
            return Err(conflict("重大行政决策")(StoreError::Conflict("rule_revision".into())));
        }
        if step.on() > self.today() {
            return Err(invalid(FieldError::new("on", "future_date", "不能记录今天以后的日期")));
        }
        let history = history(&full);
        // 第十六条: the list of a hearing's participants only after every application is decided.
        let undecided = match (&step, history.hearing_unlisted()) {
            (Step::HearingParticipants { .. }, Some((at, _))) => self.rule_hearing_undecided(id, at).await?,
            _ => 0,
        };
        if let Err(problem) = history.check(&self.calendar(), &step).and_then(|()| check_list(undecided)) {
            let event = EventDraft::new(
                decision_stream(id),
                actor.label(),
                "rule_making.decision_refused",
                json!({ "step": step.kind(), "code": problem.code, "message": problem.message }),
            )
            .in_division(full.decision.division.clone());
            self.store.record(&event, self.now()).await?;
            return Err(invalid(problem));
        }
        let event = EventDraft::new(
            decision_stream(id),
            actor.label(),
            "rule_making.decision_step",
            json!({ "step": step.kind(), "on": step.on().to_string() }),
        )
        .in_division(full.decision.division.clone());
        self.store
            .add_rule_decision_step(id, revision, &step, actor.account_id, self.now(), &event)
            .await
            .map_err(conflict("重大行政决策"))?;
        let full = self.store.rule_decision(id).await.map_err(conflict("重大行政决策"))?;
        Ok(DecisionView::new(full))
    }

    /// Registers a normative document of the organ at `division`; one that amends an earlier
    /// 文号 of the same organ records the amendment on it.
    pub async fn rule_document_register(
        &self,
        actor: &Actor,
        division: &str,
        input: &DocumentInput,
    ) -> ServiceResult<i64> {
        let division = self.division("division", division)?;
        self.authorize(actor, Permission::ManageRules, &division)?;
        let document =
            NewDocument::parse(input, &self.calendar(), &self.rule_limits()).map_err(ServiceError::invalid)?;
        let amends_id = match &document.amends {
            Some(number) => {
                Some(self.store.rule_document_by_number(&document.organ, number).await?.ok_or_else(|| {
                    invalid(FieldError::new("amends", "unknown_document", "登记簿中没有该制定机关的这一文号"))
                })?)
            }
            None => None,
        };
        let label = actor.label();
        let division_text = division.to_string();
        let number = document.number.clone();
        self.store
            .create_rule_document(division.as_str(), &document, amends_id, actor.account_id, self.now(), |id| {
                let mut events = vec![EventDraft::new(
                    document_stream(id),
                    label.clone(),
                    "rule_making.document_registered",
                    json!({ "number": number }),
                )
                .in_division(division_text.clone())];
                if let Some(old) = amends_id {
                    events.push(
                        EventDraft::new(
                            document_stream(old),
                            label,
                            "rule_making.document_act",
                            json!({ "act": StatusActKind::Amended.as_str(), "by": id }),
                        )
                        .in_division(division_text),
                    );
                }
                events
            })
            .await
            .map_err(conflict("规范性文件"))
    }

    fn rule_line(&self, row: DocumentRow, on: NaiveDate) -> DocumentLine {
        let calendar = self.calendar();
        let limits = self.rule_limits();
        let validity = row.validity();
        let state = validity.state_on(&row.acts, on);
        let filing_due = filing_due(&calendar, &limits, row.document.published_on).ok();
        let review_due = review_due(&calendar, &limits, row.document.review_submitted_on).ok();
        DocumentLine {
            expiring: validity.expiring(&row.acts, on, limits.expiry_warning_days),
            filing_overdue: row.filed_on.is_none() && filing_due.is_some_and(|d| on > d),
            review_late: review_due.is_some_and(|d| row.document.review_opinion_on > d),
            filing_due,
            review_due,
            state,
            row,
        }
    }

    /// The register of the reader's jurisdiction, each document's state derived for today.
    pub async fn rule_register(&self, actor: &Actor) -> ServiceResult<Vec<DocumentLine>> {
        let scope = self.rule_scope(actor)?;
        let today = self.today();
        let rows = self.store.rule_documents(Some(&scope)).await?;
        Ok(rows
            .into_iter()
            .filter(|r| self.rule_in_reach(actor, &r.division))
            .map(|r| self.rule_line(r, today))
            .collect())
    }

    /// One document, its state derived for today.
    pub async fn rule_document(&self, actor: &Actor, id: i64) -> ServiceResult<DocumentLine> {
        let row = self.store.rule_document(id).await.map_err(conflict("规范性文件"))?;
        let division = DivisionCode::parse(&row.division).map_err(|_| ServiceError::forbidden())?;
        self.rule_may_read(actor, &division)?;
        Ok(self.rule_line(row, self.today()))
    }

    /// The public register: the documents in force on `on` (today when `None`).
    pub async fn rule_public_register(&self, on: Option<NaiveDate>) -> ServiceResult<Vec<DocumentLine>> {
        let on = on.unwrap_or_else(|| self.today());
        let rows = self.store.rule_documents(None).await?;
        Ok(rows.into_iter().map(|r| self.rule_line(r, on)).filter(|l| l.state == DocumentState::InForce).collect())
    }

    async fn rule_document_for_write(&self, actor: &Actor, id: i64, revision: i64) -> ServiceResult<DocumentRow> {
        let row = self.store.rule_document(id).await.map_err(conflict("规范性文件"))?;
        let division = DivisionCode::parse(&row.division).map_err(|_| ServiceError::forbidden())?;
        self.authorize(actor, Permission::ManageRules, &division)?;
        if row.revision != revision {
            return Err(conflict("规范性文件")(StoreError::Conflict("rule_revision".into())));
        }
        Ok(row)
    }

    /// 备案: the document filed with the higher authority under its 备案号.
    pub async fn rule_document_file(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        filing_number: &str,
        filed_on: &str,
    ) -> ServiceResult<DocumentLine> {
        let row = self.rule_document_for_write(actor, id, revision).await?;
        let number = text_field("filing_number", filing_number, 60, true).map_err(invalid)?;
        let filed_on = parse_date("filed_on", filed_on)?;
        if filed_on < row.document.published_on || filed_on > self.today() {
            return Err(invalid(FieldError::new("filed_on", "filed_on_range", "备案日期应在发布日期之后且不晚于今天")));
        }
        if row.filed_on.is_some() {
            return Err(ServiceError::new(ErrorKind::Conflict, "rule_already_filed", "该规范性文件已经备案"));
        }
        let event = EventDraft::new(
            document_stream(id),
            actor.label(),
            "rule_making.document_filed",
            json!({ "filing_number": number, "filed_on": filed_on.to_string() }),
        )
        .in_division(row.division.clone());
        self.store
            .file_rule_document(id, revision, &number, filed_on, self.now(), &event)
            .await
            .map_err(conflict("规范性文件"))?;
        self.rule_document(actor, id).await
    }

    /// 废止 or 宣布失效 outside a campaign, taking effect on `on` (not before today's state
    /// allows it: only a document in force or not yet in force on `on` changes).
    pub async fn rule_document_act(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        kind: &str,
        on: &str,
        reason: &str,
    ) -> ServiceResult<DocumentLine> {
        let row = self.rule_document_for_write(actor, id, revision).await?;
        let kind = StatusActKind::parse(kind.trim()).filter(|k| *k != StatusActKind::Amended).ok_or_else(|| {
            invalid(FieldError::new("kind", "bad_choice", "请选择废止或宣布失效（修改请登记修改后的文件）"))
        })?;
        let on = parse_date("on", on)?;
        let reason = text_field("reason", reason, 2000, true).map_err(invalid)?;
        let state = row.validity().state_on(&row.acts, on);
        if !matches!(state, DocumentState::InForce | DocumentState::NotYetInForce) {
            return Err(invalid(FieldError::new(
                "on",
                "document_not_in_force",
                format!("该文件在{on}已{}，不能再{}", state.name_zh(), kind.name_zh()),
            )));
        }
        let act = StatusAct { kind, on, reason };
        let event = EventDraft::new(
            document_stream(id),
            actor.label(),
            "rule_making.document_act",
            json!({ "act": kind.as_str(), "on": on.to_string() }),
        )
        .in_division(row.division.clone());
        self.store
            .add_rule_document_act(id, revision, &act, actor.account_id, self.now(), &event)
            .await
            .map_err(conflict("规范性文件"))?;
        self.rule_document(actor, id).await
    }

    /// A superior law changed: every document in force today in the reader's jurisdiction
    /// that cites it is flagged for review, one event each. Returns the flagged ids.
    pub async fn rule_flag_citing(&self, actor: &Actor, law: &str) -> ServiceResult<Vec<i64>> {
        if !actor.may_somewhere(Permission::ManageRules) {
            return Err(ServiceError::forbidden());
        }
        let law = text_field("law", law, 200, true).map_err(invalid)?;
        let lines = self.rule_register(actor).await?;
        let mut ids = Vec::new();
        let mut events = Vec::new();
        for line in lines {
            let Ok(division) = DivisionCode::parse(&line.row.division) else { continue };
            if line.state != DocumentState::InForce
                || !actor.may(Permission::ManageRules, &division, self.divisions())
                || !line.row.document.basis.iter().any(|b| b.contains(law.as_str()))
            {
                continue;
            }
            ids.push(line.row.id);
            events.push(
                EventDraft::new(
                    document_stream(line.row.id),
                    actor.label(),
                    "rule_making.documents_flagged",
                    json!({ "law": law }),
                )
                .in_division(line.row.division.clone()),
            );
        }
        if !ids.is_empty() {
            self.store.flag_rule_documents(&ids, &law, self.today(), self.now(), &events).await?;
        }
        Ok(ids)
    }

    /// 清理: a campaign over every document of the jurisdiction at `division` in force today.
    pub async fn rule_cleanup_open(&self, actor: &Actor, division: &str, title: &str) -> ServiceResult<i64> {
        let division = self.division("division", division)?;
        self.authorize(actor, Permission::ManageRules, &division)?;
        let title = text_field("title", title, 200, true).map_err(invalid)?;
        let today = self.today();
        let rows = self.store.rule_documents(Some(&Scope(vec![division.to_string()]))).await?;
        let documents: Vec<i64> = rows
            .into_iter()
            .filter(|r| {
                DivisionCode::parse(&r.division).is_ok_and(|d| self.divisions().is_within(&d, &division))
                    && r.validity().state_on(&r.acts, today) == DocumentState::InForce
            })
            .map(|r| r.id)
            .collect();
        if documents.is_empty() {
            return Err(invalid(FieldError::new("division", "nothing_to_clean", "该地区没有现行有效的规范性文件")));
        }
        let label = actor.label();
        let division_text = division.to_string();
        let count = documents.len();
        self.store
            .create_rule_cleanup(division.as_str(), &title, today, &documents, actor.account_id, self.now(), |id| {
                EventDraft::new(cleanup_stream(id), label, "rule_making.cleanup_opened", json!({ "documents": count }))
                    .in_division(division_text)
            })
            .await
            .map_err(conflict("清理"))
    }

    /// A campaign, for a reader of its division.
    pub async fn rule_cleanup(&self, actor: &Actor, id: i64) -> ServiceResult<CleanupFull> {
        let full = self.store.rule_cleanup(id).await.map_err(conflict("清理"))?;
        let division = DivisionCode::parse(&full.division).map_err(|_| ServiceError::forbidden())?;
        self.rule_may_read(actor, &division)?;
        Ok(full)
    }

    /// The campaigns of the reader's jurisdiction.
    pub async fn rule_cleanups(&self, actor: &Actor) -> ServiceResult<Vec<CleanupFull>> {
        let scope = self.rule_scope(actor)?;
        let rows = self.store.rule_cleanups(&scope).await?;
        Ok(rows.into_iter().filter(|c| self.rule_in_reach(actor, &c.division)).collect())
    }

    async fn rule_cleanup_for_write(&self, actor: &Actor, id: i64, revision: i64) -> ServiceResult<CleanupFull> {
        let full = self.store.rule_cleanup(id).await.map_err(conflict("清理"))?;
        let division = DivisionCode::parse(&full.division).map_err(|_| ServiceError::forbidden())?;
        self.authorize(actor, Permission::ManageRules, &division)?;
        if full.revision != revision {
            return Err(conflict("清理")(StoreError::Conflict("rule_revision".into())));
        }
        if full.published_on.is_some() {
            return Err(ServiceError::new(ErrorKind::Conflict, "cleanup_published", "清理结果已经公布"));
        }
        Ok(full)
    }

    /// Records the verdict (keep, amend, repeal, declare lapsed) on one document, with its reason.
    pub async fn rule_cleanup_verdict(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        document_id: i64,
        verdict: &str,
        reason: &str,
    ) -> ServiceResult<CleanupFull> {
        let full = self.rule_cleanup_for_write(actor, id, revision).await?;
        let (verdict, reason) = Verdict::parse_with_reason(verdict, reason).map_err(invalid)?;
        if !full.items.iter().any(|i| i.document_id == document_id) {
            return Err(invalid(FieldError::new("document_id", "not_in_cleanup", "该文件不在本次清理范围内")));
        }
        let event = EventDraft::new(
            cleanup_stream(id),
            actor.label(),
            "rule_making.cleanup_verdict",
            json!({ "document_id": document_id, "verdict": verdict.as_str() }),
        )
        .in_division(full.division.clone());
        self.store
            .set_rule_cleanup_verdict(id, revision, document_id, verdict, &reason, self.today(), self.now(), &event)
            .await
            .map_err(conflict("清理"))?;
        self.rule_cleanup(actor, id).await
    }

    /// Publishes the results once every document has its verdict: each repeal and declared
    /// lapse becomes the document's act, effective today, in the same transaction.
    pub async fn rule_cleanup_publish(&self, actor: &Actor, id: i64, revision: i64) -> ServiceResult<CleanupFull> {
        let full = self.rule_cleanup_for_write(actor, id, revision).await?;
        if let Some(open) = full.items.iter().find(|i| i.verdict.is_none()) {
            return Err(invalid(FieldError::new(
                "verdict",
                "cleanup_incomplete",
                format!("《{}》尚无清理意见，逐件提出意见后方可公布清理结果", open.title),
            )));
        }
        let today = self.today();
        let mut acts = Vec::new();
        let mut events = vec![EventDraft::new(
            cleanup_stream(id),
            actor.label(),
            "rule_making.cleanup_published",
            json!({ "documents": full.items.len() }),
        )
        .in_division(full.division.clone())];
        for item in &full.items {
            let Some(kind) = item.verdict.and_then(Verdict::act) else { continue };
            acts.push((item.document_id, StatusAct { kind, on: today, reason: item.reason.clone() }));
            events.push(
                EventDraft::new(
                    document_stream(item.document_id),
                    actor.label(),
                    "rule_making.document_act",
                    json!({ "act": kind.as_str(), "cleanup": id }),
                )
                .in_division(full.division.clone()),
            );
        }
        self.store
            .publish_rule_cleanup(id, revision, today, &acts, actor.account_id, self.now(), &events)
            .await
            .map_err(conflict("清理"))?;
        self.rule_cleanup(actor, id).await
    }

    /// The published results of every clean-up campaign (public, newest first): each document
    /// reviewed with its conclusion and reason (四川省行政规范性文件管理办法: the results of a
    /// clean-up are made public).
    pub async fn rule_cleanup_results(&self) -> ServiceResult<Vec<CleanupFull>> {
        let all = Scope(vec![String::new()]);
        let rows = self.store.rule_cleanups(&all).await?;
        Ok(rows.into_iter().filter(|c| c.published_on.is_some()).collect())
    }

    /// The year of a date, for the catalogue's default.
    pub fn rule_year(&self) -> i32 {
        self.today().year()
    }
}
