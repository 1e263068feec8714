//! Generated workloads for benchmarks (`minzheng bench stats`): a case driven through the one
//! engine in memory at chosen instants — the same `apply`, derived columns, state JSON and
//! events as `submit_case` and `act_on_case` — handed to the store's bulk path
//! (`Store::insert_generated_cases`), which numbers it and seals its record.

use chrono::{DateTime, Datelike, Utc};
use domain::access::Actor;
use domain::calendar::shanghai_date;
use domain::engine::action::Action;
use domain::engine::apply::{apply, Transition};
use domain::engine::context::{ActorAt, EngineContext};
use domain::engine::jurisdiction::competent_division;
use serde_json::Value;
use store::generated::GeneratedCase;

use crate::case_json::{self, Stored};
use crate::cases::{columns, drafts, refusal_error};
use crate::open_case::{prepare_open, OpenApplicant, OpenCase, OpenChannel, Opener, Party};
use crate::{App, ServiceError, ServiceResult};

/// One case to generate: what the window clerk entered, and the acts after it.
pub struct Plan<'a> {
    pub item: &'a str,
    pub accepting_division: &'a str,
    pub situation: Option<&'a str>,
    pub materials: &'a [&'a str],
    /// The form (`premises_division`, `hukou_division`…), as `SubmitCase.data`.
    pub data: &'a Value,
    /// The applicant on file: id, name, masked ID number (the snapshot a submission keeps).
    pub applicant: (i64, &'a str, &'a str),
    /// The window clerk who submits, and when.
    pub submitted: (&'a Actor, DateTime<Utc>),
    /// The acts after submission, each by an account at an instant.
    pub acts: Vec<(&'a Actor, Action, DateTime<Utc>)>,
}

impl App {
    /// Drives `plan` through the engine in memory; a refusal of any act is an error (the plan
    /// is wrong, nothing is written).
    pub async fn generate_case(&self, plan: &Plan<'_>) -> ServiceResult<GeneratedCase> {
        let (clerk, submitted_at) = plan.submitted;
        let today = shanghai_date(submitted_at);
        let item = self
            .catalog
            .in_force(plan.item, today)
            .ok_or_else(|| ServiceError::internal(format!("no item {} in force on {today}", plan.item)))?;
        let divisions = self.divisions();
        let accepting = self.division("accepting_division", plan.accepting_division)?;
        let field = |name: &str| plan.data.get(name).and_then(Value::as_str);
        let hukou = field("hukou_division").map(|code| self.division("data.hukou_division", code)).transpose()?;
        let premises =
            field("premises_division").map(|code| self.division("data.premises_division", code)).transpose()?;
        let competent = competent_division(item, &accepting, hukou.as_ref(), "", premises.as_ref(), divisions)
            .map_err(refusal_error)?;
        let (applicant, name, id_masked) = plan.applicant;
        let open = OpenCase {
            item,
            channel: OpenChannel::Window,
            applicant: OpenApplicant::OnFile {
                party: Party::Person(applicant),
                snapshot: Some((name.to_string(), id_masked.to_string())),
                on_file: None,
            },
            situation: plan.situation.map(str::to_string),
            materials: plan.materials.iter().map(|m| m.to_string()).collect(),
            accepting: accepting.clone(),
            competent: competent.clone(),
            facts: crate::guards::kept_form(plan.data),
            declared: domain::form::Facts::default(),
            receipt: None,
            opened_by: Opener::Account(clerk),
            key: None,
            binding: None,
        };
        let calendar = self.calendar();
        let delegations = self.delegations(item).await?;
        let ctx = EngineContext { delegations: &delegations, ..EngineContext::new(divisions, &calendar) };
        let submitted =
            prepare_open(&open, ActorAt::account(clerk, None), applicant, submitted_at, &ctx).map_err(refusal_error)?;
        let mut case = submitted.case.clone();
        let mut steps: Vec<(Transition, String, DateTime<Utc>)> = vec![(submitted, clerk.label(), submitted_at)];
        let mut last_at = submitted_at;
        for (actor, action, at) in &plan.acts {
            let transition =
                apply(item, &case, action, &ActorAt::account(actor, None), *at, &ctx).map_err(refusal_error)?;
            case = transition.case.clone();
            steps.push((transition, actor.label(), *at));
            last_at = *at;
        }
        let columns = columns(item, &case, applicant, &calendar, last_at);
        let stored = Stored {
            case,
            submitted_by: Some(clerk.account_id),
            applicant_snapshot: Some((name.to_string(), id_masked.to_string())),
            applicant_on_file: None,
            applicant_organization: None,
            form: open.facts,
            facts: open.declared,
            decided: Default::default(),
        };
        let revision = stored.case.revision as i64;
        let competent = competent.to_string();
        Ok(GeneratedCase {
            columns,
            number_division: accepting.to_string(),
            number_year: today.year(),
            revision,
            updated_at: last_at,
            build: Box::new(move |id, number| {
                let mut stored = stored.clone();
                stored.case.id = id;
                stored.case.number = number.to_string();
                let events = steps
                    .iter()
                    .flat_map(|(transition, label, at)| {
                        drafts(transition, id, number, label, &competent).into_iter().map(move |d| (d, *at))
                    })
                    .collect();
                (case_json::to_json(&stored), events)
            }),
        })
    }
}
