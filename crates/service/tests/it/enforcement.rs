//! 行政执法 on both backends: the register, 立案 with the limitation check, the gates on who may
//! act (two credentialed officers, recusal, the reviewer), the 法制审核 that sends a case back
//! and then passes, the decision, service, 公示, revocation on 复议 with its accountability
//! review and the withdrawal of the publication; every refusal recorded on the case's stream.

use chrono::{NaiveDate, TimeZone, Utc};
use domain::access::Actor;
use domain::organization::{check_character, org_check_character, OrganizationInput};
use domain::verticals::enforcement::{Act, OfficerInput, Penalty, PenaltyKind, RevokedBy, Stage};
use service::verticals::enforcement::{Evidence, FileInput};
use service::ErrorKind;
use test_support::{on_both, Db, TestApp};

use crate::{acts, count, test_app};

const CITY: &str = "511700";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A valid 统一社会信用代码 of a 社会团体 registered by the Dazhou 民政 (GB 32100-2015).
pub fn uscc(body: &str) -> String {
    let org = format!("{body}{}", org_check_character(body).unwrap());
    let first17 = format!("51{CITY}{org}");
    format!("{first17}{}", check_character(&first17).unwrap())
}

/// Moves the clock to 09:00 Shanghai on `day`.
async fn on(t: &TestApp, day: NaiveDate) {
    let at = Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0).unwrap());
    t.clock.set(at).expect("clock forward");
}

fn officer(name: &str, no: &str, until: &str, lawyer: bool) -> OfficerInput {
    OfficerInput {
        name: name.into(),
        certificate_no: no.into(),
        area: "达州市".into(),
        issued_by: "四川省人民政府".into(),
        valid_from: "2019-01-01".into(),
        valid_until: until.into(),
        training_hours: "60".into(),
        legal_qualification: lawyer,
    }
}

pub struct Staff {
    pub leader: Actor,
    pub officer: Actor,
    pub reviewer: Actor,
    pub decider: Actor,
    /// Register ids: two investigators, a lawyer, one whose credential ended, a third officer.
    pub a: i64,
    pub b: i64,
    pub lawyer: i64,
    pub expired: i64,
    pub c: i64,
}

pub async fn staff(t: &TestApp) -> Staff {
    let leader = t.staff("enf_leader", "leader", CITY).await;
    let app = &t.app;
    let add = |input: OfficerInput| {
        let leader = leader.clone();
        async move { app.enforcement_add_officer(&leader, CITY, &input, "社会组织执法监察").await.expect("officer") }
    };
    let a = add(officer("王执法", "51170021001", "2023-12-31", false)).await;
    let b = add(officer("李执法", "51170021002", "2023-12-31", false)).await;
    let lawyer = add(officer("赵法制", "51170021003", "2023-12-31", true)).await;
    let expired = add(officer("钱过期", "51170021004", "2021-05-31", false)).await;
    let c = add(officer("孙执法", "51170021005", "2023-12-31", false)).await;
    Staff {
        officer: t.staff("enf_officer", "enforcement_officer", CITY).await,
        reviewer: t.staff("enf_reviewer", "legal_reviewer", CITY).await,
        decider: t.staff("enf_decider", "decider", CITY).await,
        leader,
        a,
        b,
        lawyer,
        expired,
        c,
    }
}

pub fn filing(officers: Vec<i64>, major: bool) -> FileInput {
    FileInput {
        division: CITY.into(),
        organization: Some(OrganizationInput {
            name: "达州市某某协会".into(),
            credit_code: uscc("MJ123456"),
            representative: Some("张某".into()),
            division: CITY.into(),
        }),
        person: None,
        violation: "未按规定参加年度检查".into(),
        filed_on: String::new(),
        act_ended_on: "2021-05-31".into(),
        harmful: false,
        major,
        officers,
    }
}

const FINE: Penalty = Penalty { kind: PenaltyKind::Fine, amount_fen: 300_000 };

