//! Social assistance as a township officer works it, on both backends: the township's own lines
//! of its county's payment roll.

use service::assistance::{HouseholdInput, HouseholdVersionInput, IncomeInput, MemberInput};
use service::ErrorKind;
use test_support::{on_both, Db, TestApp};

use crate::assistance::{
    after_publicity, at_publicity, grant, household, minimum_living_submit, staff, submit_to_publicity, Staff, COUNTY,
    TOWNSHIP,
};
use crate::{id_number, person_input, test_app};

const OTHER_TOWNSHIP: &str = "511702002"; // 通川区西城街道

/// A one-person urban household in `township` with 300 元 of income a month in 2020–2021,
/// entered by county staff; returns (household id, applicant person id).
pub(crate) async fn household_in(t: &TestApp, county: &Staff, township: &str, order: u32) -> (i64, i64) {
    let app = &t.app;
    let a = app
        .create_person(&county.clerk, &person_input("王一", &id_number("511702", "19700301", order), None, township))
        .await
        .expect("applicant")
        .id;
    let income = (0..24)
        .map(|i| IncomeInput {
            person_id: a,
            month: format!("{}-{:02}", 2020 + i / 12, i % 12 + 1),
            kind: "工资性收入".into(),
            amount_yuan: "300".into(),
            until: None,
            basis: None,
        })
        .collect();
    let input = HouseholdInput {
        division: township.into(),
        urban: true,
        version: HouseholdVersionInput {
            valid_from: "2021-01-01".into(),
            members: vec![MemberInput { person_id: a, relationship: "applicant".into(), ..Default::default() }],
            income,
            assets: vec![],
        },
    };
    (app.create_household(&county.officer, &input).await.expect("household").id, a)
}

/// County-level staff who reach every township of the county.
pub(crate) async fn county_staff(t: &TestApp) -> Staff {
    Staff {
        clerk: t.staff("clerk_c", "clerk", COUNTY).await,
        officer: t.staff("officer_c", "township_officer", COUNTY).await,
        county_decider: t.staff("decider_c2", "decider", COUNTY).await,
    }
}

async fn a_township_reads_its_own_lines_of_the_payment_roll(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let county = county_staff(&t).await;
    let app = &t.app;
    let (own, own_applicant) = household(&t, &s, 11, "1024").await;
    let own_case = at_publicity(&t, &s, own, own_applicant).await;
    let (other, other_applicant) = household_in(&t, &county, OTHER_TOWNSHIP, 31).await;
    let mut submit = minimum_living_submit(other_applicant);
    submit.accepting_division = OTHER_TOWNSHIP.into();
    let application = service::assistance::ApplicationInput {
        household_id: other,
        program: "minimum_living".into(),
        ..Default::default()
    };
    let other_case = submit_to_publicity(&t, &county, submit, application).await;
    after_publicity(&t).await;
    app.act_on_case(&s.county_decider, own_case, None, &grant()).await.expect("own");
    app.act_on_case(&s.county_decider, other_case, None, &grant()).await.expect("other");

    // The county's roll has both; the township officer may read rolls, and reads its own lines.
    let leader = t.staff("leader_c", "leader", COUNTY).await;
    let whole = app.payment_roll(&leader, COUNTY, "2021-08").await.expect("county roll");
    assert_eq!(whole.lines.len(), 2);
    let mine = app.payment_roll(&s.officer, TOWNSHIP, "2021-08").await.expect("township roll");
    assert_eq!((mine.division.as_str(), mine.county.as_str()), (TOWNSHIP, COUNTY));
    assert_eq!(mine.division_name, "四川省达州市通川区东城街道");
    let households: Vec<i64> = mine.lines.iter().map(|l| l.household_id).collect();
    assert_eq!(households, vec![own]);
    assert_eq!(mine.total_fen, mine.lines[0].amount_fen);
    assert_eq!(mine.totals.len(), 1);
    assert_eq!(mine.changes.len(), 1, "only its own new line: {:?}", mine.changes);
    // Its export is the same part, recorded on the township's roll stream.
    let export = app.payment_roll_export(&s.officer, TOWNSHIP, "2021-08").await.expect("export");
    assert_eq!(export.lines, mine.lines);
    assert_eq!(crate::acts(app, &format!("payment_roll:{TOWNSHIP}")).await, ["assistance.roll_export"]);
    // Not the county's whole roll, nor another township's lines.
    assert_eq!(app.payment_roll(&s.officer, COUNTY, "2021-08").await.expect_err("county").kind, ErrorKind::Forbidden);
    assert_eq!(
        app.payment_roll(&s.officer, OTHER_TOWNSHIP, "2021-08").await.expect_err("sibling").kind,
        ErrorKind::Forbidden
    );
    // A prefecture or an unknown code is still no roll's division.
    for bad in ["511700", "511702999", "5117"] {
        let e = app.payment_roll(&leader, bad, "2021-08").await.expect_err(bad);
        assert_eq!(e.code, "invalid_county", "{bad}");
    }
}
on_both!(township_roll, a_township_reads_its_own_lines_of_the_payment_roll);

