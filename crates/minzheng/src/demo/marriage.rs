//! The marriage part of `serve --demo`, one afternoon at a time (called once per demo day by
//! `demo.rs`): couples registered at the 通川区 desk through the same checks as the page (a few
//! refused as under age), from 2021-06-01 couples with a 通川区 居住证 from elsewhere (the 2021 pilot:
//! 跨区县, 跨地市, 跨省 in the statistics), divorces received, some withdrawn by the other party in
//! the cooling-off period, some given their certificate, the rest deemed withdrawn by the sweep.
//! Everything goes through the service and the engine on the simulated clock; deterministic by date.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use domain::access::Actor;
use domain::calendar::shanghai_date;
use domain::clock::SimulatedClock;
use domain::engine::action::{Action, Verdict};
use domain::engine::case::CrossRegion;
use domain::person::PersonInput;
use serde_json::json;
use service::cases::{ApplicantRef, CaseQuery, SubmitCase};
use service::marriage_desk::{DeskInput, DeskOutcome, DeskParty};
use service::App;

/// The registration office of the demo.
const OFFICE: &str = "511702";
/// The day the 2021 跨省通办 pilot (四川) starts: registrations by 居住证 from then on.
const PILOT: (i32, u32, u32) = (2021, 6, 1);
/// The pilot's registrations in 2021 by class (达州市民政局 2021 report).
const CROSS_COUNTY: u32 = 556;
const CROSS_PREFECTURE: u32 = 30;
const CROSS_PROVINCE: u32 = 20;

/// `date`'s place among the pilot's working days of the demo year, and how many there are (from
/// the pilot's first day to the day before the demo ends).
fn pilot_day(app: &App, date: NaiveDate) -> (u32, u32) {
    let calendar = app.calendar();
    let first = NaiveDate::from_ymd_opt(PILOT.0, PILOT.1, PILOT.2).unwrap_or(date);
    let end = shanghai_date(super::demo_end());
    let workdays = |from: NaiveDate, to: NaiveDate| {
        from.iter_days().take_while(|d| *d < to).filter(|d| calendar.is_workday(*d).unwrap_or(false)).count() as u32
    };
    (workdays(first, date), workdays(first, end).max(1))
}

const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"];
const MEN: [&str; 6] = ["建华", "志强", "伟", "军", "磊", "洋"];
const WOMEN: [&str; 6] = ["秀英", "丽", "芳", "敏", "静", "婷"];

/// A citizen identity number (GB 11643-1999) for the demo's own people: order numbers 800–999,
/// apart from the window demo's.
fn id_number(region: &str, birth: NaiveDate, order: u32) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let body = format!("{region}{}{:03}", birth.format("%Y%m%d"), 800 + order % 200);
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

fn party(n: u32, man: bool, region: &str, birth: NaiveDate, permit: Option<&str>) -> DeskParty {
    let name = format!(
        "{}{}",
        SURNAMES[(n as usize + usize::from(man)) % SURNAMES.len()],
        if man { MEN[n as usize % MEN.len()] } else { WOMEN[n as usize % WOMEN.len()] }
    );
    // 顺序码: odd for a man, even for a woman.
    let order = 2 * n + u32::from(man);
    DeskParty {
        person: PersonInput {
            name,
            id_number: id_number(region, birth, order),
            phone: None,
            address: None,
            division: region.into(),
        },
        residence_permit_division: permit.map(str::to_string),
    }
}

async fn actor(app: &App, username: &str) -> anyhow::Result<Actor> {
    let account = app.account_by_username(username).await?;
    Ok(Actor { account_id: account.id, username: account.username, grants: account.grants })
}

