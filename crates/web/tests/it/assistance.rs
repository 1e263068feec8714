//! Social assistance over HTTP: a household registered and changed, bad input refused with every
//! problem named in Chinese, unknown fields refused, the neighbour's jurisdiction refused, and the
//! payment roll's query checked.

use serde_json::json;
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth};

on_both!(households_and_the_roll_over_http, |db| async move {
    let api = Api::new(db).await;
    let officer = api.staff_token("officer", "township_officer", "511702001").await;
    let auth = Auth::Bearer(&officer);
    let a = api.create_person(&officer, "张一", &id_number("511702", "19700301", 11), "511702001").await;
    let a = a["id"].as_i64().expect("id");
    let household = json!({
        "division": "511702001",
        "urban": true,
        "version": {
            "valid_from": "2021-01-01",
            "members": [{"person_id": a, "relationship": "applicant", "disability_category": "physical", "disability_grade": 2}],
            "income": [{"person_id": a, "month": "2021-01", "kind": "工资性收入", "amount_yuan": "512.50"}],
            "assets": [{"kind": "financial", "value_yuan": "3000"}]
        }
    });
    let created = api.post("/api/v1/assistance/households", auth, household).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let h = created.json();
    assert_eq!(h["versions"][0]["members"][0]["disability"], "肢体残疾二级");
    assert_eq!(h["versions"][0]["income"][0]["amount_yuan"], "512.50");
    let id = h["id"].as_i64().expect("id");
    let got = api.get(&format!("/api/v1/assistance/households/{id}"), auth).await;
    assert_eq!(got.status, 200, "{}", got.text());
    assert!(got.json()["versions"][0]["members"][0]["id_number_masked"].as_str().expect("masked").contains('*'));

    // Every problem at once, each with its field and a Chinese message.
    let bad = json!({"valid_from": "2021-13-01", "members": [{"person_id": 0, "relationship": "boss"}],
                     "income": [{"person_id": a, "month": "2021", "kind": "工资", "amount_yuan": "1,000"}]});
    let reply = api.post(&format!("/api/v1/assistance/households/{id}/versions"), auth, bad).await;
    reply.assert_error(422, "invalid_date");
    let problems = reply.json()["problems"].as_array().cloned().unwrap_or_default();
    let fields: Vec<&str> = problems.iter().filter_map(|p| p["field"].as_str()).collect();
    for f in [
        "valid_from",
        "members[0].person_id",
        "members[0].relationship",
        "members",
        "income[0].person_id",
        "income[0].month",
        "income[0].amount_yuan",
    ] {
        assert!(fields.contains(&f), "{f} missing: {fields:?}");
    }
    // Unknown fields are refused, not ignored.
    let extra = json!({"valid_from": "2021-05-01", "members": [], "pets": 3});
    api.post(&format!("/api/v1/assistance/households/{id}/versions"), auth, extra)
        .await
        .assert_error(400, "invalid_body");

    // The neighbouring county sees nothing.
    let neighbour = api.staff_token("neighbour", "township_officer", "511703001").await;
    api.get(&format!("/api/v1/assistance/households/{id}"), Auth::Bearer(&neighbour))
        .await
        .assert_error(403, "forbidden");

    // The roll: bad query refused; a reader without the permission refused; a good one answers.
    let leader = api.staff_token("leader", "leader", "511702").await;
    let leader = Auth::Bearer(&leader);
    let bad = api.get("/api/v1/assistance/payment-roll?county=5117&month=2021-7", leader).await;
    bad.assert_error(422, "invalid_county");
    assert_eq!(bad.json()["problems"].as_array().map(Vec::len), Some(2));
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    api.get("/api/v1/assistance/payment-roll?county=511702&month=2021-07", Auth::Bearer(&clerk))
        .await
        .assert_error(403, "forbidden");
    let roll = api.get("/api/v1/assistance/payment-roll?county=511702&month=2021-07", leader).await;
    assert_eq!(roll.status, 200, "{}", roll.text());
    assert_eq!(roll.json()["total_fen"], 0);
    assert_eq!(roll.json()["county_name"], "四川省达州市通川区");
    let due = api.get("/api/v1/assistance/rechecks-due?county=511702&on=2022-01-13", leader).await;
    assert_eq!(due.status, 200, "{}", due.text());
    assert_eq!(due.json()["items"], json!([]));
    api.get("/api/v1/assistance/rechecks-due?county=511702&on=2022-13-01", leader)
        .await
        .assert_error(422, "invalid_date");
});

