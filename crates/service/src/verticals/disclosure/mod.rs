//! 政府信息公开 依申请公开: the use cases. A request is a case of the item
//! `government-information-request` ([`cases`]: the answer its decide act records, the remedies
//! against it); the requests received before, in the area's own tables, stay readable and
//! handleable here until closed: staff record the correction notice and the corrected request,
//! the extension, the third-party consultation, the answer and the remedies. The annual report is
//! computed from the records of both. The rules are `domain::verticals::disclosure`'s; this layer checks the caller's
//! grants (jurisdiction: the request's division), reads the history, asks the domain whether the
//! write is lawful on the current history and commits it with its event under the revision it
//! read (a concurrent write is `disclosure_conflict`, never a second correction notice).
//!
//! Access: entering and handling a request is [`Permission::WritePerson`] at its division (the
//! request carries the applicant's identity number and telephone); reading it is
//! [`Permission::ReadPerson`], and each read of one request is an event on its stream; the
//! annual report is [`Permission::ReadServiceStats`] over the reader's jurisdiction.

pub mod cases;
pub mod track;

use chrono::{Datelike, NaiveDate};
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::division::DivisionCode;
use domain::problem::FieldError;
use domain::verticals::disclosure::{
    self as rules, AnnualReport, AnswerInput, Limits, NewAnswer, NewRequest, RemedyInput, RequestInput, RequestRecord,
    StepInput, Timeline,
};
use serde_json::json;
use store::persons::Scope;
use store::verticals::disclosure::{AnswerRow, RemedyRow, RequestFull, RequestRow};
use store::StoreError;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// A request with its periods on the day it is read.
#[derive(Debug, Clone)]
pub struct DisclosureView {
    pub full: RequestFull,
    pub limits: Limits,
    pub today: NaiveDate,
}

/// One line of the staff list.
#[derive(Debug, Clone)]
pub struct DisclosureLine {
    pub request: RequestRow,
    pub answered_on: Option<NaiveDate>,
    pub limits: Limits,
}

/// The annual report of a jurisdiction.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub report: AnnualReport,
    /// The divisions the report covers (the reader's jurisdiction).
    pub divisions: Vec<String>,
}

fn timeline(full: &RequestFull) -> Timeline {
    Timeline {
        received_on: full.request.received_on,
        steps: full.steps.iter().map(|s| s.step.clone()).collect(),
        answered_on: full.answer.as_ref().map(|a| a.answered_on),
    }
}

fn conflict(err: StoreError) -> ServiceError {
    match err {
        StoreError::Conflict(what) if what == "disclosure_answered" => {
            ServiceError::new(ErrorKind::Conflict, "disclosure_answered", "该申请已经答复")
        }
        StoreError::Conflict(_) => ServiceError::new(
            ErrorKind::Conflict,
            "disclosure_conflict",
            "该申请已被他人办理或已变化，请刷新后按当前情况重新操作",
        ),
        StoreError::NotFound => ServiceError::not_found("政府信息公开申请"),
        other => other.into(),
    }
}

fn refused(problem: FieldError) -> ServiceError {
    ServiceError::invalid(vec![problem])
}

impl App {
    fn disclosure_limits(&self, full: &RequestFull) -> ServiceResult<Limits> {
        let calendar = self.calendar();
        timeline(full).limits(&calendar, self.today()).map_err(|e| {
            ServiceError::new(ErrorKind::Invalid, e.code(), e.to_string()).with_basis(Some(
                "《中华人民共和国政府信息公开条例》第三十三条（工作日按国务院办公厅节假日安排计算）".into(),
            ))
        })
    }

    /// The request, its division checked for `permission`.
    async fn disclosure_load(&self, actor: &Actor, id: i64, permission: Permission) -> ServiceResult<RequestFull> {
        let full = self.store.disclosure_request(id).await.map_err(conflict)?;
        let division = DivisionCode::parse(&full.request.division).map_err(|_| ServiceError::forbidden())?;
        self.authorize(actor, permission, &division)?;
        Ok(full)
    }

