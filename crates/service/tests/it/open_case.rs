//! One way a case comes to be (`App::open_case`): staff open a case of their own motion (立案)
//! through it like a window application; what the engine or the opener refuses writes nothing.

use domain::division::DivisionCode;
use serde_json::json;
use service::open_case::{OpenApplicant, OpenCase, OpenChannel, Opener, Party};
use test_support::{on_both, Db};

use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};
use crate::{acts, footprint, test_app};

fn code(text: &str) -> DivisionCode {
    DivisionCode::parse(text).expect("division code")
}

async fn staff_open_a_case_of_their_own_motion(db: Db) {
    let t = test_app(db).await;
    let raw = t.db.raw().await;
    let city = city_staff(&t).await;
    // A person on record: the applicant of an application at the window.
    let submitted = t.app.submit_case(&city.clerk, &change_application(&CHANGE_MATERIALS, None)).await;
    let applied = submitted.expect("submit").view.case;
    let item = t.app.catalog.in_force(&applied.item_slug, t.app.today()).expect("item in force");
    let open = |channel, opened_by, party, key| OpenCase {
        item,
        channel,
        applicant: OpenApplicant::OnFile {
            party,
            snapshot: Some(("申请人".into(), "5117**************".into())),
            on_file: None,
        },
        situation: applied.situation.clone(),
        materials: CHANGE_MATERIALS.iter().map(|m| m.to_string()).collect(),
        accepting: code("511700"),
        competent: applied.competent.clone(),
        facts: json!({"premises_division": "511700"}),
        declared: Default::default(),
        receipt: None,
        opened_by,
        key,
        binding: None,
    };
    let person = Party::Person(applied.applicant);

    let opened = t
        .app
        .open_case(&open(OpenChannel::Staff, Opener::Account(&city.clerk), person, Some("lian-1")))
        .await
        .expect("a clerk opens the case");
    assert!(opened.created);
    let case = opened.case();
    assert_eq!((case.applicant, case.item_slug.as_str()), (applied.applicant, applied.item_slug.as_str()));
    assert_eq!(case.status, applied.status, "opened as an application is submitted");
    assert_ne!(case.number, applied.number);
    let stream = format!("case:{}", opened.id);
    assert_eq!(acts(&t.app, &stream).await, acts(&t.app, &format!("case:{}", applied.id)).await);
    let events = t.app.store.stream_events(&stream).await.expect("events");
    assert_eq!(events[0].actor, city.clerk.label(), "recorded as the clerk's act");
    let row = t.app.store.case(opened.id).await.expect("row");
    assert_eq!(row.columns.channel, "window");

    // The same key again opens nothing new.
    let again = t
        .app
        .open_case(&open(OpenChannel::Staff, Opener::Account(&city.clerk), person, Some("lian-1")))
        .await
        .expect("a retry");
    assert_eq!((again.id, again.created), (opened.id, false));

    let before = footprint(&raw).await;
    // Who may not accept at the office may not open there either (the engine's table).
    let refused =
        t.app.open_case(&open(OpenChannel::Staff, Opener::Account(&city.reviewer), person, None)).await.unwrap_err();
    assert_eq!(refused.code, "not_permitted", "{refused}");
    // An organization applies at a window, never online (an online application is a signed-in
    // person's own): refused, not opened for a person.
    let refused = t
        .app
        .open_case(&open(OpenChannel::Online, Opener::Account(&city.clerk), Party::Organization(1), None))
        .await
        .unwrap_err();
    assert_eq!(refused.code, "organization_online");
    // The system opens only ex officio, and an account never does.
    let system = Opener::System { label: "system", account: None };
    let refused = t.app.open_case(&open(OpenChannel::Staff, system, person, None)).await.unwrap_err();
    assert_eq!(refused.code, "opener_channel_mismatch");
    let refused =
        t.app.open_case(&open(OpenChannel::System, Opener::Account(&city.clerk), person, None)).await.unwrap_err();
    assert_eq!(refused.code, "opener_channel_mismatch");
    assert_eq!(footprint(&raw).await, before, "nothing written");
}
on_both!(staff_open_a_case, staff_open_a_case_of_their_own_motion);
