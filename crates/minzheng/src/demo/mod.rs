//! `minzheng serve --demo`: a living system within a minute. Staff accounts for every role
//! across the Dazhou divisions and a few citizen accounts (passwords printed), then a year of
//! work made through the engine on the simulated clock — nothing inserted behind its back:
//! window matters at the city service centre, online applications for 残疾人两项补贴 by citizens
//! at their township (公示 run out by the sweep), matters in every state (待受理, 待补正, 办理中,
//! 暂停, and closed as 准予, 不予准予, 不予受理), and 好差评 ratings of closed matters. It ends on
//! 2021年12月20日, where the server then keeps running so that 待办, warnings and the dashboard
//! look as they did that December.
//!
//! Each area adds its year in its own module (`demo/<area>.rs`), named once, in [`Area`]: the
//! one list of the areas' years, asked to prepare before the year, to work each day after the
//! generic matters, and to record its facts on a case the generic year opened online.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::access::{Actor, Role};
use domain::calendar::shanghai_offset;
use domain::clock::SimulatedClock;
use domain::division::DivisionCode;
use domain::engine::action::{Action, ActionKind, DeliveryMethod, Verdict};
use domain::kinship::Relation;
use domain::person::PersonInput;
use serde_json::json;
use service::accounts::{random_password, AccountInput};
use service::cases::{ApplicantRef, SubmitCase};
use service::portal::{Dimension, Grade, RatingChannel};
use service::App;

mod annual_report;
mod assistance;
mod disclosure;
mod elderly_care;
mod enforcement;
mod hotline;
mod marriage;
mod rule_making;
mod rule_of_law;
mod social_organization;
mod suggestions;

/// The areas' demo years: the one list of them (order: how they work a day).
enum Area {
    Marriage,
    Assistance(assistance::Year),
    /// 依申请公开: requests entered by a county window's clerk (`.1`) and answered by its decider (`.2`).
    Disclosure(disclosure::Year, Actor, Actor),
    /// 建议提案办理: the city bureau's staff (`.1`) and its 局长 (`.2`).
    Suggestions(suggestions::Year, Actor, Actor),
    /// 12345 tickets and 差评整改: the city's platform account, dispatcher and approver, and the
    /// counties' clerks as the units.
    Hotline(Box<hotline::Year>),
    /// 重大行政决策和规范性文件 of the city bureau.
    RuleMaking(rule_making::Year, rule_making::Staff),
    /// 行政执法: the city bureau's officers, reviewer and heads.
    Enforcement(enforcement::Year, Box<enforcement::Staff>),
    /// 养老机构备案 at the windows of 通川区 and 达川区 (and one of 万州区, 川渝通办).
    ElderlyCare(elderly_care::Year),
    /// 社会组织登记: the register, and the 2021 inspection recorded by the city's clerk.
    SocialOrganization(social_organization::Year),
    /// 法治政府建设台账: entered by the city bureau's legal office.
    RuleOfLaw(rule_of_law::Year, Actor),
}

impl Area {
    fn all(people: &People) -> Vec<Area> {
        vec![
            Area::Marriage,
            Area::Assistance(assistance::Year::default()),
            Area::Disclosure(
                disclosure::Year::default(),
                people.counties[0].staff[0].clone(),
                people.counties[0].staff[2].clone(),
            ),
            Area::Suggestions(suggestions::Year::default(), people.city[1].clone(), people.city[3].clone()),
            Area::Hotline(Box::new(hotline::Year::new(
                people.city[0].clone(),
                people.city[1].clone(),
                people.city[2].clone(),
                people
                    .counties
                    .iter()
                    .filter_map(|c| c.staff[0].grants.first().map(|g| (g.division.to_string(), c.staff[0].clone())))
                    .collect(),
            ))),
            Area::RuleMaking(
                rule_making::Year::default(),
                rule_making::Staff {
                    staff: people.city[1].clone(),
                    legal: people.city[4].clone(),
                    head: people.city[2].clone(),
                },
            ),
            Area::Enforcement(
                enforcement::Year::default(),
                Box::new(enforcement::Staff {
                    decider: people.city[2].clone(),
                    leader: people.city[3].clone(),
                    reviewer: people.city[4].clone(),
                    officer: people.city[5].clone(),
                }),
            ),
            Area::ElderlyCare(elderly_care::Year::new(
                people.counties[0].staff[0].clone(),
                people.counties[1].staff[0].clone(),
            )),
            Area::SocialOrganization(social_organization::Year::new(people.city[0].clone())),
            Area::RuleOfLaw(rule_of_law::Year::default(), people.city[4].clone()),
        ]
    }

