//! 政府信息公开 依申请公开 over HTTP: a request entered before the move, across 国庆 2021 with a
//! third-party consultation, its answer and the annual report's figures following the records;
//! its pages (correction notice, answer form, printable notices) and jurisdiction; the retired
//! entry points leading to the item; a request as a case of the item, counted beside the earlier
//! ones. On both backends.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use test_support::on_both;

use crate::helpers::{Api, Auth, STAFF_PASSWORD};

/// 09:00 in Shanghai on that day of 2021.
fn morning(month: u32, day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, month, day, 1, 0, 0).single().expect("instant")
}

fn request_body(submitted_on: &str) -> Value {
    json!({
        "division": "511702",
        "applicant_kind": "natural_person",
        "applicant_name": "张三",
        "identity": "511702198001011234",
        "contact": "13812345678",
        "description": "2021年本区最低生活保障标准调整的文件",
        "form": "paper",
        "channel": "in_person",
        "submitted_on": submitted_on,
    })
}

fn row_total(report: &Value, prefix: &str) -> i64 {
    report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["label"].as_str().unwrap_or_default().starts_with(prefix))
        .unwrap_or_else(|| panic!("row {prefix} in {report}"))["total"]
        .as_i64()
        .expect("total")
}

on_both!(a_request_across_national_day_is_answered_and_counted, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(morning(9, 17)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    api.t.staff("leader", "leader", "511702").await;
    let neighbour = api.staff_token("neighbour", "clerk", "511703").await;

    let id = api.earlier_disclosure_request(&clerk, &request_body("2021-09-17")).await;
    let path = format!("/api/v1/disclosure/requests/{id}");
    let r = api.get(&path, Auth::Bearer(&clerk)).await.json();
    assert_eq!(r["received_on"], "2021-09-17");
    // 7 and 20 working days: the 调休 Saturday 18 September and Sunday 26 September count, 中秋 and 国庆 do not.
    assert_eq!(r["limits"]["correction_notice_due"], "2021-09-28");
    assert_eq!(r["limits"]["answer_due"], "2021-10-21");
    assert_eq!(r["identity"], "5117**************");
    assert_eq!(r["contact"], "138****5678");

    // Another county's clerk neither reads nor lists it.
    api.get(&path, Auth::Bearer(&neighbour)).await.assert_error(403, "forbidden");
    let theirs = api.get("/api/v1/disclosure/requests", Auth::Bearer(&neighbour)).await.json();
    assert_eq!(theirs["items"].as_array().map(Vec::len), Some(0));

    // The third party is consulted from 24 September to 12 October: not counted.
    api.t.clock.set(morning(9, 24)).expect("forward");
    // A session lasts 8 hours: sign in again after each move of the clock.
    let clerk = api.token("clerk", STAFF_PASSWORD).await;
    let step = |kind: &str, on: &str, revision: i64| json!({"kind": kind, "on": on, "note": "某某公司（信息涉及其商业秘密）", "expected_revision": revision});
    let consulting =
        api.post(&format!("{path}/steps"), Auth::Bearer(&clerk), step("consultation_start", "2021-09-24", 0)).await;
    assert_eq!(consulting.status, 201, "{}", consulting.text());
    let c = consulting.json();
    assert_eq!(c["limits"]["stage"], "consulting");
    assert_eq!(c["limits"]["third_party_due"], "2021-10-20");
    assert!(c["limits"]["answer_due"].is_null());
    // A write at a revision already passed is a conflict, and writes nothing.
    let stale =
        api.post(&format!("{path}/steps"), Auth::Bearer(&clerk), step("consultation_end", "2021-09-24", 0)).await;
    stale.assert_error(409, "disclosure_conflict");

    api.t.clock.set(morning(10, 12)).expect("forward");
    let clerk = api.token("clerk", STAFF_PASSWORD).await;
    let leader = api.token("leader", STAFF_PASSWORD).await;
    let ended =
        api.post(&format!("{path}/steps"), Auth::Bearer(&clerk), step("consultation_end", "2021-10-12", 1)).await;
    assert_eq!(ended.status, 201, "{}", ended.text());
    assert_eq!(ended.json()["limits"]["answer_due"], "2021-11-03");
    let too_long =
        json!({"kind": "extension", "on": "2021-10-12", "workdays": 21, "note": "局长同意", "expected_revision": 2});
    api.post(&format!("{path}/steps"), Auth::Bearer(&clerk), too_long).await.assert_error(422, "extension_days");

    // The report before the answer: received this year and carried into next year.
    let report = api.get("/api/v1/disclosure/report?year=2021", Auth::Bearer(&leader)).await;
    assert_eq!(report.status, 200, "{}", report.text());
    let before = report.json();
    assert_eq!(row_total(&before, "一、"), 1);
    assert_eq!(row_total(&before, "四、"), 1);
    assert_eq!(row_total(&before, "4.保护第三方合法权益"), 0);

    let withheld = json!({"kind": "withheld", "answered_on": "2021-10-12", "expected_revision": 2});
    api.post(&format!("{path}/answer"), Auth::Bearer(&clerk), withheld.clone())
        .await
        .assert_error(422, "withhold_reason_required");
    let mut answer = withheld;
    answer["withhold_reason"] = json!("third_party_rights");
    let answered = api.post(&format!("{path}/answer"), Auth::Bearer(&clerk), answer.clone()).await;
    assert_eq!(answered.status, 201, "{}", answered.text());
    assert_eq!(answered.json()["answer"]["basis"], "《中华人民共和国政府信息公开条例》第三十六条第（三）项");
    answer["expected_revision"] = json!(3);
    api.post(&format!("{path}/answer"), Auth::Bearer(&clerk), answer).await.assert_error(422, "already_answered");

    // The figures follow the records.
    let after = api.get("/api/v1/disclosure/report?year=2021", Auth::Bearer(&leader)).await.json();
    assert_eq!(row_total(&after, "四、"), 0);
    assert_eq!(row_total(&after, "4.保护第三方合法权益"), 1);
    assert_eq!(row_total(&after, "（七）"), 1);

    api.t.clock.set(morning(10, 20)).expect("forward");
    let clerk = api.token("clerk", STAFF_PASSWORD).await;
    let leader = api.token("leader", STAFF_PASSWORD).await;
    let remedy = json!({"kind": "review", "filed_on": "2021-10-18", "expected_revision": 3});
    let recorded = api.post(&format!("{path}/remedies"), Auth::Bearer(&clerk), remedy).await;
    assert_eq!(recorded.status, 201, "{}", recorded.text());
    let report = api.get("/api/v1/disclosure/report?year=2021", Auth::Bearer(&leader)).await.json();
    let pending = report["remedies"]
        .as_array()
        .expect("remedies")
        .iter()
        .find(|c| c["group"] == "行政复议" && c["result"] == "尚未审结")
        .expect("cell")["count"]
        .clone();
    assert_eq!(pending, 1);
    let xlsx = api.get("/api/v1/disclosure/report.xlsx?year=2021", Auth::Bearer(&leader)).await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"), "an xlsx (zip) file");
    // Next year's report carries nothing over: the request was answered in 2021.
    api.get("/api/v1/disclosure/report?year=2022", Auth::Bearer(&leader)).await.assert_error(422, "invalid_year");

    // Every write and read is on the request's record.
    let events = api.t.app.store.stream_events(&format!("disclosure:{id}")).await.expect("events");
    let acts: Vec<&str> = events.iter().map(|e| e.act.as_str()).collect();
    for act in [
        "disclosure.request",
        "disclosure.consultation_start",
        "disclosure.consultation_end",
        "disclosure.answer",
        "disclosure.remedy",
        "disclosure.read",
    ] {
        assert!(acts.contains(&act), "{act} in {acts:?}");
    }
});

