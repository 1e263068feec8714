//! Person records: encrypted at rest, found by ID number, confined to the jurisdiction, every
//! reading recorded, input checked as a whole and stored verbatim.

use service::persons::PersonQuery;
use service::ErrorKind;
use test_support::{on_both, Db};

use crate::{acts, count, footprint, id_number, person_input, select_all_as_text, test_app};

const ID_702: &str = "511702194001011706";
const PHONE_702: &str = "13812345678";
const ID_703: &str = "511703201012311543";

async fn nothing_in_clear_at_rest(db: Db) {
    assert_eq!(id_number("511702", "19400101", 170), ID_702, "the test helper computes check characters");
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    let person = app
        .create_person(&clerk, &person_input("张三", ID_702, Some(PHONE_702), "511702001"))
        .await
        .expect("create person");
    assert_eq!(person.id_number_masked, "5117**************");
    assert_eq!(person.phone_masked.as_deref(), Some("138****5678"));

    let columns = app.store.raw_person_columns().await.expect("raw columns");
    assert_eq!(columns.len(), 7);
    let everything = select_all_as_text(&raw, "persons").await;
    assert!(everything.iter().any(|v| v == "张三"), "the select sees the row: {everything:?}");
    let events = select_all_as_text(&raw, "audit_events").await;
    for value in columns.iter().chain(&everything).chain(&events) {
        assert!(!value.contains(ID_702), "plain ID number stored: {value}");
        assert!(!value.contains(PHONE_702), "plain phone stored: {value}");
        assert!(!value.contains("194001011706") && !value.contains("12345678"), "partial plain text stored: {value}");
    }

    // Found by its ID number (keyed hash), masked, and the search recorded with the number masked.
    let query = PersonQuery { id_number: Some(ID_702.into()), ..PersonQuery::default() };
    let found = app.persons(&clerk, &query).await.expect("search");
    assert_eq!(found.iter().map(|p| p.id).collect::<Vec<_>>(), [person.id]);
    let searches = app.store.stream_events(&format!("account:{}", clerk.account_id)).await.expect("events");
    let search = searches.iter().find(|e| e.act == "person.search").expect("the search is recorded");
    assert!(search.payload.contains("5117**************") && !search.payload.contains(ID_702), "{}", search.payload);
    // A different valid number finds nothing.
    let other = PersonQuery { id_number: Some(ID_703.into()), ..PersonQuery::default() };
    assert!(app.persons(&clerk, &other).await.expect("search").is_empty());
    // An invalid number is refused with the reason, not searched.
    let bad = PersonQuery { id_number: Some("511702194001011707".into()), ..PersonQuery::default() };
    let err = app.persons(&clerk, &bad).await.expect_err("bad checksum");
    assert_eq!((err.kind, err.code), (ErrorKind::Invalid, "id_checksum"));

    // The full view decrypts.
    let full = app.person_full(&clerk, person.id).await.expect("full view");
    assert_eq!(full.id_number, ID_702);
    assert_eq!(full.phone.as_deref(), Some(PHONE_702));
}
on_both!(nothing_in_clear_at_rest, nothing_in_clear_at_rest);

async fn jurisdiction_confines_reads(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let tongchuan = t.staff("clerk702", "clerk", "511702").await;
    let dachuan = t.staff("clerk703", "clerk", "511703").await;
    let city = t.staff("clerk700", "clerk", "511700").await;
    let mine = app.create_person(&tongchuan, &person_input("张三", ID_702, None, "511702001")).await.expect("create");
    let theirs = app.create_person(&dachuan, &person_input("李四", ID_703, None, "511703")).await.expect("create");

    // A 通川区 clerk cannot create, read, read in full, search or list a 达川区 person.
    let raw = t.db.raw().await;
    let before = footprint(&raw).await;
    let other_703 = id_number("511703", "19800101", 123);
    let err = app
        .create_person(&tongchuan, &person_input("王五", &other_703, None, "511703"))
        .await
        .expect_err("create outside the jurisdiction");
    assert_eq!((err.kind, err.code), (ErrorKind::Forbidden, "forbidden"));
    assert_eq!(footprint(&raw).await, before, "a refused create writes nothing");
    assert_eq!(app.person(&tongchuan, theirs.id).await.expect_err("read").kind, ErrorKind::Forbidden);
    assert_eq!(app.person_full(&tongchuan, theirs.id).await.expect_err("read in full").kind, ErrorKind::Forbidden);
    assert!(!acts(app, &format!("person:{}", theirs.id)).await.iter().any(|a| a.starts_with("person.read")));
    let by_id = PersonQuery { id_number: Some(ID_703.into()), ..PersonQuery::default() };
    assert!(app.persons(&tongchuan, &by_id).await.expect("search").is_empty());
    let by_name = PersonQuery { name: Some("李四".into()), ..PersonQuery::default() };
    assert!(app.persons(&tongchuan, &by_name).await.expect("search").is_empty());
    let listed = app.persons(&tongchuan, &PersonQuery::default()).await.expect("list");
    assert_eq!(listed.iter().map(|p| p.id).collect::<Vec<_>>(), [mine.id]);
    // Nor the other way round.
    assert_eq!(app.person(&dachuan, mine.id).await.expect_err("read").kind, ErrorKind::Forbidden);
    let listed = app.persons(&dachuan, &PersonQuery::default()).await.expect("list");
    assert_eq!(listed.iter().map(|p| p.id).collect::<Vec<_>>(), [theirs.id]);

    // A 达州市 clerk sees both.
    assert_eq!(app.person(&city, theirs.id).await.expect("read").id, theirs.id);
    assert_eq!(app.person_full(&city, mine.id).await.expect("read in full").id_number, ID_702);
    assert_eq!(app.persons(&city, &by_id).await.expect("search").len(), 1);
    let mut listed: Vec<i64> =
        app.persons(&city, &PersonQuery::default()).await.expect("list").iter().map(|p| p.id).collect();
    listed.sort();
    assert_eq!(listed, [mine.id, theirs.id]);

    // A missing person is NotFound, not Forbidden.
    assert_eq!(app.person(&city, 999_999).await.expect_err("missing").kind, ErrorKind::NotFound);
}
on_both!(jurisdiction_confines_reads, jurisdiction_confines_reads);

