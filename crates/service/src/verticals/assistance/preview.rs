//! The evaluation shown before the decision (核算预览): at the township's 初审 and at every
//! review step the officer sees what the decision would compute today — the rule version and its
//! document, the standard, the income window and the months of it with nothing on record, the
//! amount and the trace — from the same `domain::assistance::evaluate` the decide act runs
//! (`App::evaluate_application`). Nothing is decided or stored; reading the household's members
//! is recorded as a `person.read` of each member the evaluation covers (purpose
//! `assistance_preview`), as every view of a person's data is.

use domain::access::{Actor, Permission};
use domain::assistance::{format_yuan, Decision, Program, RuleSet};
use domain::audit::EventDraft;
use serde_json::{json, Value};

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The preview of a case's decision as it would be computed on `evaluated_on`.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewView {
    pub case_id: i64,
    pub program: String,
    pub program_name: String,
    /// The date the evaluation assumes for the decision (today).
    pub evaluated_on: String,
    pub eligible: bool,
    /// Per month (once for 临时救助), if decided today; 0 when not eligible.
    pub amount_fen: i64,
    pub amount_yuan: String,
    pub first_month: Option<String>,
    pub last_month: Option<String>,
    pub rule_version: String,
    pub rule_document: String,
    pub rule_effective_from: String,
    /// 低保 / 特困: the 低保 standard applied (urban or rural), yuan per person per month.
    pub standard_yuan: Option<String>,
    /// 低保: the rule's income window (first, last month, YYYY-MM) and its length.
    pub income_window: Option<(String, String)>,
    pub income_months: Option<u32>,
    /// 低保: the months of the window without any income on record (a grant is refused until
    /// they are entered, 0 for a month without income).
    pub missing_months: Vec<String>,
    pub trace: Vec<String>,
    pub reasons: Vec<String>,
}

/// Refuses a grant whose 低保 income window has months with nothing on record: the per-capita
/// income is the average over the rule's whole period (社会救助暂行办法第九条; 《最低生活保障审核
/// 确认办法》: 家庭收入 is the income "在规定期限内"), and a month not on record is not known to
/// be a month without income — counting it as 0 would lower the per-capita income and raise the
/// amount (3 of 6 months entered halves it). A platform choice, stated: the grant waits for the
/// missing months (entered as 0 where there was no income); a refusal is not held up.
pub(crate) fn check_income_complete(decision: &Decision) -> ServiceResult<()> {
    let Some(missing) = missing_income_text(decision) else {
        return Ok(());
    };
    Err(ServiceError::new(
        ErrorKind::Invalid,
        "income_months_missing",
        format!("{missing}，不能按不完整的收入核算批准：请在家庭信息中补充这些月份的收入（无收入的填0）"),
    )
    .with_basis(Some(decision.trace.join("\n"))))
}

/// "收入计算期内 3 个月没有登记收入（2021年1月、…）" when the evaluation's income window has months
/// with nothing on record.
pub(crate) fn missing_income_text(decision: &Decision) -> Option<String> {
    let missing: Vec<String> = decision
        .inputs
        .get("income_months_missing")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    if missing.is_empty() {
        return None;
    }
    let names: Vec<String> =
        missing.iter().filter_map(|m| domain::assistance::YearMonth::parse(m)).map(|m| m.label_zh()).collect();
    Some(format!("收入计算期内 {} 个月没有登记收入（{}）", missing.len(), names.join("、")))
}

impl App {
    /// The preview of the decision of case `case_id` (an assistance item with its application
    /// registered and no decision yet), evaluated as if decided today. For whoever sees the case
    /// and may read the household's person records (the officer at 初审, the reviewers, the
    /// decider). Records a `person.read` per member covered; decides nothing.
    pub async fn assistance_preview(&self, actor: &Actor, case_id: i64) -> ServiceResult<PreviewView> {
        let view = self.case(actor, case_id).await?;
        let case = &view.case;
        let application = self.store.application(case_id).await?.ok_or_else(|| {
            ServiceError::new(
                ErrorKind::Invalid,
                "assistance_application_missing",
                "本件尚未登记救助申请信息（家庭、救助项目），无法核算",
            )
        })?;
        if self.store.assistance_decision(case_id).await?.is_some() {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "already_decided",
                "本件已作出救助决定，请查看决定及其计算过程",
            ));
        }
        let today = self.today();
        let (household, mut decision) = self.evaluate_application(case, &application, today).await?;
        self.authorize(actor, Permission::ReadPerson, &household.division)?;
        let facts: Value = serde_json::from_str(&application.facts).map_err(ServiceError::internal)?;
        if let Some(reviewed) = facts.get("recheck_of").and_then(Value::as_i64) {
            if let Some(mut before) = self.store.assistance_decision(reviewed).await? {
                before.amount_fen = self.paid_amount(&before).await?;
                let eligible = decision.eligible;
                crate::assistance::recheck_change(&mut decision, &before, eligible, "", today);
            }
        }
        let rule = RuleSet::builtin().get(&decision.rule_version);
        let standard = match decision.program {
            Program::MinimumLiving | Program::ExtremePoverty => {
                rule.map(|r| if household.urban { r.minimum_living.urban_fen } else { r.minimum_living.rural_fen })
            }
            _ => None,
        };
        let window = decision
            .inputs
            .get("income_window")
            .and_then(Value::as_array)
            .and_then(|w| Some((w.first()?.as_str()?.to_string(), w.get(1)?.as_str()?.to_string())));
        let missing = decision
            .inputs
            .get("income_months_missing")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        let mut shown = decision.covered.clone();
        if !shown.contains(&decision.payee) {
            shown.push(decision.payee);
        }
        for person in shown {
            let Ok(summary) = self.store.person_summary(person).await else { continue };
            let event = EventDraft::new(
                format!("person:{person}"),
                actor.label(),
                "person.read",
                json!({"purpose": "assistance_preview", "case_id": case_id}),
            )
            .in_division(summary.division.as_str());
            self.store.record(&event, self.now()).await?;
        }
        Ok(PreviewView {
            case_id,
            program: decision.program.as_str().to_string(),
            program_name: decision.program.name_zh().to_string(),
            evaluated_on: today.to_string(),
            eligible: decision.eligible,
            amount_fen: if decision.eligible { decision.amount_fen } else { 0 },
            amount_yuan: format_yuan(if decision.eligible { decision.amount_fen } else { 0 }),
            first_month: decision.first_month.map(|m| m.to_string()),
            last_month: decision.last_month.map(|m| m.to_string()),
            rule_document: rule.map(|r| r.document.clone()).unwrap_or_default(),
            rule_effective_from: rule.map(|r| r.effective_from.to_string()).unwrap_or_default(),
            rule_version: decision.rule_version,
            standard_yuan: standard.map(format_yuan),
            income_months: window.as_ref().and_then(|_| rule.map(|r| r.minimum_living.income_months)),
            income_window: window,
            missing_months: missing,
            trace: decision.trace,
            reasons: decision.reasons,
        })
    }
}
