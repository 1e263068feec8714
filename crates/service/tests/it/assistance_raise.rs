//! 提标 on both backends: a raised standard adjusts every paying decision decided under the older
//! version from the month of the raise; the county reviews the batch and confirms each household
//! as one act with its trace line; the roll pays the new amount from that month.

use service::ErrorKind;
use test_support::{on_both, Db};

use crate::assistance::{after_publicity, at_publicity, grant, household, staff, COUNTY};
use crate::{acts, count, test_app};

const RAISE: &str = "511700-2021-07";

async fn a_raise_is_reviewed_and_confirmed_per_household(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    // Two households of 2 people with 1024 元/month (512 per capita): one granted under the
    // January standard (620: 108 × 2 = 216 元, paid from June), one under the July one (650).
    let (old_h, old_a) = household(&t, &s, 11, "1024").await;
    let (new_h, new_a) = household(&t, &s, 21, "1024").await;
    let old_case = at_publicity(&t, &s, old_h, old_a).await;
    let new_case = at_publicity(&t, &s, new_h, new_a).await;
    after_publicity(&t).await;
    app.act_on_case(&s.county_decider, old_case, None, &grant()).await.expect("grant");
    app.act_on_case(&s.county_decider, new_case, None, &grant()).await.expect("grant");
    // The platform's 低保 item is in force from July 2021: the decision under the January standard
    // is one made before it (taken over from the earlier system), as stored.
    let pool = t.db.raw().await;
    sqlx::query(
        "UPDATE assistance_decisions SET rule_version = '511700-2021-01', amount_fen = 21600, \
         first_month = '2021-06', decided_on = '2021-05-20' WHERE case_id = $1",
    )
    .bind(old_case)
    .execute(&pool)
    .await
    .expect("the earlier decision");

    // Who: the county's decider; not the township, not the leader.
    let leader = t.staff("leader_r", "leader", COUNTY).await;
    assert_eq!(app.standard_raise(&s.officer, COUNTY, RAISE).await.expect_err("township").kind, ErrorKind::Forbidden);
    assert_eq!(app.standard_raise(&leader, COUNTY, RAISE).await.expect_err("leader").kind, ErrorKind::Forbidden);
    let bad = app.standard_raise(&s.county_decider, "511702001", "2099").await.expect_err("bad input");
    let codes: Vec<&str> = bad.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, vec!["invalid_county", "unknown_rule_version"]);

    // The batch: only the decision under the older version, re-evaluated under the new one.
    let batch = app.standard_raise(&s.county_decider, COUNTY, RAISE).await.expect("batch");
    assert_eq!(batch.lines.len(), 1, "{:?}", batch.lines);
    let line = &batch.lines[0];
    assert_eq!((line.case_id, line.before_fen, line.amount_fen), (old_case, 21_600, 27_600));
    assert_eq!(line.from_month, "2021-07", "from the month of the raise");
    assert!(line.confirmable, "{:?}", line.reasons);
    assert!(line.trace.iter().any(|l| l.contains("家庭月人均收入 512 元 < 城市低保标准 650 元")), "{:?}", line.trace);
    assert_eq!(
        line.trace.last().map(String::as_str),
        Some("提标：按511700-2021-07（2021年7月1日起施行）重新核算：原月救助金 216 元 → 276 元（增发），自2021年7月起执行")
    );
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM assistance_raise_adjustments").await, 0, "a review writes nothing");

    // Confirming: the amount reviewed must still be the evaluation's; one act per household.
    let changed = app
        .confirm_standard_raise(&s.county_decider, COUNTY, RAISE, old_case, 25_000)
        .await
        .expect_err("not what the evaluation gives");
    assert_eq!((changed.kind, changed.code), (ErrorKind::Conflict, "raise_changed"));
    let outside = app
        .confirm_standard_raise(&s.county_decider, COUNTY, RAISE, new_case, 27_600)
        .await
        .expect_err("already under the new version");
    assert_eq!(outside.code, "not_in_raise");
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM assistance_raise_adjustments").await, 0);
    let done = app.confirm_standard_raise(&s.county_decider, COUNTY, RAISE, old_case, 27_600).await.expect("confirm");
    assert_eq!(done.confirmed_on.as_deref(), Some("2021-07-13"));
    assert!(acts(app, &format!("case:{old_case}")).await.contains(&"assistance.standard_raise".to_string()));
    let again =
        app.confirm_standard_raise(&s.county_decider, COUNTY, RAISE, old_case, 27_600).await.expect_err("twice");
    assert_eq!((again.kind, again.code), (ErrorKind::Conflict, "raise_already_confirmed"));
    let batch = app.standard_raise(&s.county_decider, COUNTY, RAISE).await.expect("batch");
    assert_eq!(batch.lines[0].confirmed_on.as_deref(), Some("2021-07-13"));
    assert!(!batch.lines[0].confirmable);

    // The roll: June at the old amount; from July the new one (调整), beside the other household.
    let june = app.payment_roll(&leader, COUNTY, "2021-06").await.expect("june");
    assert_eq!(june.lines.iter().map(|l| l.amount_fen).collect::<Vec<_>>(), vec![21_600]);
    let july = app.payment_roll(&leader, COUNTY, "2021-07").await.expect("july");
    let line = july.lines.iter().find(|l| l.case_id == old_case).expect("the adjusted household");
    assert_eq!(line.amount_fen, 27_600);
    assert!(july.changes.iter().any(|c| c.kind == "changed" && c.after_yuan == "276"), "{:?}", july.changes);

    // A later re-check compares with what is paid now: the adjusted amount, not the decision's.
    let review = app.open_change_review(&s.officer, old_case, "家庭成员就业情况变化").await.expect("review");
    let p = app.assistance_preview(&s.officer, review.case_id).await.expect("preview of the re-check");
    assert!(
        p.trace.iter().any(|l| l.starts_with("动态复核：原月救助金 276 元 → 276 元（维持原救助金额）")),
        "{:?}",
        p.trace
    );
}
on_both!(standard_raise, a_raise_is_reviewed_and_confirmed_per_household);
