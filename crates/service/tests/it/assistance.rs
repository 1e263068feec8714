//! Social assistance through the real database, on both backends: households as dated versions,
//! the eligibility boundary through the service, the decision stored with the decide act (rule
//! version, trace, authority), delegation in force / not yet in force / revoked on the day of the
//! act, an objection during publicity, and the payment roll from the stored decisions.

use chrono::{TimeZone, Utc};
use domain::access::Actor;
use domain::engine::action::{Action, Verdict};
use domain::engine::case::{CaseStatus, Outcome};
use serde_json::json;
use service::assistance::{ApplicationInput, HouseholdInput, HouseholdVersionInput, IncomeInput, MemberInput};
use service::cases::{ApplicantRef, SubmitCase};
use service::delegations::DelegationInput;
use service::ErrorKind;
use test_support::{on_both, Db, TestApp};

use crate::{acts, count, id_number, person_input, test_app};

pub(crate) const TOWNSHIP: &str = "511702001"; // 通川区东城街道
const OTHER_TOWNSHIP: &str = "511702002"; // 通川区西城街道
pub(crate) const COUNTY: &str = "511702";

pub(crate) fn morning(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 1, 0, 0).single().expect("instant")
}

pub(crate) struct Staff {
    pub(crate) clerk: Actor,
    pub(crate) officer: Actor,
    pub(crate) county_decider: Actor,
}

/// The 低保 item (v1) is in force from 2021-07-01: the tests start on Monday 2021-07-05.
pub(crate) async fn staff(t: &TestApp) -> Staff {
    t.clock.set(morning(2021, 7, 5)).expect("forward");
    Staff {
        clerk: t.staff("clerk_t", "clerk", TOWNSHIP).await,
        officer: t.staff("officer_t", "township_officer", TOWNSHIP).await,
        county_decider: t.staff("decider_c", "decider", COUNTY).await,
    }
}

