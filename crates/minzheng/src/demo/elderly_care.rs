//! The demo year of 养老机构备案: a few filings through the engine at county windows — one
//! complete and received at once, one missing its 承诺书 and completed after the one-time notice
//! (never refused), one accepted at a window in 重庆市万州区 for premises in 宣汉县 (川渝通办) —
//! with their post-filing inspections (one left undone, so the list shows it overdue in
//! December), a change of beds filed as a change, and one institution's suspension for its fire
//! rectification (reported ten days ahead, so flagged as a short notice, its residents resettled)
//! and its resumption a month later.

use chrono::NaiveDate;
use domain::access::Actor;
use domain::engine::action::Action;
use domain::person::PersonInput;
use domain::verticals::elderly_care::institution::InspectionInput;
use domain::verticals::elderly_care::{ChangeInput, StatusInput};
use serde_json::json;
use service::accounts::{random_password, AccountInput};
use service::cases::{ApplicantRef, SubmitCase};
use service::App;

/// What the demo does on a day (the first working day on or after it).
enum Event {
    /// A filing: (institution, window, premises, type, beds, complete?).
    File {
        name: &'static str,
        window: usize,
        premises: &'static str,
        kind: &'static str,
        beds: i64,
        complete: bool,
    },
    /// The missing 承诺书 of the `n`-th filing brought, and the filing received.
    Complete {
        n: usize,
    },
    Inspect {
        n: usize,
        result: &'static str,
        findings: &'static str,
    },
    ChangeBeds {
        n: usize,
        beds: i64,
        changed_on: &'static str,
    },
    /// A suspension (`suspend`) or resumption (`resume`) of the `n`-th filing's institution.
    Status {
        n: usize,
        act: &'static str,
        reported_on: &'static str,
        effective_on: &'static str,
        residents: &'static str,
        placement: &'static str,
        reason: &'static str,
    },
}

const SCRIPT: [(u32, u32, Event); 10] = [
    (
        3,
        15,
        Event::File {
            name: "达州市通川区康乐养老院",
            window: 0,
            premises: "511702",
            kind: "public_private",
            beds: 120,
            complete: true,
        },
    ),
    (3, 29, Event::Inspect { n: 0, result: "conforms", findings: "" }),
    (
        5,
        10,
        Event::File {
            name: "达州市达川区幸福颐养中心",
            window: 1,
            premises: "511703",
            kind: "private",
            beds: 60,
            complete: false,
        },
    ),
    (5, 14, Event::Complete { n: 1 }),
    (6, 7, Event::Inspect { n: 1, result: "rectify", findings: "消防通道堆放杂物，责令十日内整改" }),
    (
        6,
        21,
        Event::Status {
            n: 1,
            act: "suspend",
            reported_on: "2021-06-11",
            effective_on: "2021-06-21",
            residents: "18",
            placement: "18名老年人临时转入达川区社会福利院，费用由本机构承担；整改完成后接回",
            reason: "消防设施整改",
        },
    ),
    (
        7,
        20,
        Event::Status {
            n: 1,
            act: "resume",
            reported_on: "2021-07-20",
            effective_on: "2021-07-20",
            residents: "",
            placement: "",
            reason: "",
        },
    ),
    (
        7,
        5,
        Event::File {
            name: "宣汉县红峰养老服务中心",
            window: 2,
            premises: "511722",
            kind: "private",
            beds: 45,
            complete: true,
        },
    ),
    (9, 1, Event::ChangeBeds { n: 0, beds: 150, changed_on: "2021-08-25" }),
    (
        11,
        15,
        Event::File {
            name: "达州市通川区夕阳红养老公寓",
            window: 0,
            premises: "511702",
            kind: "public",
            beds: 80,
            complete: true,
        },
    ),
];

/// The demo's filings, day by day: the windows of 通川区 and 达川区 and, made here, one of 万州区.
pub struct Year {
    windows: Vec<Actor>,
    next: usize,
    /// The cases of the filings, in the script's order.
    cases: Vec<i64>,
}

impl Year {
    pub fn new(tongchuan: Actor, dachuan: Actor) -> Year {
        Year { windows: vec![tongchuan, dachuan], next: 0, cases: Vec::new() }
    }

    /// The window of 重庆市万州区 that accepts a filing for premises in 达州 (川渝通办).
    pub async fn prepare(&mut self, app: &App) -> anyhow::Result<()> {
        let input = AccountInput {
            username: "clerk500101".into(),
            display_name: "重庆市万州区政务服务中心窗口".into(),
            password: random_password(),
            grants: vec![("clerk".into(), "500101".into())],
        };
        let created = app.create_account(None, &input).await?;
        self.windows.push(Actor { account_id: created.id, username: created.username, grants: created.grants });
        Ok(())
    }