async fn a_major_case_from_filing_to_publication(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let pool = t.db.raw().await;

    // 立案: the limitation (第三十六条) and two officers (第四十二条).
    let mut late = filing(vec![s.a, s.b], true);
    late.act_ended_on = "2019-05-31".into();
    let err = app.enforcement_file(&s.officer, &late).await.expect_err("limitation");
    assert_eq!(err.code, "limitation_expired");
    let err = app.enforcement_file(&s.officer, &filing(vec![s.a], true)).await.expect_err("one officer");
    assert_eq!(err.code, "two_officers");
    let err = app.enforcement_file(&s.officer, &filing(vec![s.a, s.expired], true)).await.expect_err("expired");
    assert_eq!(err.code, "credential_invalid");
    assert_eq!(
        app.enforcement_file(&s.reviewer, &filing(vec![s.a, s.b], true)).await.unwrap_err().kind,
        ErrorKind::Forbidden
    );
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM enforcement_cases").await, 0, "nothing half-written");
    let id = app.enforcement_file(&s.officer, &filing(vec![s.a, s.b], true)).await.expect("立案");

    // 调查取证: one officer on site is refused, and the refusal is on the record.
    on(&t, d(2021, 6, 3)).await;
    let view = app.enforcement_case(&s.officer, id).await.expect("case");
    assert_eq!(view.stage, Stage::Investigating);
    assert_eq!(view.deadlines.decision_due, Some(d(2021, 8, 30)));
    let mut rev = view.full.case.revision;
    let alone = Act::Record {
        on: d(2021, 6, 3),
        officers: vec![s.a],
        on_site: true,
        title: "现场检查笔录".into(),
        evidence_sm3: None,
    };
    let err = app.enforcement_act(&s.officer, id, rev, alone, None).await.expect_err("alone");
    assert_eq!(err.code, "two_officers");
    assert!(err.message.contains("第四十二条"), "{}", err.message);
    let pdf = b"%PDF-1.4 inspection record".to_vec();
    let record = Act::Record {
        on: d(2021, 6, 3),
        officers: vec![s.a, s.b],
        on_site: true,
        title: "现场检查笔录".into(),
        evidence_sm3: None,
    };
    let view = app
        .enforcement_act(&s.officer, id, rev, record, Some(Evidence { file_name: "笔录.pdf", bytes: &pdf }))
        .await
        .expect("record");
    rev = view.full.case.revision;
    let hash = domain::attachment::sm3_hex(&pdf);
    assert!(matches!(&view.file.acts[0], Act::Record { evidence_sm3: Some(h), .. } if *h == hash));
    assert_eq!(app.enforcement_evidence(&s.officer, id, &hash).await.expect("evidence"), pdf);

    // 告知, then 法制审核 before the decision (第五十八条).
    let notify = Act::Notify { on: d(2021, 6, 3), officers: vec![s.a], penalty: FINE };
    rev = app.enforcement_act(&s.officer, id, rev, notify, None).await.expect("notify").full.case.revision;
    on(&t, d(2021, 6, 7)).await;
    let statement = Act::Statement { on: d(2021, 6, 7), summary: "已补报年检材料".into() };
    rev = app.enforcement_act(&s.officer, id, rev, statement, None).await.expect("statement").full.case.revision;
    let decide = |penalty| Act::Decide {
        on: d(2021, 6, 7),
        penalty,
        facts: "2020年度未参加年检".into(),
        basis: "《社会团体登记管理条例》第三十条".into(),
    };
    let err = app.enforcement_act(&s.decider, id, rev, decide(FINE), None).await.expect_err("no review");
    assert_eq!(err.code, "review_required");
    assert!(err.message.contains("第五十八条"));
    let review = |reviewer, ok: bool| Act::Review {
        on: d(2021, 6, 7),
        reviewer,
        checklist: vec![true, true, ok, true, true, true, true, true],
        note: String::new(),
    };
    let err = app.enforcement_act(&s.reviewer, id, rev, review(s.a, true), None).await.expect_err("investigator");
    assert_eq!(err.code, "reviewer_investigated");
    let err = app.enforcement_act(&s.reviewer, id, rev, review(s.c, true), None).await.expect_err("no qualification");
    assert_eq!(err.code, "reviewer_unqualified");
    assert_eq!(
        app.enforcement_act(&s.officer, id, rev, review(s.lawyer, true), None).await.unwrap_err().kind,
        ErrorKind::Forbidden
    );
    rev = app
        .enforcement_act(&s.reviewer, id, rev, review(s.lawyer, false), None)
        .await
        .expect("sent back")
        .full
        .case
        .revision;
    assert_eq!(app.enforcement_act(&s.decider, id, rev, decide(FINE), None).await.unwrap_err().code, "review_required");
    rev = app
        .enforcement_act(&s.reviewer, id, rev, review(s.lawyer, true), None)
        .await
        .expect("passed")
        .full
        .case
        .revision;
    let discussion =
        Act::Discussion {
            on: d(2021, 6, 7), minutes: "同意罚款三千元".into(), dissent: "一人主张警告".into()
        };
    rev = app.enforcement_act(&s.decider, id, rev, discussion, None).await.expect("discussion").full.case.revision;
    let higher = Penalty { kind: PenaltyKind::Fine, amount_fen: 500_000 };
    assert_eq!(
        app.enforcement_act(&s.decider, id, rev, decide(higher), None).await.unwrap_err().code,
        "penalty_raised"
    );
    // A stale revision is a conflict, never a second decision.
    assert_eq!(
        app.enforcement_act(&s.decider, id, rev - 1, decide(FINE), None).await.unwrap_err().code,
        "enforcement_conflict"
    );
    let view = app.enforcement_act(&s.decider, id, rev, decide(FINE), None).await.expect("decide");
    rev = view.full.case.revision;
    assert_eq!(view.stage, Stage::Decided);
    assert_eq!(view.deadlines.service_due, Some(d(2021, 6, 17)), "7 working days, 端午 06-12..14 off");
    assert_eq!(view.deadlines.publication_due, Some(d(2021, 6, 17)));

    on(&t, d(2021, 6, 8)).await;
    let serve = Act::Serve { on: d(2021, 6, 8), officers: vec![s.a, s.b] };
    rev = app.enforcement_act(&s.officer, id, rev, serve, None).await.expect("serve").full.case.revision;
    let view =
        app.enforcement_act(&s.officer, id, rev, Act::Publish { on: d(2021, 6, 8) }, None).await.expect("publish");
    rev = view.full.case.revision;
    assert_eq!(view.deadlines.payment_due, Some(d(2021, 6, 23)));
    let public = app.enforcement_publications(CITY).await.expect("public");
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].party, "达州市某某协会", "an organization by its name");

    // Revoked on 复议: an accountability review names the officers of record; the
    // publication comes down with its reasons.
    on(&t, d(2021, 9, 1)).await;
    let revoked = Act::Revoked { on: d(2021, 9, 1), by: RevokedBy::Reconsideration, reason: "证据不足".into() };
    let view = app.enforcement_act(&s.officer, id, rev, revoked, None).await.expect("revoked");
    rev = view.full.case.revision;
    let acc = view.full.accountability.clone().expect("accountability");
    assert_eq!(acc.officers, {
        let mut v = vec![s.a, s.b];
        v.sort_unstable();
        v
    });
    assert_eq!(view.deadlines.withdrawal_due, Some(d(2021, 9, 6)));
    let withdraw = Act::Withdraw { on: d(2021, 9, 1), reason: "处罚决定经行政复议撤销".into() };
    app.enforcement_act(&s.officer, id, rev, withdraw, None).await.expect("withdraw");
    assert!(app.enforcement_publications(CITY).await.expect("public").is_empty());

    // The record: every act and every refusal, with the labels the tidy test checks.
    let stream = acts(app, &format!("enforcement:{id}")).await;
    for act in [
        "enforcement.file",
        "enforcement.record",
        "enforcement.review",
        "enforcement.decide",
        "enforcement.accountability",
        "enforcement.withdraw",
    ] {
        assert!(stream.iter().any(|a| a == act), "{act} in {stream:?}");
    }
    let refused = stream.iter().filter(|a| *a == "enforcement.refused").count();
    assert_eq!(refused, 6, "{stream:?}");

    // The figures, from the records.
    let stats = app.enforcement_stats(&s.leader, d(2021, 1, 1), d(2021, 12, 31)).await.expect("stats");
    assert_eq!((stats.cases, stats.decided, stats.decided_in_time), (1, 1, 1));
    assert_eq!((stats.reviews_passed, stats.reviews_returned, stats.hearings), (1, 1, 0));
    assert_eq!(stats.accountability_reviews, 1);
    assert_eq!(stats.fines_fen, 300_000);
    assert_eq!(stats.officers_credentialed, 4, "the one whose credential ended on 2021-05-31 is not counted");
}
on_both!(a_major_case_from_filing_to_publication, a_major_case_from_filing_to_publication);

