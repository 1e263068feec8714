//! The evaluation shown before the decision (核算预览) and income entered as the officer has it,
//! on both backends: the township sees at 初审 what the county's decision will compute (rule
//! version, standard, income window, trace), the months of the window with nothing on record are
//! named and hold up a grant, and a period entered as a monthly average or a total counts month by
//! month.

use domain::engine::action::{Action, Verdict};
use service::assistance::{ApplicationInput, HouseholdInput, HouseholdVersionInput, IncomeInput, MemberInput};
use service::ErrorKind;
use test_support::{on_both, Db, TestApp};

use crate::assistance::{after_publicity, grant, minimum_living_submit, staff, Staff, TOWNSHIP};
use crate::{count, id_number, person_input, test_app};

fn period(person_id: i64, month: &str, until: &str, basis: &str, amount: &str) -> IncomeInput {
    IncomeInput {
        person_id,
        month: month.into(),
        kind: "工资性收入".into(),
        amount_yuan: amount.into(),
        until: Some(until.into()),
        basis: Some(basis.into()),
    }
}

/// Two people; the officer has only the applicant's April–June 2021 income, as a monthly average
/// of 600 元 (one line, not three).
async fn household_with_three_months(t: &TestApp, s: &Staff) -> (i64, i64, i64) {
    let app = &t.app;
    let a = app
        .create_person(&s.clerk, &person_input("王一", &id_number("511702", "19700301", 61), None, TOWNSHIP))
        .await
        .expect("applicant")
        .id;
    let b = app
        .create_person(&s.clerk, &person_input("王二", &id_number("511702", "20050601", 62), None, TOWNSHIP))
        .await
        .expect("child")
        .id;
    let input = HouseholdInput {
        division: TOWNSHIP.into(),
        urban: true,
        version: HouseholdVersionInput {
            valid_from: "2021-01-01".into(),
            members: vec![
                MemberInput { person_id: a, relationship: "applicant".into(), ..Default::default() },
                MemberInput { person_id: b, relationship: "child".into(), ..Default::default() },
            ],
            income: vec![period(a, "2021-04", "2021-06", "monthly", "600")],
            assets: vec![],
        },
    };
    let view = app.create_household(&s.officer, &input).await.expect("household");
    assert_eq!(view.versions[0].income.len(), 3, "a period is kept month by month");
    (view.id, a, b)
}

