//! Citizens' accounts (实名): registered bound to their person, one account per person; online
//! they apply for themselves or, declared, for a close relative, never for a stranger; a second
//! application of the same item for the same person is refused while the first is open.

use domain::engine::action::Action;
use domain::person::PersonInput;
use serde_json::json;
use service::cases::{ApplicantRef, SubmitCase};
use service::citizens::CitizenSignup;
use service::ErrorKind;
use test_support::{on_both, Db};

use crate::{count, id_number, person_input, test_app};

const PASSWORD: &str = "citizen-pass-2021";

fn signup(username: &str, person: PersonInput) -> CitizenSignup {
    CitizenSignup { username: username.into(), password: PASSWORD.into(), person }
}

/// 两项补贴 online, as the demo's citizens apply (disability subsidy, care situation).
fn subsidy(applicant: PersonInput, relation: Option<&str>) -> SubmitCase {
    let mut data = json!({"hukou_division": "511702001"});
    if let Some(relation) = relation {
        data["applicant_relation"] = json!(relation);
    }
    SubmitCase {
        item: "disability-subsidy".into(),
        channel: "online".into(),
        applicant: ApplicantRef::New(applicant),
        accepting_division: "511702001".into(),
        situation: Some("care_subsidy".into()),
        materials: ["application_form", "id_card", "hukou", "disability_certificate", "bank_account"]
            .map(String::from)
            .to_vec(),
        data,
        idempotency_key: None,
    }
}

async fn a_citizen_registers_as_one_person_once(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let number = id_number("511702", "19800101", 71);
    let me = person_input("张群众", &number, Some("13912345678"), "511702");

    // Every problem of the form at once, nothing written.
    let accounts = count(&raw, "SELECT COUNT(*) FROM accounts").await;
    let bad = signup("x", person_input("", &id_number("511702", "19800101", 71)[..17], None, "511702"));
    let err =
        app.register_citizen(&CitizenSignup { password: "short".into(), ..bad }, "10.0.0.1").await.expect_err("bad");
    let mut fields: Vec<&str> = err.problems.iter().map(|p| p.field.as_str()).collect();
    fields.sort();
    fields.dedup();
    assert_eq!(fields, ["id_number", "name", "password", "username"], "{err:?}");
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM accounts").await, accounts);

    let account = app.register_citizen(&signup("zhang", me.clone()), "10.0.0.1").await.expect("registered");
    let person = account.person_id.expect("bound to a person");
    assert_eq!(account.grants.iter().map(|g| g.role.as_str()).collect::<Vec<_>>(), ["citizen"]);
    let events = app.store.stream_events(&format!("account:{}", account.id)).await.expect("events");
    assert!(events.iter().any(|e| e.act == "account.register"), "the registration is recorded");

    // One account per person: the same ID number again is refused, naming the field.
    let err = app.register_citizen(&signup("zhang2", me.clone()), "10.0.0.2").await.expect_err("twice");
    assert_eq!((err.code, err.field.as_deref()), ("person_has_account", Some("id_number")));
    // A person on file under another name: the typed name is not theirs.
    let other = id_number("511702", "19700101", 72);
    let clerk = t.staff("clerk_c", "clerk", "511702").await;
    let theirs = app.create_person(&clerk, &person_input("李登记", &other, None, "511702")).await.expect("on file");
    let err = app
        .register_citizen(&signup("imposter", person_input("王冒名", &other, None, "511702")), "10.0.0.3")
        .await
        .expect_err("not their name");
    assert_eq!((err.code, err.field.as_deref()), ("name_mismatch", Some("name")));
    // With the record's name: bound to the record on file, no second person.
    let persons = count(&raw, "SELECT COUNT(*) FROM persons").await;
    let li = app.register_citizen(&signup("li_dj", person_input("李登记", &other, None, "511702")), "10.0.0.3").await;
    assert_eq!(li.unwrap_or_else(|e| panic!("registered: {e:?}")).person_id, Some(theirs.id));
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM persons").await, persons);
    assert_ne!(person, theirs.id);
    // The username is one account's.
    let err = app
        .register_citizen(
            &signup("li_dj", person_input("赵新", &id_number("511702", "19900101", 73), None, "511702")),
            "10.0.0.4",
        )
        .await
        .expect_err("username");
    assert_eq!((err.code, err.field.as_deref()), ("username_taken", Some("username")));
}
on_both!(register, a_citizen_registers_as_one_person_once);

