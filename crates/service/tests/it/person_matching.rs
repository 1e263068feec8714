//! An ID number typed in is matched to a person on file the same way on every path (an
//! application at the window or online, a household member, a new person record): the window of
//! one jurisdiction whose applicant is on file in another goes ahead on that record (the same
//! human), learns nothing of it beyond what was typed, and a name that differs is flagged, not
//! dropped.

use service::assistance::{HouseholdInput, HouseholdVersionInput, MemberInput};
use service::cases::{ApplicantRef, SubmitCase};
use service::ErrorKind;
use test_support::{on_both, Db};

use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};
use crate::{acts, count, id_number, person_input, test_app};

async fn an_applicant_on_file_elsewhere_is_attached_and_not_revealed(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let city = city_staff(&t).await; // 达州市 (511700)
    let chengdu = t.staff("clerk_cd", "clerk", "510104").await; // 成都市锦江区
    let number = id_number("510104", "19800101", 31);
    let theirs =
        app.create_person(&chengdu, &person_input("李成都", &number, None, "510104")).await.expect("on file").id;
    let persons = count(&raw, "SELECT COUNT(*) FROM persons").await;

    // At the 达州 window, the applicant typed in with another name: the application goes ahead.
    let typed = person_input("李承都", &number, Some("13912345678"), "511702");
    let window =
        SubmitCase { applicant: ApplicantRef::New(typed.clone()), ..change_application(&CHANGE_MATERIALS, None) };
    let view = app.submit_case(&city.clerk, &window).await.expect("the application goes ahead").view;
    assert_eq!(view.case.applicant, theirs, "the same human: the record on file, not a second one");
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM persons").await, persons);
    // What the clerk is told: what they typed, no record id, no mismatch (that is the record's).
    let applicant = view.applicant.as_ref().expect("applicant");
    assert_eq!(applicant.person_id, None);
    assert_eq!(applicant.name, "李承都");
    assert!(!applicant.name_mismatch);
    let again = app.case(&city.clerk, view.case.id).await.expect("case");
    assert_eq!(again.applicant.as_ref().map(|a| (a.person_id, a.name.as_str())), Some((None, "李承都")));
    // The mismatch is recorded on the record, in its division, with the name typed.
    let events = app.store.stream_events(&format!("person:{theirs}")).await.expect("events");
    let mismatch = events.iter().find(|e| e.act == "person.name_mismatch").expect("flagged, not dropped");
    assert_eq!(mismatch.division.as_deref(), Some("510104"));
    assert!(mismatch.payload.contains("李承都"), "{}", mismatch.payload);
    // Whoever may read the record sees it with the case: its id and the mismatch.
    let province = t.staff("clerk_sc", "clerk", "510000").await;
    let seen = app.case(&province, view.case.id).await.expect("the province reaches both");
    let applicant = seen.applicant.as_ref().expect("applicant");
    assert_eq!(applicant.person_id, Some(theirs));
    assert!(applicant.name_mismatch);

    // Online, the same: a citizen applies for a relative (declared); nothing of the record
    // comes back.
    let citizen = t
        .citizen("citizen_cd", "511702", &person_input("李女儿", &id_number("511702", "20000101", 33), None, "511702"))
        .await;
    let persons = count(&raw, "SELECT COUNT(*) FROM persons").await; // with the citizen's own
    let mut online = SubmitCase { channel: "online".into(), ..window.clone() };
    online.data["applicant_relation"] = serde_json::json!("parent");
    let view = app.submit_case(&citizen, &online).await.expect("online").view;
    assert_eq!(view.case.applicant, theirs);
    assert_eq!(view.applicant.as_ref().map(|a| a.person_id), Some(None));
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM persons").await, persons);

    // The same name typed: no flag. A record the clerk reaches: named as before.
    let same = person_input("李成都", &number, None, "511702");
    let plain = SubmitCase { applicant: ApplicantRef::New(same), ..change_application(&CHANGE_MATERIALS, None) };
    app.submit_case(&city.clerk, &plain).await.expect("again");
    let flags = acts(app, &format!("person:{theirs}")).await.iter().filter(|a| *a == "person.name_mismatch").count();
    assert_eq!(flags, 2, "the window's and the citizen's, not the third");
    let ours_number = id_number("511702", "19800101", 32);
    let ours =
        app.create_person(&city.clerk, &person_input("王达州", &ours_number, None, "511702")).await.expect("ours").id;
    let input = person_input("王达洲", &ours_number, None, "511702");
    let own = SubmitCase { applicant: ApplicantRef::New(input), ..change_application(&CHANGE_MATERIALS, None) };
    let view = app.submit_case(&city.clerk, &own).await.expect("own").view;
    let applicant = view.applicant.as_ref().expect("applicant");
    assert_eq!((applicant.person_id, applicant.name_mismatch), (Some(ours), true));
    assert_eq!(applicant.name, "王达洲", "the name typed is kept");
}
on_both!(elsewhere_applicant, an_applicant_on_file_elsewhere_is_attached_and_not_revealed);

