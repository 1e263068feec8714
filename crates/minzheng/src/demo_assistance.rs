//! The assistance part of `serve --demo`: the 2021 delegation pilot (下放 of the confirmation power
//! for 低保, 特困 and small 临时救助 to 46 Dazhou townships), loaded through the same use case as
//! `minzheng delegation add`. Data: crates/domain/data/assistance_delegations_2021.toml.

use domain::access::Actor;
use domain::assistance::pilot::DelegationPilot;
use service::assistance::{ApplicationInput, HouseholdInput, HouseholdVersionInput, MemberInput};
use service::delegations::DelegationInput;
use service::App;

/// Records the pilot's delegations; returns how many rows (one per step and township).
pub async fn load(app: &App) -> anyhow::Result<usize> {
    let pilot = DelegationPilot::dazhou_2021().map_err(|e| anyhow::anyhow!(e))?;
    let divisions: Vec<String> = pilot.townships.iter().map(|t| t.to_string()).collect();
    let mut rows = 0;
    for (item, step) in &pilot.steps {
        let input = DelegationInput {
            item: item.clone(),
            step: step.clone(),
            to_level: "township".into(),
            divisions: divisions.clone(),
            from: pilot.from.to_string(),
            document: pilot.document.clone(),
        };
        rows +=
            app.grant_delegation(None, &input).await.map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))?.len();
    }
    Ok(rows)
}

/// The household facts a 残疾人两项补贴 decision is made on (the engine refuses to decide without
/// them): the applicant alone, holding a grade-1 physical disability certificate, recorded at the
/// 户籍地 by its township officer and bound to the case as a 重度残疾人护理补贴 application.
pub async fn register_subsidy_facts(app: &App, officer: &Actor, case_id: i64, township: &str) -> anyhow::Result<()> {
    let case = app.case(officer, case_id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let applicant = case.case.applicant;
    let household = HouseholdInput {
        division: township.to_string(),
        urban: true,
        version: HouseholdVersionInput {
            valid_from: "2021-01-01".into(),
            members: vec![MemberInput {
                person_id: applicant,
                relationship: "applicant".into(),
                disability_category: Some("physical".into()),
                disability_grade: Some(1),
                ..Default::default()
            }],
            ..Default::default()
        },
    };
    let household = app.create_household(officer, &household).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let application = ApplicationInput {
        household_id: household.id,
        program: "disability_care".into(),
        beneficiary: Some(applicant),
        ..Default::default()
    };
    app.register_assistance_application(officer, case_id, &application).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(())
}
