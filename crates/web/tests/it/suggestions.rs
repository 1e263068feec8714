//! 建议提案办理 over HTTP: a merged deputies' suggestion assigned on 30 November 2021 (reply due
//! 28 February 2022 by 代表法 第五十一条 and 民法典 第二百零二条), the leader's approval before
//! sending, a 不满意 reopening with one month, the figures from the records, the reply letter and
//! its verification, the public results, an open day whose suggestion becomes a tracked one;
//! refusals and jurisdiction. On both backends.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{Api, Auth, STAFF_PASSWORD};

/// 09:00 in Shanghai on that day.
fn morning(year: i32, month: u32, day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 1, 0, 0).single().expect("instant")
}

fn suggestion(assigned_on: &str) -> Value {
    json!({
        "division": "511700",
        "kind": "deputy",
        "session": "达州市第五届人民代表大会第一次会议",
        "number": "第0123号",
        "proposers": "李四、王五",
        "subject": "关于加强农村留守老人关爱服务的建议",
        "lead_unit": "达州市民政局",
        "co_units": "达州市财政局",
        "assigned_on": assigned_on,
    })
}

async fn act(api: &Api, token: &str, id: i64, body: Value) -> crate::helpers::Reply {
    let current = api.get(&format!("/api/v1/suggestions/items/{id}"), Auth::Bearer(token)).await;
    let mut body = body;
    body["expected_revision"] = current.json()["revision"].clone();
    api.post(&format!("/api/v1/suggestions/items/{id}/acts"), Auth::Bearer(token), body).await
}