    /// 第二十九条: a request as staff entered it before the move (at the window, from the post,
    /// from the online platform or the fax), for the organ at `division`; the day of receipt by
    /// 第三十一条. No route enters one any more: a new request is a case of the item
    /// `government-information-request` (`App::open_case`). The requests entered so are read,
    /// handled and counted as before; the tests place one with this.
    pub async fn disclosure_create(&self, actor: &Actor, division: &str, input: &RequestInput) -> ServiceResult<i64> {
        let division = self.division("division", division)?;
        self.authorize(actor, Permission::WritePerson, &division)?;
        let request = NewRequest::parse(input, self.today()).map_err(ServiceError::invalid)?;
        self.disclosure_insert(&division, &request, Some(actor.account_id), actor.label()).await
    }

    async fn disclosure_insert(
        &self,
        division: &DivisionCode,
        request: &NewRequest,
        created_by: Option<i64>,
        actor: String,
    ) -> ServiceResult<i64> {
        let payload = json!({
            "applicant_kind": request.applicant_kind.as_str(),
            "channel": request.receipt.channel.as_str(),
            "received_on": request.received_on.to_string(),
        });
        let division_text = division.to_string();
        let id = self
            .store
            .create_disclosure_request(&self.keys, division.as_str(), request, created_by, self.now(), |id| {
                EventDraft::new(rules::stream(id), actor, "disclosure.request", payload).in_division(division_text)
            })
            .await?;
        Ok(id)
    }

    /// One request with its periods today; the read is an event on the request's stream (it
    /// holds an applicant's personal data).
    pub async fn disclosure_view(&self, actor: &Actor, id: i64) -> ServiceResult<DisclosureView> {
        let full = self.disclosure_load(actor, id, Permission::ReadPerson).await?;
        let limits = self.disclosure_limits(&full)?;
        let event = EventDraft::new(rules::stream(id), actor.label(), "disclosure.read", json!({}))
            .in_division(full.request.division.clone());
        self.store.record(&event, self.now()).await?;
        Ok(DisclosureView { full, limits, today: self.today() })
    }

    /// The request as a write by `actor` left it (the write's own event records the access).
    async fn disclosure_written(&self, id: i64) -> ServiceResult<DisclosureView> {
        let full = self.store.disclosure_request(id).await.map_err(conflict)?;
        let limits = self.disclosure_limits(&full)?;
        Ok(DisclosureView { full, limits, today: self.today() })
    }

    /// The requests in the reader's jurisdiction, unanswered first, with their periods today.
    pub async fn disclosure_list(
        &self,
        actor: &Actor,
        limit: Option<i64>,
        offset: Option<i64>,
    ) -> ServiceResult<Vec<DisclosureLine>> {
        let (limit, offset) = crate::page(limit, offset)?;
        let scope = actor.scope(Permission::ReadPerson);
        if scope.is_empty() {
            return Err(ServiceError::forbidden());
        }
        let store_scope = Scope(scope.iter().map(|c| c.to_string()).collect());
        let rows = self.store.disclosure_requests(&store_scope, limit, offset).await?;
        let calendar = self.calendar();
        let today = self.today();
        let mut lines = Vec::with_capacity(rows.len());
        for (request, answered_on) in rows {
            // The prefix filter is coarse: keep only what the tree puts in the reader's reach.
            let Ok(division) = DivisionCode::parse(&request.division) else { continue };
            if !actor.may(Permission::ReadPerson, &division, self.divisions()) {
                continue;
            }
            let full = self.store.disclosure_request(request.id).await?;
            let limits = timeline(&full)
                .limits(&calendar, today)
                .map_err(|e| ServiceError::new(ErrorKind::Invalid, e.code(), e.to_string()))?;
            lines.push(DisclosureLine { request, answered_on, limits });
        }
        Ok(lines)
    }