    /// Before the year: what the area's year relies on from its first day.
    async fn prepare(&mut self, app: &App) -> anyhow::Result<()> {
        match self {
            Area::Marriage => Ok(()),
            Area::Assistance(_) => assistance::load(app).await.map(|_| ()),
            Area::Disclosure(..) | Area::Suggestions(..) | Area::Hotline(_) | Area::RuleMaking(..) => Ok(()),
            Area::Enforcement(year, staff) => year.prepare(app, staff).await,
            Area::ElderlyCare(year) => year.prepare(app).await,
            Area::SocialOrganization(year) => year.prepare(app).await,
            Area::RuleOfLaw(..) => Ok(()),
        }
    }

    /// The area's work of one working day (`day`: 09:00).
    async fn day(&mut self, app: &App, clock: &SimulatedClock, day: DateTime<Utc>) -> anyhow::Result<()> {
        match self {
            Area::Marriage => marriage::day(app, clock, day).await,
            Area::Assistance(year) => year.day(app, day).await,
            Area::Disclosure(year, clerk, decider) => year.day(app, clerk, decider).await,
            Area::Suggestions(year, staff, leader) => year.day(app, staff, leader).await,
            Area::Hotline(year) => year.day(app).await,
            Area::RuleMaking(year, staff) => year.day(app, staff).await,
            Area::Enforcement(year, staff) => year.day(app, staff).await,
            Area::ElderlyCare(year) => year.day(app).await,
            Area::SocialOrganization(year) => year.day(app).await,
            Area::RuleOfLaw(year, legal) => year.day(app, legal).await,
        }
    }

    /// A case the generic year opened online: the facts the area decides it on, recorded by
    /// `officer` of the applicant's `township`, when the case is the area's.
    async fn opened(
        &self,
        app: &App,
        officer: &Actor,
        case: &service::cases::CaseView,
        township: &str,
    ) -> anyhow::Result<()> {
        match self {
            Area::Marriage => Ok(()),
            Area::Assistance(_) => assistance::opened(app, officer, case, township).await,
            Area::Disclosure(..)
            | Area::Suggestions(..)
            | Area::Hotline(_)
            | Area::RuleMaking(..)
            | Area::Enforcement(..)
            | Area::ElderlyCare(_)
            | Area::SocialOrganization(_)
            | Area::RuleOfLaw(..) => Ok(()),
        }
    }
}

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

/// The item citizens apply for online (网上办理深度 4).
const ONLINE_ITEM: &str = "disability-subsidy";

/// The acts that move a matter on, in the order they are tried.
const FORWARD: [ActionKind; 11] = [
    ActionKind::Supplement,
    ActionKind::Accept,
    ActionKind::Forward,
    ActionKind::Receive,
    ActionKind::Review,
    ActionKind::Decide,
    ActionKind::Produce,
    ActionKind::Issue,
    ActionKind::ReturnResult,
    ActionKind::Deliver,
    ActionKind::Resume,
];

const SURNAMES: [&str; 12] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"];
const GIVEN: [&str; 12] = ["建国", "秀英", "志强", "丽", "伟", "芳", "敏", "军", "静", "磊", "洋", "婷"];
const COUNTIES: [&str; 7] = ["511702", "511703", "511722", "511723", "511724", "511725", "511781"];
const COMMENTS: [&str; 4] = ["办理很快", "窗口人员很耐心", "网上办理很方便，不用跑腿", ""];

/// A small deterministic generator (demo data only: the same year every time).
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

pub(crate) fn id_number(region: &str, birth: NaiveDate, order: u64) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let body = format!("{region}{}{:03}", birth.format("%Y%m%d"), order % 1000);
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// Creates an account with one grant; its username and password go to `printed`.
pub async fn account(
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
    let place = DivisionCode::parse(division).ok().and_then(|c| app.divisions().full_name(&c)).unwrap_or_default();
    printed.push(format!("  {username:<22} {password}  {}（{place}）", role.name_zh()));
    Ok(Actor { account_id: created.id, username: created.username, grants: created.grants })
}