// The entry points of before the move are retired: a new request is a case of the item. The API
// answers 410 with the code and the route to use, and writes nothing; the staff form and the
// public form send the browser to the item's form (the window form for a clerk, the online form
// for a citizen). A request entered before keeps its day of receipt: on the 调休 Saturday
// 9 October 2021, which counts as a working day.
on_both!(the_old_entry_points_lead_to_the_item, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(morning(10, 9)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let before = api.footprint().await;
    let moved = api.post("/api/v1/disclosure/requests", Auth::Bearer(&clerk), request_body("2021-10-09")).await;
    moved.assert_error(410, "disclosure_request_moved");
    assert!(moved.json()["message"].as_str().is_some_and(|m| m.contains("POST /api/v1/cases")), "{}", moved.text());
    api.post("/api/v1/disclosure/requests", Auth::None, request_body("2021-10-09"))
        .await
        .assert_error(401, "unauthorized");
    assert_eq!(api.footprint().await, before);
    let listed = api.get("/api/v1/disclosure/requests", Auth::Bearer(&clerk)).await.json();
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(0), "{listed}");

    for old in ["/disclosure/new", "/disclosure/apply"] {
        let reply = api.get(old, Auth::None).await;
        assert_eq!(reply.status, 303, "{old}: {}", reply.text());
        assert_eq!(reply.header("location"), Some("/items/government-information-request/apply"), "{old}");
    }
    let (session, _) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let form =
        api.get("/items/government-information-request/apply", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(form.status, 200, "{}", form.text());
    assert!(form.text().contains("窗口受理：政府信息公开申请"), "{}", form.text());
    api.t.staff("citizen", "citizen", "511702").await;
    let (session, _) = api.cookie_login("citizen", STAFF_PASSWORD).await;
    let form =
        api.get("/items/government-information-request/apply", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(form.status, 200, "{}", form.text());
    assert!(form.text().contains("网上申请：政府信息公开申请"), "{}", form.text());

    let id = api.earlier_disclosure_request(&clerk, &request_body("2021-10-09")).await;
    let entered = api.get(&format!("/api/v1/disclosure/requests/{id}"), Auth::Bearer(&clerk)).await.json();
    assert_eq!(entered["limits"]["answer_due"], "2021-11-05", "{entered}");
});

on_both!(staff_handle_a_request_on_the_pages, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(morning(9, 17)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let (session, _) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let body = json!({
        "division": "511702",
        "applicant_kind": "business",
        "applicant_name": "某某科技有限公司",
        "identity": "91511702MA6XXXXX0X",
        "contact": "0826-2345678",
        "description": "本区养老机构名单",
        "form": "electronic",
        "channel": "post",
        "submitted_on": "2021-09-15",
        "signed_on": "2021-09-17",
    });
    let id = api.earlier_disclosure_request(&clerk, &body).await;
    let location = format!("/disclosure/requests/{id}");
    let page = api.get(&location, Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("2021年9月17日（以本机关签收之日为收到申请之日）"), "{text}");
    // The number and 查询码 to give the applicant who came to the window.
    let number = format!("GK-511702-2021-{id:06}");
    assert!(text.contains(&number), "{text}");
    assert!(text.contains(&api.t.app.disclosure_check_code(&number)), "{text}");
    assert!(text.contains("2021年10月21日"), "the answer period's last day");
    assert!(!text.contains("disclosure."), "no machine names on the page");

    // The one correction notice, then its printable notice.
    api.t.clock.set(morning(9, 24)).expect("forward");
    // A session lasts 8 hours: sign in again after each move of the clock.
    let (session, csrf) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let cookie = Some(session.as_str());
    let step = |kind: &'static str, until: &'static str, revision: &'static str| {
        vec![
            ("csrf_token", csrf.as_str()),
            ("expected_revision", revision),
            ("kind", kind),
            ("on", "2021-09-24"),
            ("until", until),
            ("note", "请写明所需名单的年份"),
        ]
    };
    let noticed = api
        .form(&format!("/disclosure/requests/{id}/steps"), cookie, &step("correction_notice", "2021-10-15", "0"))
        .await;
    assert_eq!(noticed.status, 303, "{}", noticed.text());
    let again = api
        .form(&format!("/disclosure/requests/{id}/steps"), cookie, &step("correction_notice", "2021-10-15", "1"))
        .await;
    assert_eq!(again.status, 422);
    assert!(again.text().contains("一次性告知"), "{}", again.text());
    let notice = api
        .get(&format!("/disclosure/requests/{id}/notices/correction"), Auth::Cookie { session: &session, csrf: None })
        .await;
    assert_eq!(notice.status, 200);
    assert!(notice.text().contains("请于2021年10月15日前补正"), "{}", notice.text());
    assert!(notice.text().contains("六十日内"), "the remedies");
    let none_yet = api
        .get(&format!("/disclosure/requests/{id}/notices/answer"), Auth::Cookie { session: &session, csrf: None })
        .await;
    assert_eq!(none_yet.status, 404);

    // Corrected on 30 September: the period restarts, to 3 November.
    api.t.clock.set(morning(9, 30)).expect("forward");
    let (session, csrf) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let cookie = Some(session.as_str());
    let corrected = api
        .form(
            &format!("/disclosure/requests/{id}/steps"),
            cookie,
            &[("csrf_token", &csrf), ("expected_revision", "1"), ("kind", "corrected"), ("on", "2021-09-30")],
        )
        .await;
    assert_eq!(corrected.status, 303, "{}", corrected.text());
    let page =
        api.get(&format!("/disclosure/requests/{id}"), Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(page.contains("2021年11月3日"), "{page}");

    let answered = api
        .form(
            &format!("/disclosure/requests/{id}/answer"),
            cookie,
            &[
                ("csrf_token", &csrf),
                ("expected_revision", "2"),
                ("kind", "disclosed"),
                ("details", "以电子邮件发送名单"),
                ("answered_on", "2021-09-30"),
            ],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.text());
    let notice = api
        .get(&format!("/disclosure/requests/{id}/notices/answer"), Auth::Cookie { session: &session, csrf: None })
        .await;
    assert_eq!(notice.status, 200);
    let text = notice.text();
    assert!(
        text.contains("本机关予以公开") && text.contains("第三十六条第（二）项") && text.contains("以电子邮件发送名单"),
        "{text}"
    );

    let list = api.get("/disclosure", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(list.status, 200);
    assert!(list.text().contains("某某科技有限公司"));

    // The report page: the business's disclosure in its column and the total.
    let report = api.get("/disclosure/report?year=2021", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(report.status, 200);
    let text = report.text();
    let cells = "（一）予以公开</th><td>0</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td>";
    assert!(text.contains(cells), "{text}");
    assert!(text.contains("/api/v1/disclosure/report.xlsx?year=2021"), "the Excel download");
    let bad = api.get("/disclosure/report?year=20x1", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(bad.status, 422);
});

/// The text right after `marker` up to the next `<`, with `&` decoded.
fn after(text: &str, marker: &str) -> String {
    let start = text.find(marker).unwrap_or_else(|| panic!("{marker} in {text}")) + marker.len();
    text[start..].split('<').next().unwrap_or_default().replace("&amp;", "&").replace("&#38;", "&")
}

on_both!(the_public_tracks_a_request_and_verifies_its_answer, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(morning(10, 8)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let mut body = request_body("2021-10-08");
    body["applicant_name"] = json!("李四");
    body["contact"] = json!("13912345678");
    body["description"] = json!("2021年临时救助资金使用情况");
    body["channel"] = json!("online");
    body["confirmed_on"] = json!("2021-10-08");
    let id = api.earlier_disclosure_request(&clerk, &body).await;
    // The receipt gave the request number and its 查询码.
    let (number, check) = api.t.app.disclosure_receipt(id).await.expect("the receipt");
    assert!(number.starts_with("GK-511702-2021-"), "{number}");
    assert_eq!(check, api.t.app.disclosure_check_code(&number));

    // Anyone holding both sees the stage and the due date, and only a masked name.
    let tracked = api.form("/disclosure/track", None, &[("number", &number), ("check", &check)]).await;
    assert_eq!(tracked.status, 200, "{}", tracked.text());
    let text = tracked.text();
    assert!(text.contains("办理中") && text.contains("答复期限"), "{text}");
    assert!(text.contains("李*") && !text.contains("李四") && !text.contains("13912345678"), "{text}");
    // A wrong code answers exactly as an unknown number.
    let wrong = api.form("/disclosure/track", None, &[("number", &number), ("check", "00000000")]).await;
    assert_eq!(wrong.status, 404);
    assert!(wrong.text().contains("申请编号或查询码不正确"));
    assert!(!wrong.text().contains("办理中"), "nothing of the request");
    let unknown_number = "GK-511702-2021-999999";
    let code = api.t.app.disclosure_check_code(unknown_number);
    let unknown = api.form("/disclosure/track", None, &[("number", unknown_number), ("check", &code)]).await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.text().contains("申请编号或查询码不正确"));

    // Answered: the look-up shows the answer's type and date; the notice carries a QR code to
    // the public verification page, which names the document, its number and date.
    let answer =
        json!({"kind": "disclosed", "details": "以电子邮件发送", "answered_on": "2021-10-08", "expected_revision": 0});
    let answered = api.post(&format!("/api/v1/disclosure/requests/{id}/answer"), Auth::Bearer(&clerk), answer).await;
    assert_eq!(answered.status, 201, "{}", answered.text());
    let text = api.form("/disclosure/track", None, &[("number", &number), ("check", &check)]).await.text();
    assert!(text.contains("予以公开") && text.contains("2021年10月8日"), "{text}");

    let (staff, _) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let notice = api
        .get(&format!("/disclosure/requests/{id}/notices/answer"), Auth::Cookie { session: &staff, csrf: None })
        .await;
    assert_eq!(notice.status, 200, "{}", notice.text());
    let notice = notice.text();
    assert!(notice.contains("<svg"), "the QR code");
    let url = after(&notice, "扫描二维码核验本文书：");
    let target = &url[url.find("/disclosure/verify/").expect("the verification path")..];
    let verified = api.get(target, Auth::None).await;
    assert_eq!(verified.status, 200, "{}", verified.text());
    let page = verified.text();
    assert!(page.contains("该文书与发文机关的记录相符"), "{page}");
    assert!(page.contains("政府信息公开申请答复书") && page.contains("通民公开答〔2021〕第"), "{page}");
    assert!(page.contains(&number) && page.contains("二〇二一年十月八日"), "{page}");
    assert!(!page.contains("李四"), "a masked name only");
    // An altered digest or a wrong code does not verify.
    let altered = target.replace("&d=", "&d=0");
    assert_eq!(api.get(&altered, Auth::None).await.status, 404);
    let wrong_code = target.replace(&format!("c={check}"), "c=00000000");
    assert_eq!(api.get(&wrong_code, Auth::None).await.status, 404);

    // Failures are throttled per client: after five on this number, even the right code waits.
    for _ in 0..4 {
        let wrong = api.form("/disclosure/track", None, &[("number", &number), ("check", "00000000")]).await;
        assert_eq!(wrong.status, 404);
    }
    let throttled = api.form("/disclosure/track", None, &[("number", &number), ("check", &check)]).await;
    assert_eq!(throttled.status, 429, "{}", throttled.text());
    let events = api.t.app.store.stream_events(&format!("disclosure:{id}")).await.expect("events");
    assert!(
        events.iter().any(|e| e.act == "disclosure.read" && e.actor == "public:track"),
        "the public look-up is recorded"
    );
});

/// A request as a case of the published item, opened at the window with its receipt by channel.
fn case_body(order: u32) -> Value {
    json!({
        "item": "government-information-request",
        "channel": "window",
        "applicant": {"name": "李四", "id_number": crate::helpers::id_number("511702", "19800101", order), "division": "511702"},
        "accepting_division": "511702",
        "situation": "ordinary",
        "materials": ["request"],
        "data": {"receipt": {"channel": "in_person", "submitted_on": "2021-09-17"}},
        "facts": {
            "applicant_kind": "business",
            "description": "2021年本区养老机构名单及床位数",
            "provision_form": "electronic",
            "receive_by": "email"
        }
    })
}

// A request that is a case of the item and one received before in the area's own table are both
// in the annual report (第四十九条、第五十条), and its figures follow the records: the case's
// answer (the decide act naming its outcome) moves it from 结转下年度 to its result, and a
// 行政复议 recorded against it is counted.
on_both!(a_request_case_and_an_earlier_request_are_both_counted, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(morning(9, 17)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let decider = api.staff_token("decider", "decider", "511702").await;
    let leader = api.staff_token("leader", "leader", "511702").await;

    let old_id = api.earlier_disclosure_request(&clerk, &request_body("2021-09-17")).await;
    let answer = json!({"kind": "not_existing", "details": "经检索，本机关未制作该信息", "answered_on": "2021-09-17", "expected_revision": 0});
    let answered =
        api.post(&format!("/api/v1/disclosure/requests/{old_id}/answer"), Auth::Bearer(&clerk), answer).await;
    assert_eq!(answered.status, 201, "{}", answered.text());

    let created = api.post("/api/v1/cases", Auth::Bearer(&clerk), case_body(1)).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let case = created.json();
    let id = case["id"].as_i64().expect("id");
    // 20 working days from the day of receipt: the 调休 Saturday and Sunday count, 中秋 and 国庆 do not.
    assert_eq!(case["due_date"], "2021-10-21", "{case}");
    let accepted = api.act(id, Auth::Bearer(&clerk), json!({"action": "accept"})).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text());

    let report = api.get("/api/v1/disclosure/report?year=2021", Auth::Bearer(&leader)).await.json();
    assert_eq!(row_total(&report, "一、"), 2, "{report}");
    assert_eq!(row_total(&report, "四、"), 1, "the case is carried over: {report}");
    let unanswered = api.get(&format!("/api/v1/disclosure/cases/{id}"), Auth::Bearer(&clerk)).await.json();
    assert!(unanswered["answer"].is_null(), "{unanswered}");
    // The decide form as a clerk of the office reads it: the answer chosen in a select of outcomes,
    // two buttons named for the act (答复), no licence's words (不予许可).
    let (session, _) = api.cookie_login("decider", STAFF_PASSWORD).await;
    let form = api.get(&format!("/cases/{id}"), Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(form.contains(">答复</button>") && form.contains(">答复（说明理由）</button>"), "{form}");
    assert!(form.contains("<option value=\"not_existing\">经检索没有所申请的信息</option>"), "{form}");
    assert!(!form.contains("不予许可") && !form.contains("予以公开／"), "{form}");

    let decided = api
        .act(
            id,
            Auth::Bearer(&decider),
            json!({
                "action": "decide",
                "outcome": "partial",
                "data": {"reason": "process_information", "provision_form": "electronic"}
            }),
        )
        .await;
    assert_eq!(decided.status, 200, "{}", decided.text());
    let record = api.get(&format!("/api/v1/disclosure/cases/{id}"), Auth::Bearer(&clerk)).await.json();
    assert_eq!(record["answer"]["kind"], "partial", "{record}");
    assert_eq!(record["answer"]["basis"], "《中华人民共和国政府信息公开条例》第三十七条");
    assert_eq!(record["answer"]["answered_on"], "2021-09-17");
    // The decision notice is the 答复书: the outcome's sentence, its basis, the remedies, the QR code.
    let (session, _) = api.cookie_login("clerk", STAFF_PASSWORD).await;
    let page = Auth::Cookie { session: &session, csrf: None };
    let notice = api.get(&format!("/cases/{id}/notices/decision"), page).await.text();
    for text in ["政府信息公开申请答复书", "能够作区分处理", "第三十七条", "六十日", "六个月", "<svg"]
    {
        assert!(notice.contains(text), "{text}: {notice}");
    }
    // Numbered as an answer (公开答), as the requests' own 答复书, not as a decision (决).
    assert!(notice.contains("公开答〔2021〕第") && !notice.contains("决〔2021〕"), "{notice}");
    // The article once, as the decision's 依据.
    assert!(!notice.contains("答复依据") && notice.matches("第三十七条").count() == 1, "{notice}");
    // It answers: its time is the answer's, its remedies are against the answer (not a decision).
    assert!(notice.contains("答复时间") && notice.contains("如对本答复不服"), "{notice}");
    assert!(!notice.contains("决定时间") && !notice.contains("如不服本决定"), "{notice}");
    // The case page shows the request's content and the answer's panel with the remedy form.
    let html = api.get(&format!("/cases/{id}"), page).await.text();
    for text in ["2021年本区养老机构名单及床位数", "答复和救济", "部分公开", "/disclosure/remedies"]
    {
        assert!(html.contains(text), "{text}: {html}");
    }
    // The document is linked by its name.
    assert!(html.contains(&format!("/cases/{id}/notices/decision\">政府信息公开申请答复书</a>")), "{html}");
    let after = api.get("/api/v1/disclosure/report?year=2021", Auth::Bearer(&leader)).await.json();
    assert_eq!(row_total(&after, "一、"), 2, "{after}");
    assert_eq!(row_total(&after, "四、"), 0, "answered: {after}");

    // A remedy against the case's answer: refused before its answer's day, counted once recorded.
    let early = json!({"kind": "review", "filed_on": "2021-09-16"});
    api.post(&format!("/api/v1/disclosure/cases/{id}/remedies"), Auth::Bearer(&clerk), early)
        .await
        .assert_error(422, "filed_on_range");
    let remedy = json!({"kind": "review", "filed_on": "2021-09-17"});
    let recorded = api.post(&format!("/api/v1/disclosure/cases/{id}/remedies"), Auth::Bearer(&clerk), remedy).await;
    assert_eq!(recorded.status, 201, "{}", recorded.text());
    assert_eq!(recorded.json()["remedies"][0]["kind_name"], "行政复议");
    let counted = api.get("/api/v1/disclosure/report?year=2021", Auth::Bearer(&leader)).await.json();
    let pending = counted["remedies"]
        .as_array()
        .expect("remedies")
        .iter()
        .find(|c| c["group"] == "行政复议" && c["result"] == "尚未审结")
        .expect("cell")["count"]
        .clone();
    assert_eq!(pending, 1, "{counted}");
    // The answer and the remedy are on the case's record.
    let events = api.t.app.store.stream_events(&format!("case:{id}")).await.expect("events");
    let acts: Vec<&str> = events.iter().map(|e| e.act.as_str()).collect();
    for act in ["disclosure.answer", "disclosure.remedy"] {
        assert!(acts.contains(&act), "{act} in {acts:?}");
    }
    // A request not corrected in the notice's period (15 working days from Friday 17 September: the
    // 调休 Saturday 18 and Sunday 26 September and Saturday 9 October count, 中秋 and 国庆 do not, so
    // to Thursday 14 October) is treated as abandoned at 00:00 after its last day (第三十条).
    let unclear = json!({"materials": [], "applicant": {"name": "王五", "id_number": crate::helpers::id_number("511702", "19800101", 2), "division": "511702"}});
    let mut body = case_body(2);
    for key in ["materials", "applicant"] {
        body[key] = unclear[key].clone();
    }
    let second = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
    assert_eq!(second.status, 201, "{}", second.text());
    let second = second.json()["id"].as_i64().expect("id");
    let notice = json!({"action": "notify_missing", "missing": ["request"]});
    let notified = api.act(second, Auth::Bearer(&clerk), notice).await;
    assert_eq!(notified.status, 200, "{}", notified.text());
    // The notice names the last day to correct (the declared 15 working days) and the lapse.
    let correction = api.get(&format!("/cases/{second}/notices/missing"), page).await.text();
    for text in ["补正期限", "2021年10月14日（含当日）", "视为放弃申请", "第三十条"] {
        assert!(correction.contains(text), "{text}: {correction}");
    }
    // The notice is the 条例's (the period restarts from the correction), not a licence's.
    assert!(correction.contains("收到补正之日起重新计算"), "{correction}");
    assert!(!correction.contains("行政许可法"), "{correction}");
    let last_evening = Utc.with_ymd_and_hms(2021, 10, 14, 15, 59, 0).single().expect("instant");
    api.t.app.sweep_once(last_evening).await.expect("sweep");
    assert!(
        api.get(&format!("/api/v1/disclosure/cases/{second}"), Auth::Bearer(&clerk)).await.json()["answer"].is_null()
    );
    let midnight = Utc.with_ymd_and_hms(2021, 10, 14, 16, 0, 0).single().expect("instant");
    api.t.app.sweep_once(midnight).await.expect("sweep");
    let lapsed = api.get(&format!("/api/v1/disclosure/cases/{second}"), Auth::Bearer(&clerk)).await.json();
    assert_eq!(lapsed["answer"]["kind"], "abandoned", "{lapsed}");
    // Closed on the answer it was given, not as a refusal of a licence.
    let closed = api.get(&format!("/cases/{second}"), page).await.text();
    assert!(closed.contains("已办结（逾期不补正，不再处理）") && !closed.contains("不予准予"), "{closed}");
    // And so in the list that shows it: the clerk's search by the applicant's name (王五).
    let found = api.get("/cases?q=%E7%8E%8B%E4%BA%94", page).await.text();
    assert!(found.contains("已办结（逾期不补正，不再处理）") && !found.contains("不予准予"), "{found}");
    assert_eq!(lapsed["answer"]["answered_on"], "2021-10-15");
    let counted = api.get("/api/v1/disclosure/report?year=2021", Auth::Bearer(&leader)).await.json();
    assert_eq!(row_total(&counted, "1.申请人无正当理由逾期不补正"), 1, "{counted}");
    assert_eq!(row_total(&counted, "一、"), 3, "{counted}");

    // The public tracks the answered request by its number and 查询码 (generic /track).
    let number = case["number"].as_str().expect("number").to_string();
    let check = api.t.app.case_check_code(&number);
    let tracked = api.form("/track", None, &[("number", number.as_str()), ("check", check.as_str())]).await;
    assert_eq!(tracked.status, 200, "{}", tracked.text());
    let tracked = tracked.text();
    assert!(tracked.contains(&number) && tracked.contains("政府信息公开申请"), "{tracked}");
    let wrong = api.form("/track", None, &[("number", number.as_str()), ("check", "0000")]).await.text();
    assert!(!wrong.contains("2021年本区养老机构名单及床位数"), "{wrong}");

    // Another county's clerk reads none of it.
    let neighbour = api.staff_token("neighbour", "clerk", "511703").await;
    api.get(&format!("/api/v1/disclosure/cases/{id}"), Auth::Bearer(&neighbour)).await.assert_error(403, "forbidden");
});

// A 不予公开 names its reason (第十四条至第十六条) in the decide act, and the annual report counts
// it in that reason's row; without a reason the act is refused on its field and nothing is written.
// An answer that provides information states its form and whether the 第四十二条 fee is charged.
on_both!(a_withholding_names_its_reason_and_the_report_counts_it, |db| async move {
    let api = Api::new(db).await;
    api.t.clock.set(morning(9, 17)).expect("forward");
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    let decider = api.staff_token("decider", "decider", "511702").await;
    let leader = api.staff_token("leader", "leader", "511702").await;
    let mut ids = Vec::new();
    for order in [1, 2] {
        let created = api.post("/api/v1/cases", Auth::Bearer(&clerk), case_body(order)).await;
        assert_eq!(created.status, 201, "{}", created.text());
        let id = created.json()["id"].as_i64().expect("id");
        let accepted = api.act(id, Auth::Bearer(&clerk), json!({"action": "accept"})).await;
        assert_eq!(accepted.status, 200, "{}", accepted.text());
        ids.push(id);
    }
    let before = api.get("/api/v1/disclosure/report?year=2021", Auth::Bearer(&leader)).await.json();
    assert_eq!(row_total(&before, "4.保护第三方合法权益"), 0, "{before}");

    let refused = api
        .act(
            ids[0],
            Auth::Bearer(&decider),
            json!({"action": "decide", "outcome": "withheld", "reasons": "涉及商业秘密"}),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let problems = refused.json()["problems"].clone();
    let problem = problems
        .as_array()
        .expect("problems")
        .iter()
        .find(|p| p["field"] == "data.reason")
        .unwrap_or_else(|| panic!("data.reason in {problems}"))
        .clone();
    assert!(problem["message"].as_str().is_some_and(|m| m.contains("不予公开的理由")), "{problem}");
    assert!(
        api.get(&format!("/api/v1/disclosure/cases/{}", ids[0]), Auth::Bearer(&clerk)).await.json()["answer"].is_null()
    );

    let withheld = json!({
        "action": "decide",
        "outcome": "withheld",
        "reasons": "所申请信息涉及第三方商业秘密，第三方不同意公开",
        "data": {"reason": "third_party_rights"}
    });
    let decided = api.act(ids[0], Auth::Bearer(&decider), withheld).await;
    assert_eq!(decided.status, 200, "{}", decided.text());
    let after = api.get("/api/v1/disclosure/report?year=2021", Auth::Bearer(&leader)).await.json();
    assert_eq!(row_total(&after, "4.保护第三方合法权益"), 1, "{after}");
    assert_eq!(row_total(&after, "1.属于国家秘密"), 0, "{after}");

    // A disclosure states how the information is provided; the fee it charges is on its answer's event.
    let bare = api.act(ids[1], Auth::Bearer(&decider), json!({"action": "decide", "outcome": "disclosed"})).await;
    assert_eq!(bare.status, 422, "{}", bare.text());
    let disclosed = json!({
        "action": "decide",
        "outcome": "disclosed",
        "data": {"provision_form": "paper", "fee_charged": true, "fee_amount": "100.00"}
    });
    let decided = api.act(ids[1], Auth::Bearer(&decider), disclosed).await;
    assert_eq!(decided.status, 200, "{}", decided.text());
    let payload = |events: Vec<domain::audit::Event>| -> Value {
        let answer = events.into_iter().find(|e| e.act == "disclosure.answer").expect("the answer's event");
        serde_json::from_str(&answer.payload).expect("json")
    };
    let charged = payload(api.t.app.store.stream_events(&format!("case:{}", ids[1])).await.expect("events"));
    assert_eq!(charged["fee_charged"], true, "{charged}");
    let withheld = payload(api.t.app.store.stream_events(&format!("case:{}", ids[0])).await.expect("events"));
    assert_eq!(withheld["withhold_reason"], "third_party_rights", "{withheld}");
    assert_eq!(withheld["fee_charged"], false, "{withheld}");
});
