//! Marriage over HTTP: a divorce's case page shows both windows and lets the clerk record which
//! party withdraws; a death recorded through the API; the statistics page counts the records.

use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{id_number, Api, Auth, STAFF_PASSWORD};

/// A case through the API, accepted; its id.
async fn accepted(api: &Api, token: &str, item: &str, applicant: i64, data: Value, materials: &[&str]) -> i64 {
    let body = json!({
        "item": item, "channel": "window", "applicant": {"person_id": applicant},
        "accepting_division": "511702", "situation": "ordinary", "materials": materials, "data": data,
    });
    let created = api.post("/api/v1/cases", Auth::Bearer(token), body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    let act = api.act(id, Auth::Bearer(token), json!({"action": "accept"})).await;
    assert_eq!(act.status, 200, "{}", act.text());
    id
}

on_both!(a_divorce_page_a_withdrawal_a_death_and_the_statistics, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    let man = api.create_person(&clerk, "张三", &id_number("511702", "19900101", 1), "511702").await;
    let wife = api.create_person(&clerk, "李四", &id_number("511702", "19920202", 2), "511702").await;
    let (man, wife) = (man["id"].as_i64().expect("id"), wife["id"].as_i64().expect("id"));
    // 2021-06-01 (the test clock): the 2003 条例 asks for the 户口簿 too.
    let marriage = json!({"other_party": wife, "declaration_signed": true});
    let materials = ["id_cards", "household_registers", "declaration"];
    accepted(&api, &clerk, "marriage-registration", man, marriage, &materials).await;
    let materials = ["id_cards", "household_registers", "marriage_certificates", "divorce_agreement", "application"];
    let divorce = accepted(&api, &clerk, "divorce-registration", man, json!({"other_party": wife}), &materials).await;

    // The case page: received 2021-06-01; cooling-off to 07-01; the certificate window's day 30
    // is Saturday 07-31 → Monday 08-02.
    let (session, csrf) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let page = api.get(&format!("/cases/{divorce}"), me).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("离婚冷静期与申请发证期"), "{html}");
    assert!(
        html.contains("至 2021-07-01") && html.contains("至 2021-08-02（末日为休息日，顺延至次一工作日）"),
        "{html}"
    );
    assert!(html.contains(&format!("<option value=\"{wife}\">另一方当事人")), "the party to choose: {html}");
    crate::workbench::assert_labelled(&html);
    let api_view = api.get(&format!("/api/v1/cases/{divorce}"), Auth::Bearer(&clerk)).await.json();
    assert!(api_view["divorce_windows"].as_str().is_some_and(|w| w.contains("2021-08-02")), "{api_view}");

    // The wife withdraws, recorded by the clerk at the window.
    let wife_id = wife.to_string();
    let revision = api.get(&format!("/api/v1/cases/{divorce}"), Auth::Bearer(&clerk)).await.json()["revision"].clone();
    let revision = revision.as_i64().expect("revision").to_string();
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("action", "withdraw"),
        ("expected_revision", revision.as_str()),
        ("party", wife_id.as_str()),
        ("reason", "不愿意离婚"),
    ];
    let posted = api.form(&format!("/cases/{divorce}/act"), Some(&session), &fields).await;
    assert_eq!(posted.status, 303, "{}", posted.text());
    let case = api.get(&format!("/api/v1/cases/{divorce}"), Auth::Bearer(&clerk)).await.json();
    assert_eq!(case["outcome"], "withdrawn", "{case}");

    // A death through the API: bad input first, then the widow.
    let path = format!("/api/v1/persons/{man}/death");
    let bad = api.post(&path, Auth::Bearer(&clerk), json!({"date": "昨天", "source_document": ""})).await;
    bad.assert_error(422, "invalid_date");
    assert_eq!(bad.json()["problems"].as_array().map(Vec::len), Some(2), "{}", bad.text());
    let leader = api.staff_token("leader702", "leader", "511702").await;
    api.post(&path, Auth::Bearer(&leader), json!({"date": "2021-05-31", "source_document": "死亡医学证明"}))
        .await
        .assert_error(403, "forbidden");
    let body = json!({"date": "2021-06-01", "source_document": "死亡医学证明 N511702210001"});
    let recorded = api.post(&path, Auth::Bearer(&clerk), body).await;
    assert_eq!(recorded.status, 201, "{}", recorded.text());
    assert_eq!(recorded.json()["widowed_person_id"], wife);
    let status = api.get(&format!("/api/v1/persons/{wife}/marital-status"), Auth::Bearer(&clerk)).await.json();
    assert_eq!(status["status"], "widowed", "{status}");

    // The death page: the form, a refusal shown on it, then the widow's own death recorded.
    let form = api.get("/marriage/death", me).await;
    assert_eq!(form.status, 200);
    crate::workbench::assert_labelled(&form.text());
    let wife_number = id_number("511702", "19920202", 2);
    let post = |date: &'static str| {
        let (session, csrf, number) = (session.clone(), csrf.clone(), wife_number.clone());
        let api = &api;
        async move {
            let fields = [
                ("csrf_token", csrf.as_str()),
                ("id_number", number.as_str()),
                ("date", date),
                ("source_document", "死亡医学证明 N511702210002"),
            ];
            api.form("/marriage/death", Some(&session), &fields).await
        }
    };
    let refused = post("2021-06-30").await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("死亡日期不能晚于今天"), "{}", refused.text());
    let done = post("2021-06-01").await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(done.text().contains("已记录 2021-06-01 死亡（无在册配偶）"), "{}", done.text());

    // The statistics page: one marriage, local (the death is not a registration).
    let stats = api.get("/marriage/stats?from=2021-01-01&to=2021-12-31", me).await;
    assert_eq!(stats.status, 200);
    assert!(stats.text().contains("共 1 件：本地 1"), "{}", stats.text());
    let bad = api.get("/marriage/stats?from=2021-13-01", me).await;
    assert_eq!(bad.status, 422);
});