async fn register_and_public_officers(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    // The 事前公示 shows the officers with a valid credential.
    let public = app.enforcement_public_officers(CITY).await.expect("public");
    let names: Vec<&str> = public.iter().map(|r| r.officer.name.as_str()).collect();
    assert_eq!(names, ["王执法", "李执法", "赵法制", "孙执法"]);
    // A duplicate certificate number and a bad entry are refused; an officer cannot keep the register.
    let dup =
        app.enforcement_add_officer(&s.leader, CITY, &officer("重复", "51170021001", "2023-12-31", false), "").await;
    assert_eq!(dup.unwrap_err().code, "certificate_taken");
    let bad =
        app.enforcement_add_officer(&s.leader, CITY, &officer("", "x y", "2023-12-31", false), "").await.unwrap_err();
    assert_eq!(bad.kind, ErrorKind::Invalid);
    let err = app.enforcement_add_officer(&s.officer, CITY, &officer("某", "N9", "2023-12-31", false), "").await;
    assert_eq!(err.unwrap_err().kind, ErrorKind::Forbidden);
    // A suspended credential: off the public page, and its holder cannot act.
    app.enforcement_suspend_officer(&s.leader, s.b, true).await.expect("suspend");
    assert_eq!(app.enforcement_public_officers(CITY).await.expect("public").len(), 3);
    let err = app.enforcement_file(&s.officer, &filing(vec![s.a, s.b], false)).await.expect_err("suspended");
    assert_eq!(err.code, "credential_invalid");
    // Outside the jurisdiction: nothing.
    let other = t.staff("enf_other", "enforcement_officer", "510100").await;
    let id = app.enforcement_file(&s.officer, &filing(vec![s.a, s.c], false)).await.expect("file");
    assert_eq!(app.enforcement_case(&other, id).await.unwrap_err().kind, ErrorKind::Forbidden);
    assert!(app.enforcement_cases(&other).await.expect("list").is_empty());
    assert_eq!(app.enforcement_cases(&s.officer).await.expect("list").len(), 1);
}
on_both!(register_and_public_officers, register_and_public_officers);

