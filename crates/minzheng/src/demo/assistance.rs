//! The assistance part of `serve --demo`: the 2021 delegation pilot (下放 of the confirmation power
//! for 低保, 特困 and small 临时救助 to 46 Dazhou townships), loaded through the same use case as
//! `minzheng delegation add`. Data: crates/domain/data/assistance_delegations_2021.toml.

use super::{FAR_CLERK, FAR_OFFICER, FAR_TOWNSHIP};
use domain::access::Actor;
use domain::assistance::pilot::DelegationPilot;
use domain::assistance::Program;
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

/// A case the demo opened online: a 残疾人两项补贴 application gets its household facts
/// ([`register_subsidy_facts`]); any other case, nothing.
pub async fn opened(app: &App, officer: &Actor, case: &service::cases::CaseView, township: &str) -> anyhow::Result<()> {
    if Program::for_item(&case.case.item_slug).contains(&Program::DisabilityCare) {
        register_subsidy_facts(app, officer, case.case.id, township).await?;
    }
    Ok(())
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

/// The 通川区 township the demo's social-assistance households live in, and its county.
const COUNTY: &str = "511702";

/// One demo application: who, what, and how the confirmation goes.
struct Planned {
    case_id: i64,
    grant: bool,
}

/// The demo's social assistance through the engine: from the first working day the 低保 item is in
/// force (2021-07-01), households of a 通川区 township apply for 低保 (and one elderly person living
/// alone for 特困, one family in sudden hardship for 临时救助); the township accepts, investigates
/// and reviews, the 公示 runs out on the sweep, and the county (or the township under the pilot's
/// delegation) confirms — so the payment roll of 通川区 has real 低保 rows from August.
#[derive(Default)]
pub struct Year {
    started: bool,
    open: Vec<Planned>,
    cross_started: bool,
    cross: Vec<Cross>,
}

/// The day the demo's 跨省通办 subsidy applications are made at the 重庆 window: after the two
/// subsidies' 跨省通办 began (2021-04-22, 国办发〔2020〕35号 附件清单) and before the year's end.
const CROSS_FROM: (i32, u32, u32) = (2021, 9, 1);

/// How each of the three applications received from 重庆 goes at the 户籍地 (the Dazhou report:
/// 3 received, 1 completed, 2 returned with reasons): None is decided, Some(reasons) returned.
const CROSS_PLANS: [Option<&str>; 3] = [
    None,
    Some("经核查，申请人已于2020年将户籍迁出本县，不属本县审核范围，请告知申请人向现户籍地申请"),
    Some("申请人已在本县按月领取重度残疾人护理补贴，不符合重复申请的政策规定"),
];

/// One 跨省通办 application on its way.
struct Cross {
    planned: super::Planned,
    returned_with: Option<&'static str>,
    received: bool,
}

/// (applicant's monthly income in yuan, members, confirmed?) of the 低保 households: below the
/// standard, one at it (refused: equal is not below, 社会救助暂行办法第九条).
const MINIMUM_LIVING: [(u32, u32, bool); 6] =
    [(400, 2, true), (700, 3, true), (0, 1, true), (900, 2, true), (1100, 3, true), (1300, 2, false)];

async fn actor(app: &App, username: &str) -> anyhow::Result<Actor> {
    let account = app.account_by_username(username).await?;
    Ok(Actor { account_id: account.id, username: account.username, grants: account.grants })
}

fn err(e: service::ServiceError) -> anyhow::Error {
    anyhow::anyhow!("{}: {}", e.code, e.message)
}

impl Year {
    /// The demo's assistance work of one day (`day`: 09:00 of a working day).
    pub async fn day(&mut self, app: &App, day: chrono::DateTime<chrono::Utc>) -> anyhow::Result<()> {
        let date = domain::calendar::shanghai_date(day);
        if !self.started && date >= chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap_or(date) {
            self.started = true;
            self.apply(app).await?;
        }
        let (y, m, d) = CROSS_FROM;
        if !self.cross_started && date >= chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or(date) {
            self.cross_started = true;
            // A refusal here leaves the figures short (the report's test says which), never the demo.
            if let Err(e) = self.cross_apply(app).await {
                tracing::warn!(error = %e, "demo: 跨省通办 applications skipped");
            }
        } else if !self.cross.is_empty() {
            if let Err(e) = self.cross_day(app).await {
                tracing::warn!(error = %e, "demo: 跨省通办 applications stopped");
                self.cross.clear();
            }
        }
        if self.open.is_empty() {
            return Ok(());
        }
        let township = township(app)?;
        let officer = actor(app, &format!("township{township}")).await?;
        let decider = actor(app, &format!("decider{COUNTY}")).await?;
        let mut still = Vec::new();
        for planned in std::mem::take(&mut self.open) {
            let view = app.case(&decider, planned.case_id).await.map_err(err)?;
            let decide = domain::engine::action::Action::Decide {
                grant: planned.grant,
                reasons: if planned.grant {
                    String::new()
                } else {
                    "家庭月人均收入不低于当地低保标准".into()
                },
                basis: if planned.grant { String::new() } else { "《社会救助暂行办法》第九条".into() },
            };
            let action = match view.case.step.as_deref() {
                Some("confirm" | "approve") => decide,
                Some("deliver") => domain::engine::action::Action::Deliver {
                    method: domain::engine::action::DeliveryMethod::OnSite,
                    tracking: None,
                },
                // 公示 runs out on the sweep.
                _ => {
                    still.push(planned);
                    continue;
                }
            };
            // The county confirms, or the township where the pilot delegated the power (the engine
            // decides who may).
            let mut done = false;
            for who in [&decider, &officer] {
                if app.act_on_case(who, planned.case_id, None, &action).await.is_ok() {
                    done = true;
                    break;
                }
            }
            let closed = matches!(
                app.case(&decider, planned.case_id).await.map_err(err)?.case.status,
                domain::engine::case::CaseStatus::Closed(_)
            );
            if !done {
                tracing::warn!(case = planned.case_id, "demo: assistance act refused");
            } else if !closed {
                still.push(planned);
            }
        }
        self.open = still;
        Ok(())
    }

    /// The applications of the first day: households registered, cases submitted at the township
    /// window, application facts recorded, accepted, investigated and reviewed up to the 公示.
    async fn apply(&mut self, app: &App) -> anyhow::Result<()> {
        let township = township(app)?;
        let clerk = actor(app, &format!("clerk{COUNTY}")).await?;
        let officer = actor(app, &format!("township{township}")).await?;
        let mut order = 900u64;
        let mut person = |name: &str, birth: (i32, u32, u32)| {
            order += 1;
            let birth = chrono::NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).unwrap_or_default();
            domain::person::PersonInput {
                name: name.into(),
                id_number: crate::demo::id_number(COUNTY, birth, order),
                phone: None,
                address: Some("达州市通川区".into()),
                division: township.clone(),
            }
        };
        let mut households = Vec::new();
        for (i, (income, size, grant)) in MINIMUM_LIVING.into_iter().enumerate() {
            let year = 1960 + 5 * i as i32;
            let mut members = vec![person(&format!("低保户{}", i + 1), (year, 3, 1 + i as u32))];
            for m in 1..size {
                members.push(person(&format!("低保户{}家属{m}", i + 1), (year + 25, 5, m)));
            }
            households.push((members, income, "minimum_living", "minimum-living-allowance", "ordinary", grant));
        }
        households.push((
            vec![person("特困老人", (1945, 8, 8))],
            0,
            "extreme_poverty",
            "extreme-poverty-support",
            "elderly",
            true,
        ));
        households.push((
            vec![person("临时救助户", (1980, 10, 10))],
            900,
            "temporary",
            "temporary-assistance",
            "ordinary",
            true,
        ));
        for (members, income, program, item, situation, grant) in households {
            match self.one(app, &clerk, &officer, &township, members, income, (program, item, situation)).await {
                Ok(case_id) => self.open.push(Planned { case_id, grant }),
                Err(e) => tracing::warn!(error = %e, program, "demo: assistance application skipped"),
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn one(
        &self,
        app: &App,
        clerk: &Actor,
        officer: &Actor,
        township: &str,
        members: Vec<domain::person::PersonInput>,
        income: u32,
        (program, item, situation): (&str, &str, &str),
    ) -> anyhow::Result<i64> {
        use domain::engine::action::{Action, Verdict};
        let mut ids = Vec::new();
        for m in &members {
            ids.push(app.create_person(clerk, m).await.map_err(err)?.id);
        }
        let applicant = ids[0];
        let income = (1..=12)
            .flat_map(|m| [(2020, m), (2021, m)])
            // A month without income is entered as 0: a month with nothing on record holds up a
            // 低保 grant (service::assistance_preview::check_income_complete).
            .map(|(y, m)| service::assistance::IncomeInput {
                person_id: applicant,
                month: format!("{y}-{m:02}"),
                kind: "工资性收入".into(),
                amount_yuan: income.to_string(),
                ..Default::default()
            })
            .collect();
        let household = HouseholdInput {
            division: township.to_string(),
            urban: true,
            version: HouseholdVersionInput {
                valid_from: "2021-01-01".into(),
                members: ids
                    .iter()
                    .enumerate()
                    .map(|(i, &person_id)| MemberInput {
                        person_id,
                        relationship: if i == 0 { "applicant" } else { "child" }.into(),
                        ..Default::default()
                    })
                    .collect(),
                income,
                assets: vec![],
            },
        };
        let household = app.create_household(officer, &household).await.map_err(err)?;
        let version = app.item_on(item, app.today()).map_err(err)?;
        let materials =
            version.demanded_materials(Some(situation)).iter().filter(|m| m.required).map(|m| m.id.clone()).collect();
        let submit = service::cases::SubmitCase {
            item: item.into(),
            channel: "window".into(),
            applicant: service::cases::ApplicantRef::Person(applicant),
            accepting_division: township.to_string(),
            situation: Some(situation.into()),
            materials,
            data: serde_json::json!({}),
            idempotency_key: None,
        };
        let case_id = app.submit_case(clerk, &submit).await.map_err(err)?.view.case.id;
        let application = ApplicationInput {
            household_id: household.id,
            program: program.into(),
            beneficiary: (program != "minimum_living").then_some(applicant),
            supporter: (program == "extreme_poverty").then(|| "none".into()),
            requested_yuan: (program == "temporary").then(|| "800".into()),
            hardship: (program == "temporary").then(|| "家庭成员突发重病，医疗费用支出较大，基本生活暂时困难".into()),
            ..Default::default()
        };
        app.register_assistance_application(officer, case_id, &application).await.map_err(err)?;
        app.act_on_case(officer, case_id, None, &Action::Accept).await.map_err(err)?;
        for _ in 0..3 {
            let view = app.case(officer, case_id).await.map_err(err)?;
            if view.case.step.as_deref() == Some("publicity") {
                break;
            }
            let approve = Action::Review {
                verdict: Verdict::Approve,
                opinion: "经入户调查、信息核对，情况属实".into(),
            };
            app.act_on_case(officer, case_id, None, &approve).await.map_err(err)?;
        }
        Ok(case_id)
    }
}

impl Year {
    /// The three 跨省通办 applications: persons of a 通川区 township (户籍地) apply for the
    /// 重度残疾人护理补贴 at the 重庆 window, which accepts them and pushes them to the 户籍地.
    async fn cross_apply(&mut self, app: &App) -> anyhow::Result<()> {
        use domain::engine::action::Action;
        let township = township(app)?;
        let clerk = actor(app, FAR_CLERK).await?;
        let officer = actor(app, FAR_OFFICER).await?;
        for (n, returned_with) in CROSS_PLANS.into_iter().enumerate() {
            let order = 960 + n as u64;
            let birth = chrono::NaiveDate::from_ymd_opt(1966 + 4 * n as i32, 4, 2 + n as u32).unwrap_or_default();
            let submit = service::cases::SubmitCase {
                item: "disability-subsidy".into(),
                channel: "window".into(),
                applicant: service::cases::ApplicantRef::New(domain::person::PersonInput {
                    name: format!("{}{}", ["周", "吴", "郑"][n], ["德明", "桂兰", "光荣"][n]),
                    id_number: crate::demo::id_number(COUNTY, birth, order),
                    phone: None,
                    address: Some("重庆市万州区（务工居住）".into()),
                    division: township.clone(),
                }),
                accepting_division: FAR_TOWNSHIP.into(),
                situation: Some("care_subsidy".into()),
                materials: ["application_form", "id_card", "hukou", "disability_certificate", "bank_account"]
                    .map(str::to_string)
                    .to_vec(),
                data: serde_json::json!({ "hukou_division": township }),
                idempotency_key: None,
            };
            let submitted = app.submit_case(&clerk, &submit).await.map_err(err)?;
            let case = &submitted.view.case;
            app.act_on_case(&officer, case.id, None, &Action::Accept).await.map_err(err)?;
            app.act_on_case(&officer, case.id, None, &Action::Forward).await.map_err(err)?;
            self.cross.push(Cross {
                planned: super::Planned {
                    id: case.id,
                    check: app.case_check_code(&case.number),
                    number: case.number.clone(),
                    counties: Vec::new(),
                    next_day: 0,
                    acts_left: 14,
                    plan: super::Plan::Grant,
                    notified: false,
                },
                returned_with,
                received: false,
            });
        }
        Ok(())
    }

    /// A working day of the 跨省通办 applications at the 户籍地: received (the household facts
    /// recorded for the one to decide), returned with reasons, or moved on towards the decision
    /// and the result's return to the 重庆 window.
    async fn cross_day(&mut self, app: &App) -> anyhow::Result<()> {
        use domain::engine::action::Action;
        let township = township(app)?;
        let officer = actor(app, &format!("township{township}")).await?;
        let reviewer = actor(app, &format!("reviewer{COUNTY}")).await?;
        let decider = actor(app, &format!("decider{COUNTY}")).await?;
        let far_clerk = actor(app, FAR_CLERK).await?;
        let far_officer = actor(app, FAR_OFFICER).await?;
        let mut still = Vec::new();
        for mut cross in std::mem::take(&mut self.cross) {
            let id = cross.planned.id;
            if !cross.received {
                app.act_on_case(&officer, id, None, &Action::Receive).await.map_err(err)?;
                cross.received = true;
                if cross.returned_with.is_none() {
                    register_subsidy_facts(app, &officer, id, &township).await?;
                }
                still.push(cross);
                continue;
            }
            if let Some(reasons) = cross.returned_with {
                app.return_received_case(&decider, id, reasons).await.map_err(err)?;
                continue;
            }
            let staff = [&officer, &reviewer, &decider, &far_clerk, &far_officer];
            match super::advance(app, &staff, &mut cross.planned).await {
                super::Step::Closed => {}
                super::Step::Stuck => tracing::warn!(case = id, "demo: 跨省通办 application stuck"),
                super::Step::Acted if cross.planned.acts_left <= 1 => {}
                super::Step::Acted => {
                    cross.planned.acts_left -= 1;
                    still.push(cross);
                }
                super::Step::Waiting => still.push(cross),
            }
        }
        self.cross = still;
        Ok(())
    }
}

/// The first township of 通川区 (the one the demo's accounts serve).
fn township(app: &App) -> anyhow::Result<String> {
    let code = domain::division::DivisionCode::parse(COUNTY)?;
    app.divisions().children(&code).first().map(|d| d.code.to_string()).ok_or_else(|| anyhow::anyhow!("no township"))
}