async fn the_township_sees_the_evaluation_before_the_decision(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let (household, a, b) = household_with_three_months(&t, &s).await;
    let id = app.submit_case(&s.clerk, &minimum_living_submit(a)).await.expect("submit").view.case.id;
    let none = app.assistance_preview(&s.officer, id).await.expect_err("no application yet");
    assert_eq!(none.code, "assistance_application_missing");
    let application =
        ApplicationInput { household_id: household, program: "minimum_living".into(), ..Default::default() };
    app.register_assistance_application(&s.officer, id, &application).await.expect("application");
    app.act_on_case(&s.officer, id, None, &Action::Accept).await.expect("accept");

    // 初审 (the township's investigation): the preview, from the same evaluation as the decision.
    let p = app.assistance_preview(&s.officer, id).await.expect("preview");
    assert_eq!(p.rule_version, "511700-2021-07");
    assert_eq!(p.rule_effective_from, "2021-07-01");
    assert_eq!(p.standard_yuan.as_deref(), Some("650"));
    assert_eq!(p.income_window, Some(("2021-01".to_string(), "2021-06".to_string())));
    assert_eq!(p.income_months, Some(6));
    assert_eq!(p.missing_months, vec!["2021-01", "2021-02", "2021-03"]);
    assert!(p.trace.iter().any(|l| l.contains("2021年1月、2021年2月、2021年3月")), "{:?}", p.trace);
    // Counted as zero the three months would halve the income: 1800 / 6 / 2 = 150 per capita.
    assert!(p.trace.iter().any(|l| l.contains("家庭月人均收入 150 元")), "{:?}", p.trace);
    assert!(p.eligible);
    let pool = t.db.raw().await;
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM assistance_decisions").await, 0, "a preview decides nothing");
    let reads = count(
        &pool,
        &format!(
            "SELECT COUNT(*) FROM audit_events WHERE stream IN ('person:{a}', 'person:{b}') AND act = 'person.read'"
        ),
    )
    .await;
    assert_eq!(reads, 2, "the members whose data the preview shows: one read each");
    // Not for an officer of another county.
    let outsider = t.staff("officer_x", "township_officer", "511703001").await;
    assert_eq!(app.assistance_preview(&outsider, id).await.expect_err("outside").kind, ErrorKind::Forbidden);

    // The investigation does not pass on an incomplete window: refused, naming the months and
    // where to fill them in; nothing is written.
    let approve = Action::Review { verdict: Verdict::Approve, opinion: "经调查属实".into() };
    let revision = app.case(&s.officer, id).await.expect("case").case.revision;
    let refused = app.act_on_case(&s.officer, id, None, &approve).await.expect_err("missing months");
    assert_eq!((refused.kind, refused.code), (ErrorKind::Invalid, "investigation_data_missing"));
    assert!(refused.message.contains("2021年1月、2021年2月、2021年3月"), "{}", refused.message);
    assert_eq!(app.case(&s.officer, id).await.expect("case").case.revision, revision, "nothing written");

    // The officer enters what was missing as the period's total (1800 元 over January–March).
    let view = app.household(&s.officer, household).await.expect("household");
    let members = view.versions[0]
        .members
        .iter()
        .map(|m| MemberInput { person_id: m.person_id, relationship: m.relationship.clone(), ..Default::default() })
        .collect();
    let version = HouseholdVersionInput {
        valid_from: "2021-07-05".into(),
        members,
        income: vec![
            period(a, "2021-01", "2021-03", "total", "1800"),
            period(a, "2021-04", "2021-06", "monthly", "600"),
        ],
        assets: vec![],
    };
    app.add_household_version(&s.officer, household, &version).await.expect("completed");

    // At every review step, and at the county.
    while app.case(&s.officer, id).await.expect("case").case.step.as_deref() != Some("publicity") {
        app.act_on_case(&s.officer, id, None, &approve).await.expect("review");
        assert!(app.assistance_preview(&s.officer, id).await.expect("preview").missing_months.is_empty());
    }
    after_publicity(&t).await;
    let p = app.assistance_preview(&s.county_decider, id).await.expect("preview at the county");
    assert_eq!(p.evaluated_on, "2021-07-13");
    assert!(p.missing_months.is_empty(), "{:?}", p.missing_months);
    assert!(p.trace.iter().any(|l| l.contains("家庭月人均收入 300 元 < 城市低保标准 650 元")), "{:?}", p.trace);
    assert_eq!(p.amount_fen, 2 * 35_000);

    // The decision computes what the preview showed.
    app.act_on_case(&s.county_decider, id, None, &grant()).await.expect("grant");
    let d = app.assistance_decision(&s.officer, id).await.expect("decision");
    assert_eq!((d.amount_fen, d.rule_version.as_str()), (p.amount_fen, p.rule_version.as_str()));
    assert_eq!(d.trace, p.trace);
    assert_eq!(app.assistance_preview(&s.officer, id).await.expect_err("decided").code, "already_decided");
}
on_both!(preview, the_township_sees_the_evaluation_before_the_decision);

async fn income_periods_are_checked_by_the_one_parser(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let a = app
        .create_person(&s.clerk, &person_input("赵一", &id_number("511702", "19700301", 63), None, TOWNSHIP))
        .await
        .expect("applicant")
        .id;
    let input = |income: Vec<IncomeInput>| HouseholdInput {
        division: TOWNSHIP.into(),
        urban: true,
        version: HouseholdVersionInput {
            valid_from: "2021-01-01".into(),
            members: vec![MemberInput { person_id: a, relationship: "applicant".into(), ..Default::default() }],
            income,
            assets: vec![],
        },
    };
    let bad = app
        .create_household(&s.officer, &input(vec![period(a, "2021-06", "2021-01", "average", "100")]))
        .await
        .expect_err("bad period");
    let codes: Vec<(&str, &str)> = bad.problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
    assert_eq!(
        codes,
        vec![("income[0].basis", "invalid_income_basis"), ("income[0].until", "invalid_income_period")],
        "{bad:?}"
    );
    let pool = t.db.raw().await;
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM assistance_households").await, 0, "nothing written");
    // A total of 100 元 over 3 months: 33.34 + 33.33 + 33.33, stored month by month.
    let view = app
        .create_household(&s.officer, &input(vec![period(a, "2020-12", "2021-02", "total", "100")]))
        .await
        .expect("ok");
    let amounts: Vec<(&str, &str)> =
        view.versions[0].income.iter().map(|i| (i.month.as_str(), i.amount_yuan.as_str())).collect();
    assert_eq!(amounts, vec![("2020-12", "33.34"), ("2021-01", "33.33"), ("2021-02", "33.33")]);
}
on_both!(income_periods, income_periods_are_checked_by_the_one_parser);