on_both!(the_roll_downloads_as_xlsx, |db| async move {
    let api = Api::new(db).await;
    let leader = api.staff_token("leader", "leader", "511702").await;
    let reply =
        api.get("/api/v1/assistance/payment-roll.xlsx?county=511702&month=2021-08", Auth::Bearer(&leader)).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    assert!(reply.header("content-disposition").is_some_and(|d| d.contains("payment-roll-511702-2021-08.xlsx")));
    api.get("/api/v1/assistance/payment-roll.xlsx?county=511702&month=08-2021", Auth::Bearer(&leader))
        .await
        .assert_error(422, "invalid_month");
});

on_both!(a_township_officer_reads_its_own_roll_as_json_page_and_xlsx, |db| async move {
    let api = Api::new(db).await;
    let officer = api.staff_token("officer", "township_officer", "511702001").await;
    let me = Auth::Bearer(&officer);
    let roll = api.get("/api/v1/assistance/payment-roll?county=511702001&month=2021-08", me).await;
    assert_eq!(roll.status, 200, "{}", roll.text());
    assert_eq!(roll.json()["division"], "511702001");
    assert_eq!(roll.json()["division_name"], "四川省达州市通川区东城街道");
    assert_eq!(roll.json()["county"], "511702");
    let xlsx = api.get("/api/v1/assistance/payment-roll.xlsx?county=511702001&month=2021-08", me).await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.header("content-disposition").is_some_and(|d| d.contains("payment-roll-511702001-2021-08.xlsx")));
    // The county's whole roll, and a sibling township's, stay out of reach.
    api.get("/api/v1/assistance/payment-roll?county=511702&month=2021-08", me).await.assert_error(403, "forbidden");
    api.get("/api/v1/assistance/payment-roll?county=511702002&month=2021-08", me).await.assert_error(403, "forbidden");
    let (session, _) = api.cookie_login("officer", crate::helpers::STAFF_PASSWORD).await;
    let page = api
        .get("/assistance/payment-roll?county=511702001&month=2021-08", Auth::Cookie { session: &session, csrf: None })
        .await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("四川省达州市通川区东城街道 2021-08"), "{html}");
    assert!(html.contains("payment-roll.xlsx?county=511702001&amp;month=2021-08"), "{html}");
});

on_both!(the_roll_page_shows_the_form_the_roll_and_the_download, |db| async move {
    let api = Api::new(db).await;
    api.staff_token("leader", "leader", "511702").await;
    let (session, _) = api.cookie_login("leader", crate::helpers::STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let reply = api.get("/assistance/payment-roll", Auth::None).await;
    let back = Some("/login?next=%2Fassistance%2Fpayment-roll");
    assert_eq!((reply.status.as_u16(), reply.header("location")), (303, back), "back to the roll once signed in");
    let form = api.get("/assistance/payment-roll", me).await;
    assert_eq!(form.status, 200);
    let html = form.text();
    assert!(html.contains("<label for=\"county\"") && html.contains("<label for=\"month\">"), "{html}");
    assert!(html.contains("<select id=\"county\" name=\"county\" required"), "the county is chosen: {html}");
    let page = api.get("/assistance/payment-roll?county=511702&month=2021-08", me).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("四川省达州市通川区 2021-08"), "{html}");
    assert!(html.contains("/api/v1/assistance/payment-roll.xlsx?county=511702&amp;month=2021-08"), "{html}");
    let bad = api.get("/assistance/payment-roll?county=511702&month=2021-13", me).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("月份格式应为 YYYY-MM"));
    let outside = api.get("/assistance/payment-roll?county=511703&month=2021-08", me).await;
    assert_eq!(outside.status, 403);
});