// The registrar's names for the acts of the certificate window and the registration (the item's
// `act_name`), on the buttons and in the case's history, instead of the generic 审核 / 作出决定.
on_both!(the_certificate_request_is_called_what_a_registrar_calls_it, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    let man = api.create_person(&clerk, "张三", &id_number("511702", "19900101", 1), "511702").await;
    let wife = api.create_person(&clerk, "李四", &id_number("511702", "19920202", 2), "511702").await;
    let (man, wife) = (man["id"].as_i64().expect("id"), wife["id"].as_i64().expect("id"));
    let marriage = json!({"other_party": wife, "declaration_signed": true});
    accepted(&api, &clerk, "marriage-registration", man, marriage, &["id_cards", "household_registers", "declaration"])
        .await;
    let materials = ["id_cards", "household_registers", "marriage_certificates", "divorce_agreement", "application"];
    let divorce = accepted(&api, &clerk, "divorce-registration", man, json!({"other_party": wife}), &materials).await;

    // Day 31 (2021-07-02), the certificate window open.
    use chrono::TimeZone;
    api.t.clock.set(chrono::Utc.with_ymd_and_hms(2021, 7, 2, 1, 0, 0).single().expect("instant")).expect("forward");
    let (session, csrf) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let html = api.get(&format!("/cases/{divorce}"), me).await.text();
    assert!(html.contains("<button type=\"submit\">申请发给离婚证</button>"), "{html}");
    assert!(!html.contains("<button type=\"submit\">审核</button>"), "{html}");
    let clerk = api.token("clerk702", STAFF_PASSWORD).await;
    let revision = api.get(&format!("/api/v1/cases/{divorce}"), Auth::Bearer(&clerk)).await.json()["revision"].clone();
    let revision = revision.as_i64().expect("revision").to_string();
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("action", "review"),
        ("expected_revision", revision.as_str()),
        ("verdict", "approve"),
        ("opinion", "双方到场申请发给离婚证"),
    ];
    let posted = api.form(&format!("/cases/{divorce}/act"), Some(&session), &fields).await;
    assert_eq!(posted.status, 303, "{}", posted.text());
    let html = api.get(&format!("/cases/{divorce}"), me).await.text();
    assert!(html.contains("</time> 申请发给离婚证（测试clerk702）"), "the history names the act: {html}");
    assert!(html.contains("</time> 期满处理（系统）"), "the end of the cooling-off, by the system: {html}");
});

