//! 提标: when a new rule version raises the standard for a division, the county re-checks every
//! paying decision of its jurisdiction under it, reviews the list and confirms the adjustment of
//! each household as one act (社会救助暂行办法第十三条: 县级民政部门 决定增发), each with its trace
//! line; the payment roll pays the new amount from the month of the raise
//! (`domain::assistance::raise`).
//!
//! Each line is the decision's own application evaluated again by the decide act's evaluation
//! (`App::evaluate_application`) on the day the new version takes effect: the same household
//! facts and income window as decided, the new standard. A line the new evaluation finds
//! ineligible, or not higher, is shown with its reasons and left to an individual re-check
//! (`assistance_change`); it cannot be confirmed in the batch. The decision adjusted is kept as it
//! was; the adjustment is its own record (`assistance_raise_adjustments`) with the event
//! `assistance.standard_raise` on the case's record.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::access::{Actor, Permission};
use domain::assistance::raise::{raise_from, raise_line, raised_by};
use domain::assistance::{format_yuan, Award, Program, RuleSet, RuleVersion, YearMonth};
use domain::audit::EventDraft;
use domain::division::DivisionCode;
use domain::problem::FieldError;
use serde_json::json;
use store::assistance::DecisionRow;
use store::assistance_raise::RaiseRow;

use crate::assistance::award_of;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// One paying decision under the raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaiseLineView {
    pub case_id: i64,
    pub decision_id: i64,
    pub household_id: i64,
    pub program: String,
    pub program_name: String,
    pub payee: i64,
    pub name: String,
    pub before_fen: i64,
    pub before_yuan: String,
    /// The amount under the new version (0 when the new evaluation finds the household ineligible).
    pub amount_fen: i64,
    pub amount_yuan: String,
    /// YYYY-MM: the month the new amount is paid from.
    pub from_month: String,
    /// The evaluation under the new version, ending with the adjustment's line.
    pub trace: Vec<String>,
    /// Why the line cannot be confirmed in the batch (empty when it can, or is confirmed).
    pub reasons: Vec<String>,
    pub confirmable: bool,
    /// Confirmed: by whom (record label) and on which day.
    pub confirmed_on: Option<String>,
}

/// The batch of a raise for a county.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaiseBatchView {
    pub county: String,
    pub county_name: String,
    pub rule_version: String,
    pub rule_document: String,
    pub effective_from: String,
    pub lines: Vec<RaiseLineView>,
}

fn problem(field: &str, code: &'static str, message: &str) -> ServiceError {
    ServiceError::invalid(vec![FieldError::new(field, code, message)])
}

impl App {
    fn raise_inputs(
        &self,
        actor: &Actor,
        county: &str,
        rule_version: &str,
    ) -> ServiceResult<(DivisionCode, &'static RuleVersion)> {
        let mut p = Vec::new();
        let code = DivisionCode::parse(county.trim())
            .ok()
            .filter(|c| self.divisions().get(c).is_some_and(|d| d.level == domain::division::Level::County));
        if code.is_none() {
            p.push(FieldError::new("county", "invalid_county", "请填写县级行政区划代码（6位，如 511702）"));
        }
        let rule = RuleSet::builtin().get(rule_version.trim());
        if rule.is_none() {
            p.push(FieldError::new("rule_version", "unknown_rule_version", "没有这个救助标准版本"));
        }
        let (Some(code), Some(rule)) = (code, rule) else { return Err(ServiceError::invalid(p)) };
        self.authorize(actor, Permission::AdjustAssistance, &code)?;
        Ok((code, rule))
    }