/// The demo's marriage work of one day (`day`: 09:00 of a working day). Refusals are part of the
/// demo; only a failure of the system itself stops it.
pub async fn day(app: &App, clock: &SimulatedClock, day: DateTime<Utc>) -> anyhow::Result<()> {
    let afternoon = day + Duration::hours(6);
    if app.now() < afternoon {
        clock.set(afternoon).map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    // The server's sweep runs every minute; here once a day: cooling-off periods end, windows lapse.
    app.sweep_once(app.now()).await?;
    let clerk = actor(app, &format!("clerk{OFFICE}")).await?;
    let reviewer = actor(app, "reviewer").await?;
    let decider = actor(app, "decider").await?;
    let date = shanghai_date(day);
    let n = date.ordinal();
    let birth = |year: i32| NaiveDate::from_ymd_opt(year, 1 + n % 12, 1 + n % 28).unwrap_or(date);
    let pilot = NaiveDate::from_ymd_opt(PILOT.0, PILOT.1, PILOT.2).is_some_and(|p| date >= p);
    let mut couples: Vec<(DeskParty, DeskParty)> = Vec::new();
    if n.is_multiple_of(3) {
        couples.push((party(n, true, OFFICE, birth(1993), None), party(n, false, "511703", birth(1995), None)));
    }
    if n.is_multiple_of(13) {
        // A groom who turns 22 tomorrow: refused at the desk (民法典第一千零四十七条), on record.
        let young = date.with_year(date.year() - 22).and_then(|d| d.succ_opt()).unwrap_or(date);
        couples.push((party(n + 1, true, OFFICE, young, None), party(n + 1, false, OFFICE, birth(1998), None)));
    }
    if pilot {
        // The pilot's registrations by 居住证 at the 通川区 desk, spread evenly over its working days
        // so that the year ends with the Dazhou report's figures (达州市民政局 2021年度法治政府建设
        // 工作情况报告: 20 跨省, 30 跨地市, 556 跨区县 by the end of 2021).
        let (k, days) = pilot_day(app, date);
        let quota = |total: u32| (total * (k + 1) / days).saturating_sub(total * k / days);
        let permit = Some(OFFICE);
        let mut j = 0u32;
        let next = |j: &mut u32| {
            *j += 1;
            (n + 2 + *j, birth(1960 + *j as i32))
        };
        for _ in 0..quota(CROSS_COUNTY) {
            // Both 达川区, living in 通川区: 跨区县.
            let (m, b) = next(&mut j);
            couples.push((party(m, true, "511703", b, permit), party(m, false, "511703", b, permit)));
        }
        for _ in 0..quota(CROSS_PREFECTURE) {
            // 成都 and 重庆: the nearer party in the province, 跨地市.
            let (m, b) = next(&mut j);
            couples.push((party(m, true, "510104", b, permit), party(m, false, "500101", b, permit)));
        }
        for _ in 0..quota(CROSS_PROVINCE) {
            // Both 重庆: 跨省.
            let (m, b) = next(&mut j);
            couples.push((party(m, true, "500101", b, permit), party(m, false, "500101", b, permit)));
        }
    }
    for (a, b) in couples {
        let input = DeskInput {
            office: OFFICE.into(),
            parties: [a, b],
            declaration_signed: true,
            materials: ["id_cards", "household_registers", "declaration"].map(str::to_string).to_vec(),
            idempotency_key: None,
        };
        match app.marriage_desk_register(&clerk, &input).await {
            Ok(DeskOutcome::Registered { .. } | DeskOutcome::Refused(_)) => {}
            Err(e) => tracing::warn!(error = %e, "demo marriage not registered"),
        }
    }
    if n.is_multiple_of(10) {
        receive_divorce(app, &clerk).await?;
    }
    work_divorces(app, &clerk, &reviewer, &decider, date).await
}

/// Receives a divorce of the longest-married couple of the office still married (every other
/// one; the applicant a resident of the office's county, whose status the clerk may read) and not
/// already applying.
async fn receive_divorce(app: &App, clerk: &Actor) -> anyhow::Result<()> {
    let open = CaseQuery {
        item: Some("divorce-registration".into()),
        state: Some("in_progress".into()),
        ..Default::default()
    };
    let mut applying = Vec::new();
    for view in app.cases(clerk, &open).await? {
        let parties = app.divorce_facts(clerk, view.case.id).await?.map(|f| f.parties).unwrap_or_default();
        applying.extend(parties.into_iter().map(|(person, _)| person));
    }
    let query =
        CaseQuery { item: Some("marriage-registration".into()), state: Some("closed".into()), ..Default::default() };
    let mut married = app.cases(clerk, &query).await?;
    married.sort_by_key(|v| v.case.id);
    let candidate = |v: &&service::cases::CaseView| {
        v.case.id % 2 == 0 && v.case.cross_region == CrossRegion::None && !applying.contains(&v.case.applicant)
    };
    for view in married.iter().filter(candidate) {
        let status = app.marital_status(clerk, view.case.applicant).await;
        let Some(spouse) = status.ok().filter(|s| s.status == "married").and_then(|s| s.spouse_person_id) else {
            continue;
        };
        if applying.contains(&spouse) {
            continue;
        }
        let input = SubmitCase {
            item: "divorce-registration".into(),
            channel: "window".into(),
            applicant: ApplicantRef::Person(view.case.applicant),
            accepting_division: OFFICE.into(),
            situation: Some("ordinary".into()),
            materials: ["id_cards", "household_registers", "marriage_certificates", "divorce_agreement", "application"]
                .map(str::to_string)
                .to_vec(),
            data: json!({ "other_party": spouse }),
            idempotency_key: None,
        };
        // Already applying (an open divorce of the same couple) or refused: try the next couple.
        let Ok(submitted) = app.submit_case(clerk, &input).await else { continue };
        if app.act_on_case(clerk, submitted.view.case.id, None, &Action::Accept).await.is_ok() {
            return Ok(());
        }
    }
    Ok(())
}

/// The open divorces: a third withdrawn by the other party on the tenth day of the cooling-off
/// period, a third given their certificate on the window's first day, a third left to lapse.
async fn work_divorces(
    app: &App,
    clerk: &Actor,
    reviewer: &Actor,
    decider: &Actor,
    date: NaiveDate,
) -> anyhow::Result<()> {
    let query = CaseQuery {
        item: Some("divorce-registration".into()),
        state: Some("in_progress".into()),
        ..Default::default()
    };
    for view in app.cases(clerk, &query).await? {
        let id = view.case.id;
        let received = view.case.accepted_at.map(shanghai_date);
        match (view.case.step.as_deref(), id % 3) {
            (Some("cooling_off"), 0) if received.is_some_and(|r| date >= r + Duration::days(10)) => {
                let other = app.divorce_facts(clerk, id).await?.and_then(|f| f.parties.get(1).map(|p| p.0));
                let withdraw = Action::Withdraw { reason: "一方不愿意离婚".into(), party: other };
                let _ = app.act_on_case(clerk, id, None, &withdraw).await;
            }
            (Some("issuance_window"), 1) => {
                let approve = |opinion: &str| Action::Review { verdict: Verdict::Approve, opinion: opinion.into() };
                let acts: [(&Actor, Action); 5] = [
                    (clerk, approve("双方亲自到场申请发给离婚证")),
                    (reviewer, approve("确属自愿，对子女抚养、财产及债务处理协商一致")),
                    (
                        decider,
                        Action::Decide {
                            grant: true,
                            reasons: "准予离婚登记".into(),
                            basis: "《中华人民共和国民法典》第一千零七十八条".into(),
                        },
                    ),
                    (clerk, Action::Produce),
                    (clerk, Action::Issue),
                ];
                for (actor, action) in acts {
                    if app.act_on_case(actor, id, None, &action).await.is_err() {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}