// A marriage refused by a condition (under age) is ended at the window with a written 不予登记
// decision with reasons (婚姻登记条例（2003年）第七条), and its notice says so.
on_both!(a_refused_marriage_gets_a_written_refusal_at_the_window, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    let young = api.create_person(&clerk, "张小", &id_number("511702", "20050101", 1), "511702").await;
    let bride = api.create_person(&clerk, "李四", &id_number("511702", "19920202", 2), "511702").await;
    let (young, bride) = (young["id"].as_i64().expect("id"), bride["id"].as_i64().expect("id"));
    let body = json!({
        "item": "marriage-registration", "channel": "window", "applicant": {"person_id": young},
        "accepting_division": "511702", "situation": "ordinary",
        "materials": ["id_cards", "household_registers", "declaration"],
        "data": {"other_party": bride, "declaration_signed": true},
    });
    let created = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    let path = format!("/api/v1/cases/{id}/actions");
    let refused = api.post(&path, Auth::Bearer(&clerk), json!({"action": "accept", "expected_revision": 1})).await;
    refused.assert_error(422, "under_marriage_age");

    let (session, csrf) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let html = api.get(&format!("/cases/{id}"), me).await.text();
    // A refusal on the spot ends the matter: drawn apart and confirmed.
    assert!(html.contains("<button type=\"submit\" class=\"danger\">不予登记（说明理由）</button>"), "{html}");
    let revision = api.get(&format!("/api/v1/cases/{id}"), Auth::Bearer(&clerk)).await.json()["revision"].clone();
    let revision = revision.as_i64().expect("revision").to_string();
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("action", "decide"),
        ("expected_revision", revision.as_str()),
        ("grant", "false"),
        ("reasons", "男方未到法定结婚年龄"),
        ("basis", "《中华人民共和国民法典》第一千零四十七条"),
    ];
    let posted = api.form(&format!("/cases/{id}/act"), Some(&session), &fields).await;
    assert_eq!(posted.status, 303, "{}", posted.text());
    let case = api.get(&format!("/api/v1/cases/{id}"), Auth::Bearer(&clerk)).await.json();
    assert_eq!(case["outcome"], "denied", "{case}");
    let notice = api.get(&format!("/cases/{id}/notices/decision"), me).await;
    assert_eq!(notice.status, 200, "{}", notice.text());
    let text = notice.text();
    assert!(text.contains("不予登记决定书") && text.contains("男方未到法定结婚年龄"), "{text}");
});