// A 低保 decision's printable notice shows the stored evaluation: the trace, the rule version and
// the authority it was made under.
on_both!(the_decision_notice_shows_the_trace_rule_version_and_authority, |db| async move {
    use chrono::{TimeZone, Utc};
    use domain::engine::action::{Action, Verdict};
    use service::assistance::{ApplicationInput, HouseholdInput, HouseholdVersionInput, IncomeInput, MemberInput};
    use service::cases::{ApplicantRef, SubmitCase};

    let api = Api::new(db).await;
    let t = &api.t;
    let app = &t.app;
    let morning = |d: u32| Utc.with_ymd_and_hms(2021, 7, d, 1, 0, 0).single().expect("instant");
    t.clock.set(morning(5)).expect("forward");
    let token = api.staff_token("officer_http", "township_officer", "511702001").await;
    let clerk = t.staff("clerk_s", "clerk", "511702001").await;
    let officer = t.staff("officer_s", "township_officer", "511702001").await;
    let decider = t.staff("decider_s", "decider", "511702").await;
    let a = api.create_person(&token, "张一", &id_number("511702", "19700301", 81), "511702001").await;
    let b = api.create_person(&token, "张二", &id_number("511702", "20050601", 82), "511702001").await;
    let (a, b) = (a["id"].as_i64().expect("id"), b["id"].as_i64().expect("id"));
    let income = (1..=12)
        .map(|m| IncomeInput {
            person_id: a,
            month: format!("2021-{m:02}"),
            kind: "工资性收入".into(),
            amount_yuan: "1024".into(),
            ..Default::default()
        })
        .chain((1..=12).map(|m| IncomeInput {
            person_id: a,
            month: format!("2020-{m:02}"),
            kind: "工资性收入".into(),
            amount_yuan: "1024".into(),
            ..Default::default()
        }))
        .collect();
    let members = vec![
        MemberInput { person_id: a, relationship: "applicant".into(), ..Default::default() },
        MemberInput { person_id: b, relationship: "child".into(), ..Default::default() },
    ];
    let version = HouseholdVersionInput { valid_from: "2021-01-01".into(), members, income, assets: vec![] };
    let input = HouseholdInput { division: "511702001".into(), urban: true, version };
    let household = app.create_household(&officer, &input).await.expect("household").id;
    let submit = SubmitCase {
        item: "minimum-living-allowance".into(),
        channel: "window".into(),
        applicant: ApplicantRef::Person(a),
        accepting_division: "511702001".into(),
        situation: Some("ordinary".into()),
        materials: ["application", "household_hukou", "id_cards", "income_assets_declaration"]
            .into_iter()
            .chain(["verification_authorisation", "bank_account"])
            .map(str::to_string)
            .collect(),
        data: json!({}),
        idempotency_key: None,
    };
    let id = app.submit_case(&clerk, &submit).await.expect("submit").view.case.id;
    let application =
        ApplicationInput { household_id: household, program: "minimum_living".into(), ..Default::default() };
    app.register_assistance_application(&officer, id, &application).await.expect("application");
    app.act_on_case(&officer, id, None, &Action::Accept).await.expect("accept");
    for _ in 0..2 {
        let approve = Action::Review { verdict: Verdict::Approve, opinion: "属实".into() };
        app.act_on_case(&officer, id, None, &approve).await.expect("review");
    }
    // Publicity 07-05 … 07-12; the sweep of 07-13 moves the case to confirmation.
    t.clock.set(morning(13)).expect("forward");
    app.sweep_once(morning(13)).await.expect("sweep");
    // A fresh session (the first one lapsed over the publicity week).
    let token = api.staff_token("reader_http", "township_officer", "511702001").await;
    let no_notice = api.get(&format!("/cases/{id}/notices/decision"), Auth::Bearer(&token)).await;
    assert_eq!(no_notice.status, 404, "no decision yet");
    let grant =
        Action::Decide { grant: true, reasons: String::new(), basis: "《社会救助暂行办法》第九条".into() };
    app.act_on_case(&decider, id, None, &grant).await.expect("grant");
    let stored = app.assistance_decision(&officer, id).await.expect("decision");

    let page = api.get(&format!("/cases/{id}/notices/decision"), Auth::Bearer(&token)).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("准予决定书"), "{html}");
    assert!(html.contains(&stored.rule_version), "rule version shown: {html}");
    assert!(html.contains("本级职权"), "authority shown: {html}");
    assert!(html.contains(&format!("{} 元", stored.amount_yuan)), "{html}");
    // The decided words name what is granted: the program, the monthly amount, the first month.
    let first = stored.first_month.as_deref().expect("a first month");
    let (year, month) = first.split_once('-').expect("YYYY-MM");
    let month: u32 = month.parse().expect("a month");
    let granted = format!(
        "本机关决定给予{program}，每月{amount}元，自{year}年{month}月起发放",
        program = stored.program_name,
        amount = stored.amount_yuan
    );
    assert!(html.contains(&granted), "{granted}: {html}");
    assert!(!html.contains("六十日内"), "a grant is not adverse: {html}");
    assert!(!stored.trace.is_empty());
    for line in &stored.trace {
        // As askama escapes text (the notice is a template).
        let escaped = line.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;");
        assert!(html.contains(&escaped), "trace line {line} missing: {html}");
    }

    // A reported change from the case page (社会救助暂行办法第十三条): the officer who keeps the
    // household's records sees the form on the paying decision; a blank reason is refused on the
    // page, a written one opens the re-check and goes to it, and a second report while it runs is
    // refused naming it.
    let (session, csrf) = api.cookie_login("reader_http", crate::helpers::STAFF_PASSWORD).await;
    let cookie = Auth::Cookie { session: &session, csrf: None };
    let action = format!("/cases/{id}/assistance-change");
    let case_page = api.get(&format!("/cases/{id}"), cookie).await;
    assert!(case_page.text().contains(&format!("action=\"{action}\"")), "{}", case_page.text());
    let rev = api.revision(id, Auth::Cookie { session: &session, csrf: None }).await;
    let blank = api
        .form(&action, Some(&session), &[("csrf_token", csrf.as_str()), ("reason", " "), ("expected_revision", &rev)])
        .await;
    assert_eq!(blank.status, 422, "{}", blank.text());
    assert!(blank.text().contains("请写明发起调整核查的原因"), "{}", blank.text());
    let reason =
        [("csrf_token", csrf.as_str()), ("reason", "家庭成员张二外出就业，收入增加"), ("expected_revision", &rev)];
    let opened = api.form(&action, Some(&session), &reason).await;
    assert_eq!(opened.status, 303, "{}", opened.text());
    let location = opened.header("location").expect("to the re-check").to_string();
    let review: i64 = location.trim_start_matches("/cases/").parse().expect("a case id");
    assert_ne!(review, id);
    let events = app.case_events(&officer, review).await.expect("events");
    let opened_by = events.iter().find(|e| e.act == "assistance.application").expect("the re-check's application");
    assert!(opened_by.payload.to_string().contains("家庭成员张二外出就业"), "{:?}", opened_by.payload);
    // A second report on the case as it is now: refused, naming the re-check under way.
    let rev = api.revision(id, Auth::Cookie { session: &session, csrf: None }).await;
    let reason =
        [("csrf_token", csrf.as_str()), ("reason", "家庭成员张二外出就业，收入增加"), ("expected_revision", &rev)];
    let again = api.form(&action, Some(&session), &reason).await;
    assert_eq!(again.status, 409, "{}", again.text());
    assert!(again.text().contains(&format!("办件 {review}")), "{}", again.text());
});