/// The demo's people: the city centre's staff, and per county its staff, one township's
/// officer and a citizen living in that township.
struct People {
    city: Vec<Actor>,
    counties: Vec<County>,
}

struct County {
    staff: Vec<Actor>,
    township: String,
    /// Citizens living in the township, each bound to their person (实名), with the close
    /// relatives they apply for: (account, [(relation, person)], the first being 本人).
    citizens: Vec<(Actor, Vec<(Relation, PersonInput)>)>,
}

/// How many citizens of each county apply online.
const CITIZENS_PER_COUNTY: usize = 6;

/// A demo person born on `birth` with the `order`-th ID number of `county`, living in `division`.
fn demo_person(name: &str, county: &str, birth: (i32, u32, u32), order: u64, division: &str) -> PersonInput {
    let birth = NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date"));
    PersonInput {
        name: name.into(),
        id_number: id_number(county, birth, order),
        phone: None,
        address: Some("达州市".into()),
        division: division.into(),
    }
}

/// A 跨省通办 window in another province (重庆市万州区高笋塘街道), where the demo's applications
/// from people registered in Dazhou are accepted and handed to the 户籍地.
pub const FAR_TOWNSHIP: &str = "500101001";
/// The far window's clerk.
pub const FAR_CLERK: &str = "clerk500101001";
/// The far window's township officer, who accepts and hands on.
pub const FAR_OFFICER: &str = "township500101001";

/// The far window's staff; their passwords go to `printed`.
async fn far_window(app: &App, printed: &mut Vec<String>) -> anyhow::Result<()> {
    account(app, FAR_CLERK, "重庆市万州区高笋塘街道便民服务中心", Role::Clerk, FAR_TOWNSHIP, printed).await?;
    account(app, FAR_OFFICER, "重庆市万州区高笋塘街道经办", Role::TownshipOfficer, FAR_TOWNSHIP, printed).await?;
    Ok(())
}

async fn people(app: &App, printed: &mut Vec<String>) -> anyhow::Result<People> {
    let city_roles = [
        ("clerk", "市政务服务中心窗口", Role::Clerk),
        ("reviewer", "市民政局审核科", Role::Reviewer),
        ("decider", "市民政局分管领导", Role::Decider),
        ("leader", "市民政局局长", Role::Leader),
        ("legal", "市民政局法制审核", Role::LegalReviewer),
        ("enforcer", "市民政执法支队", Role::EnforcementOfficer),
    ];
    far_window(app, printed).await?;
    let mut city = Vec::new();
    for (username, name, role) in city_roles {
        city.push(account(app, username, name, role, "511700", printed).await?);
    }
    let mut counties = Vec::new();
    for county in COUNTIES {
        let code = DivisionCode::parse(county)?;
        let township = app
            .divisions()
            .children(&code)
            .first()
            .map(|d| d.code.to_string())
            .ok_or_else(|| anyhow::anyhow!("{county} has no township"))?;
        let mut staff = Vec::new();
        for (prefix, name, role) in [
            ("clerk", "县级民政窗口", Role::Clerk),
            ("reviewer", "县残联审核", Role::Reviewer),
            ("decider", "县民政局审定", Role::Decider),
            ("leader", "县民政局局长", Role::Leader),
        ] {
            staff.push(account(app, &format!("{prefix}{county}"), name, role, county, printed).await?);
        }
        staff.push(
            account(app, &format!("township{township}"), "乡镇（街道）经办", Role::TownshipOfficer, &township, printed)
                .await?,
        );
        let mut citizens = Vec::new();
        for n in 0..CITIZENS_PER_COUNTY {
            let username = if n == 0 { format!("citizen{county}") } else { format!("citizen{county}-{n}") };
            let surname = SURNAMES[(n * 5 + citizens.len()) % SURNAMES.len()];
            let order = 700 + 10 * n as u64;
            let year = 1975 + 3 * n as i32;
            let family = vec![
                (Relation::Oneself, demo_person(&format!("{surname}民"), county, (year, 3, 12), order, &township)),
                (
                    Relation::Parent,
                    demo_person(&format!("{surname}长寿"), county, (year - 28, 6, 2), order + 1, &township),
                ),
                (Relation::Spouse, demo_person("刘芳", county, (year + 1, 9, 20), order + 2, &township)),
                (
                    Relation::Child,
                    demo_person(&format!("{surname}小宝"), county, (year + 27, 1, 8), order + 3, &township),
                ),
            ];
            let actor = account(app, &username, &family[0].1.name, Role::Citizen, &township, printed).await?;
            app.bind_citizen(&actor, &family[0].1).await?;
            citizens.push((actor, family));
        }
        counties.push(County { staff, township, citizens });
    }
    Ok(People { city, counties })
}

