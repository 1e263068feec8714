//! `minzheng serve --demo`: a living system within a minute. Staff accounts for the Dazhou
//! offices (passwords printed), then a year of window work made through the engine on the
//! simulated clock — nothing inserted behind its back — ending on 2021年12月20日, where the
//! server then keeps running so that 待办, warnings and metrics look as they did that December.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::access::{Actor, Role};
use domain::calendar::shanghai_offset;
use domain::clock::SimulatedClock;
use domain::engine::action::{Action, ActionKind, DeliveryMethod, Verdict};
use domain::person::PersonInput;
use serde_json::json;
use service::accounts::{random_password, AccountInput};
use service::cases::{ApplicantRef, SubmitCase};
use service::App;

/// The demo year runs from the first working day of 2021 to this day, 09:00 Beijing time.
pub fn demo_end() -> DateTime<Utc> {
    shanghai_offset().with_ymd_and_hms(2021, 12, 20, 9, 0, 0).single().expect("valid date").with_timezone(&Utc)
}

pub fn demo_start() -> DateTime<Utc> {
    shanghai_offset().with_ymd_and_hms(2021, 1, 4, 9, 0, 0).single().expect("valid date").with_timezone(&Utc)
}

/// The window items of the city service centre the demo applies for.
const ITEMS: [&str; 6] = [
    "social-group-change-registration",
    "social-group-deregistration",
    "private-non-enterprise-change-registration",
    "private-non-enterprise-deregistration",
    "social-org-certificate-reissue",
    "elderly-care-filing",
];

/// The forward acts, in the order a matter moves.
const FORWARD: [ActionKind; 6] = [
    ActionKind::Accept,
    ActionKind::Review,
    ActionKind::Decide,
    ActionKind::Produce,
    ActionKind::Issue,
    ActionKind::Deliver,
];

const SURNAMES: [&str; 12] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"];
const GIVEN: [&str; 12] = ["建国", "秀英", "志强", "丽", "伟", "芳", "敏", "军", "静", "磊", "洋", "婷"];
const COUNTIES: [&str; 7] = ["511702", "511703", "511722", "511723", "511724", "511725", "511781"];

/// A small deterministic generator (demo data only: the same year every time).
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

fn id_number(region: &str, birth: NaiveDate, order: u64) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let body = format!("{region}{}{:03}", birth.format("%Y%m%d"), order % 1000);
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

struct Staff {
    clerk: Actor,
    reviewer: Actor,
    decider: Actor,
}

async fn account(
    app: &App,
    username: &str,
    name: &str,
    role: Role,
    division: &str,
    printed: &mut Vec<String>,
) -> anyhow::Result<Actor> {
    let password = random_password();
    let input = AccountInput {
        username: username.into(),
        display_name: name.into(),
        password: password.clone(),
        grants: vec![(role.as_str().into(), division.into())],
    };
    let created = app.create_account(None, &input).await?;
    printed.push(format!("  {username:<22} {password}  {}（{division}）", role.name_zh()));
    Ok(Actor { account_id: created.id, username: created.username, grants: created.grants })
}

/// One open matter of the demo and its plan.
struct Planned {
    id: i64,
    next_day: usize,
    acts_left: u32,
    refuse: bool,
    deny: bool,
}