    pub async fn day(&mut self, app: &App) -> anyhow::Result<()> {
        let today = app.today();
        while let Some((month, day, event)) = SCRIPT.get(self.next) {
            if NaiveDate::from_ymd_opt(2021, *month, *day).is_none_or(|on| on > today) {
                break;
            }
            self.next += 1;
            self.run(app, event).await?;
        }
        Ok(())
    }

    async fn run(&mut self, app: &App, event: &Event) -> anyhow::Result<()> {
        match *event {
            Event::File { name, window, premises, kind, beds, complete } => {
                let clerk = &self.windows[window];
                let accepting = clerk.grants[0].division.to_string();
                let order = self.cases.len() as u64 + 1;
                let birth = NaiveDate::from_ymd_opt(1975, 3, 1).unwrap_or_default();
                let applicant = PersonInput {
                    name: "李秀英".into(),
                    id_number: super::id_number(premises, birth, 900 + order),
                    phone: None,
                    address: None,
                    division: premises.into(),
                };
                let materials: &[&str] = if complete { &["filing_form", "commitment"] } else { &["filing_form"] };
                let input = SubmitCase {
                    item: "elderly-care-filing".into(),
                    channel: "window".into(),
                    applicant: ApplicantRef::New(applicant),
                    accepting_division: accepting,
                    situation: Some("for_profit".into()),
                    materials: materials.iter().map(|m| m.to_string()).collect(),
                    data: json!({"premises_division": premises, "facts": {
                        "operator": {"name": name, "credit_code": credit_code(premises, order), "representative": "李秀英", "division": premises},
                        "service_address": format!("{}中心路{}号", app.divisions().full_name(&domain::division::DivisionCode::parse(premises)?).unwrap_or_default(), order * 10),
                        "beds": beds,
                        "institution_type": kind,
                        "floor_area": beds * 30,
                        "service_scope": ["生活照料", "膳食服务", "康复护理"],
                        "commitment_signed": complete
                    }}),
                    idempotency_key: None,
                };
                let id = app.submit_case(clerk, &input).await?.view.case.id;
                self.cases.push(id);
                let action = if complete {
                    Action::Accept
                } else {
                    Action::NotifyMissing { missing: vec!["commitment".into()], until: None }
                };
                app.act_on_case(clerk, id, None, &action).await?;
            }
            Event::Complete { n } => {
                let clerk = &self.windows[1];
                let id = self.cases[n];
                app.act_on_case(clerk, id, None, &Action::Supplement { materials: vec!["commitment".into()] }).await?;
                app.act_on_case(clerk, id, None, &Action::Accept).await?;
            }
            Event::Inspect { n, result, findings } => {
                let (clerk, institution, revision) = self.institution(app, n).await?;
                let input = InspectionInput {
                    done_on: app.today().to_string(),
                    result: result.into(),
                    findings: findings.into(),
                };
                app.elderly_care_inspect(&clerk, institution, revision, &input).await?;
            }
            Event::ChangeBeds { n, beds, changed_on } => {
                let (clerk, institution, revision) = self.institution(app, n).await?;
                let input = ChangeInput {
                    field: "beds".into(),
                    value: beds.to_string(),
                    premises_division: String::new(),
                    changed_on: changed_on.into(),
                };
                app.elderly_care_change(&clerk, institution, revision, &input).await?;
            }
            Event::Status { n, act, reported_on, effective_on, residents, placement, reason } => {
                let (clerk, institution, revision) = self.institution(app, n).await?;
                let input = StatusInput {
                    act: act.into(),
                    reported_on: reported_on.into(),
                    effective_on: effective_on.into(),
                    residents: residents.into(),
                    placement: placement.into(),
                    reason: reason.into(),
                };
                app.elderly_care_status(&clerk, institution, revision, &input).await?;
            }
        }
        Ok(())
    }

    /// The `n`-th filing's institution, its revision, and the clerk of its premises.
    async fn institution(&self, app: &App, n: usize) -> anyhow::Result<(Actor, i64, i64)> {
        let row = app
            .elderly_care_of_case(self.cases[n])
            .await?
            .ok_or_else(|| anyhow::anyhow!("filing {n} is not on the register"))?;
        let premises = row.institution.premises_division.to_string();
        let clerk = self
            .windows
            .iter()
            .find(|c| c.grants.iter().any(|g| g.division.as_str() == premises))
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("no window at {premises}"))?;
        Ok((clerk, row.id, row.revision))
    }
}

/// A 统一社会信用代码 of a 民办非企业单位 registered at `region` (GB 32100-2015, both check characters).
fn credit_code(region: &str, order: u64) -> String {
    let body = format!("{:08}", 31_000_000 + order);
    let org = domain::organization::org_check_character(&body);
    let first17 = format!("52{region}{body}{}", org.unwrap_or('0'));
    let check = domain::organization::check_character(&first17).unwrap_or('0');
    format!("{first17}{check}")
}
