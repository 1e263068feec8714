//! The citizen portal: an online application (only for items whose online depth allows it),
//! tracking by number and check (a wrong check answers as an unknown number; failures are
//! throttled), 好差评 once per closed case, recorded and counted in the service metrics.

use chrono::Duration;
use domain::access::Actor;
use domain::engine::case::{CaseStatus, Outcome};
use serde_json::{json, Value};
use service::assistance::{ApplicationInput, HouseholdInput, HouseholdVersionInput, MemberInput};
use test_support::on_both;
use web::case_dto::ActionRequest;

use crate::helpers::{id_number, Api, Auth, Reply, STAFF_PASSWORD};

/// The page's HTML, asserting its status (and so not a 500).
#[track_caller]
fn page(reply: &Reply, status: u16) -> String {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text());
    assert!(reply.header("content-type").is_some_and(|t| t.starts_with("text/html")));
    reply.text()
}

/// The staff of the disability subsidy in 东城街道 and 通川区.
pub struct SubsidyStaff {
    pub township: Actor,
    pub reviewer: Actor,
    pub decider: Actor,
}

impl SubsidyStaff {
    pub async fn new(api: &Api) -> SubsidyStaff {
        SubsidyStaff {
            township: api.t.staff("dongcheng_officer", "township_officer", "511702001").await,
            reviewer: api.t.staff("tongchuan_reviewer", "reviewer", "511702").await,
            decider: api.t.staff("tongchuan_decider", "decider", "511702").await,
        }
    }
}

/// Moves a 残疾人两项补贴 case to 办结（准予） by the staff's acts (the service's use cases, as
/// the API calls them: the clock jumps days, past any session), running the 公示 timer out on
/// the simulated clock and the sweep.
pub async fn complete_subsidy(api: &Api, staff: &SubsidyStaff, id: i64) {
    let app = &api.t.app;
    // The household facts the decision is made on: the applicant with a grade-1 certificate.
    let applicant = app.case(&staff.township, id).await.expect("the case").case.applicant;
    let household = HouseholdInput {
        division: "511702001".into(),
        urban: true,
        version: HouseholdVersionInput {
            valid_from: "2021-01-01".into(),
            members: vec![MemberInput {
                person_id: applicant,
                relationship: "applicant".into(),
                disability_category: Some("physical".into()),
                disability_grade: Some(1),
                ..Default::default()
            }],
            ..Default::default()
        },
    };
    let household = app.create_household(&staff.township, &household).await.expect("household");
    let application = ApplicationInput {
        household_id: household.id,
        program: "disability_care".into(),
        beneficiary: Some(applicant),
        ..Default::default()
    };
    app.register_assistance_application(&staff.township, id, &application).await.expect("application");
    let mut last = String::new();
    for _ in 0..20 {
        let mut acted = false;
        for actor in [&staff.township, &staff.reviewer, &staff.decider] {
            let view = app.case(actor, id).await.expect("staff see the case");
            if let CaseStatus::Closed(outcome) = view.case.status {
                assert_eq!(outcome, Outcome::Granted);
                return;
            }
            last.push_str(&format!(
                "\n{}: {:?} at {:?}, allowed {:?}",
                actor.username, view.case.status, view.case.step, view.allowed
            ));
            let allowed: Vec<&str> = view.allowed.iter().map(|k| k.as_str()).collect();
            let body = if allowed.contains(&"accept") {
                json!({"action": "accept"})
            } else if allowed.contains(&"review") {
                json!({"action": "review", "verdict": "approve", "opinion": "符合条件"})
            } else if allowed.contains(&"decide") {
                json!({"action": "decide", "grant": true, "reasons": "符合条件"})
            } else if allowed.contains(&"deliver") {
                json!({"action": "deliver", "method": "on_site"})
            } else if let Some(next) = allowed.iter().find(|a| ["forward", "receive", "return_result"].contains(a)) {
                json!({"action": next})
            } else {
                continue;
            };
            // The act as a client sends it (with a revision; this driver acts on the case as it is now).
            let mut body = body;
            body["expected_revision"] = json!(0);
            let request: ActionRequest = serde_json::from_value(body.clone()).expect("an act");
            let action = request.to_action().expect("a valid act");
            match app.act_on_case(actor, id, None, &action).await {
                Ok(_) => {}
                // 公示: only an objection (return) may be recorded; its timer ends it.
                Err(e) if e.code == "objection_only" => continue,
                Err(e) => panic!("{body}: {e:?}"),
            }
            acted = true;
            break;
        }
        if !acted {
            // A wait step (公示): let its timer run out.
            let later = app.now() + Duration::days(8);
            api.t.clock.set(later).expect("clock forward");
            app.sweep_once(later).await.expect("sweep");
        }
    }
    panic!("case {id} did not reach its end: {last}");
}