async fn a_household_member_on_file_elsewhere_is_refused_without_naming_the_record(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let officer = t.staff("officer_t", "township_officer", "511702001").await;
    let chengdu = t.staff("clerk_cd", "clerk", "510104").await;
    let number = id_number("510104", "19800101", 41);
    let theirs =
        app.create_person(&chengdu, &person_input("李成都", &number, None, "510104")).await.expect("on file").id;
    let persons = count(&raw, "SELECT COUNT(*) FROM persons").await;

    let err = app
        .household_member(&officer, &person_input("李成都", &number, None, "511702001"))
        .await
        .expect_err("elsewhere");
    assert_eq!((err.kind, err.code), (ErrorKind::Conflict, "person_exists"));
    assert!(!err.message.contains(&theirs.to_string()), "{}", err.message);
    // The same through the person form.
    let err =
        app.create_person(&officer, &person_input("李成都", &number, None, "511702001")).await.expect_err("exists");
    assert_eq!(err.code, "person_exists");
    assert!(!err.message.contains(&theirs.to_string()), "{}", err.message);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM persons").await, persons);

    // A member on file in the township, typed with another name: that record, flagged.
    let own_number = id_number("511702", "19700301", 42);
    let own = app.create_person(&officer, &person_input("张一", &own_number, None, "511702001")).await.expect("own").id;
    let found =
        app.household_member(&officer, &person_input("张壹", &own_number, None, "511702001")).await.expect("found");
    assert_eq!(found, own);
    assert!(acts(app, &format!("person:{own}")).await.contains(&"person.name_mismatch".to_string()));
    // By number alone: that record, nothing flagged.
    let by_number = app.household_member(&officer, &person_input("", &own_number, None, "511702001")).await;
    assert_eq!(by_number.expect("by number"), own);
    // New: registered in the household's division, usable as a member.
    let new_number = id_number("511702", "20050601", 43);
    let new = app.household_member(&officer, &person_input("张二", &new_number, None, "511702001")).await.expect("new");
    let input = HouseholdInput {
        division: "511702001".into(),
        urban: true,
        version: HouseholdVersionInput {
            valid_from: "2021-01-01".into(),
            members: vec![
                MemberInput { person_id: own, relationship: "applicant".into(), ..Default::default() },
                MemberInput { person_id: new, relationship: "child".into(), ..Default::default() },
            ],
            ..Default::default()
        },
    };
    app.create_household(&officer, &input).await.expect("household");
}
on_both!(elsewhere_member, a_household_member_on_file_elsewhere_is_refused_without_naming_the_record);

// The death page takes an ID number: one on file outside the clerk's reach answers exactly as an
// unknown number, so the clerk does not learn that the person is on file elsewhere.
async fn a_death_by_number_elsewhere_reads_as_unknown(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let chengdu = t.staff("clerk_cd", "clerk", "510104").await;
    let number = id_number("510104", "19400101", 51);
    app.create_person(&chengdu, &person_input("李成都", &number, None, "510104")).await.expect("on file");
    let dazhou = t.staff("clerk_dz", "clerk", "511702").await;
    let input =
        service::deaths::DeathInput { date: "2021-05-01".into(), source_document: "死亡医学证明 N1".into() };
    let elsewhere = app.record_death_by_id_number(&dazhou, &number, &input).await.expect_err("elsewhere");
    let unknown = app
        .record_death_by_id_number(&dazhou, &id_number("510104", "19400101", 52), &input)
        .await
        .expect_err("unknown");
    assert_eq!((elsewhere.kind, elsewhere.code, &elsewhere.message), (unknown.kind, unknown.code, &unknown.message));
    assert_eq!(elsewhere.kind, ErrorKind::NotFound);
}
on_both!(death_elsewhere, a_death_by_number_elsewhere_reads_as_unknown);