/// The case bundle (`audit export --case`): verified whole; one byte changed in an evidence
/// file, in an event, or in the manifest (re-signed by no one) fails, each with its reason.
async fn a_case_bundle_verifies_and_detects_one_changed_byte(db: Db) {
    use service::verticals::enforcement::bundle::verify_bundle;
    use service::verticals::enforcement::case_number;
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let id = app.enforcement_file(&s.officer, &filing(vec![s.a, s.b], false)).await.expect("立案");
    on(&t, d(2021, 6, 3)).await;
    let view = app.enforcement_case(&s.officer, id).await.expect("case");
    let pdf = b"%PDF-1.4 inspection record of the bundle".to_vec();
    let record = Act::Record {
        on: d(2021, 6, 3),
        officers: vec![s.a, s.b],
        on_site: true,
        title: "现场检查笔录".into(),
        evidence_sm3: None,
    };
    let rev = view.full.case.revision;
    let view = app
        .enforcement_act(&s.officer, id, rev, record, Some(Evidence { file_name: "笔录.pdf", bytes: &pdf }))
        .await
        .expect("record");
    let number = case_number(&view.full.case);
    let notices = vec![("filing".to_string(), "[\"filing\",\"立案审批表\"]".to_string())];
    let files = app.enforcement_bundle(&number, &notices).await.expect("bundle");
    let report = verify_bundle(&files, Some(&app.checkpoint_public_key())).expect("a whole bundle verifies");
    assert_eq!((report.evidence, report.notices), (1, 1));
    assert!(report.events >= 4, "立案, the read, the record, the export: {}", report.events);
    assert!(files.iter().any(|(p, _)| *p == format!("evidence/{}.pdf", domain::attachment::sm3_hex(&pdf))));

    let changed = |path: &str, at: usize| {
        let mut copy = files.clone();
        let entry = copy.iter_mut().find(|(p, _)| p.starts_with(path)).expect("the file");
        let i = at.min(entry.1.len() - 1);
        entry.1[i] ^= 0x01;
        copy
    };
    let err = verify_bundle(&changed("evidence/", 12), None).expect_err("an edited evidence file");
    assert!(err.contains("SM3") && err.contains("evidence/"), "{err}");
    let events = &files.iter().find(|(p, _)| p == "events.jsonl").expect("events").1;
    let at = events.windows(7).position(|w| w == b"\"actor\"").expect("an actor field") + 10;
    let err = verify_bundle(&changed("events.jsonl", at), None).expect_err("an edited event");
    assert!(err.contains("events.jsonl"), "{err}");
    let err = verify_bundle(&changed("manifest.json", 40), None).expect_err("an edited manifest");
    assert!(err.contains("签名"), "{err}");
    // Another key than the bureau's: refused.
    let other = "04".to_string() + &"11".repeat(64);
    assert!(verify_bundle(&files, Some(&other)).is_err());
    // The export is on the case's record.
    let record = app.enforcement_record(&s.officer, id).await.expect("record");
    assert!(record.iter().any(|e| e.act == "enforcement.bundle_exported"));
}
on_both!(a_case_bundle_verifies_and_detects_one_changed_byte, a_case_bundle_verifies_and_detects_one_changed_byte);