on_both!(a_merged_suggestion_from_assignment_to_the_forms, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(morning(2021, 11, 30)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", "511700").await;
    api.t.staff("leader", "leader", "511700").await;
    let neighbour = api.staff_token("neighbour", "clerk", "511800").await;

    let created = api.post("/api/v1/suggestions/items", Auth::Bearer(&clerk), suggestion("2021-11-30")).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let s = created.json();
    let id = s["id"].as_i64().expect("id");
    assert_eq!(s["reply_due"], "2022-02-28", "3 months from 30 November end on the last day of February");
    assert_eq!(s["co_opinion_due"], "2021-12-30");
    assert_eq!(s["stage"], "handling");
    assert_eq!(s["proposers"].as_array().map(Vec::len), Some(2));

    // Another city's clerk neither reads nor writes it.
    api.get(&format!("/api/v1/suggestions/items/{id}"), Auth::Bearer(&neighbour)).await.assert_error(403, "forbidden");
    let list = api.get("/api/v1/suggestions/items", Auth::Bearer(&neighbour)).await;
    assert_eq!(list.json()["items"].as_array().map(Vec::len), Some(0));

    api.t.clock.set(morning(2022, 1, 10)).expect("forward");
    // A token lasts 8 hours: sign in again after the clock moved.
    let clerk = api.token("clerk", STAFF_PASSWORD).await;
    let leader = api.token("leader", STAFF_PASSWORD).await;
    let opinion = act(
        &api,
        &clerk,
        id,
        json!({"kind": "co_opinion", "on": "2022-01-05", "unit": "达州市财政局", "note": "同意主办单位意见"}),
    )
    .await;
    assert_eq!(opinion.status, 201, "{}", opinion.text());
    let met = act(
        &api,
        &clerk,
        id,
        json!({"kind": "contact", "on": "2022-01-06", "proposer": "李四", "note": "面商，听取意见"}),
    )
    .await;
    assert_eq!(met.status, 201, "{}", met.text());
    let drafted = act(
        &api,
        &clerk,
        id,
        json!({"kind": "draft", "on": "2022-01-07", "note": "一、已将留守老人纳入探访关爱。\n二、下一步将扩大覆盖。"}),
    )
    .await;
    assert_eq!(drafted.status, 201);
    // Not yet approved: not sent; and a clerk cannot approve.
    act(&api, &clerk, id, json!({"kind": "send", "on": "2022-01-07", "proposer": "李四"}))
        .await
        .assert_error(422, "not_approved");
    act(&api, &clerk, id, json!({"kind": "approve", "on": "2022-01-07"})).await.assert_error(403, "forbidden");
    let approved = act(&api, &leader, id, json!({"kind": "approve", "on": "2022-01-07"})).await;
    assert_eq!(approved.status, 201, "{}", approved.text());
    // The leader reads and approves, but does not send.
    act(&api, &leader, id, json!({"kind": "send", "on": "2022-01-07", "proposer": "李四"}))
        .await
        .assert_error(403, "forbidden");
    for name in ["李四", "王五"] {
        let sent = act(&api, &clerk, id, json!({"kind": "send", "on": "2022-01-10", "proposer": name})).await;
        assert_eq!(sent.status, 201, "{}", sent.text());
    }
    let twice = act(&api, &clerk, id, json!({"kind": "send", "on": "2022-01-10", "proposer": "王五"})).await;
    assert_eq!(twice.json()["problems"][0]["code"], "already_sent", "{}", twice.text());

    // 李四 satisfied; 王五 not: reopened, a new reply due one month after the form.
    act(&api, &clerk, id, json!({"kind": "feedback", "on": "2022-01-10", "proposer": "李四", "result": "satisfied"}))
        .await;
    let reopened = act(
        &api,
        &clerk,
        id,
        json!({"kind": "feedback", "on": "2022-01-10", "proposer": "王五", "result": "dissatisfied"}),
    )
    .await;
    let r = reopened.json();
    assert_eq!(r["stage"], "redoing", "{r}");
    assert_eq!(r["next_due"], "2022-02-10");
    assert_eq!(r["proposers"][1]["round"], 2);
    // The earlier approval does not cover the new reply.
    let early = act(&api, &clerk, id, json!({"kind": "send", "on": "2022-01-10", "proposer": "王五"})).await;
    assert_eq!(early.json()["problems"][0]["code"], "not_approved");

    // The letter of 李四's reply, and its verification.
    let (session, _) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let cookie = Auth::Cookie { session: &session, csrf: None };
    let page = api.get(&format!("/suggestions/items/{id}"), cookie).await;
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("不满意，重新办理") && text.contains("2022年2月10日"), "{text}");
    let link = text
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.contains("/replies/"))
        .expect("a letter link")
        .to_string();
    let letter = api.get(&link, cookie).await;
    assert_eq!(letter.status, 200);
    let body = letter.text();
    assert!(body.contains("李四代表") && body.contains("已将留守老人纳入探访关爱"), "{body}");
    assert!(body.contains("经本机关负责人审定"));
    let url = body.split("扫描二维码核验本文书：").nth(1).and_then(|s| s.split('<').next()).expect("verify url");
    let path = &url[url.find("/suggestions/verify/").expect("path")..].replace("&#38;", "&").replace("&amp;", "&");
    let verified = api.get(path, Auth::None).await;
    assert_eq!(verified.status, 200, "{path}: {}", verified.text());
    assert!(verified.text().contains("相符"));
    let forged = api.get(&path.replace("&d=", "&d=0"), Auth::None).await;
    assert_eq!(forged.status, 404);

    // The figures follow the records: 1 handled (both answered), on time; forms 1 satisfied, 1 not.
    let stats = api.get("/api/v1/suggestions/stats?year=2021", Auth::Bearer(&leader)).await.json();
    let all = stats["rows"].as_array().expect("rows").iter().find(|r| r["kind"] == "all").expect("all").clone();
    assert_eq!(
        (all["assigned"].as_u64(), all["handled"].as_u64(), all["on_time"].as_u64()),
        (Some(1), Some(1), Some(1)),
        "{all}"
    );
    assert_eq!((all["satisfied"].as_u64(), all["dissatisfied"].as_u64()), (Some(1), Some(1)));
    assert_eq!(all["satisfaction_percent"], 50);

    // Redone: drafted again, approved, sent, basically satisfied: done.
    act(&api, &clerk, id, json!({"kind": "draft", "on": "2022-01-10", "note": "再次研究后答复如下。"})).await;
    act(&api, &leader, id, json!({"kind": "approve", "on": "2022-01-10"})).await;
    act(&api, &clerk, id, json!({"kind": "send", "on": "2022-01-10", "proposer": "王五"})).await;
    let done =
        act(&api, &clerk, id, json!({"kind": "feedback", "on": "2022-01-10", "proposer": "王五", "result": "basic"}))
            .await
            .json();
    assert_eq!(done["stage"], "done", "{done}");
    let closed =
        act(&api, &clerk, id, json!({"kind": "contact", "on": "2022-01-10", "proposer": "王五", "note": "回访"})).await;
    assert_eq!(closed.json()["problems"][0]["code"], "closed");

    // Made public (代表法 第五十一条): no account needed.
    let public = api.get("/suggestions/results?year=2021", Auth::None).await;
    assert_eq!(public.status, 200);
    let text = public.text();
    assert!(text.contains("关于加强农村留守老人关爱服务的建议") && text.contains("100%"), "{text}");
    assert!(!text.contains("已将留守老人纳入探访关爱"), "the reply's text is not published");
});