/// A person born on `birth` (YYYYMMDD) alone in a household of the township, with a 一级
/// physical disability certificate; returns (household id, person id).
async fn disabled_alone(t: &TestApp, s: &Staff, birth: &str, order: u32) -> (i64, i64) {
    let app = &t.app;
    let p = app
        .create_person(&s.clerk, &person_input("赵小", &id_number("511702", birth, order), None, TOWNSHIP))
        .await
        .expect("person")
        .id;
    let input = HouseholdInput {
        division: TOWNSHIP.into(),
        urban: true,
        version: HouseholdVersionInput {
            valid_from: "2021-01-01".into(),
            members: vec![MemberInput {
                person_id: p,
                relationship: "applicant".into(),
                disability_category: Some("physical".into()),
                disability_grade: Some(1),
                ..Default::default()
            }],
            ..Default::default()
        },
    };
    (app.create_household(&s.officer, &input).await.expect("household").id, p)
}

/// Submits, registers the application and accepts a case; returns its id.
async fn accepted(
    t: &TestApp,
    s: &Staff,
    submit: service::cases::SubmitCase,
    application: service::assistance::ApplicationInput,
) -> i64 {
    let app = &t.app;
    let id = app.submit_case(&s.clerk, &submit).await.expect("submit").view.case.id;
    app.register_assistance_application(&s.officer, id, &application).await.expect("application");
    app.act_on_case(&s.officer, id, None, &domain::engine::action::Action::Accept).await.expect("accept");
    id
}

/// Approves the township review; returns the step the case entered.
async fn township_review(t: &TestApp, s: &Staff, id: i64) -> String {
    use domain::engine::action::{Action, Verdict};
    let approve = Action::Review { verdict: Verdict::Approve, opinion: "经调查属实".into() };
    t.app.act_on_case(&s.officer, id, None, &approve).await.expect("review").case.step.unwrap_or_default()
}

fn poverty_submit(applicant: i64, situation: &str) -> service::cases::SubmitCase {
    service::cases::SubmitCase {
        item: "extreme-poverty-support".into(),
        channel: "window".into(),
        applicant: service::cases::ApplicantRef::Person(applicant),
        accepting_division: TOWNSHIP.into(),
        situation: Some(situation.into()),
        materials: [
            "application",
            "hukou",
            "id_card",
            "income_assets_declaration",
            "supporter_situation",
            "disability_certificate",
            "care_preference",
        ]
        .map(str::to_string)
        .to_vec(),
        data: serde_json::json!({}),
        idempotency_key: None,
    }
}

fn subsidy_submit(applicant: i64) -> service::cases::SubmitCase {
    service::cases::SubmitCase {
        item: "disability-subsidy".into(),
        channel: "window".into(),
        applicant: service::cases::ApplicantRef::Person(applicant),
        accepting_division: TOWNSHIP.into(),
        situation: Some("care_subsidy".into()),
        materials: ["application_form", "id_card", "hukou", "disability_certificate", "bank_account"]
            .map(str::to_string)
            .to_vec(),
        data: serde_json::json!({}),
        idempotency_key: None,
    }
}