/// A citizen account (a grant at their 户籍地) bound to 赵小红 (实名), signed in with a cookie:
/// (session, csrf). `citizen1` is the 赵小红 of ID number order 7 that [`apply_online`] is
/// given, `citizen2` order 8, and so on.
pub async fn citizen(api: &Api, username: &str) -> (String, String) {
    let n: u32 = username.trim_start_matches(|c: char| !c.is_ascii_digit()).parse().unwrap_or(1);
    citizen_as(api, username, "赵小红", 6 + n).await
}

/// A citizen account bound to `name` with the ID number of order `order` (born 1960-01-01 in
/// 通川区), signed in with a cookie: (session, csrf).
pub async fn citizen_as(api: &Api, username: &str, name: &str, order: u32) -> (String, String) {
    let person = domain::person::PersonInput {
        name: name.into(),
        id_number: id_number("511702", "19600101", order),
        phone: None,
        address: None,
        division: "511702001".into(),
    };
    api.t.citizen(username, "511702001", &person).await;
    api.cookie_login(username, STAFF_PASSWORD).await
}

/// The online application form for the disability subsidy, posted; returns the reply.
pub async fn apply_online(api: &Api, session: &str, csrf: &str, id: &str) -> Reply {
    apply_online_with(api, session, csrf, id, &ALL_MATERIALS).await
}

/// Every material the care subsidy asks for.
pub const ALL_MATERIALS: [&str; 5] = ["application_form", "id_card", "hukou", "disability_certificate", "bank_account"];

/// The online application form for the disability subsidy with `materials` ticked, posted.
pub async fn apply_online_with(api: &Api, session: &str, csrf: &str, id: &str, materials: &[&str]) -> Reply {
    let mut fields = vec![
        ("csrf_token", csrf),
        ("idempotency_key", "web-test-online-1"),
        ("situation", "care_subsidy"),
        ("name", "赵小红"),
        ("id_number", id),
        ("phone", "13912345678"),
        ("division", "511702001"),
    ];
    fields.extend(materials.iter().map(|m| ("materials", *m)));
    api.form("/items/disability-subsidy/apply", Some(session), &fields).await
}

fn metric<'a>(stats: &'a Value, key: &str) -> &'a Value {
    stats["metrics"].as_array().and_then(|m| m.iter().find(|m| m["key"] == key)).unwrap_or(&Value::Null)
}