    /// Records a step (the correction notice, the corrected request, the extension, the
    /// consultation's start and end) at the revision the caller saw, if the domain allows it on
    /// the request's history today.
    pub async fn disclosure_step(
        &self,
        actor: &Actor,
        id: i64,
        expected_revision: i64,
        input: &StepInput,
    ) -> ServiceResult<DisclosureView> {
        let full = self.disclosure_load(actor, id, Permission::WritePerson).await?;
        let (step, note) = input.parse().map_err(ServiceError::invalid)?;
        if full.request.revision != expected_revision {
            return Err(conflict(StoreError::Conflict("disclosure_revision".into())));
        }
        timeline(&full).check(&step, &self.calendar(), self.today()).map_err(refused)?;
        let mut payload = json!({ "kind": step.kind(), "on": step.on().to_string(), "note": note });
        if let rules::Step::CorrectionNotice { until, .. } = &step {
            payload["until"] = json!(until.to_string());
        }
        if let rules::Step::Extension { workdays, .. } = &step {
            payload["workdays"] = json!(workdays);
        }
        let act = match &step {
            rules::Step::CorrectionNotice { .. } => "disclosure.correction_notice",
            rules::Step::Corrected { .. } => "disclosure.corrected",
            rules::Step::Extension { .. } => "disclosure.extension",
            rules::Step::ConsultationStart { .. } => "disclosure.consultation_start",
            rules::Step::ConsultationEnd { .. } => "disclosure.consultation_end",
        };
        let event =
            EventDraft::new(rules::stream(id), actor.label(), act, payload).in_division(full.request.division.clone());
        self.store
            .add_disclosure_step(id, expected_revision, &step, &note, actor.account_id, self.now(), &event)
            .await
            .map_err(conflict)?;
        self.disclosure_written(id).await
    }

    /// Records the answer (第三十六条 and the other closings) at the revision the caller saw.
    pub async fn disclosure_answer(
        &self,
        actor: &Actor,
        id: i64,
        expected_revision: i64,
        input: &AnswerInput,
    ) -> ServiceResult<DisclosureView> {
        let full = self.disclosure_load(actor, id, Permission::WritePerson).await?;
        let answer = NewAnswer::parse(input).map_err(ServiceError::invalid)?;
        if full.request.revision != expected_revision {
            return Err(conflict(StoreError::Conflict("disclosure_revision".into())));
        }
        timeline(&full)
            .check_answer(answer.answered_on, answer.kind, &self.calendar(), self.today())
            .map_err(refused)?;
        let row = AnswerRow {
            kind: answer.kind,
            withhold_reason: answer.withhold_reason,
            details: answer.details,
            answered_on: answer.answered_on,
            fee_charged: answer.fee_charged,
        };
        let event = EventDraft::new(
            rules::stream(id),
            actor.label(),
            "disclosure.answer",
            json!({
                "kind": row.kind.as_str(),
                "withhold_reason": row.withhold_reason.map(|r| r.as_str()),
                "answered_on": row.answered_on.to_string(),
                "fee_charged": row.fee_charged,
            }),
        )
        .in_division(full.request.division.clone());
        self.store
            .answer_disclosure(id, expected_revision, &row, actor.account_id, self.now(), &event)
            .await
            .map_err(conflict)?;
        self.disclosure_written(id).await
    }

