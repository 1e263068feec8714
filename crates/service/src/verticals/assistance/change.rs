//! Changes outside the periodic cycle (社会救助暂行办法第十三条: the county increases, reduces or
//! stops payment; a stop needs written reasons — 社会救助暂行办法; 民发〔2021〕57号): on a reported change an officer
//! opens a re-check of the household's paying 低保 decision at any time, with the reason written.
//! The case then runs the item's procedure as a periodic re-check does, and its decision adjusts
//! or stops payment (`assistance::recheck_change`, with the 渐退期 when income rose above the line).

use domain::access::{Actor, Permission};
use domain::assistance::Program;
use domain::problem::FieldError;
use serde_json::json;

use crate::assistance::ReviewOpener;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The re-check case opened on a reported change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChangeReview {
    pub case_id: i64,
    pub number: String,
    pub reviewed_case_id: i64,
}

impl App {
    /// Opens the re-check of the 低保 decision of case `reviewed` on a reported change, with the
    /// written reason (`change:<case>:<date>`: one per decision and day). The decision must be the
    /// household's newest and still paying; the caller must keep person records at the case's office.
    pub async fn open_change_review(&self, actor: &Actor, reviewed: i64, reason: &str) -> ServiceResult<ChangeReview> {
        self.change_review_write(actor, reviewed, None, None, reason).await
    }

    /// [`App::open_change_review`] as a client sends it: at the revision of the reviewed case it
    /// saw, with an optional idempotency key (the contract of acts, [`App::case_write`]).
    pub async fn open_change_review_keyed(
        &self,
        actor: &Actor,
        reviewed: i64,
        expected_revision: i64,
        key: Option<&str>,
        reason: &str,
    ) -> ServiceResult<ChangeReview> {
        self.change_review_write(actor, reviewed, Some(expected_revision), key, reason).await
    }

    async fn change_review_write(
        &self,
        actor: &Actor,
        reviewed: i64,
        expected_revision: Option<i64>,
        key: Option<&str>,
        reason: &str,
    ) -> ServiceResult<ChangeReview> {
        let request = ("assistance_change", reason.trim().to_string());
        self.case_write(actor, reviewed, expected_revision, key, request, |w| self.open_change_on(actor, w, reason))
            .await
    }

    async fn open_change_on(
        &self,
        actor: &Actor,
        w: crate::idempotency::CaseWrite<'_>,
        reason: &str,
    ) -> ServiceResult<ChangeReview> {
        let case = &w.stored.case;
        let reviewed = case.id;
        self.authorize(actor, Permission::WritePerson, &case.competent)
            .or_else(|_| self.authorize(actor, Permission::WritePerson, &case.accepting))?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ServiceError::invalid(vec![FieldError::new(
                "reason",
                "reason_required",
                "请写明发起调整核查的原因（如家庭人口、收入或财产发生变化的情况）",
            )]));
        }
        if reason.chars().count() > 500 {
            return Err(ServiceError::invalid(vec![FieldError::new("reason", "reason_too_long", "原因不能超过500字")]));
        }
        let paying = self
            .store
            .assistance_decision(reviewed)
            .await?
            .filter(|d| d.program == Program::MinimumLiving.as_str() && d.granted && d.amount_fen > 0);
        let Some(decision) = paying else {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "not_paying",
                "本件没有正在发放的最低生活保障决定，不能发起调整核查",
            ));
        };
        let rows = self.store.paying_decisions_of_program(Program::MinimumLiving.as_str()).await?;
        let newest = rows
            .iter()
            .filter(|d| d.household_id == decision.household_id)
            .max_by(|a, b| (&a.decided_on, a.id).cmp(&(&b.decided_on, b.id)));
        if let Some(newer) = newest.filter(|n| n.id != decision.id) {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "decision_superseded",
                format!("该家庭已有更新的救助决定（办件 {}），请对该决定发起调整核查", newer.case_id),
            ));
        }
        if let Some(open) = self.open_review_of(decision.household_id, reviewed).await? {
            return Err(ServiceError::new(
                ErrorKind::Conflict,
                "review_in_progress",
                format!("该决定已有正在办理的核查（办件 {open}），请在该件中核实变化情况"),
            ));
        }
        let now = self.now();
        let opener = ReviewOpener {
            label: actor.label(),
            account: Some(actor.account_id),
            key: format!("change:{reviewed}:{}", self.today()),
            event: json!({"opened": "reported_change", "change_reason": reason}),
            reason: Some(reason.to_string()),
        };
        let (id, created) = self.open_recheck(reviewed, &opener, now).await?;
        if !created {
            return Err(ServiceError::new(
                ErrorKind::Conflict,
                "change_review_exists",
                format!("今天已就该决定发起过调整核查（办件 {id}）"),
            ));
        }
        let (_, opened, _) = self.load_case(id).await?;
        let review = ChangeReview { case_id: id, number: opened.case.number, reviewed_case_id: reviewed };
        // The reviewed case changed too (a review of it is open): its revision moves on and the
        // key is recorded, after the re-check case is made (its own transaction). Should this
        // step be lost, a retry is refused `change_review_exists` naming the case: never twice.
        let answer = serde_json::to_string(&review).map_err(ServiceError::internal)?;
        self.store
            .touch(&w.touch(&answer), now)
            .await
            .map_err(|e| crate::idempotency::touch_error(&e).unwrap_or_else(|| e.into()))?;
        Ok(review)
    }
}