// The separate register (单独登记备案) over HTTP: the county's page and API, a township account
// refused, the home-visit form refused without its CSRF token and with a bad date.
on_both!(the_relatives_register_is_the_countys, |db| async move {
    let api = Api::new(db).await;
    let officer = api.staff_token("officer", "township_officer", "511702001").await;
    let denied = api.get("/api/v1/assistance/relatives-register", Auth::Bearer(&officer)).await;
    denied.assert_error(403, "forbidden");
    let decider = api.staff_token("decider", "decider", "511702").await;
    let list = api.get("/api/v1/assistance/relatives-register", Auth::Bearer(&decider)).await;
    assert_eq!(list.status, 200, "{}", list.text());
    assert_eq!(list.json()["items"], json!([]));
    let unknown = api
        .post(
            "/api/v1/cases/1/assistance-home-visit",
            Auth::Bearer(&decider),
            json!({"visited_on": "2021-06-01", "x": 1, "expected_revision": 1}),
        )
        .await;
    assert_eq!(unknown.status, 400, "{}", unknown.text());
    let (session, csrf) = api.cookie_login("decider", crate::helpers::STAFF_PASSWORD).await;
    let page = api.get("/assistance/relatives-register", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("单独登记备案") && page.text().contains("管辖范围内没有单独登记备案的申请"));
    // The navigation links the register for the county's staff only.
    let link = "href=\"/assistance/relatives-register\"";
    let home = api.get("/work", Auth::Cookie { session: &session, csrf: None }).await;
    assert!(home.text().contains(link), "{}", home.text());
    let (officer_session, _) = api.cookie_login("officer", crate::helpers::STAFF_PASSWORD).await;
    let officer_home = api.get("/work", Auth::Cookie { session: &officer_session, csrf: None }).await;
    assert_eq!(officer_home.status, 200, "{}", officer_home.text());
    assert!(!officer_home.text().contains(link));
    let fields = [("visited_on", "2021-06-01"), ("findings", "入户核实")];
    let no_token = api.form("/assistance/relatives-register/1/visits", Some(&session), &fields).await;
    assert_eq!(no_token.status, 403, "{}", no_token.text());
    // With its token the form reaches the service: case 1 does not exist.
    let with_token = [("csrf_token", csrf.as_str()), fields[0], fields[1], ("expected_revision", "1")];
    let missing = api.form("/assistance/relatives-register/1/visits", Some(&session), &with_token).await;
    assert_eq!(missing.status, 404, "{}", missing.text());
});