async fn a_minor_is_never_publicised_whatever_the_situation_chosen(db: Db) {
    use crate::assistance::morning;
    let t = test_app(db).await;
    let s = staff(&t).await; // 2021-07-05
                             // A disabled 12-year-old under 特困, entered at the window as 残疾人 (not 未成年人).
    let (child_household, child) = disabled_alone(&t, &s, "20090301", 41).await;
    let application = service::assistance::ApplicationInput {
        household_id: child_household,
        program: "extreme_poverty".into(),
        beneficiary: Some(child),
        supporter: Some("none".into()),
        ..Default::default()
    };
    let poverty = accepted(&t, &s, poverty_submit(child, "disabled"), application).await;

    // 两项补贴: the beneficiary's age on the day the review completes decides. One turns 18 on
    // 07-06 (publicised), the other on 07-07 (still a minor on 07-06: not publicised); both
    // were minors when accepted on 07-05.
    let (h18, adult) = disabled_alone(&t, &s, "20030706", 43).await;
    let (h17, minor) = disabled_alone(&t, &s, "20030707", 45).await;
    let care = |h: i64, p: i64| service::assistance::ApplicationInput {
        household_id: h,
        program: "disability_care".into(),
        beneficiary: Some(p),
        ..Default::default()
    };
    let adult_case = accepted(&t, &s, subsidy_submit(adult), care(h18, adult)).await;
    let minor_case = accepted(&t, &s, subsidy_submit(minor), care(h17, minor)).await;

    t.clock.set(morning(2021, 7, 6)).expect("forward");
    assert_eq!(township_review(&t, &s, poverty).await, "confirm", "a minor under 特困 is not publicised");
    assert_eq!(township_review(&t, &s, adult_case).await, "publicity", "18 on the day the step is reached");
    assert_ne!(township_review(&t, &s, minor_case).await, "publicity", "17 on the day the step is reached");
    // The record says the step was passed over.
    let events = t.app.case_events(&s.officer, minor_case).await.expect("events");
    assert!(events.iter().any(|e| e.payload.contains(r#""skipped":["publicity"]"#)), "{events:?}");
}
on_both!(minors_not_publicised, a_minor_is_never_publicised_whatever_the_situation_chosen);

/// An elderly person alone, granted 特困 support from August 2021; returns (household, person).
async fn granted_extreme_poverty(t: &TestApp, s: &Staff, order: u32) -> (i64, i64) {
    let app = &t.app;
    let elder = app
        .create_person(&s.clerk, &person_input("李老", &id_number("511702", "19450101", order), None, TOWNSHIP))
        .await
        .expect("elder")
        .id;
    let alone = HouseholdInput {
        division: TOWNSHIP.into(),
        urban: true,
        version: HouseholdVersionInput {
            valid_from: "2021-01-01".into(),
            members: vec![MemberInput { person_id: elder, relationship: "applicant".into(), ..Default::default() }],
            ..Default::default()
        },
    };
    let alone = app.create_household(&s.officer, &alone).await.expect("household").id;
    let mut submit = poverty_submit(elder, "elderly");
    submit.materials.retain(|m| m != "disability_certificate");
    let application = service::assistance::ApplicationInput {
        household_id: alone,
        program: "extreme_poverty".into(),
        beneficiary: Some(elder),
        supporter: Some("none".into()),
        ..Default::default()
    };
    let case = submit_to_publicity(t, s, submit, application).await;
    after_publicity(t).await;
    app.act_on_case(&s.county_decider, case, None, &grant()).await.expect("特困");
    (alone, elder)
}

async fn a_death_recorded_on_the_person_is_seen_by_every_program_roll_and_form(db: Db) {
    use crate::assistance::morning;
    use service::deaths::DeathInput;
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let (household, elder) = granted_extreme_poverty(&t, &s, 71).await;
    let leader = t.staff("leader_c", "leader", COUNTY).await;
    let paid = |roll: &service::assistance::PaymentRollView| roll.lines.iter().any(|l| l.payee == elder);
    assert!(paid(&app.payment_roll(&leader, COUNTY, "2021-10").await.expect("roll")));

    // The death recorded on the person's record from its source document.
    t.clock.set(morning(2021, 9, 15)).expect("forward");
    let death = DeathInput { date: "2021-09-10".into(), source_document: "死亡医学证明 N511702210001".into() };
    app.record_death(&s.clerk, elder, &death).await.expect("death recorded");

    // Paid for the month of death, stopped from the next (payment::last_paid_month_after_death).
    let september = app.payment_roll(&leader, COUNTY, "2021-09").await.expect("roll");
    assert!(paid(&september));
    let october = app.payment_roll(&leader, COUNTY, "2021-10").await.expect("roll");
    assert!(!paid(&october), "{:?}", october.lines);
    assert!(october.changes.iter().any(|c| c.payee == elder && c.kind == "stopped"));
    // The township's own roll says the same.
    assert!(!paid(&app.payment_roll(&s.officer, TOWNSHIP, "2021-10").await.expect("roll")));

    // The person and the household show it.
    assert_eq!(app.person(&s.officer, elder).await.expect("person").died_on.as_deref(), Some("2021-09-10"));
    let view = app.household(&s.officer, household).await.expect("household");
    assert!(view.versions.iter().all(|v| v.members[0].died_on.as_deref() == Some("2021-09-10")));

    // No new application in the deceased's name: by record, or by ID number at the window.
    let again = app.submit_case(&s.clerk, &minimum_living_submit(elder)).await.expect_err("deceased");
    assert_eq!(again.problems[0].code, "applicant_deceased", "{again:?}");
    assert_eq!(again.problems[0].field, "applicant.person_id");
    let mut by_id = minimum_living_submit(elder);
    by_id.applicant =
        service::cases::ApplicantRef::New(person_input("李老", &id_number("511702", "19450101", 71), None, TOWNSHIP));
    let again = app.submit_case(&s.clerk, &by_id).await.expect_err("deceased by id");
    assert_eq!(again.problems[0].code, "applicant_deceased", "{again:?}");
}
on_both!(death_on_the_person, a_death_recorded_on_the_person_is_seen_by_every_program_roll_and_form);

async fn a_death_stated_in_a_household_version_is_on_the_person_record(db: Db) {
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let (household, applicant) = household(&t, &s, 11, "1024").await;
    let members = app.household(&s.officer, household).await.expect("household").versions[0].members.clone();
    let child = members.iter().find(|m| m.person_id != applicant).expect("second member").person_id;
    let version = HouseholdVersionInput {
        valid_from: "2021-06-01".into(),
        members: vec![
            MemberInput { person_id: applicant, relationship: "applicant".into(), ..Default::default() },
            MemberInput {
                person_id: child,
                relationship: "child".into(),
                died_on: Some("2021-05-20".into()),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    app.add_household_version(&s.officer, household, &version).await.expect("version");
    assert_eq!(app.person(&s.officer, child).await.expect("person").died_on.as_deref(), Some("2021-05-20"));
    assert_eq!(app.person(&s.officer, applicant).await.expect("person").died_on, None);
    let again = app.submit_case(&s.clerk, &minimum_living_submit(child)).await.expect_err("deceased");
    assert_eq!(again.problems[0].code, "applicant_deceased", "{again:?}");
}
on_both!(death_in_a_household, a_death_stated_in_a_household_version_is_on_the_person_record);

async fn the_roll_carries_the_payees_account_encrypted_and_masked(db: Db) {
    use crate::{count, select_all_as_text};
    let t = test_app(db).await;
    let s = staff(&t).await;
    let app = &t.app;
    let pool = t.db.raw().await;
    let (h, a) = household(&t, &s, 11, "1024").await;
    let case = app.submit_case(&s.clerk, &minimum_living_submit(a)).await.expect("submit").view.case.id;
    // Refused as a whole, naming each field; nothing written.
    let bad = service::assistance::ApplicationInput {
        household_id: h,
        program: "minimum_living".into(),
        account_kind: Some("cash".into()),
        account_number: Some("6228480402564890017".into()),
        ..Default::default()
    };
    let refused = app.register_assistance_application(&s.officer, case, &bad).await.expect_err("bad account");
    let codes: Vec<(&str, &str)> = refused.problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
    assert_eq!(
        codes,
        vec![
            ("account_kind", "invalid_account_kind"),
            ("account_bank", "account_bank_required"),
            ("account_number", "account_number_check")
        ]
    );
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM assistance_applications").await, 0);
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM assistance_payee_accounts").await, 0);

    let good = service::assistance::ApplicationInput {
        account_kind: Some("social_security_card".into()),
        account_bank: Some("中国农业银行达州分行".into()),
        account_number: Some("6228 4804 0256 4890 018".into()),
        ..bad
    };
    let registered = app.register_assistance_application(&s.officer, case, &good).await.expect("application");
    let shown = Some("社会保障卡 中国农业银行达州分行 6228***********0018".to_string());
    assert_eq!(registered.payee_account, shown);
    let on_page = app.assistance_application(&s.officer, case).await.expect("read").expect("recorded");
    assert_eq!(on_page.payee_account, shown, "masked on the case page, even for full readers");
    // At rest: sealed, never in clear, not even in the event.
    let stored = select_all_as_text(&pool, "assistance_payee_accounts").await.join("|");
    assert!(!stored.contains("6228480402564890018") && stored.contains("6228***********0018"), "{stored}");
    let events = app.case_events(&s.officer, case).await.expect("events");
    assert!(events.iter().all(|e| !e.payload.contains("6228480402564890018")));

    app.act_on_case(&s.officer, case, None, &domain::engine::action::Action::Accept).await.expect("accept");
    while app.case(&s.officer, case).await.expect("case").case.step.as_deref() != Some("publicity") {
        let approve = domain::engine::action::Action::Review {
            verdict: domain::engine::action::Verdict::Approve,
            opinion: "经调查属实".into(),
        };
        app.act_on_case(&s.officer, case, None, &approve).await.expect("review");
    }
    after_publicity(&t).await;
    app.act_on_case(&s.county_decider, case, None, &grant()).await.expect("grant");

    // Masked for a reader without full access; in full for one with it (the read recorded).
    let leader = t.staff("leader_c", "leader", COUNTY).await;
    let masked = app.payment_roll(&leader, COUNTY, "2021-08").await.expect("roll");
    let account = masked.lines[0].account.clone().expect("account on the line");
    assert_eq!((account.kind_name.as_str(), account.bank.as_str()), ("社会保障卡", "中国农业银行达州分行"));
    assert_eq!(account.number, "6228***********0018");
    let full = app.payment_roll(&s.county_decider, COUNTY, "2021-08").await.expect("roll");
    assert!(full.full_ids);
    assert_eq!(full.lines[0].account.as_ref().map(|a| a.number.as_str()), Some("6228480402564890018"));
    // The township's own roll and its export (the workbook's data) carry it too.
    let export = app.payment_roll_export(&s.officer, TOWNSHIP, "2021-08").await.expect("export");
    let numbers: Vec<&str> =
        export.lines.iter().filter_map(|l| l.account.as_ref()).map(|a| a.number.as_str()).collect();
    assert!(numbers.contains(&"6228480402564890018"), "{numbers:?}");
}
on_both!(payee_account, the_roll_carries_the_payees_account_encrypted_and_masked);

async fn the_publicity_records_where_and_when_it_was_posted_in_natural_days(db: Db) {
    use crate::count;
    use service::assistance_publicity::PostingInput;
    let t = test_app(db).await;
    let s = staff(&t).await; // Monday 2021-07-05 09:00
    let app = &t.app;
    let pool = t.db.raw().await;
    let (h, a) = household(&t, &s, 11, "1024").await;
    let case = at_publicity(&t, &s, h, a).await;

    let period = app.publicity(&s.officer, case).await.expect("publicity");
    assert_eq!(period.period.as_deref(), Some("7 天（自然日）"));
    assert_eq!(period.due.as_deref(), Some("2021-07-12"));
    // Natural days, not working days (5 working days are left to 07-12).
    assert_eq!((period.remaining, period.days_unit.as_deref()), (Some(7), Some("天")));
    assert_eq!(app.case(&s.officer, case).await.expect("case").step_deadline.remaining_days, Some(7));

    let posting = |place: &str, at: &str| PostingInput { place: place.into(), posted_at: at.into() };
    let before = count(&pool, "SELECT COUNT(*) FROM assistance_publicity_postings").await;
    for (input, code) in [
        (posting(" ", "2021-07-05T08:30"), "publicity_place_required"),
        (posting("朝阳社区公示栏", "2021-07-05 10:30"), "posted_in_future"),
        (posting("朝阳社区公示栏", "2021-07-04 10:00"), "posted_before_publicity"),
        (posting("朝阳社区公示栏", "7月5日"), "invalid_posted_at"),
        (posting("公示\u{7}栏", "2021-07-05 08:30"), "invalid_publicity_place"),
    ] {
        let e = app.record_publicity_posting(&s.officer, case, &input).await.expect_err(code);
        assert_eq!(e.problems[0].code, code, "{e:?}");
    }
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM assistance_publicity_postings").await, before, "nothing written");

    let view = app
        .record_publicity_posting(&s.officer, case, &posting("朝阳社区居委会公示栏", "2021-07-05T08:30"))
        .await
        .expect("posted");
    assert_eq!(view.postings.len(), 1);
    assert_eq!(view.postings[0].place, "朝阳社区居委会公示栏");
    assert_eq!(view.postings[0].posted_at, "2021-07-05 08:30");
    assert_eq!(view.postings[0].period_end.as_deref(), Some("2021-07-12"));
    assert!(crate::acts(app, &format!("case:{case}")).await.contains(&"assistance.publicity_posted".to_string()));
    // Outside the jurisdiction: refused.
    let neighbour = t.staff("officer_n", "township_officer", "511703001").await;
    let e =
        app.record_publicity_posting(&neighbour, case, &posting("公示栏", "2021-07-05 08:30")).await.expect_err("x");
    assert_eq!(e.kind, ErrorKind::Forbidden);

    // After the period the case is no longer at its 公示: nothing more to post.
    after_publicity(&t).await;
    let e = app
        .record_publicity_posting(&s.officer, case, &posting("公示栏", "2021-07-13 08:30"))
        .await
        .expect_err("not at publicity");
    assert_eq!(e.code, "not_at_publicity");
    let later = app.publicity(&s.officer, case).await.expect("publicity");
    assert_eq!((later.period, later.postings.len()), (None, 1), "the posting stays on record");
}
on_both!(publicity_postings, the_publicity_records_where_and_when_it_was_posted_in_natural_days);

async fn a_household_whose_only_member_died_is_not_called_for_a_recheck(db: Db) {
    use crate::assistance::morning;
    use service::deaths::DeathInput;
    let t = test_app(db).await;
    let s = staff(&t).await;
    let county = county_staff(&t).await;
    let app = &t.app;
    let (alone, person) = household_in(&t, &county, TOWNSHIP, 51).await;
    let (alive, _) = household(&t, &s, 61, "1024").await;
    let alive_applicant = app.household(&s.officer, alive).await.expect("h").versions[0].members[0].person_id;
    let application = |h: i64| service::assistance::ApplicationInput {
        household_id: h,
        program: "minimum_living".into(),
        ..Default::default()
    };
    let first = submit_to_publicity(&t, &s, minimum_living_submit(person), application(alone)).await;
    let second = submit_to_publicity(&t, &s, minimum_living_submit(alive_applicant), application(alive)).await;
    after_publicity(&t).await;
    app.act_on_case(&s.county_decider, first, None, &grant()).await.expect("grant");
    app.act_on_case(&s.county_decider, second, None, &grant()).await.expect("grant");
    t.clock.set(morning(2021, 9, 15)).expect("forward");
    let death = DeathInput { date: "2021-09-10".into(), source_document: "死亡医学证明 N511702210051".into() };
    app.record_death(&s.clerk, person, &death).await.expect("death");
    // 动态管理 a year on: only the living household is due (the other's payment ended with September).
    let leader = t.staff("leader_c", "leader", COUNTY).await;
    let due = app.rechecks_due(&leader, COUNTY, "2022-07-13").await.expect("due");
    let cases: Vec<i64> = due.iter().map(|d| d.case_id).collect();
    assert_eq!(cases, vec![second], "{due:?}");
}
on_both!(no_recheck_after_death, a_household_whose_only_member_died_is_not_called_for_a_recheck);