/// The applicant's 残联 certificate, as a new version of the household from 2021-02-01: 一级,
/// physical.
pub(crate) fn grade_one_certificate(a: i64) -> HouseholdVersionInput {
    HouseholdVersionInput {
        valid_from: "2021-02-01".into(),
        members: vec![MemberInput {
            person_id: a,
            relationship: "applicant".into(),
            disability_category: Some("physical".into()),
            disability_grade: Some(1),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// Household `h`'s application for the care subsidy, for its applicant `a`.
pub(crate) fn care_application(h: i64, a: i64) -> ApplicationInput {
    ApplicationInput { household_id: h, program: "disability_care".into(), beneficiary: Some(a), ..Default::default() }
}

/// A two-person urban household in the township with `monthly` yuan of income for the applicant in
/// every month of 2020-2021; returns (household id, applicant person id).
pub(crate) async fn household(t: &TestApp, s: &Staff, order: u32, monthly: &str) -> (i64, i64) {
    let app = &t.app;
    let a = app
        .create_person(&s.clerk, &person_input("张一", &id_number("511702", "19700301", order), None, TOWNSHIP))
        .await
        .expect("applicant")
        .id;
    let b = app
        .create_person(&s.clerk, &person_input("张二", &id_number("511702", "20050601", order + 1), None, TOWNSHIP))
        .await
        .expect("child")
        .id;
    let income = (0..24)
        .map(|i| IncomeInput {
            person_id: a,
            month: format!("{}-{:02}", 2020 + i / 12, i % 12 + 1),
            kind: "工资性收入".into(),
            amount_yuan: monthly.into(),
            ..Default::default()
        })
        .collect();
    let input = HouseholdInput {
        division: TOWNSHIP.into(),
        urban: true,
        version: HouseholdVersionInput {
            valid_from: "2021-01-01".into(),
            members: vec![
                MemberInput { person_id: a, relationship: "applicant".into(), ..Default::default() },
                MemberInput { person_id: b, relationship: "child".into(), ..Default::default() },
            ],
            income,
            assets: vec![],
        },
    };
    let view = app.create_household(&s.officer, &input).await.expect("household");
    (view.id, a)
}

/// A 低保 case of `applicant` at the window of the township, ordinary situation, all materials.
pub(crate) fn minimum_living_submit(applicant: i64) -> SubmitCase {
    SubmitCase {
        item: "minimum-living-allowance".into(),
        channel: "window".into(),
        applicant: ApplicantRef::Person(applicant),
        accepting_division: TOWNSHIP.into(),
        situation: Some("ordinary".into()),
        materials: [
            "application",
            "household_hukou",
            "id_cards",
            "income_assets_declaration",
            "verification_authorisation",
            "bank_account",
        ]
        .map(str::to_string)
        .to_vec(),
        data: json!({}),
        idempotency_key: None,
    }
}

/// Submits a 低保 case for the household, records its application, accepts it and passes the
/// investigation and the township review: the case is at the publicity step.
pub(crate) async fn at_publicity(t: &TestApp, s: &Staff, household: i64, applicant: i64) -> i64 {
    let application =
        ApplicationInput { household_id: household, program: "minimum_living".into(), ..Default::default() };
    let id = submit_to_publicity(t, s, minimum_living_submit(applicant), application).await;
    assert_eq!(t.app.case(&s.officer, id).await.expect("case").case.step.as_deref(), Some("publicity"));
    id
}

pub(crate) fn grant() -> Action {
    Action::Decide { grant: true, reasons: String::new(), basis: String::new() }
}

/// Publicity entered 2021-07-05: 7 days end 07-12; the sweep on 07-13 moves the case to confirm.
pub(crate) async fn after_publicity(t: &TestApp) {
    let now = morning(2021, 7, 13);
    t.clock.set(now).expect("forward");
    t.app.sweep_once(now).await.expect("sweep");
}

async fn the_boundary_is_decided_from_the_records_and_the_decision_is_explained(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    // 2 people: 1300 元/month = 650 per capita, equal to the standard → not below it.
    let (equal, equal_applicant) = household(&t, &s, 11, "1300").await;
    let (below, below_applicant) = household(&t, &s, 21, "1024").await;
    let equal_case = at_publicity(&t, &s, equal, equal_applicant).await;
    let below_case = at_publicity(&t, &s, below, below_applicant).await;
    after_publicity(&t).await;

    let refused = app.act_on_case(&s.county_decider, equal_case, None, &grant()).await.expect_err("equal");
    assert_eq!((refused.kind, refused.code), (ErrorKind::Invalid, "not_eligible"));
    assert!(refused.message.contains("650"), "{}", refused.message);
    let pool = t.db.raw().await;
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM assistance_decisions").await, 0, "nothing half-written");
    // The refusal with reasons: stored with the evaluation.
    let deny = Action::Decide {
        grant: false,
        reasons: "家庭月人均收入不低于当地低保标准".into(),
        basis: "《社会救助暂行办法》第九条".into(),
    };
    let denied = app.act_on_case(&s.county_decider, equal_case, None, &deny).await.expect("deny");
    assert_eq!(denied.case.status, CaseStatus::Closed(Outcome::Denied));
    let d = app.assistance_decision(&s.officer, equal_case).await.expect("decision");
    assert!(!d.granted && !d.eligible);
    assert_eq!(d.amount_fen, 0);

    app.act_on_case(&s.county_decider, below_case, None, &grant()).await.expect("grant");
    let d = app.assistance_decision(&s.officer, below_case).await.expect("decision");
    assert!(d.granted && d.eligible);
    assert_eq!(d.rule_version, "511700-2021-07");
    assert_eq!(d.amount_fen, 2 * 13_800);
    assert_eq!(d.first_month.as_deref(), Some("2021-08"), "低保: from the month after confirmation");
    assert_eq!(d.authority, "本级职权");
    assert!(
        d.trace.iter().any(|l| l.contains("家庭月人均收入 512 元 < 城市低保标准 650 元 → 符合，差额 138 元/人/月")),
        "{:?}",
        d.trace
    );
    assert!(acts(app, &format!("case:{below_case}")).await.contains(&"assistance.decision".to_string()));

    // The payment roll of August: the one granted decision; totals = the decisions' amounts.
    let roll_reader = t.staff("leader_c", "leader", COUNTY).await;
    let roll = app.payment_roll(&roll_reader, COUNTY, "2021-08").await.expect("roll");
    assert_eq!(roll.lines.len(), 1);
    assert_eq!(roll.total_fen, d.amount_fen);
    assert!(!roll.full_ids);
    assert!(roll.lines[0].id_number.contains('*'), "masked for a reader without the right");
    assert_eq!(roll.changes.len(), 1);
    assert_eq!(roll.changes[0].kind, "new");
    assert!(app.payment_roll(&roll_reader, COUNTY, "2021-07").await.expect("july").lines.is_empty());
    let bad = app.payment_roll(&roll_reader, "511700", "2021-13").await.expect_err("bad input");
    assert_eq!(bad.problems.len(), 2, "{bad:?}");
    // 动态管理: the applicant (51) can work → every six months from the decision (07-13).
    let due = app.rechecks_due(&roll_reader, COUNTY, "2022-01-12").await.expect("due");
    assert!(due.is_empty(), "{due:?}");
    let due = app.rechecks_due(&roll_reader, COUNTY, "2022-01-13").await.expect("due");
    assert_eq!(due.len(), 1, "only the granted household: {due:?}");
    assert_eq!((due[0].case_id, due[0].cycle.as_str(), due[0].due.as_str()), (below_case, "half_yearly", "2022-01-13"));
    assert_eq!(app.rechecks_due(&roll_reader, COUNTY, "2022-13-01").await.expect_err("bad").code, "invalid_date");
    let outside = t.staff("leader_x", "leader", "511703").await;
    assert_eq!(app.payment_roll(&outside, COUNTY, "2021-08").await.expect_err("outside").kind, ErrorKind::Forbidden);
}
on_both!(boundary, the_boundary_is_decided_from_the_records_and_the_decision_is_explained);

async fn delegation_decides_who_confirms_on_the_day_of_the_act(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let township_decider = t.staff("decider_t", "decider", TOWNSHIP).await;
    let other_decider = t.staff("decider_o", "decider", OTHER_TOWNSHIP).await;
    let delegate = |division: &str, from: &str| DelegationInput {
        item: "minimum-living-allowance".into(),
        step: "confirm".into(),
        to_level: "township".into(),
        divisions: vec![division.into()],
        from: from.into(),
        document: "达市民发〔2021〕5号".into(),
    };
    // In force from 07-14: not yet on 07-13, the day the cases reach confirmation.
    let rows = app.grant_delegation(None, &delegate(TOWNSHIP, "2021-07-14")).await.expect("delegate");
    let (h1, a1) = household(&t, &s, 31, "1024").await;
    let (h2, a2) = household(&t, &s, 41, "1024").await;
    let first = at_publicity(&t, &s, h1, a1).await;
    let second = at_publicity(&t, &s, h2, a2).await;
    after_publicity(&t).await;

    let early = app.act_on_case(&township_decider, first, None, &grant()).await.expect_err("not yet in force");
    assert_eq!(early.code, "not_permitted");
    // A decider of a township without a delegation cannot confirm (nor see) the case.
    let other = app.act_on_case(&other_decider, first, None, &grant()).await.expect_err("not delegated");
    assert_eq!(other.kind, ErrorKind::Forbidden);

    t.clock.set(morning(2021, 7, 14)).expect("forward");
    app.act_on_case(&township_decider, first, None, &grant()).await.expect("township confirms");
    let d = app.assistance_decision(&township_decider, first).await.expect("decision");
    assert_eq!(d.authority, "下放（达市民发〔2021〕5号）");

    // Revoked from 07-15: the later act is the county's again; the earlier decision keeps its authority.
    app.revoke_delegation(None, rows[0].id, "2021-07-15").await.expect("revoke");
    t.clock.set(morning(2021, 7, 15)).expect("forward");
    let revoked = app.act_on_case(&township_decider, second, None, &grant()).await.expect_err("revoked");
    assert_eq!(revoked.code, "not_permitted");
    app.act_on_case(&s.county_decider, second, None, &grant()).await.expect("county confirms");
    assert_eq!(app.assistance_decision(&s.officer, second).await.expect("d").authority, "本级职权");
    assert_eq!(app.assistance_decision(&s.officer, first).await.expect("d").authority, "下放（达市民发〔2021〕5号）");
}
on_both!(delegation, delegation_decides_who_confirms_on_the_day_of_the_act);

async fn an_objection_during_publicity_sends_the_case_back_to_investigation(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let (h, a) = household(&t, &s, 51, "1024").await;
    let id = at_publicity(&t, &s, h, a).await;
    t.clock.set(morning(2021, 7, 7)).expect("forward");
    let approve = Action::Review { verdict: Verdict::Approve, opinion: String::new() };
    assert_eq!(app.act_on_case(&s.officer, id, None, &approve).await.expect_err("no approval").code, "objection_only");
    let objection =
        Action::Review { verdict: Verdict::Return, opinion: "村民反映申请人另有经营收入".into() };
    let back = app.act_on_case(&s.officer, id, None, &objection).await.expect("objection");
    assert_eq!(back.case.step.as_deref(), Some("investigate"));
    // The old timer no longer runs: a sweep after the first publicity's end moves nothing.
    let now = morning(2021, 7, 13);
    t.clock.set(now).expect("forward");
    assert_eq!(app.sweep_once(now).await.expect("sweep"), 0);
    assert_eq!(app.case(&s.officer, id).await.expect("case").case.step.as_deref(), Some("investigate"));
}
on_both!(objection, an_objection_during_publicity_sends_the_case_back_to_investigation);

async fn households_keep_their_versions_and_refuse_bad_input_in_chinese(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let (h, a) = household(&t, &s, 61, "1000").await;
    let bad = HouseholdVersionInput {
        valid_from: "2021-02-30".into(),
        members: vec![
            MemberInput {
                person_id: a,
                relationship: "cousin".into(),
                disability_grade: Some(5),
                ..Default::default()
            },
            MemberInput { person_id: a, relationship: "applicant".into(), ..Default::default() },
        ],
        income: vec![IncomeInput {
            person_id: 999,
            month: "2021-1".into(),
            kind: "".into(),
            amount_yuan: "-3".into(),
            ..Default::default()
        }],
        assets: vec![],
    };
    let err = app.add_household_version(&s.officer, h, &bad).await.expect_err("bad");
    let codes: Vec<&str> = err.problems.iter().map(|p| p.code).collect();
    for code in [
        "invalid_date",
        "invalid_relationship",
        "disability_incomplete",
        "duplicate_member",
        "income_not_member",
        "invalid_month",
        "invalid_income_kind",
        "invalid_amount",
    ] {
        assert!(codes.contains(&code), "{code} missing in {codes:?}");
    }
    assert!(err.problems.iter().all(|p| !p.message.is_empty() && !p.field.is_empty()));
    // A new version must be later than the last; the old one stays.
    let same = HouseholdVersionInput {
        valid_from: "2021-01-01".into(),
        members: vec![MemberInput { person_id: a, relationship: "applicant".into(), ..Default::default() }],
        ..Default::default()
    };
    assert_eq!(
        app.add_household_version(&s.officer, h, &same).await.expect_err("same day").problems[0].code,
        "version_not_after_last"
    );
    let later = HouseholdVersionInput { valid_from: "2021-05-01".into(), ..same };
    let view = app.add_household_version(&s.officer, h, &later).await.expect("later");
    assert_eq!(view.versions.len(), 2);
    assert_eq!(view.versions[0].members.len(), 2);
    assert_eq!(view.versions[1].members.len(), 1);
    assert!(view.versions[0].members[0].id_number_masked.contains('*'));
    // Outside the jurisdiction: forbidden.
    let outsider = t.staff("officer_x", "township_officer", "511703001").await;
    assert_eq!(app.household(&outsider, h).await.expect_err("outside").kind, ErrorKind::Forbidden);
    // No plaintext ID in the household tables.
    let pool = t.db.raw().await;
    let bodies = crate::select_all_as_text(&pool, "assistance_household_versions").await;
    assert!(bodies.iter().all(|b| !b.contains("19700301")), "no ID number in a household body");
}
on_both!(households, households_keep_their_versions_and_refuse_bad_input_in_chinese);

/// Drives a case from submission to publicity: accept, then approve every review step.
pub(crate) async fn submit_to_publicity(
    t: &TestApp,
    s: &Staff,
    submit: SubmitCase,
    application: ApplicationInput,
) -> i64 {
    let app = &t.app;
    let id = app.submit_case(&s.clerk, &submit).await.expect("submit").view.case.id;
    app.register_assistance_application(&s.officer, id, &application).await.expect("application");
    app.act_on_case(&s.officer, id, None, &Action::Accept).await.expect("accept");
    while app.case(&s.officer, id).await.expect("case").case.step.as_deref() != Some("publicity") {
        let approve = Action::Review { verdict: Verdict::Approve, opinion: "经调查属实".into() };
        app.act_on_case(&s.officer, id, None, &approve).await.expect("review");
    }
    id
}

async fn the_roll_and_its_excel_file_are_the_sum_of_the_decisions(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    // An elderly person living alone without income: 特困.
    let elder = app
        .create_person(&s.clerk, &person_input("李老", &id_number("511702", "19450101", 71), None, TOWNSHIP))
        .await
        .expect("elder")
        .id;
    let alone = HouseholdInput {
        division: TOWNSHIP.into(),
        urban: true,
        version: HouseholdVersionInput {
            valid_from: "2021-01-01".into(),
            members: vec![MemberInput { person_id: elder, relationship: "applicant".into(), ..Default::default() }],
            // No income in the window, entered as 0 a month (the investigation passes only on a
            // full window).
            income: vec![service::assistance::IncomeInput {
                person_id: elder,
                month: "2021-01".into(),
                until: Some("2021-06".into()),
                basis: Some("monthly".into()),
                kind: "工资性收入".into(),
                amount_yuan: "0".into(),
            }],
            ..Default::default()
        },
    };
    let alone = app.create_household(&s.officer, &alone).await.expect("household").id;
    let poverty = SubmitCase {
        item: "extreme-poverty-support".into(),
        channel: "window".into(),
        applicant: ApplicantRef::Person(elder),
        accepting_division: TOWNSHIP.into(),
        situation: Some("elderly".into()),
        materials: [
            "application",
            "hukou",
            "id_card",
            "income_assets_declaration",
            "supporter_situation",
            "care_preference",
        ]
        .map(str::to_string)
        .to_vec(),
        data: json!({}),
        idempotency_key: None,
    };
    let application = ApplicationInput {
        household_id: alone,
        program: "extreme_poverty".into(),
        beneficiary: Some(elder),
        supporter: Some("none".into()),
        ..Default::default()
    };
    let poverty = submit_to_publicity(&t, &s, poverty, application).await;
    let dibao_same_person = at_publicity(&t, &s, alone, elder).await;
    let (h, a) = household(&t, &s, 81, "1024").await;
    let dibao = at_publicity(&t, &s, h, a).await;
    after_publicity(&t).await;

    app.act_on_case(&s.county_decider, poverty, None, &grant()).await.expect("特困");
    app.act_on_case(&s.county_decider, dibao, None, &grant()).await.expect("低保");
    // The 特困 person cannot also be counted for 低保 (国发〔2015〕52号): refused, nothing written.
    let twice = app.act_on_case(&s.county_decider, dibao_same_person, None, &grant()).await.expect_err("twice");
    assert_eq!(twice.code, "not_eligible");
    assert!(twice.message.contains("不得重复享受"), "{}", twice.message);

    let decisions = [
        app.assistance_decision(&s.officer, poverty).await.expect("d"),
        app.assistance_decision(&s.officer, dibao).await.expect("d"),
    ];
    let expected: i64 = decisions.iter().map(|d| d.amount_fen).sum();
    let leader = t.staff("leader_c", "leader", COUNTY).await;
    let roll = app.payment_roll(&leader, COUNTY, "2021-08").await.expect("roll");
    assert_eq!(roll.lines.len(), 2);
    assert_eq!(roll.total_fen, expected);
    assert_eq!(roll.totals.iter().map(|t| t.amount_fen).sum::<i64>(), expected);
    let payees: Vec<i64> = roll.lines.iter().map(|l| l.payee).collect();
    assert_eq!(payees.iter().filter(|p| **p == elder).count(), 1, "paid once");

    // The export (the web renders it as the workbook): the lines' amounts add up to the
    // decisions'; IDs masked for the leader, in full for the county decider (who holds
    // ReadPersonFull), each full read recorded, each export recorded on the roll's stream.
    for (reader, full) in [(&leader, false), (&s.county_decider, true)] {
        let export = app.payment_roll_export(reader, COUNTY, "2021-08").await.expect("export");
        assert_eq!((export.division.as_str(), export.month.as_str()), (COUNTY, "2021-08"));
        assert_eq!(export.full_ids, full);
        assert_eq!(export.lines.len(), 2);
        assert_eq!(export.lines.iter().map(|l| l.amount_fen).sum::<i64>(), expected);
        assert_eq!(export.total_fen, expected);
        for line in &export.lines {
            assert_eq!(line.id_number.contains('*'), !full, "{}", line.id_number);
        }
        assert!(export.totals.iter().any(|t| t.program_name == "特困人员救助供养"));
    }
    assert!(acts(app, &format!("person:{elder}")).await.contains(&"person.read_full".to_string()));
    assert_eq!(
        acts(app, &format!("payment_roll:{COUNTY}")).await,
        ["assistance.roll_export", "assistance.roll_export"]
    );

    // The elder's death, recorded as a new household version: paid for September, stopped from October.
    let death = HouseholdVersionInput {
        valid_from: "2021-09-10".into(),
        members: vec![MemberInput {
            person_id: elder,
            relationship: "applicant".into(),
            died_on: Some("2021-09-10".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    app.add_household_version(&s.officer, alone, &death).await.expect("death recorded");
    let september = app.payment_roll(&leader, COUNTY, "2021-09").await.expect("roll");
    assert!(september.lines.iter().any(|l| l.payee == elder));
    let october = app.payment_roll(&leader, COUNTY, "2021-10").await.expect("roll");
    assert!(!october.lines.iter().any(|l| l.payee == elder));
    assert!(october.changes.iter().any(|c| c.payee == elder && c.kind == "stopped"));
    assert_eq!(october.total_fen, september.total_fen - decisions[0].amount_fen);
}
on_both!(roll, the_roll_and_its_excel_file_are_the_sum_of_the_decisions);

/// 残疾人两项补贴 accepted at a township of another county (通办): pushed to the 户籍地 within 3
/// working days, received, reviewed, publicised, checked by the county 残联, decided within 10
/// working days, returned to the accepting place and told to the applicant within 3; paid from the
/// month of application (国办发〔2020〕35号; 国发〔2015〕52号).
async fn a_subsidy_accepted_elsewhere_is_pushed_decided_at_home_and_returned(db: Db) {
    use domain::engine::action::DeliveryMethod;

    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    const ELSEWHERE: &str = "511703001"; // 达川区三里坪街道
    let far_clerk = t.staff("clerk_far", "clerk", ELSEWHERE).await;
    let far_officer = t.staff("officer_far", "township_officer", ELSEWHERE).await;
    let federation = t.staff("federation", "reviewer", COUNTY).await;
    let (h, a) = household(&t, &s, 91, "300").await;
    let certificate = grade_one_certificate(a);
    app.add_household_version(&s.officer, h, &certificate).await.expect("certificate recorded");
    let submit = SubmitCase {
        item: "disability-subsidy".into(),
        channel: "window".into(),
        // The far window identifies the applicant by the ID card: matched to the record on file.
        applicant: ApplicantRef::New(person_input("张一", &id_number("511702", "19700301", 91), None, TOWNSHIP)),
        accepting_division: ELSEWHERE.into(),
        situation: Some("care_subsidy".into()),
        materials: ["application_form", "id_card", "hukou", "disability_certificate", "bank_account"]
            .map(str::to_string)
            .to_vec(),
        data: json!({ "hukou_division": TOWNSHIP }),
        idempotency_key: None,
    };
    let id = app.submit_case(&far_clerk, &submit).await.expect("accepted anywhere").view.case.id;
    app.act_on_case(&far_officer, id, None, &Action::Accept).await.expect("accept");
    let at_forward = app.case(&far_officer, id).await.expect("case");
    assert_eq!(at_forward.case.step.as_deref(), Some("forward"));
    assert_eq!(at_forward.step_deadline.due.map(|d| d.to_string()).as_deref(), Some("2021-07-08"), "3 个工作日");
    app.act_on_case(&far_officer, id, None, &Action::Forward).await.expect("pushed");
    app.act_on_case(&s.officer, id, None, &Action::Receive).await.expect("received at the 户籍地");
    let application = care_application(h, a);
    app.register_assistance_application(&s.officer, id, &application).await.expect("application");
    let approve = Action::Review { verdict: Verdict::Approve, opinion: "情况属实".into() };
    app.act_on_case(&s.officer, id, None, &approve).await.expect("township review");
    after_publicity(&t).await;
    app.act_on_case(&federation, id, None, &approve).await.expect("残联 checks the certificate");
    let at_decide = app.case(&s.county_decider, id).await.expect("case");
    assert_eq!(at_decide.case.step.as_deref(), Some("decide"));
    assert_eq!(at_decide.step_deadline.due.map(|d| d.to_string()).as_deref(), Some("2021-07-27"), "10 个工作日");
    app.act_on_case(&s.county_decider, id, None, &grant()).await.expect("decided at home");
    let d = app.assistance_decision(&s.county_decider, id).await.expect("decision");
    assert_eq!(d.first_month.as_deref(), Some("2021-07"), "paid from the month of application");
    assert_eq!(d.amount_fen, 8_000);
    app.act_on_case(&s.county_decider, id, None, &Action::ReturnResult).await.expect("returned");
    let at_deliver = app.case(&far_officer, id).await.expect("the accepting place sees it back");
    assert_eq!(at_deliver.case.step.as_deref(), Some("deliver"));
    assert_eq!(at_deliver.step_deadline.due.map(|d| d.to_string()).as_deref(), Some("2021-07-16"), "3 个工作日");
    let deliver = Action::Deliver { method: DeliveryMethod::OnSite, tracking: None };
    let done = app.act_on_case(&far_officer, id, None, &deliver).await.expect("told");
    assert_eq!(done.case.status, CaseStatus::Closed(Outcome::Granted));
}
on_both!(cross_region, a_subsidy_accepted_elsewhere_is_pushed_decided_at_home_and_returned);