// The printed certificate: one per party, each with both parties' names and ID numbers in full
// (for a clerk, who may read full personal data); the public verification page shows no party.
on_both!(the_printed_certificate_is_one_per_party_in_full, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk702", "clerk", "511702").await;
    let (man_number, wife_number) = (id_number("511702", "19900101", 1), id_number("511702", "19920202", 2));
    let man = api.create_person(&clerk, "张三", &man_number, "511702").await["id"].as_i64().expect("id");
    let wife = api.create_person(&clerk, "李四", &wife_number, "511702").await["id"].as_i64().expect("id");
    let marriage = json!({"other_party": wife, "declaration_signed": true});
    let id = accepted(
        &api,
        &clerk,
        "marriage-registration",
        man,
        marriage,
        &["id_cards", "household_registers", "declaration"],
    )
    .await;
    let (session, _) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    // The case page lists the certificate among the case's documents.
    let case_page = api.get(&format!("/cases/{id}"), me).await.text();
    assert!(case_page.contains(&format!("href=\"/cases/{id}/certificate\"")), "{case_page}");
    let page = api.get(&format!("/cases/{id}/certificate"), me).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert_eq!(html.matches("<section class=\"certificate\"").count(), 2, "{html}");
    assert!(html.contains("持证人：张三") && html.contains("持证人：李四"), "{html}");
    assert_eq!(html.matches("<h1>").count(), 1, "{html}");
    assert!(html.contains(&man_number) && html.contains(&wife_number), "{html}");
    // Each party's page names both parties in full: sex, nationality, birth date, ID number.
    assert_eq!(html.matches(&man_number).count(), 2, "{html}");
    assert_eq!(html.matches(&wife_number).count(), 2, "{html}");
    assert!(html.contains("1990年1月1日") && html.contains("1992年2月2日"), "birth dates: {html}");
    assert!(html.contains("<th scope=\"row\">国籍</th><td>中国</td>"), "{html}");
    assert!(html.contains("男方") && html.contains("女方"), "{html}");
    assert!(html.contains("class=\"seal\"") && html.contains("data-print"), "{html}");
    // The verification page linked from it names nobody.
    let start = html.find("/verify/certificate/").expect("the verification address");
    let link: String = html[start..].chars().take_while(|c| !c.is_whitespace() && *c != '<').collect();
    // As askama escapes the printed address.
    let link = link.replace("&#38;", "&");
    let verify = api.get(&link, Auth::None).await;
    assert_eq!(verify.status, 200, "{link}: {}", verify.text());
    let text = verify.text();
    assert!(!text.contains("张") && !text.contains(&man_number), "{text}");
    assert!(!text.contains("李") && !text.contains(&wife_number), "{text}");
    assert!(text.contains("结婚证") && text.contains("有效"), "{text}");
    // The QR code carries the digest of the certificate's content; another digest is refused.
    assert!(text.contains("与登记机关的记录相符"), "{text}");
    let digest = link.rsplit("d=").next().expect("a digest").to_string();
    assert_eq!(digest.len(), 64, "{link}");
    let flipped = format!("{}{}", &digest[..63], if digest.ends_with('0') { '1' } else { '0' });
    let forged = api.get(&link.replace(&digest, &flipped), Auth::None).await;
    assert_eq!(forged.status, 404, "{}", forged.text());
    assert!(forged.text().contains("证书内容与记录不符"), "{}", forged.text());
});

// The desk's 不予登记: the form posts the reasons; the answer is the 不予登记决定书.
on_both!(the_desk_refuses_and_prints_the_decision, |db| async move {
    let api = Api::new(db).await;
    api.staff_token("clerk702", "clerk", "511702").await;
    let (session, csrf) = api.cookie_login("clerk702", STAFF_PASSWORD).await;
    let (a, b) = (id_number("511702", "20050101", 1), id_number("511702", "19920202", 2));
    let post = |reasons: &'static str| {
        let fields = vec![
            ("csrf_token".to_string(), csrf.clone()),
            ("idempotency_key".into(), format!("desk-refuse-{}", reasons.len())),
            ("action".into(), "refuse".into()),
            ("office".into(), "511702".into()),
            ("a_name".into(), "张小".into()),
            ("a_id_number".into(), a.clone()),
            ("a_division".into(), "511702".into()),
            ("b_name".into(), "李四".into()),
            ("b_id_number".into(), b.clone()),
            ("b_division".into(), "511702".into()),
            ("declaration".into(), "signed".into()),
            ("materials".into(), "id_cards".into()),
            ("materials".into(), "household_registers".into()),
            ("materials".into(), "declaration".into()),
            ("reasons".into(), reasons.to_string()),
        ];
        let (api, session) = (&api, session.clone());
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            api.form("/marriage/desk", Some(&session), &fields).await
        }
    };
    let refused = post("").await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("请填写不予登记的理由"), "{}", refused.text());
    let done = post("男方未到法定结婚年龄").await;
    assert_eq!(done.status, 303, "{}", done.text());
    let location = done.headers.get("location").and_then(|l| l.to_str().ok()).expect("location").to_string();
    assert!(location.ends_with("/notices/decision"), "{location}");
    let me = Auth::Cookie { session: &session, csrf: None };
    let notice = api.get(&location, me).await.text();
    assert!(notice.contains("不予登记决定书") && notice.contains("男方未到法定结婚年龄"), "{notice}");
});