/// How a matter is meant to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Grant,
    /// 不予受理.
    Refuse,
    /// 不予准予.
    Deny,
    /// 一次性告知 at acceptance, then 补正.
    Missing,
    /// 中止 during review (and left paused).
    Suspend,
}

/// One open matter of the demo.
struct Planned {
    id: i64,
    number: String,
    /// Where the staff who act on it are: the city centre when empty, else these counties'
    /// (the accepting one and, across counties, the competent one).
    counties: Vec<usize>,
    next_day: usize,
    acts_left: u32,
    plan: Plan,
    notified: bool,
    /// The 查询码, for the rating through the portal.
    check: String,
}

/// Loads the demo into a database that has no accounts but the administrator. Returns the
/// lines to print (accounts and passwords) and the number of cases made.
pub async fn load(app: &App, clock: &SimulatedClock) -> anyhow::Result<(Vec<String>, usize)> {
    let mut printed = Vec::new();
    let people = people(app, &mut printed).await?;
    // The areas work day by day inside `year` (the clock only moves forward); what they rely on
    // from the first day (the 2021 pilot's delegations to 46 townships, from 2021-07-01, which the
    // engine applies to the year's 低保 confirmations) is loaded first.
    let catalog_admin = annual_report::prepare(app, &mut printed).await?;
    let mut areas = Area::all(&people);
    for area in &mut areas {
        area.prepare(app).await?;
    }
    let made = year(app, clock, &people, &mut areas).await?;
    annual_report::review_guides(app, &catalog_admin).await?;
    // The year's report, drafted by the city bureau's legal staff from the year's records.
    annual_report::write(app, &people.city[4]).await?;

    if app.now() < demo_end() {
        clock.set(demo_end()).map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok((printed, made))
}

fn person(dice: &mut Dice, county: &str, order: u64) -> PersonInput {
    let birth =
        NaiveDate::from_ymd_opt(1950 + dice.next(50) as i32, 1 + dice.next(12) as u32, 1 + dice.next(28) as u32)
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date"));
    let name = format!("{}{}", SURNAMES[dice.next(12) as usize], GIVEN[dice.next(12) as usize]);
    PersonInput {
        name,
        id_number: id_number(county, birth, order),
        phone: Some(format!("138{:08}", dice.next(100_000_000))),
        address: Some("达州市".into()),
        division: county.into(),
    }
}

/// The year of work, day by day on the simulated clock.
async fn year(app: &App, clock: &SimulatedClock, people: &People, areas: &mut [Area]) -> anyhow::Result<usize> {
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
    let mut queries = Dice(20210105);
    let mut open: Vec<Planned> = Vec::new();
    // The persons who have applied online: each applies once in the demo year (with their family's
    // facts registered at the application).
    let mut applied: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut made = 0usize;
    for (index, day) in days.iter().enumerate() {
        let mut minute = 0;
        let mut tick = |clock: &SimulatedClock| {
            minute += 3;
            clock.set(*day + Duration::minutes(minute)).map_err(|e| anyhow::anyhow!("{e}"))
        };
        // Timers first: a 公示 that ran out overnight moves on.
        tick(clock)?;
        app.sweep_once(app.now()).await?;
        let december = index + 15 > days.len();
        let plan = |dice: &mut Dice| match dice.next(40) {
            0 => Plan::Refuse,
            1 | 2 => Plan::Deny,
            3..=5 => Plan::Missing,
            6 => Plan::Suspend,
            _ => Plan::Grant,
        };
        // The window of the city service centre.
        for _ in 0..1 + dice.next(2) {
            tick(clock)?;
            let item = ITEMS[dice.next(ITEMS.len() as u64) as usize];
            if app.item_on(item, domain::calendar::shanghai_date(app.now())).is_err() {
                continue;
            }
            // In December a few wait for the applicant's missing materials.
            let plan = if december && dice.next(4) == 0 { Plan::Missing } else { plan(&mut dice) };
            let county = COUNTIES[dice.next(7) as usize];
            let applicant = person(&mut dice, county, made as u64 * 2 + 1);
            let Some(submitted) = window_case(app, &people.city[0], item, plan, applicant, made).await else {
                continue;
            };
            made += 1;
            // Most matters run to the end; December's are still open; a few stall (overdue).
            let acts_left = if december {
                dice.next(3) as u32
            } else if dice.next(25) == 0 {
                1 + dice.next(2) as u32
            } else {
                12
            };
            let case = &submitted.view.case;
            // In December a few wait for the applicant's missing materials.
            open.push(Planned {
                id: case.id,
                check: app.case_check_code(&case.number),
                number: case.number.clone(),
                counties: Vec::new(),
                next_day: index + dice.next(2) as usize,
                // December's notices of missing materials are still waiting for the applicant.
                acts_left: if december && plan == Plan::Missing { 1 } else { acts_left },
                plan,
                notified: false,
            });
        }
        // The centre's queries (its public services that are 即办件), answered on the spot: their
        // own generator, so that the window's matters above stay as they were.
        let asked = app.catalog.items_on(domain::calendar::shanghai_date(app.now())).into_iter().filter(|i| {
            i.city_centre
                && i.kind == domain::catalog::ItemKind::PublicService
                && i.case_type == domain::catalog::CaseType::Instant
        });
        let asked: Vec<String> = asked.map(|i| i.slug.clone()).collect();
        for _ in 0..queries.next(3) {
            tick(clock)?;
            let Some(item) = asked.get(queries.next(asked.len() as u64) as usize) else { continue };
            let county = COUNTIES[queries.next(7) as usize];
            let applicant = person(&mut queries, county, made as u64 * 2);
            let Some(submitted) = window_case(app, &people.city[0], item, Plan::Grant, applicant, made).await else {
                continue;
            };
            made += 1;
            let case = &submitted.view.case;
            let mut planned = Planned {
                id: case.id,
                check: String::new(),
                number: case.number.clone(),
                counties: Vec::new(),
                next_day: index,
                acts_left: 6,
                plan: Plan::Grant,
                notified: false,
            };
            let staff: Vec<&Actor> = people.city.iter().collect();
            while planned.acts_left > 0 && matches!(advance(app, &staff, &mut planned).await, Step::Acted) {
                planned.acts_left -= 1;
            }
        }
        // Online: a citizen applies for the disability subsidy at their township, every other day.
        if dice.next(2) == 0 {
            tick(clock)?;
            let c = dice.next(people.counties.len() as u64) as usize;
            let county = &people.counties[c];
            // One in four lives in another county (跨县通办: the application travels to the 户籍地).
            let home = if dice.next(4) == 0 { (c + 1) % people.counties.len() } else { c };
            let hukou = people.counties[home].township.clone();
            let online_plan = if dice.next(15) == 0 { Plan::Missing } else { Plan::Grant };
            let mut materials_online: Vec<String> =
                ["application_form", "id_card", "hukou", "disability_certificate", "bank_account"]
                    .map(String::from)
                    .to_vec();
            if online_plan == Plan::Missing {
                materials_online.pop();
            }
            // A citizen of the 户籍地, for themselves or a close relative (declared); nobody twice.
            let home_citizens = &people.counties[home].citizens;
            let (citizen, family) = &home_citizens[dice.next(home_citizens.len() as u64) as usize];
            let (relation, applicant) = &family[dice.next(family.len() as u64) as usize];
            let fresh = applied.insert(applicant.id_number.clone());
            let input = SubmitCase {
                item: ONLINE_ITEM.into(),
                channel: "online".into(),
                applicant: ApplicantRef::New(applicant.clone()),
                accepting_division: county.township.clone(),
                situation: Some("care_subsidy".into()),
                materials: materials_online,
                data: json!({"hukou_division": hukou, "applicant_relation": relation.as_str()}),
                idempotency_key: None,
            };
            // Refused while the same person's application is still open (no duplicates).
            let submitted = if fresh { app.submit_case(citizen, &input).await.ok() } else { None };
            if let Some(submitted) = submitted {
                made += 1;
                let case = &submitted.view.case;
                let home_officer = people.counties[home]
                    .staff
                    .iter()
                    .find(|a| a.grants.iter().any(|g| g.role == Role::TownshipOfficer))
                    .ok_or_else(|| anyhow::anyhow!("every county has a township officer"))?;
                for area in areas.iter() {
                    area.opened(app, home_officer, &submitted.view, &hukou).await?;
                }
                open.push(Planned {
                    id: case.id,
                    check: app.case_check_code(&case.number),
                    number: case.number.clone(),
                    counties: if home == c { vec![c] } else { vec![c, home] },
                    next_day: index + dice.next(3) as usize,
                    acts_left: if december { dice.next(3) as u32 } else { 14 },
                    plan: online_plan,
                    notified: false,
                });
            }
        }
        for planned in open.iter_mut().filter(|p| p.acts_left > 0 && p.next_day <= index) {
            tick(clock)?;
            let staff: Vec<&Actor> = if planned.counties.is_empty() {
                people.city.iter().collect()
            } else {
                planned.counties.iter().flat_map(|c| people.counties[*c].staff.iter()).collect()
            };
            // Up to two acts a day on a matter (review and decision often fall on one day).
            let mut step = advance(app, &staff, planned).await;
            if matches!(step, Step::Acted) && planned.acts_left > 1 && dice.next(2) == 0 {
                tick(clock)?;
                planned.acts_left -= 1;
                step = advance(app, &staff, planned).await;
            }
            match step {
                Step::Acted => {
                    planned.acts_left -= 1;
                    planned.next_day = index + 1 + usize::from(dice.next(6) == 0);
                }
                // A wait step: look again tomorrow.
                Step::Waiting => planned.next_day = index + 1,
                Step::Closed => {
                    planned.acts_left = 0;
                    // About two in three rate the service through the portal.
                    if dice.next(3) > 0 {
                        const WEIGHTS: [usize; 16] = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 3, 4];
                        let grade = Grade::ALL[WEIGHTS[dice.next(16) as usize]];
                        let comment = COMMENTS[dice.next(COMMENTS.len() as u64) as usize];
                        let rated = match app.rater_case(&planned.number, &planned.check, "demo").await {
                            Ok((view, _)) => {
                                // Its own dice: the year's other draws stay as they were.
                                let mut rater = Dice(planned.id as u64);
                                let channel = RatingChannel::of_case(view.case.channel);
                                let grades = demo_grades(channel, grade, &mut rater);
                                app.rate_case(&planned.number, &planned.check, "demo", &grades, comment).await.map(drop)
                            }
                            Err(err) => Err(err),
                        };
                        if let Err(err) = rated {
                            tracing::debug!(code = err.code, "demo rating skipped");
                        }
                    }
                }
                Step::Stuck => planned.acts_left = 0,
            }
        }
        open.retain(|p| p.acts_left > 0);
        for area in areas.iter_mut() {
            area.day(app, clock, *day).await?;
        }
    }
    Ok(made)
}

