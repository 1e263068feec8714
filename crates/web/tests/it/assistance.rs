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
    let bad = api.get("/api/v1/assistance/payment-roll?county=511702001&month=2021-7", leader).await;
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

on_both!(the_roll_page_shows_the_form_the_roll_and_the_download, |db| async move {
    let api = Api::new(db).await;
    api.staff_token("leader", "leader", "511702").await;
    let (session, _) = api.cookie_login("leader", crate::helpers::STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let reply = api.get("/assistance/payment-roll", Auth::None).await;
    assert_eq!((reply.status.as_u16(), reply.header("location")), (303, Some("/login")));
    let form = api.get("/assistance/payment-roll", me).await;
    assert_eq!(form.status, 200);
    let html = form.text();
    assert!(html.contains("<label for=\"county\">") && html.contains("<label for=\"month\">"), "{html}");
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