async fn online_a_citizen_applies_for_themselves_or_a_declared_relative(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let me = person_input("张群众", &id_number("511702", "19800101", 81), None, "511702");
    let citizen_account = app.register_citizen(&signup("zhang", me.clone()), "10.0.0.1").await.expect("registered");
    let citizen = domain::access::Actor {
        account_id: citizen_account.id,
        username: citizen_account.username.clone(),
        grants: citizen_account.grants.clone(),
    };
    let stranger = person_input("陌生人", &id_number("511702", "19600101", 82), None, "511702");

    // A stranger typed as oneself is refused, naming the ID number.
    let err = app.submit_case(&citizen, &subsidy(stranger.clone(), None)).await.expect_err("not me");
    assert_eq!((err.code, err.field.as_deref()), ("not_account_holder", Some("applicant.id_number")));
    // A relation outside the close relatives of 民法典第一千零四十五条 is refused.
    let err = app.submit_case(&citizen, &subsidy(stranger.clone(), Some("friend"))).await.expect_err("friend");
    assert_eq!(
        err.problems.first().map(|p| (p.field.as_str(), p.code)),
        Some(("applicant_relation", "unknown_relation"))
    );
    // Oneself declared as one's own parent: choose 本人.
    let err = app.submit_case(&citizen, &subsidy(me.clone(), Some("parent"))).await.expect_err("me as parent");
    assert_eq!(err.code, "relation_is_self");

    // Oneself: accepted; the same item again while it is open: refused, naming the applicant.
    let mine = app.submit_case(&citizen, &subsidy(me.clone(), None)).await.expect("mine").view;
    assert_eq!(Some(mine.case.applicant), citizen_account.person_id);
    let err = app.submit_case(&citizen, &subsidy(me.clone(), None)).await.expect_err("again");
    assert_eq!(
        (err.kind, err.code, err.field.as_deref()),
        (ErrorKind::Conflict, "duplicate_application", Some("applicant.id_number"))
    );
    assert!(err.message.contains("请勿重复申请"), "{}", err.message);
    // At the window too: the same person, the same item.
    let officer = t.staff("officer_t", "township_officer", "511702001").await;
    let window = SubmitCase { channel: "window".into(), ..subsidy(me.clone(), None) };
    assert_eq!(app.submit_case(&officer, &window).await.expect_err("window").code, "duplicate_application");
    // Once withdrawn (closed), a new application goes ahead.
    app.act_on_case(&citizen, mine.case.id, None, &Action::Withdraw { reason: "重新申请".into(), party: None })
        .await
        .expect("withdrawn");
    app.submit_case(&citizen, &subsidy(me.clone(), None)).await.expect("after the first closed");

    // A declared relative: accepted, and the relation is kept with the case.
    let mother = person_input("张母亲", &id_number("511702", "19550101", 84), None, "511702");
    let theirs = app.submit_case(&citizen, &subsidy(mother, Some("parent"))).await.expect("for my mother").view;
    let kept = app.store.case(theirs.case.id).await.expect("case");
    assert!(kept.state.contains("\"applicant_relation\":\"parent\""), "{}", kept.state);

    // An account without its person (made before 实名) applies for nobody until it is bound.
    let legacy = t.staff("legacy", "citizen", "511702").await;
    let err = app.submit_case(&legacy, &subsidy(stranger.clone(), None)).await.expect_err("unbound");
    assert_eq!((err.kind, err.code), (ErrorKind::Invalid, "citizen_unverified"));
    app.bind_citizen(&legacy, &stranger).await.expect("bound");
    app.submit_case(&legacy, &subsidy(stranger.clone(), None)).await.expect("now as themselves");
    // Bound once: a second binding, or the same person for another account, is refused.
    assert_eq!(app.bind_citizen(&legacy, &me).await.expect_err("bound").code, "account_bound");
    let other = t.staff("other", "citizen", "511702").await;
    assert_eq!(app.bind_citizen(&other, &me).await.expect_err("taken").code, "person_has_account");
}
on_both!(online, online_a_citizen_applies_for_themselves_or_a_declared_relative);

/// Who acted, as a page names them: a staff member by the name on their account, a citizen as
/// 申请人 (never by the username they chose, here their phone number, nor by their name), another
/// node as that node, the system as 系统; each account looked up once for a page.
async fn a_citizen_is_named_as_the_applicant(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let me = person_input("张群众", &id_number("511702", "19800101", 72), Some("13912345678"), "511702");
    let account = app.register_citizen(&signup("zhang13912345678", me), "10.0.0.9").await.expect("registered");
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    let citizen = format!("account:{}:zhang13912345678", account.id);
    assert_eq!(app.actor_label(&citizen).await, "申请人");
    assert_eq!(app.actor_label(&clerk.label()).await, "测试clerk702");
    assert_eq!(app.actor_label("system").await, "系统");
    assert_eq!(app.actor_label("node:510000").await, "四川省节点");
    assert_eq!(app.actor_label("account:999999:gone").await, "工作人员");
    let labels = app.actor_labels(&[citizen.as_str(), clerk.label().as_str(), citizen.as_str()]).await;
    assert_eq!(labels.len(), 2);
    assert_eq!(labels[&citizen], "申请人");
}
on_both!(named, a_citizen_is_named_as_the_applicant);