async fn every_reading_is_recorded(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    let person =
        app.create_person(&clerk, &person_input("张三", ID_702, Some(PHONE_702), "511702001")).await.expect("create");
    let stream = format!("person:{}", person.id);
    assert_eq!(acts(app, &stream).await, ["person.create"]);

    let summary = app.person(&clerk, person.id).await.expect("read");
    assert_eq!(summary.id_number_masked, "5117**************");
    assert_eq!(acts(app, &stream).await, ["person.create", "person.read"]);

    let full = app.person_full(&clerk, person.id).await.expect("read in full");
    assert_eq!(full.id_number, ID_702);
    let events = app.store.stream_events(&stream).await.expect("events");
    assert_eq!(
        events.iter().map(|e| e.act.as_str()).collect::<Vec<_>>(),
        ["person.create", "person.read", "person.read_full"]
    );
    let read_full = &events[2];
    assert_eq!(read_full.actor, clerk.label());
    assert_eq!(read_full.division.as_deref(), Some("511702001"));
    assert_eq!(read_full.stream_seq, 3);
    app.verify_record().await.expect("verification runs").expect("the record is whole");
}
on_both!(every_reading_is_recorded, every_reading_is_recorded);

async fn duplicate_id_number_is_a_conflict(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let clerk = t.staff("clerk700", "clerk", "511700").await;
    app.create_person(&clerk, &person_input("张三", ID_702, None, "511702001")).await.expect("create");
    let before = footprint(&raw).await;
    // The same number (with stray spaces) is the same person, whatever the name and division.
    let err = app
        .create_person(&clerk, &person_input("张三丰", &format!(" {ID_702} "), Some(PHONE_702), "511703"))
        .await
        .expect_err("duplicate");
    assert_eq!((err.kind, err.code, err.field.as_deref()), (ErrorKind::Conflict, "person_exists", Some("id_number")));
    assert_eq!(footprint(&raw).await, before, "nothing written");
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM persons").await, 1);

    // A number ending in X is the same person whether typed with x or X.
    let with_x =
        (0..1000).map(|order| id_number("511702", "19850505", order)).find(|n| n.ends_with('X')).expect("some X");
    app.create_person(&clerk, &person_input("赵六", &with_x, None, "511702")).await.expect("create");
    let lower = with_x.to_lowercase();
    let err = app.create_person(&clerk, &person_input("赵六", &lower, None, "511702")).await.expect_err("duplicate");
    assert_eq!((err.kind, err.code), (ErrorKind::Conflict, "person_exists"));
    let query = PersonQuery { id_number: Some(lower), ..PersonQuery::default() };
    assert_eq!(app.persons(&clerk, &query).await.expect("search").len(), 1);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM persons").await, 2);
}
on_both!(duplicate_id_number_is_a_conflict, duplicate_id_number_is_a_conflict);

async fn invalid_input_reports_every_problem_and_writes_nothing(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    let before = footprint(&raw).await;
    let events_before = app.store.event_count().await.expect("count");
    let input = person_input(" ", "51170219400101170X", Some("123"), "999999");
    let err = app.create_person(&clerk, &input).await.expect_err("invalid");
    assert_eq!(err.kind, ErrorKind::Invalid);
    assert_eq!(err.problems.len(), 4, "{:?}", err.problems);
    let fields: Vec<&str> = err.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["name", "id_number", "phone", "division"]);
    assert_eq!(err.problems[1].code, "id_checksum");
    assert_eq!((err.code, err.field.as_deref()), ("required", Some("name")), "the first problem leads");
    assert_eq!(footprint(&raw).await, before);
    assert_eq!(app.store.event_count().await.expect("count"), events_before);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM persons").await, 0);
}
on_both!(
    invalid_input_reports_every_problem_and_writes_nothing,
    invalid_input_reports_every_problem_and_writes_nothing
);

async fn hostile_names_are_stored_verbatim(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    let names = ["'; DROP TABLE persons; --", "<script>alert('xss')</script>", "Robert'); DELETE FROM audit_events;--"];
    let mut ids = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let id = id_number("511702", "19800101", 100 + i as u32);
        let person = app.create_person(&clerk, &person_input(name, &id, None, "511702")).await.expect("create");
        assert_eq!(person.name, *name);
        ids.push(person.id);
    }
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM persons").await, 3, "the table is still there");
    for (name, id) in names.iter().zip(&ids) {
        assert_eq!(app.person(&clerk, *id).await.expect("read").name, *name);
        let stored: String = sqlx::query_scalar("SELECT name FROM persons WHERE id = $1")
            .bind(*id)
            .fetch_one(&raw)
            .await
            .expect("raw name");
        assert_eq!(stored, *name, "stored verbatim, not escaped");
        let query = PersonQuery { name: Some((*name).into()), ..PersonQuery::default() };
        let found = app.persons(&clerk, &query).await.expect("search by name");
        assert_eq!(found.iter().map(|p| p.id).collect::<Vec<_>>(), [*id]);
    }
    let report = app.verify_record().await.expect("verification runs").expect("the record is whole");
    assert_eq!(report.events as i64, count(&raw, "SELECT COUNT(*) FROM audit_events").await);
}
on_both!(hostile_names_are_stored_verbatim, hostile_names_are_stored_verbatim);