    /// The paying decisions of `county` the raise adjusts, each evaluated under it, with the
    /// adjustments already confirmed.
    async fn raise_lines(&self, county: &DivisionCode, rule: &RuleVersion) -> ServiceResult<Vec<RaiseLineView>> {
        let rows = self.store.granted_decisions_of_county(county.as_str()).await?;
        let confirmed: Vec<RaiseRow> = self
            .store
            .raise_adjustments_of_county(county.as_str())
            .await?
            .into_iter()
            .filter(|r| r.rule_version == rule.id)
            .collect();
        let raise_month = YearMonth::of(rule.effective_from);
        // Per program and payee the newest decision (a later re-check replaces the older award).
        let mut newest: BTreeMap<(Program, i64), (&DecisionRow, Award)> = BTreeMap::new();
        for d in &rows {
            let Some(a) = award_of(d) else { continue };
            let slot = newest.entry((a.program, a.payee)).or_insert((d, a.clone()));
            if (a.decided_on, a.decision_id) > (slot.1.decided_on, slot.1.decision_id) {
                *slot = (d, a);
            }
        }
        let mut lines = Vec::new();
        for (d, a) in newest.into_values() {
            let paying = a.amount_fen > 0 && a.last.is_none_or(|l| l >= raise_month);
            let applied = RuleSet::builtin().get(&d.rule_version);
            if !paying || a.program == Program::Temporary || !applied.is_some_and(|v| raised_by(rule, v)) {
                continue;
            }
            let (_, stored, _) = self.load_case(d.case_id).await?;
            let Some(application) = self.store.application(d.case_id).await? else { continue };
            let from = raise_from(rule, a.first);
            let evaluated = self.evaluate_application(&stored.case, &application, rule.effective_from).await;
            let (amount, mut trace, mut reasons) = match evaluated {
                Ok((_, e)) if e.rule_version != rule.id => continue, // another version governs this place
                Ok((_, e)) if e.eligible => (e.amount_fen, e.trace, Vec::new()),
                Ok((_, e)) => (0, e.trace, e.reasons),
                Err(err) => (0, Vec::new(), vec![err.message]),
            };
            // The evaluation's own "自…起发放" line is the decide act's; the adjustment names its month.
            trace.retain(|l| !l.starts_with("自 "));
            trace.push(raise_line(rule, a.amount_fen, amount, from));
            if reasons.is_empty() && amount <= a.amount_fen {
                reasons.push(format!(
                    "按新标准核算的金额（{} 元）不高于原金额（{} 元）：家庭情况可能已有变化，请发起调整核查",
                    format_yuan(amount),
                    format_yuan(a.amount_fen)
                ));
            }
            let done = confirmed.iter().find(|r| r.decision_id == d.id);
            let name = self.store.person_summary(a.payee).await.map(|p| p.name).unwrap_or_default();
            lines.push(RaiseLineView {
                case_id: d.case_id,
                decision_id: d.id,
                household_id: d.household_id,
                program: a.program.as_str().to_string(),
                program_name: a.program.name_zh().to_string(),
                payee: a.payee,
                name,
                before_fen: a.amount_fen,
                before_yuan: format_yuan(a.amount_fen),
                amount_fen: done.map_or(amount, |r| r.amount_fen),
                amount_yuan: format_yuan(done.map_or(amount, |r| r.amount_fen)),
                from_month: from.to_string(),
                trace: done.and_then(|r| serde_json::from_str(&r.trace).ok()).unwrap_or(trace),
                confirmable: done.is_none() && reasons.is_empty(),
                reasons: if done.is_some() { Vec::new() } else { reasons },
                confirmed_on: done.map(|r| r.confirmed_on.clone()),
            });
        }
        lines.sort_by_key(|l| (l.program.clone(), l.household_id, l.payee));
        Ok(lines)
    }

    /// The batch of the raise `rule_version` for `county`: every paying decision decided under an
    /// earlier version, its amount under the new one from the month of the raise, and which are
    /// confirmed. For the county's decider (`AdjustAssistance`); records nothing.
    pub async fn standard_raise(
        &self,
        actor: &Actor,
        county: &str,
        rule_version: &str,
    ) -> ServiceResult<RaiseBatchView> {
        let (code, rule) = self.raise_inputs(actor, county, rule_version)?;
        let lines = self.raise_lines(&code, rule).await?;
        Ok(RaiseBatchView {
            county_name: self.divisions().full_name(&code).unwrap_or_else(|| code.to_string()),
            county: code.to_string(),
            rule_version: rule.id.clone(),
            rule_document: rule.document.clone(),
            effective_from: rule.effective_from.to_string(),
            lines,
        })
    }