/// A rater's grades of the indicators of `channel`: 整体满意度 as drawn; each other indicator the
/// same, one grade better one time in four, and one time in sixty a 差评 of its own (a window's
/// 服务态度 can displease a rater otherwise satisfied: the rating is then a 差评 to rectify).
fn demo_grades(channel: RatingChannel, overall: Grade, dice: &mut Dice) -> BTreeMap<String, String> {
    channel
        .dimensions()
        .iter()
        .map(|d| {
            let index = Grade::ALL.iter().position(|g| *g == overall).unwrap_or(1);
            let grade = match (*d == Dimension::Overall, dice.next(60)) {
                (true, _) => overall,
                (false, 0) => Grade::Dissatisfied.max(overall),
                (false, 1..=15) => Grade::ALL[index.saturating_sub(1)],
                _ => overall,
            };
            (d.as_str().to_string(), grade.as_str().to_string())
        })
        .collect()
}

/// A matter applied for at the window of the city service centre: the item's first 情形 with its
/// required materials (one left out for a 补正 plan) and its declared form filled in as its
/// example (an organization of the city). None when the item is not in force or is refused.
async fn window_case(
    app: &App,
    clerk: &Actor,
    item: &str,
    plan: Plan,
    applicant: PersonInput,
    made: usize,
) -> Option<service::cases::Submitted> {
    let version = app.item_on(item, domain::calendar::shanghai_date(app.now())).ok()?;
    let situation = version.situations.first().map(|s| s.id.clone());
    let mut materials: Vec<String> =
        version.demanded_materials(situation.as_deref()).iter().filter(|m| m.required).map(|m| m.id.clone()).collect();
    if plan == Plan::Missing && materials.len() > 1 {
        // One required material is not brought: the one-time notice will ask for it.
        materials.pop();
    }
    let input = SubmitCase {
        item: item.into(),
        channel: "window".into(),
        accepting_division: "511700".into(),
        situation,
        materials,
        data: json!({
            "premises_division": "511700",
            "hukou_division": applicant.division,
            "facts": version.form.example("511702", made as u32),
        }),
        applicant: ApplicantRef::New(applicant),
        idempotency_key: None,
    };
    app.submit_case(clerk, &input).await.ok()
}