    /// Records a 行政复议 or 行政诉讼 against an answered request, or the result of one already
    /// recorded (`remedy_id`), at the revision the caller saw.
    pub async fn disclosure_remedy(
        &self,
        actor: &Actor,
        id: i64,
        expected_revision: i64,
        remedy_id: Option<i64>,
        input: &RemedyInput,
    ) -> ServiceResult<DisclosureView> {
        let full = self.disclosure_load(actor, id, Permission::WritePerson).await?;
        let (remedy, note) = input.parse().map_err(ServiceError::invalid)?;
        if full.request.revision != expected_revision {
            return Err(conflict(StoreError::Conflict("disclosure_revision".into())));
        }
        let Some(answer) = &full.answer else {
            return Err(refused(FieldError::new("", "not_answered", "申请尚未答复，不能记录行政复议、行政诉讼")));
        };
        if remedy.filed_on < answer.answered_on || remedy.filed_on > self.today() {
            return Err(refused(FieldError::new("filed_on", "filed_on_range", "提起日期应在答复之日至今天之间")));
        }
        if let Some(rid) = remedy_id {
            match full.remedies.iter().find(|r| r.id == rid) {
                Some(existing) if existing.kind == remedy.kind && existing.filed_on == remedy.filed_on => {}
                Some(_) => {
                    return Err(refused(FieldError::new(
                        "kind",
                        "remedy_mismatch",
                        "更新结果时，类型和提起日期应与原记录一致",
                    )))
                }
                None => return Err(ServiceError::not_found("行政复议、行政诉讼记录")),
            }
        }
        let row = RemedyRow {
            id: remedy_id.unwrap_or(0),
            request_id: id,
            kind: remedy.kind,
            result: remedy.result,
            filed_on: remedy.filed_on,
            note,
        };
        let event = EventDraft::new(
            rules::stream(id),
            actor.label(),
            "disclosure.remedy",
            json!({
                "kind": row.kind.as_str(),
                "result": row.result.as_str(),
                "filed_on": row.filed_on.to_string(),
                "remedy_id": remedy_id,
            }),
        )
        .in_division(full.request.division.clone());
        self.store
            .put_disclosure_remedy(id, expected_revision, remedy_id, &row, actor.account_id, self.now(), &event)
            .await
            .map_err(conflict)?;
        self.disclosure_written(id).await
    }

    /// 第四十九条、第五十条: sections 三 and 四 of the annual report of `year`, over the reader's
    /// jurisdiction, computed from the records: the requests that are cases of the item and those
    /// received before in the area's own table, with the remedies against either.
    pub async fn disclosure_report(&self, actor: &Actor, year: i32) -> ServiceResult<ReportView> {
        if !(2008..=self.today().year()).contains(&year) {
            return Err(refused(FieldError::new(
                "year",
                "invalid_year",
                format!("年度应在2008年至{}年之间", self.today().year()),
            )));
        }
        let scope = actor.scope(Permission::ReadServiceStats);
        if scope.is_empty() {
            return Err(ServiceError::forbidden());
        }
        let last_day = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let store_scope = Scope(scope.iter().map(|c| c.to_string()).collect());
        let rows = self.store.disclosure_report_rows(&store_scope, last_day).await?;
        let remedies = self.store.disclosure_report_remedies(&store_scope).await?;
        // The store's prefix filter is coarse; the report covers exactly the reader's reach.
        let within = |division: &str| {
            DivisionCode::parse(division).is_ok_and(|d| actor.may(Permission::ReadServiceStats, &d, self.divisions()))
        };
        let mut records: Vec<RequestRecord> = rows
            .into_iter()
            .filter(|r| within(&r.division))
            .map(|r| RequestRecord { applicant_kind: r.applicant_kind, received_on: r.received_on, answer: r.answer })
            .collect();
        // The requests that are cases of the item, beside those received before.
        for row in self.store.disclosure_case_rows(&store_scope, cases::ITEM_SLUG).await? {
            if !within(&row.division) {
                continue;
            }
            let stored = crate::case_json::from_json(&row.state)
                .map_err(|e| ServiceError::internal(format!("case {}: {e}", row.case_id)))?;
            let record = cases::record_of(&stored.case, &stored.facts, row.answer.as_ref());
            if record.received_on <= last_day {
                records.push(record);
            }
        }
        let mut remedies: Vec<rules::Remedy> = remedies
            .into_iter()
            .filter(|(division, _)| within(division))
            .map(|(_, r)| rules::Remedy { kind: r.kind, result: r.result, filed_on: r.filed_on })
            .collect();
        remedies.extend(
            self.store
                .disclosure_case_remedies(&store_scope)
                .await?
                .into_iter()
                .filter(|(division, _)| within(division))
                .map(|(_, r)| rules::Remedy { kind: r.kind, result: r.result, filed_on: r.filed_on }),
        );
        Ok(ReportView {
            report: AnnualReport::compute(year, &records, &remedies),
            divisions: scope.iter().map(|c| c.to_string()).collect(),
        })
    }
}