    /// Confirms the adjustment of the decision of case `case_id` under the raise, as one act: the
    /// amount the decider reviewed (`amount_fen`) must still be what the evaluation gives (else
    /// 409 `raise_changed` with the new figure); once per decision and version (409
    /// `raise_already_confirmed`). Writes the adjustment and `assistance.standard_raise` together.
    pub async fn confirm_standard_raise(
        &self,
        actor: &Actor,
        county: &str,
        rule_version: &str,
        case_id: i64,
        amount_fen: i64,
    ) -> ServiceResult<RaiseLineView> {
        let (code, rule) = self.raise_inputs(actor, county, rule_version)?;
        let lines = self.raise_lines(&code, rule).await?;
        let Some(line) = lines.into_iter().find(|l| l.case_id == case_id) else {
            return Err(problem("case_id", "not_in_raise", "本件没有须按此次提标调整的发放中决定"));
        };
        if line.confirmed_on.is_some() {
            return Err(ServiceError::new(ErrorKind::Conflict, "raise_already_confirmed", "本件已按此次提标确认调整"));
        }
        if !line.confirmable {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "raise_needs_review",
                format!("本件不能在批量中确认：{}", line.reasons.join("；")),
            ));
        }
        if line.amount_fen != amount_fen {
            return Err(ServiceError::new(
                ErrorKind::Conflict,
                "raise_changed",
                format!(
                    "核算结果已变化：按新标准为每月 {} 元（审核时为 {} 元），请重新审核",
                    line.amount_yuan,
                    format_yuan(amount_fen)
                ),
            ));
        }
        let decision =
            self.store.assistance_decision(case_id).await?.ok_or_else(|| ServiceError::internal("raise: decision"))?;
        let (_, stored, _) = self.load_case(case_id).await?;
        let today: NaiveDate = self.today();
        let row = RaiseRow {
            id: 0,
            rule_version: rule.id.clone(),
            decision_id: line.decision_id,
            case_id,
            household_id: line.household_id,
            program: line.program.clone(),
            county: code.to_string(),
            payee: line.payee,
            covered: decision.covered.clone(),
            before_fen: line.before_fen,
            amount_fen: line.amount_fen,
            first_month: line.from_month.clone(),
            last_month: decision.last_month.clone(),
            trace: json!(line.trace).to_string(),
            confirmed_by: actor.label(),
            confirmed_on: today.to_string(),
        };
        let event = EventDraft::new(
            format!("case:{case_id}"),
            actor.label(),
            "assistance.standard_raise",
            json!({"rule_version": rule.id, "decision_id": line.decision_id, "before_fen": line.before_fen,
                   "amount_fen": line.amount_fen, "first_month": line.from_month,
                   "trace_line": line.trace.last()}),
        )
        .in_division(stored.case.competent.as_str());
        self.store.commit_raise_adjustment(&row, &event, self.now()).await.map_err(|e| match e {
            store::StoreError::Conflict(_) => {
                ServiceError::new(ErrorKind::Conflict, "raise_already_confirmed", "本件已按此次提标确认调整")
            }
            other => other.into(),
        })?;
        Ok(RaiseLineView { confirmable: false, confirmed_on: Some(today.to_string()), ..line })
    }

    /// The monthly amount decision `d` pays now: the newest 提标 adjustment confirmed for it, else
    /// its own (a re-check compares its new amount with this, 社会救助暂行办法第十三条).
    pub(crate) async fn paid_amount(&self, d: &DecisionRow) -> ServiceResult<i64> {
        let rows = self.store.raise_adjustments_of_county(&d.county).await?;
        Ok(rows.iter().filter(|r| r.decision_id == d.id).max_by_key(|r| r.id).map_or(d.amount_fen, |r| r.amount_fen))
    }

    /// The confirmed adjustments of a county as awards for the roll: the new amount from the
    /// raise month, decided on the day of confirmation (newer than the decision it adjusts, older
    /// than a later re-check's decision).
    pub(crate) async fn raise_awards(&self, county: &str) -> ServiceResult<Vec<Award>> {
        let rows = self.store.raise_adjustments_of_county(county).await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(Award {
                    decision_id: r.decision_id,
                    case_id: r.case_id,
                    program: Program::parse(&r.program)?,
                    household_id: r.household_id,
                    payee: r.payee,
                    covered: serde_json::from_str(&r.covered).ok()?,
                    amount_fen: r.amount_fen,
                    first: YearMonth::parse(&r.first_month)?,
                    last: r.last_month.as_deref().and_then(YearMonth::parse),
                    decided_on: NaiveDate::parse_from_str(&r.confirmed_on, "%Y-%m-%d").ok()?,
                })
            })
            .collect())
    }
}