/// Loads the demo into a database that has no accounts but the administrator. Returns the
/// lines to print (accounts and passwords) and the number of cases made.
pub async fn load(app: &App, clock: &SimulatedClock) -> anyhow::Result<(Vec<String>, usize)> {
    let mut printed = Vec::new();
    let staff = Staff {
        clerk: account(app, "clerk", "市政务服务中心窗口", Role::Clerk, "511700", &mut printed).await?,
        reviewer: account(app, "reviewer", "市民政局审核科", Role::Reviewer, "511700", &mut printed).await?,
        decider: account(app, "decider", "市民政局分管领导", Role::Decider, "511700", &mut printed).await?,
    };
    account(app, "leader", "市民政局局长", Role::Leader, "511700", &mut printed).await?;
    for county in COUNTIES {
        account(app, &format!("clerk{county}"), "县级民政窗口", Role::Clerk, county, &mut printed).await?;
    }
    account(app, "township511702001", "东城街道经办", Role::TownshipOfficer, "511702001", &mut printed).await?;

    let calendar = app.calendar();
    let end = demo_end();
    let mut days: Vec<DateTime<Utc>> = Vec::new();
    let mut day = demo_start();
    while day < end {
        if calendar.is_workday(domain::calendar::shanghai_date(day)).unwrap_or(false) {
            days.push(day);
        }
        day += Duration::days(1);
    }
    let mut dice = Dice(20210104);
    let mut open: Vec<Planned> = Vec::new();
    let mut made = 0usize;
    for (index, day) in days.iter().enumerate() {
        let mut minute = 0;
        let mut tick = |clock: &SimulatedClock| {
            minute += 3;
            clock.set(*day + Duration::minutes(minute)).map_err(|e| anyhow::anyhow!("{e}"))
        };
        for _ in 0..1 + dice.next(2) {
            tick(clock)?;
            let item = ITEMS[dice.next(ITEMS.len() as u64) as usize];
            let Some(version) = app.catalog.in_force(item, domain::calendar::shanghai_date(app.now())) else {
                continue;
            };
            let situation = version.situations.first().map(|s| s.id.clone());
            let materials: Vec<String> = version
                .demanded_materials(situation.as_deref())
                .iter()
                .filter(|m| m.required)
                .map(|m| m.id.clone())
                .collect();
            let county = COUNTIES[dice.next(7) as usize];
            let birth = NaiveDate::from_ymd_opt(
                1950 + dice.next(50) as i32,
                1 + dice.next(12) as u32,
                1 + dice.next(28) as u32,
            )
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date"));
            let name = format!("{}{}", SURNAMES[dice.next(12) as usize], GIVEN[dice.next(12) as usize]);
            let input = SubmitCase {
                item: item.into(),
                channel: "window".into(),
                applicant: ApplicantRef::New(PersonInput {
                    name,
                    id_number: id_number(county, birth, made as u64 * 2 + 1),
                    phone: Some(format!("138{:08}", dice.next(100_000_000))),
                    address: Some("达州市通川区".into()),
                    division: county.into(),
                }),
                accepting_division: "511700".into(),
                situation,
                materials,
                data: json!({"premises_division": "511700", "hukou_division": county}),
                idempotency_key: None,
            };
            let Ok(submitted) = app.submit_case(&staff.clerk, &input).await else { continue };
            made += 1;
            // Most matters run to the end; December's are still open; a few stall (overdue).
            let acts_left = if index + 15 > days.len() {
                dice.next(3) as u32
            } else if dice.next(10) == 0 {
                1 + dice.next(2) as u32
            } else {
                6
            };
            open.push(Planned {
                id: submitted.view.case.id,
                next_day: index + dice.next(2) as usize,
                acts_left,
                refuse: dice.next(25) == 0,
                deny: dice.next(20) == 0,
            });
        }
        for planned in open.iter_mut().filter(|p| p.acts_left > 0 && p.next_day <= index) {
            tick(clock)?;
            if !advance(app, &staff, planned).await {
                planned.acts_left = 0;
                continue;
            }
            planned.acts_left -= 1;
            planned.next_day = index + 1 + usize::from(dice.next(6) == 0);
        }
        open.retain(|p| p.acts_left > 0);
        crate::demo_marriage::day(app, clock, *day).await?;
    }
    if app.now() < end {
        clock.set(end).map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok((printed, made))
}

/// Does the next forward act on a matter, by whichever of the staff may; false when none can.
async fn advance(app: &App, staff: &Staff, planned: &Planned) -> bool {
    for actor in [&staff.clerk, &staff.reviewer, &staff.decider] {
        let Ok(view) = app.case(actor, planned.id).await else { continue };
        let Some(kind) = FORWARD.iter().find(|k| view.allowed.contains(k)) else { continue };
        let action = match kind {
            ActionKind::Accept if planned.refuse => {
                Action::RefuseAcceptance { reasons: "申请事项不属于本机关职权范围".into() }
            }
            ActionKind::Accept => Action::Accept,
            ActionKind::Review => {
                Action::Review { verdict: Verdict::Approve, opinion: "材料齐全，符合条件".into() }
            }
            ActionKind::Decide if planned.deny => Action::Decide {
                grant: false,
                reasons: "拟变更事项不符合章程规定".into(),
                basis: "《社会团体登记管理条例》第十八条".into(),
            },
            ActionKind::Decide => {
                Action::Decide { grant: true, reasons: "符合法定条件".into(), basis: String::new() }
            }
            ActionKind::Produce => Action::Produce,
            ActionKind::Issue => Action::Issue,
            _ => Action::Deliver { method: DeliveryMethod::OnSite, tracking: None },
        };
        return app.act_on_case(actor, planned.id, None, &action).await.is_ok();
    }
    false
}