on_both!(a_citizen_applies_online_tracks_and_rates_once, |db| async move {
    let api = Api::new(db).await;
    let staff = SubsidyStaff::new(&api).await;
    api.t.staff("leader", "leader", "511700").await;
    let (session, csrf) = citizen(&api, "citizen1").await;
    let me = crate::helpers::Auth::Cookie { session: &session, csrf: None };

    // The form is the online one; an item that cannot be done online is refused.
    let form = page(&api.get("/items/disability-subsidy/apply", me).await, 200);
    assert!(form.contains("网上申请：残疾人两项补贴资格认定申请"), "{form}");
    assert!(!form.contains("id=\"accepting_division\""), "no window to choose online");
    let window_only =
        api.t.app.items_on(api.t.app.today()).into_iter().find(|i| i.online_depth < 3).map(|i| i.slug.clone());
    if let Some(slug) = window_only {
        let refused = page(&api.get(&format!("/items/{slug}/apply"), me).await, 422);
        assert!(refused.contains("不能网上申请"), "{refused}");
    }

    let id_text = id_number("511702", "19600101", 7);
    let submitted = apply_online(&api, &session, &csrf, &id_text).await;
    assert_eq!(submitted.status, 303, "{}", submitted.text());
    let case_path = submitted.header("location").expect("the case page").to_string();
    let case_page = page(&api.get(&case_path, me).await, 200);
    let id: i64 = case_path.trim_start_matches("/cases/").split('?').next().unwrap_or_default().parse().expect("id");
    let township = api.token("dongcheng_officer", STAFF_PASSWORD).await;
    let case = api.get(&format!("/api/v1/cases/{id}"), Auth::Bearer(&township)).await.json();
    assert_eq!((case["channel"].as_str(), case["status"].as_str()), (Some("online"), Some("submitted")), "{case}");
    let number = case["number"].as_str().expect("number").to_string();
    let code = api.t.app.case_check_code(&number);
    assert!(case_page.contains(&code), "the 查询码 is shown: {case_page}");
    // The citizen's home lists it.
    assert!(page(&api.get("/", me).await, 200).contains(&number));

    // Tracking: a wrong check reads as an unknown number.
    let wrong = page(&api.form("/track", None, &[("number", &number), ("check", "0000")]).await, 404);
    let unknown = page(&api.form("/track", None, &[("number", "511702001-2021-999999"), ("check", &code)]).await, 404);
    assert!(wrong.contains("办件编号或查询码不正确") && unknown.contains("办件编号或查询码不正确"));
    assert!(!wrong.contains(&id_text[..14]), "nothing of the case shows");
    let by_code = page(&api.form("/track", None, &[("number", &number), ("check", &code)]).await, 200);
    assert!(by_code.contains("待受理") && by_code.contains("赵**"), "{by_code}");
    assert!(by_code.contains("<dt>下一步</dt><dd>等待受理"), "the next step in words: {by_code}");
    assert!(!by_code.contains("办结日期"), "not closed yet");
    assert!(!by_code.contains("赵小红"), "the name is masked");
    let by_id = page(&api.form("/track", None, &[("number", &number), ("check", &id_text[14..])]).await, 200);
    assert!(by_id.contains(&number));
    assert!(!by_id.contains("name=\"overall\""), "no rating before the end");
    let early = page(
        &api.form("/track/rate", None, &[("number", &number), ("check", &code), ("overall", "satisfied")]).await,
        422,
    );
    assert!(early.contains("办件办结后才能评价"), "{early}");

    complete_subsidy(&api, &staff, id).await;
    let closed = page(&api.form("/track", None, &[("number", &number), ("check", &code)]).await, 200);
    // An online case: the rating form asks for the 线上 indicators, each on its own.
    for (field, name) in [
        ("overall", "整体满意度"),
        ("efficiency", "办事效率"),
        ("guide_accuracy", "办事指南精确度"),
        ("convenience", "办事便捷度"),
        ("usability", "平台操作性"),
    ] {
        assert!(closed.contains(&format!("name=\"{field}\"")) && closed.contains(name), "{field}: {closed}");
    }
    assert!(!closed.contains("name=\"attitude\""), "no 线下 indicator: {closed}");
    // The closing date (Shanghai) and what was decided, with the decision's reasons.
    let closed_on = api.t.app.case(&staff.decider, id).await.expect("case").case.closed_at.expect("closed");
    let closed_on = closed_on.with_timezone(&domain::calendar::shanghai_offset()).format("%Y年%-m月%-d日").to_string();
    assert!(closed.contains(&format!("<dt>办结日期</dt><dd>{closed_on}</dd>")), "{closed}");
    assert!(closed.contains("<dt>办理结果</dt><dd><strong>准予</strong></dd>"), "{closed}");
    assert!(closed.contains("<dt>理由</dt><dd>符合条件</dd>"), "{closed}");
    assert!(!closed.contains("<dt>下一步</dt>"), "no next step once closed");
    let stranger = page(
        &api.form("/track/rate", None, &[("number", &number), ("check", "1234"), ("overall", "satisfied")]).await,
        404,
    );
    assert!(stranger.contains("办件编号或查询码不正确"), "no rating without the check: {stranger}");
    let bad_grade =
        page(&api.form("/track/rate", None, &[("number", &number), ("check", &code), ("overall", "great")]).await, 422);
    assert!(bad_grade.contains("请选择“整体满意度”的评价"), "{bad_grade}");
    // The JSON API, through the same parser: every problem named by its indicator.
    let refused = api
        .post(
            "/api/v1/track/rate",
            Auth::None,
            json!({"number": number, "check": code, "grades": {"overall": "satisfied", "attitude": "satisfied"}}),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let problems: Vec<(String, String)> = refused.json()["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| (p["field"].as_str().unwrap_or("").to_string(), p["code"].as_str().unwrap_or("").to_string()))
        .collect();
    let expected = [
        ("attitude", "unknown_rating_dimension"),
        ("efficiency", "unknown_grade"),
        ("guide_accuracy", "unknown_grade"),
        ("convenience", "unknown_grade"),
        ("usability", "unknown_grade"),
    ];
    assert_eq!(problems, expected.map(|(f, c)| (f.to_string(), c.to_string())), "{}", refused.text());
    let stranger_api =
        api.post("/api/v1/track/rate", Auth::None, json!({"number": number, "check": "1234", "grades": {}})).await;
    assert_eq!(stranger_api.status, 404, "{}", stranger_api.text());
    let online_sheet = [
        ("overall", "fairly_satisfied"),
        ("efficiency", "satisfied"),
        ("guide_accuracy", "very_satisfied"),
        ("convenience", "satisfied"),
        ("usability", "dissatisfied"),
    ];
    let mut fields = vec![("number", number.as_str()), ("check", code.as_str()), ("comment", "窗口很耐心")];
    fields.extend(online_sheet);
    let rated = page(&api.form("/track/rate", None, &fields).await, 200);
    assert!(rated.contains("感谢您的评价") && rated.contains("您已对本次线上服务作出评价"), "{rated}");
    assert!(
        rated.contains("<dt>整体满意度</dt><dd>基本满意</dd>") && rated.contains("<dt>平台操作性</dt><dd>不满意</dd>"),
        "each indicator read back: {rated}"
    );
    let again = page(&api.form("/track/rate", None, &fields).await, 409);
    assert!(again.contains("每件只能评价一次"), "{again}");
    let grades_json: serde_json::Map<String, Value> =
        online_sheet.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    let again_api = api
        .post("/api/v1/track/rate", Auth::None, json!({"number": number, "check": code, "grades": grades_json}))
        .await;
    again_api.assert_error(409, "case_rated");

    // Recorded with the case, and counted (new sessions: the clock has moved days on).
    let township = api.token("dongcheng_officer", STAFF_PASSWORD).await;
    let leader = api.token("leader", STAFF_PASSWORD).await;
    let events = api.get(&format!("/api/v1/cases/{id}/events"), Auth::Bearer(&township)).await.json();
    let rate_events: Vec<&Value> =
        events["items"].as_array().into_iter().flatten().filter(|e| e["act"] == "case.rate").collect();
    assert_eq!(rate_events.len(), 1, "{events}");
    let stats = api.get("/api/v1/stats/service", Auth::Bearer(&leader)).await.json();
    let satisfaction = metric(&stats, "satisfaction_rate");
    assert_eq!((satisfaction["numerator"].as_i64(), satisfaction["denominator"].as_i64()), (Some(1), Some(1)));
    let grades: Vec<(String, i64)> = satisfaction["breakdown"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| (b["key"].as_str().unwrap_or_default().to_string(), b["count"].as_i64().unwrap_or(-1)))
        .collect();
    assert!(grades.contains(&("fairly_satisfied".to_string(), 1)) && grades.contains(&("satisfied".to_string(), 0)));
    // Each indicator its own figure: 平台操作性 rated 不满意 (0 of 1 good), 办事指南精确度 1 of 1.
    let pair = |key: &str| (metric(&stats, key)["numerator"].as_i64(), metric(&stats, key)["denominator"].as_i64());
    assert_eq!(pair("rating_online_usability"), (Some(0), Some(1)));
    assert_eq!(pair("rating_online_guide_accuracy"), (Some(1), Some(1)));
    assert_eq!(pair("rating_offline_attitude"), (Some(0), Some(0)));
    assert_eq!(metric(&stats, "online_application_rate")["numerator"], 1);
});

/// A tracking post from `client`, behind the bureau's proxy (a trusted one, so the client is
/// the address it forwards, as `ClientAddr` reads it).
async fn track_from(router: &axum::Router, client: &str, number: &str, check: &str) -> Reply {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::{header, Request};
    use tower::ServiceExt;
    let body = format!("number={}&check={}", number, check);
    let mut request = Request::builder()
        .method("POST")
        .uri("/track")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", client)
        .body(Body::from(body))
        .expect("request");
    let proxy: std::net::SocketAddr = "10.0.0.1:40000".parse().expect("peer");
    request.extensions_mut().insert(ConnectInfo(proxy));
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = http_body_util::BodyExt::collect(response.into_body()).await.expect("body").to_bytes();
    Reply { status, headers, body }
}

on_both!(failed_lookups_are_throttled_per_client_not_per_number, |db| async move {
    let api = Api::new(db).await;
    let (session, csrf) = citizen(&api, "citizen2").await;
    let submitted = apply_online(&api, &session, &csrf, &id_number("511702", "19600101", 8)).await;
    assert_eq!(submitted.status, 303, "{}", submitted.text());
    let case_path = submitted.header("location").expect("location");
    let number = api
        .t
        .app
        .case(
            &api.t.staff("reader", "township_officer", "511702001").await,
            case_path.trim_start_matches("/cases/").split('?').next().unwrap_or_default().parse().expect("id"),
        )
        .await
        .expect("case")
        .case
        .number;
    let state = web::AppState { app: api.t.app.clone(), secure_cookies: false, simulated: None, public_url: None };
    let trusted = web::client_addr::TrustedProxies::parse("10.0.0.0/8").expect("list");
    let router = web::router(state).layer(axum::Extension(trusted));
    const STRANGER: &str = "203.0.113.66";
    const CITIZEN: &str = "198.51.100.7";

    let start = api.t.app.now();
    for _ in 0..service::throttle::TRACK_MAX_PER_CLIENT_NUMBER {
        let wrong = page(&track_from(&router, STRANGER, &number, "9999").await, 404);
        assert!(wrong.contains("办件编号或查询码不正确"), "as an unknown number: {wrong}");
    }
    let failed = api.t.app.now();
    let code = api.t.app.case_check_code(&number);
    // The stranger is throttled, even with the right check.
    let locked = page(&track_from(&router, STRANGER, &number, &code).await, 429);
    assert!(locked.contains("查询失败次数过多"), "{locked}");
    // The citizen, from another address, is not locked out of their own case.
    let own = page(&track_from(&router, CITIZEN, &number, &code).await, 200);
    assert!(own.contains(&number) && own.contains("待受理"), "{own}");
    // 14:59 after the first failure the stranger is still held; at 15:00 after the last, free.
    api.t.clock.set(start + Duration::minutes(15) - Duration::seconds(1)).expect("clock");
    page(&track_from(&router, STRANGER, &number, &code).await, 429);
    api.t.clock.set(failed + Duration::minutes(15)).expect("clock");
    page(&track_from(&router, STRANGER, &number, &code).await, 200);
});