enum Step {
    Acted,
    Waiting,
    Closed,
    Stuck,
}

/// Does the next act on a matter by whichever of `staff` may, per its plan.
async fn advance(app: &App, staff: &[&Actor], planned: &mut Planned) -> Step {
    let mut waiting = false;
    for actor in staff.iter().copied() {
        let Ok(view) = app.case(actor, planned.id).await else { continue };
        if matches!(view.case.status, domain::engine::case::CaseStatus::Closed(_)) {
            return Step::Closed;
        }
        if view.case.step.as_deref() == Some("publicity") {
            // 公示: only an objection may be recorded; the sweep ends it when its 7 days are out.
            waiting = true;
            continue;
        }
        let allowed = &view.allowed;
        let action =
            if planned.plan == Plan::Missing && !planned.notified && allowed.contains(&ActionKind::NotifyMissing) {
                planned.notified = true;
                // Every required material not brought: the one-time notice must list them all.
                let case = &view.case;
                let missing = app
                    .case_item(case)
                    .map(|item| {
                        item.demanded_materials(case.situation.as_deref())
                            .iter()
                            .filter(|m| m.required && !case.materials.contains(&m.id))
                            .map(|m| m.id.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                Action::NotifyMissing { missing, until: None }
            } else if planned.plan == Plan::Suspend
                && allowed.contains(&ActionKind::Suspend)
                && view.case.accepted_at.is_some()
            {
                planned.acts_left = 1;
                Action::Suspend { reason: "申请人涉及的诉讼尚未审结".into() }
            } else {
                let Some(kind) = FORWARD.iter().find(|k| allowed.contains(k)) else { continue };
                match kind {
                    ActionKind::Supplement => Action::Supplement { materials: view.case.missing.clone() },
                    ActionKind::Accept
                        if planned.plan == Plan::Refuse
                            && app.case_item(&view.case).is_some_and(|item| item.procedure.refusable) =>
                    {
                        Action::RefuseAcceptance { reasons: "申请事项不属于本机关职权范围".into() }
                    }
                    ActionKind::Accept => Action::Accept,
                    ActionKind::Forward => Action::Forward,
                    ActionKind::Receive => Action::Receive,
                    ActionKind::Review => {
                        Action::Review { verdict: Verdict::Approve, opinion: "材料齐全，符合条件".into() }
                    }
                    ActionKind::Decide if planned.plan == Plan::Deny => Action::Decide {
                        grant: false,
                        reasons: "不符合法定条件".into(),
                        basis: "该事项的办理依据".into(),
                    },
                    ActionKind::Decide => {
                        Action::Decide { grant: true, reasons: "符合法定条件".into(), basis: String::new() }
                    }
                    ActionKind::Produce => Action::Produce,
                    ActionKind::Issue => Action::Issue,
                    ActionKind::ReturnResult => Action::ReturnResult,
                    ActionKind::Resume => continue,
                    _ => Action::Deliver { method: DeliveryMethod::OnSite, tracking: None },
                }
            };
        if app.act_on_case(actor, planned.id, None, &action).await.is_err() {
            return Step::Stuck;
        }
        return Step::Acted;
    }
    if waiting {
        Step::Waiting
    } else {
        Step::Stuck
    }
}