on_both!(six_months_for_a_difficult_one_and_refusals, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(morning(2021, 9, 1)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", "511700").await;
    let mut body = suggestion("2021-08-31");
    body["difficult"] = json!(true);
    let s = api.post("/api/v1/suggestions/items", Auth::Bearer(&clerk), body).await.json();
    assert_eq!(s["reply_due"], "2022-02-28", "6 months from 31 August");

    let bad = api
        .post(
            "/api/v1/suggestions/items",
            Auth::Bearer(&clerk),
            json!({"division": "511700", "kind": "x", "session": "", "number": "1", "proposers": "", "subject": "s",
                   "lead_unit": "l", "assigned_on": "2021-09-02"}),
        )
        .await;
    bad.assert_error(422, "invalid_kind");
    let codes: Vec<String> = bad.json()["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| p["code"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(codes, ["invalid_kind", "required", "required", "assigned_in_future"]);
    let unknown =
        api.post("/api/v1/suggestions/items", Auth::Bearer(&clerk), json!({"division": "511700", "extra": 1})).await;
    unknown.assert_error(400, "invalid_body");
    let outside = api
        .post(
            "/api/v1/suggestions/items",
            Auth::Bearer(&clerk),
            json!(suggestion("2021-08-31"))
                .as_object()
                .map(|o| {
                    let mut o = o.clone();
                    o.insert("division".into(), json!("511800"));
                    Value::Object(o)
                })
                .expect("body"),
        )
        .await;
    outside.assert_error(403, "forbidden");
    let year = api.get("/api/v1/suggestions/items?year=1900", Auth::Bearer(&clerk)).await;
    year.assert_error(422, "invalid_year");

    // Overdue is read from the dates: on 1 March 2022 the reply of 31 August is past.
    api.t.clock.set(morning(2022, 3, 1)).expect("forward");
    let clerk = api.token("clerk", STAFF_PASSWORD).await;
    let list = api.get("/api/v1/suggestions/items", Auth::Bearer(&clerk)).await.json();
    assert_eq!(list["items"][0]["overdue"], true, "{list}");
});

on_both!(an_open_day_suggestion_becomes_a_tracked_one, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(morning(2021, 6, 20)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", "511700").await;
    let day = api
        .post(
            "/api/v1/suggestions/open-days",
            Auth::Bearer(&clerk),
            json!({"division": "511700", "held_on": "2021-06-20", "place": "达州市社会福利院", "theme": "走进民政",
                   "invited_deputies": "李四、王五", "invited_citizens": "张三"}),
        )
        .await;
    assert_eq!(day.status, 201, "{}", day.text());
    let day_id = day.json()["id"].as_i64().expect("id");
    let with_input = api
        .post(
            &format!("/api/v1/suggestions/open-days/{day_id}/inputs"),
            Auth::Bearer(&clerk),
            json!({"from_name": "张三", "content": "建议增加社区养老服务站点"}),
        )
        .await;
    assert_eq!(with_input.status, 201, "{}", with_input.text());
    let input_id = with_input.json()["inputs"][0]["id"].as_i64().expect("input id");

    // The registration form is pre-filled from it; registering it links both.
    let (session, csrf) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let form =
        api.get(&format!("/suggestions/new?input={input_id}"), Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(form.status, 200);
    assert!(form.text().contains("建议增加社区养老服务站点"));
    let input_text = input_id.to_string();
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("division", "511700"),
        ("kind", "public"),
        ("session", "政务开放日"),
        ("number", "开放日-1"),
        ("proposers", "张三"),
        ("subject", "建议增加社区养老服务站点"),
        ("lead_unit", "达州市民政局"),
        ("assigned_on", "2021-06-20"),
        ("open_day_input", input_text.as_str()),
    ];
    let posted = api.form("/suggestions/new", Some(&session), &fields).await;
    assert_eq!(posted.status, 303, "{}", posted.text());
    let again = api.form("/suggestions/new", Some(&session), &fields).await;
    assert_eq!(again.status, 409, "registered once");
    let day = api.get(&format!("/api/v1/suggestions/open-days/{day_id}"), Auth::Bearer(&clerk)).await.json();
    assert!(day["inputs"][0]["suggestion_id"].as_i64().is_some(), "{day}");
    let page =
        api.get(&format!("/suggestions/open-days/{day_id}"), Auth::Cookie { session: &session, csrf: None }).await;
    assert!(page.text().contains("已登记办理"));
});