// A subsidy application accepted in 重庆 and pushed to the 户籍地 (通川区): the county's decider
// sees the return form on the case page; a blank reason is refused on the page, written reasons
// end the case as returned (退回受理地) with them on the record; a township officer, who may not
// end it, never sees the form.
on_both!(a_received_case_is_returned_from_its_page, |db| async move {
    use chrono::{TimeZone, Utc};
    use domain::engine::action::Action;
    use domain::person::PersonInput;
    use service::cases::{ApplicantRef, SubmitCase};

    let api = Api::new(db).await;
    let t = &api.t;
    let app = &t.app;
    t.clock.set(Utc.with_ymd_and_hms(2021, 7, 5, 1, 0, 0).single().expect("instant")).expect("forward");
    let far_clerk = t.staff("clerk_cq", "clerk", "500101001").await;
    let far_officer = t.staff("officer_cq", "township_officer", "500101001").await;
    let officer = t.staff("officer_tc", "township_officer", "511702001").await;
    t.staff("decider_tc", "decider", "511702").await;
    let applicant = PersonInput {
        name: "张一".into(),
        id_number: id_number("511702", "19700301", 101),
        phone: None,
        address: Some("达州市通川区朝阳路1号".into()),
        division: "511702001".into(),
    };
    let submit = SubmitCase {
        item: "disability-subsidy".into(),
        channel: "window".into(),
        applicant: ApplicantRef::New(applicant),
        accepting_division: "500101001".into(),
        situation: Some("care_subsidy".into()),
        materials: ["application_form", "id_card", "hukou", "disability_certificate", "bank_account"]
            .map(str::to_string)
            .to_vec(),
        data: json!({ "hukou_division": "511702001" }),
        idempotency_key: None,
    };
    let id = app.submit_case(&far_clerk, &submit).await.expect("accepted in 重庆").view.case.id;
    for (who, action) in [(&far_officer, Action::Accept), (&far_officer, Action::Forward), (&officer, Action::Receive)]
    {
        app.act_on_case(who, id, None, &action).await.expect("to the 户籍地");
    }
    let action = format!("action=\"/cases/{id}/assistance-return\"");
    let (township, _) = api.cookie_login("officer_tc", crate::helpers::STAFF_PASSWORD).await;
    let page = api.get(&format!("/cases/{id}"), Auth::Cookie { session: &township, csrf: None }).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(!page.text().contains(&action), "a township officer cannot end the case");

    let (session, csrf) = api.cookie_login("decider_tc", crate::helpers::STAFF_PASSWORD).await;
    let page = api.get(&format!("/cases/{id}"), Auth::Cookie { session: &session, csrf: None }).await;
    assert!(page.text().contains(&action), "{}", page.text());
    let path = format!("/cases/{id}/assistance-return");
    let rev = api.revision(id, Auth::Cookie { session: &session, csrf: None }).await;
    let blank = api
        .form(&path, Some(&session), &[("csrf_token", csrf.as_str()), ("reasons", " "), ("expected_revision", &rev)])
        .await;
    assert_eq!(blank.status, 422, "{}", blank.text());
    assert!(blank.text().contains("请写明退回的理由"), "{}", blank.text());
    let reasons = "经核查申请人户籍已迁出本县";
    let fields = [("csrf_token", csrf.as_str()), ("reasons", reasons), ("expected_revision", &rev)];
    let returned = api.form(&path, Some(&session), &fields).await;
    assert_eq!(returned.status, 303, "{}", returned.text());
    let view = app.case(&far_officer, id).await.expect("the accepting place sees it");
    assert!(view.case.is_closed());
    let events = app.case_events(&far_officer, id).await.expect("events");
    let ended = events.iter().find(|e| e.act == "case.terminate").expect("terminated");
    assert!(ended.payload.to_string().contains(&format!("退回受理地：{reasons}")), "{:?}", ended.payload);
});

on_both!(a_death_recorded_on_the_person_shows_on_it_and_stops_new_applications, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk_city", "clerk", "511700").await;
    let number = crate::helpers::id_number("511702", "19800101", 77);
    let person = api.create_person(&clerk, "王小明", &number, "511702").await;
    let id = person["id"].as_i64().expect("id");
    assert!(person.get("died_on").is_none(), "{person}");
    let body = json!({"date": "2021-05-20", "source_document": "死亡医学证明 N511702210077"});
    let recorded = api.post(&format!("/api/v1/persons/{id}/death"), Auth::Bearer(&clerk), body).await;
    assert_eq!(recorded.status, 201, "{}", recorded.text());
    let shown = api.get(&format!("/api/v1/persons/{id}"), Auth::Bearer(&clerk)).await.json();
    assert_eq!(shown["died_on"], "2021-05-20", "{shown}");
    let listed = api.get("/api/v1/persons?limit=500", Auth::Bearer(&clerk)).await.json();
    let items = listed["items"].as_array().cloned().unwrap_or_default();
    let row = items.iter().find(|p| p["id"] == id).expect("listed");
    assert_eq!(row["died_on"], "2021-05-20", "{listed}");
    // No new application in the deceased's name, by record or by ID number.
    let mut by_record = crate::helpers::application(77);
    by_record["applicant"] = json!({"person_id": id});
    api.post("/api/v1/cases", Auth::Bearer(&clerk), by_record).await.assert_error(422, "applicant_deceased");
    api.post("/api/v1/cases", Auth::Bearer(&clerk), crate::helpers::application(77))
        .await
        .assert_error(422, "applicant_deceased");
});
