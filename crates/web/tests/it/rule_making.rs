//! 重大行政决策和规范性文件 over HTTP: a gate refused with its article and the refusal on the
//! record; the register's public list in force on a date (JSON and page), a document gone from
//! it the day after its 有效期至; bad input refused in Chinese naming the field. On both backends.

use chrono::{TimeZone, Utc};
use serde_json::json;
use test_support::{on_both, Db};

use crate::helpers::{Api, Auth};

fn document(number: &str, until: &str) -> serde_json::Value {
    json!({"division": "511702", "number": number, "title": "通川区民政局行政执法全过程记录工作规程",
           "organ": "通川区民政局", "published_on": "2021-03-15", "effective_on": "2021-03-15",
           "valid_until": until, "review_submitted_on": "2021-03-01", "review_opinion_on": "2021-03-05",
           "review_opinion": "经审核，合法", "basis": "中华人民共和国行政处罚法"})
}

async fn gates_and_the_register_over_http(db: Db) {
    let api = Api::new(db).await;
    let clerk = api.staff_token("rm_web_clerk", "clerk", "511702").await;
    let made = api
        .post(
            "/api/v1/rule-making/decisions",
            Auth::Bearer(&clerk),
            json!({"division": "511702", "year": "2021", "title": "通川区殡葬设施布局规划", "organ": "通川区民政局", "summary": "规划"}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text());
    let id = made.json()["id"].as_i64().unwrap();
    assert_eq!(made.json()["procedures"].as_array().unwrap().len(), 5);
    // Publication before discussion: 422 with its article, recorded.
    let refused = api
        .post(
            &format!("/api/v1/rule-making/decisions/{id}/steps"),
            Auth::Bearer(&clerk),
            json!({"kind": "published", "on": "2021-06-01", "text": "政府网站", "expected_revision": 0}),
        )
        .await;
    refused.assert_error(422, "not_discussed");
    assert!(refused.json()["message"].as_str().unwrap().contains("第三十二条"), "{}", refused.text());
    let stream = api.t.app.store.stream_events(&format!("rule_decision:{id}")).await.unwrap();
    assert_eq!(stream.last().unwrap().act, "rule_making.decision_refused");
    // A short comment period without its reason names the field and the article.
    let short = api
        .post(
            &format!("/api/v1/rule-making/decisions/{id}/steps"),
            Auth::Bearer(&clerk),
            json!({"kind": "comment_opened", "on": "2021-06-01", "until": "2021-06-10", "expected_revision": 0}),
        )
        .await;
    short.assert_error(422, "comment_period_short");
    assert_eq!(short.json()["field"], "comment_short_reason");
    // An unknown body field and a bad date are refusals, never a 500.
    let unknown =
        api.post(&format!("/api/v1/rule-making/decisions/{id}/steps"), Auth::Bearer(&clerk), json!({"bogus": 1})).await;
    unknown.assert_error(400, "invalid_body");
    let bad = api.get("/api/v1/rule-making/register?on=2021-02-30", Auth::None).await;
    bad.assert_error(422, "bad_date");

    let made = api
        .post("/api/v1/rule-making/documents", Auth::Bearer(&clerk), document("通民发〔2021〕5号", "2021-12-31"))
        .await;
    assert_eq!(made.status, 201, "{}", made.text());
    assert_eq!(made.json()["state_name"], "有效");
    let long = api
        .post("/api/v1/rule-making/documents", Auth::Bearer(&clerk), document("通民发〔2021〕6号", "2026-03-15"))
        .await;
    long.assert_error(422, "validity_too_long");
    let numbers = |reply: &crate::helpers::Reply| -> Vec<String> {
        reply.json()["items"].as_array().unwrap().iter().map(|d| d["number"].as_str().unwrap().to_string()).collect()
    };
    let on = api.get("/api/v1/rule-making/register?on=2021-12-31", Auth::None).await;
    assert_eq!(numbers(&on), ["通民发〔2021〕5号"]);
    let after = api.get("/api/v1/rule-making/register?on=2022-01-01", Auth::None).await;
    assert!(numbers(&after).is_empty());
    let page = api.get("/rule-making/register?on=2021-12-31", Auth::None).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("通民发〔2021〕5号") && page.text().contains("2021年12月31日"), "{}", page.text());
    let page = api.get("/rule-making/register?on=2022-01-01", Auth::None).await;
    assert!(!page.text().contains("通民发〔2021〕5号"));
    let page = api.get("/rule-making/register?on=nope", Auth::None).await;
    assert_eq!(page.status, 422);
    assert!(page.text().contains("日期格式"));

    // The clock reaches 2022-01-01: the staff register shows the document lapsed, nobody acting.
    api.t.clock.set(Utc.with_ymd_and_hms(2022, 1, 1, 1, 0, 0).single().unwrap()).unwrap();
    let clerk = api.token("rm_web_clerk", crate::helpers::STAFF_PASSWORD).await;
    let register = api.get("/api/v1/rule-making/documents", Auth::Bearer(&clerk)).await;
    assert_eq!(register.json()["items"][0]["state_name"], "失效");
    let stats = api.get("/api/v1/rule-making/stats?year=2022", Auth::Bearer(&clerk)).await;
    assert_eq!(stats.json()["documents_lapsed"], 1, "{}", stats.text());
}
on_both!(gates_and_the_register_over_http, gates_and_the_register_over_http);

/// 09:00 in Shanghai on that day.
fn morning(year: i32, month: u32, day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 1, 0, 0).single().expect("instant")
}

fn location(reply: &crate::helpers::Reply) -> String {
    assert_eq!(reply.status, 303, "{}", reply.text());
    let to = reply.header("location").expect("location").to_string();
    assert!(!to.starts_with("/login"), "the session lapsed");
    to
}

/// Posts a step from the decision's page at the revision the page shows now.
async fn step(api: &Api, who: &(String, String), id: i64, fields: &[(&str, &str)]) -> crate::helpers::Reply {
    let session = who.0.as_str();
    let page = api.get(&format!("/rule-making/decisions/{id}"), Auth::Cookie { session, csrf: None }).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    let form = text.find("/steps\"").expect("a step form");
    let at = form + text[form..].find("name=\"expected_revision\" value=\"").expect("its revision") + 32;
    let revision: String = text[at..].chars().take_while(char::is_ascii_digit).collect();
    let mut all: Vec<(&str, &str)> = vec![("expected_revision", revision.as_str())];
    all.extend_from_slice(fields);
    page_form(api, who, &format!("/rule-making/decisions/{id}/steps"), &all).await
}

/// A form posted from a page of a signed-in session (its CSRF token first).
async fn page_form(api: &Api, who: &(String, String), path: &str, fields: &[(&str, &str)]) -> crate::helpers::Reply {
    let mut all: Vec<(&str, &str)> = vec![("csrf_token", who.1.as_str())];
    all.extend_from_slice(fields);
    api.form(path, Some(&who.0), &all).await
}

/// A decision from the catalogue's form through public consultation (a citizen's comment, its
/// answer, the published 意见采纳情况), the legality review with its printed, verifiable opinion,
/// the discussion and publication — every page a person uses, on the dates the law counts.
async fn a_decision_through_its_pages(db: Db) {
    let api = Api::new(db).await;
    api.t.clock.set(morning(2021, 9, 1)).expect("forward");
    api.t.staff("rm_clerk", "clerk", "511702").await;
    api.t.staff("rm_legal", "legal_reviewer", "511702").await;
    api.t.staff("rm_head", "decider", "511702").await;
    let clerk = api.cookie_login("rm_clerk", crate::helpers::STAFF_PASSWORD).await;

    let catalogue = api.get("/rule-making", Auth::Cookie { session: &clerk.0, csrf: None }).await;
    assert_eq!(catalogue.status, 200);
    assert!(catalogue.text().contains("2021年度重大行政决策目录"));
    let refused =
        page_form(&api, &clerk, "/rule-making/decisions", &[("division", "511702"), ("year", "2021"), ("title", "")])
            .await;
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("此项为必填项"));
    let opened = page_form(
        &api,
        &clerk,
        "/rule-making/decisions",
        &[
            ("division", "511702"),
            ("year", "2021"),
            ("title", "通川区城乡公益性公墓布局规划"),
            ("organ", "通川区民政局"),
            ("summary", "规划新建三处农村公益性公墓，草案及说明附后。"),
        ],
    )
    .await;
    let at = location(&opened);
    let id: i64 = at.trim_start_matches("/rule-making/decisions/").split('?').next().unwrap().parse().unwrap();

    // A period under 30 日 without its reason is refused on the page with its article.
    let short =
        step(&api, &clerk, id, &[("kind", "comment_opened"), ("on", "2021-09-01"), ("until", "2021-09-20")]).await;
    assert_eq!(short.status, 422);
    assert!(short.text().contains("第十五条"), "{}", short.text());
    // 30 日 from 2 September end on 1 October, a holiday: the period runs to 8 October.
    let short =
        step(&api, &clerk, id, &[("kind", "comment_opened"), ("on", "2021-09-01"), ("until", "2021-10-07")]).await;
    assert_eq!(short.status, 422, "the last day of 国庆 is still short");
    let ok = step(&api, &clerk, id, &[("kind", "comment_opened"), ("on", "2021-09-01"), ("until", "2021-10-08")]).await;
    location(&ok);

    // The public sees the draft open for comment; only a citizen signed in with a verified
    // (实名认证) account comments.
    let list = api.get("/rule-making/consultations", Auth::None).await;
    assert!(list.text().contains("通川区城乡公益性公墓布局规划") && list.text().contains("正在征求意见"));
    let public = format!("/rule-making/consultations/{id}");
    let anonymous = api.get(&public, Auth::None).await.text();
    assert!(anonymous.contains("href=\"/login?next=") && !anonymous.contains("提交意见</button>"), "{anonymous}");
    let no_session =
        api.form(&format!("{public}/comments"), None, &[("content", "建议在公墓旁设置停车场和无障碍通道。")]).await;
    assert_eq!(no_session.status, 303);
    assert!(no_session.header("location").is_some_and(|l| l.starts_with("/login")));
    let staff =
        page_form(&api, &clerk, &format!("{public}/comments"), &[("content", "工作人员不以公众身份提交。")]).await;
    assert_eq!(staff.status, 403, "staff do not comment as the public");
    let person = |name: &str, order: u32| domain::person::PersonInput {
        name: name.into(),
        id_number: crate::helpers::id_number("511702", "19800101", order),
        phone: Some("13800000000".into()),
        address: None,
        division: "511702".into(),
    };
    api.t.staff("rm_unverified", "citizen", "511702").await;
    api.t.citizen("rm_zhang", "511702", &person("张三", 51)).await;
    api.t.citizen("rm_li", "511702", &person("李四", 53)).await;
    let unverified = api.cookie_login("rm_unverified", crate::helpers::STAFF_PASSWORD).await;
    let zhang = api.cookie_login("rm_zhang", crate::helpers::STAFF_PASSWORD).await;
    let li = api.cookie_login("rm_li", crate::helpers::STAFF_PASSWORD).await;
    let page = api.get(&public, Auth::Cookie { session: &unverified.0, csrf: None }).await.text();
    assert!(page.contains("href=\"/account/verify\"") && !page.contains("提交意见</button>"), "{page}");
    let refused =
        page_form(&api, &unverified, &format!("{public}/comments"), &[("content", "未实名认证的账户提交的意见。")])
            .await;
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("实名认证"), "{}", refused.text());
    let page = api.get(&public, Auth::Cookie { session: &zhang.0, csrf: None }).await.text();
    assert!(page.contains("提交意见</button>"), "{page}");
    let empty = page_form(&api, &zhang, &format!("{public}/comments"), &[("content", "好")]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.text().contains("意见至少5个字"), "{}", empty.text());
    let sent =
        page_form(&api, &zhang, &format!("{public}/comments"), &[("content", "建议在公墓旁设置停车场和无障碍通道。")])
            .await;
    let back = location(&sent);
    assert!(back.ends_with("?done=sent"));
    let page = api.get(&back, Auth::None).await;
    assert!(page.text().contains("意见已提交"));
    assert!(!page.text().contains("停车场"), "comments are published with the summary, not before");
    // Rate-limited like /track: five on one draft in 15 minutes (per client and per account).
    for n in 0..4 {
        let more = page_form(
            &api,
            &li,
            &format!("{public}/comments"),
            &[("organization", "通川区某社区居委会"), ("content", &format!("第{n}条补充意见，请研究。"))],
        )
        .await;
        location(&more);
    }
    let flood = page_form(&api, &li, &format!("{public}/comments"), &[("content", "第六条补充意见，请研究。")]).await;
    assert_eq!(flood.status, 429);

    // Staff see every comment with its commenter and answer it once.
    let page = api.get(&format!("/rule-making/decisions/{id}"), Auth::Cookie { session: &clerk.0, csrf: None }).await;
    assert!(page.text().contains("测试rm_zhang（实名认证）") && page.text().contains("停车场"));
    assert!(page.text().contains("通川区某社区居委会（实名认证）"), "an organization's comment in its name");
    let comments = api.t.app.store.rule_comments(id).await.unwrap();
    assert_eq!(comments.len(), 5);
    assert!(comments.iter().all(|c| c.person_id.is_some()), "each comment keeps its commenter's person");
    let first = comments[0].id;
    let answer_at = format!("/rule-making/decisions/{id}/comments/{first}");
    let answered = page_form(
        &api,
        &clerk,
        &answer_at,
        &[("expected_revision", "0"), ("status", "adopted"), ("answer", "已在规划中增设停车场和无障碍通道。")],
    )
    .await;
    location(&answered);
    let again = page_form(
        &api,
        &clerk,
        &answer_at,
        &[("expected_revision", "1"), ("status", "not_adopted"), ("answer", "改变主意")],
    )
    .await;
    assert_eq!(again.status, 409);

    // The day after the period: no more comments; the summary may be recorded and is published.
    api.t.clock.set(morning(2021, 10, 9)).expect("forward");
    let clerk = api.cookie_login("rm_clerk", crate::helpers::STAFF_PASSWORD).await;
    let head = api.cookie_login("rm_head", crate::helpers::STAFF_PASSWORD).await;
    let zhang = api.cookie_login("rm_zhang", crate::helpers::STAFF_PASSWORD).await;
    let late = page_form(&api, &zhang, &format!("{public}/comments"), &[("content", "逾期提交的意见。")]).await;
    assert_eq!(late.status, 422);
    assert!(late.text().contains("不在征求意见期限内"));
    let summary = step(
        &api,
        &clerk,
        id,
        &[
            ("kind", "comment_summary"),
            ("on", "2021-10-09"),
            ("received", "5"),
            ("adopted", "1"),
            ("text", "采纳增设停车场的意见，其余意见已在说明中回应。"),
        ],
    )
    .await;
    location(&summary);
    let page = api.get(&public, Auth::None).await;
    assert!(page.text().contains("共收到意见5条，采纳1条"), "{}", page.text());
    assert!(page.text().contains("测*") && !page.text().contains("测试rm_zhang"), "the commenter is masked");
    assert!(page.text().contains("已在规划中增设停车场"));
    assert!(!page.text().contains("提交意见</button>"), "the form is gone after the period");

    // Discussion before the legality review: refused with its article.
    for procedure in ["expert_argument", "risk_assessment"] {
        let left = step(
            &api,
            &clerk,
            id,
            &[
                ("kind", "omitted"),
                ("procedure", procedure),
                ("on", "2021-10-09"),
                ("text", "非专业性事项，不致造成不利影响"),
            ],
        )
        .await;
        location(&left);
    }
    let early = step(
        &api,
        &head,
        id,
        &[
            ("kind", "discussion"),
            ("on", "2021-10-09"),
            ("meeting", "standing"),
            ("outcome", "adopted"),
            ("head_spoke_last", "true"),
            ("majority_agrees", "true"),
        ],
    )
    .await;
    assert_eq!(early.status, 422);
    assert!(early.text().contains("未经合法性审查"), "{}", early.text());
    // The clerk may not give the legality opinion; the legal office may.
    api.t.clock.set(morning(2021, 10, 20)).expect("forward");
    let clerk = api.cookie_login("rm_clerk", crate::helpers::STAFF_PASSWORD).await;
    let legal = api.cookie_login("rm_legal", crate::helpers::STAFF_PASSWORD).await;
    let asked = step(
        &api,
        &clerk,
        id,
        &[("kind", "legality_requested"), ("on", "2021-10-11"), ("until", "2021-10-19"), ("name", "局法制机构")],
    )
    .await;
    assert_eq!(asked.status, 422, "7 working days from 11 October end on 20 October");
    let asked = step(
        &api,
        &clerk,
        id,
        &[("kind", "legality_requested"), ("on", "2021-10-11"), ("until", "2021-10-20"), ("name", "局法制机构")],
    )
    .await;
    location(&asked);
    let page = api.get(&format!("/rule-making/decisions/{id}"), Auth::Cookie { session: &clerk.0, csrf: None }).await;
    assert!(!page.text().contains("value=\"legality_opinion\""), "the clerk is not offered the opinion");
    let opinion = step(
        &api,
        &legal,
        id,
        &[
            ("kind", "legality_opinion"),
            ("on", "2021-10-20"),
            ("passed", "true"),
            ("text", "决策草案符合《殡葬管理条例》第十条的规定。"),
        ],
    )
    .await;
    location(&opinion);

    // The opinion as a document the bureau issues, verifiable by its QR code.
    let page = api.get(&format!("/rule-making/decisions/{id}"), Auth::Cookie { session: &clerk.0, csrf: None }).await;
    let link_at = page.text().find("/legality-opinion/").expect("the opinion's link");
    let n: String = page.text()[link_at + 18..].chars().take_while(char::is_ascii_digit).collect();
    let doc = api
        .get(
            &format!("/rule-making/decisions/{id}/legality-opinion/{n}"),
            Auth::Cookie { session: &clerk.0, csrf: None },
        )
        .await;
    assert_eq!(doc.status, 200);
    let text = doc.text();
    assert!(
        text.contains("合法性审查意见书")
            && text.contains("审查结论：该决策草案未发现违反")
            && text.contains("民法审〔2021〕"),
        "{text}"
    );
    let url_at = text.find("/rule-making/verify/").expect("the verification address");
    let url: String = text[url_at..].chars().take_while(|c| *c != '"' && *c != '<').collect();
    let url = url.replace("&amp;", "&").replace("&#38;", "&");
    let verified = api.get(&url, Auth::None).await;
    assert_eq!(verified.status, 200, "{url}");
    assert!(verified.text().contains("相符"));
    let forged = api.get(&url.replace("&d=", "&d=0"), Auth::None).await;
    assert_eq!(forged.status, 404);
    let wrong = api
        .get(&format!("/rule-making/decisions/{id}/legality-opinion/1"), Auth::Cookie { session: &clerk.0, csrf: None })
        .await;
    assert_eq!(wrong.status, 404, "the first act is the comment period, not an opinion");

    api.t.clock.set(morning(2021, 10, 22)).expect("forward");
    let clerk = api.cookie_login("rm_clerk", crate::helpers::STAFF_PASSWORD).await;
    let head = api.cookie_login("rm_head", crate::helpers::STAFF_PASSWORD).await;
    let decided = step(
        &api,
        &head,
        id,
        &[
            ("kind", "discussion"),
            ("on", "2021-10-21"),
            ("meeting", "standing"),
            ("outcome", "adopted"),
            ("head_spoke_last", "true"),
            ("majority_agrees", "true"),
            ("text", "局长办公会议纪要〔2021〕12号"),
        ],
    )
    .await;
    location(&decided);
    let published =
        step(&api, &clerk, id, &[("kind", "published"), ("on", "2021-10-22"), ("text", "通川区人民政府门户网站")])
            .await;
    location(&published);
    let catalogue = api.get("/rule-making?year=2021", Auth::Cookie { session: &clerk.0, csrf: None }).await;
    assert!(catalogue.text().contains("通川区城乡公益性公墓布局规划"));
    assert!(catalogue.text().contains("程序完备并已公布"), "{}", catalogue.text());
    // After publication only the post-evaluation (第三十六条) may be recorded.
    let page = api.get(&format!("/rule-making/decisions/{id}"), Auth::Cookie { session: &clerk.0, csrf: None }).await;
    let text = page.text();
    assert!(text.contains("value=\"post_evaluation\"") && !text.contains("value=\"comment_opened\""), "{text}");
    let evaluated = step(
        &api,
        &clerk,
        id,
        &[
            ("kind", "post_evaluation"),
            ("on", "2021-10-22"),
            ("trigger", "organ_deems_necessary"),
            ("text", "选址方案经试点乡镇群众满意度调查，总体满意。"),
            ("text2", "决策继续执行。"),
        ],
    )
    .await;
    location(&evaluated);
    let page = api.get(&format!("/rule-making/decisions/{id}"), Auth::Cookie { session: &clerk.0, csrf: None }).await;
    assert!(page.text().contains("决策后评估") && page.text().contains("决策机关认为有必要"), "{}", page.text());

    // The 主动公开 column: formed on the discussion's day, due 20 working days later
    // (政府信息公开条例第二十六条), published the next day.
    let open = api.get("/rule-making/openness", Auth::None).await;
    assert_eq!(open.status, 200);
    let text = open.text();
    assert!(text.contains("通川区城乡公益性公墓布局规划") && text.contains("2021年10月21日"), "{text}");
    assert!(text.contains("2021年11月18日") && text.contains("按时公开"), "{text}");

    // Another county's staff reach neither the page nor the answer.
    api.t.staff("rm_other", "clerk", "511703").await;
    let other = api.cookie_login("rm_other", crate::helpers::STAFF_PASSWORD).await;
    let denied = api.get(&format!("/rule-making/decisions/{id}"), Auth::Cookie { session: &other.0, csrf: None }).await;
    assert_eq!(denied.status, 403);
}
on_both!(a_decision_through_its_pages, a_decision_through_its_pages);

/// The register's staff pages: registration by form, the document's page with its derived
/// state and filing deadline, 备案 and 废止, the public register following on the dates.
async fn the_register_through_its_pages(db: Db) {
    let api = Api::new(db).await;
    api.t.clock.set(morning(2021, 6, 2)).expect("forward");
    api.t.staff("rm_doc_clerk", "clerk", "511702").await;
    let clerk = api.cookie_login("rm_doc_clerk", crate::helpers::STAFF_PASSWORD).await;
    let form = api.get("/rule-making/documents/new", Auth::Cookie { session: &clerk.0, csrf: None }).await;
    assert_eq!(form.status, 200);
    let fields = [
        ("division", "511702"),
        ("number", "通民发〔2021〕7号"),
        ("title", "通川区民政局行政执法公示工作规程"),
        ("organ", "通川区民政局"),
        ("published_on", "2021-03-15"),
        ("effective_on", "2021-03-15"),
        ("valid_until", "2026-03-14"),
        ("review_submitted_on", "2021-03-01"),
        ("review_opinion_on", "2021-03-05"),
        ("review_opinion", "经审核，合法"),
        ("basis", "中华人民共和国行政处罚法"),
    ];
    let made = page_form(&api, &clerk, "/rule-making/documents/new", &fields).await;
    let at = location(&made);
    let id: i64 = at.trim_start_matches("/rule-making/documents/").split('?').next().unwrap().parse().unwrap();
    let again = page_form(&api, &clerk, "/rule-making/documents/new", &fields).await;
    assert_eq!(again.status, 409);
    let page = api.get(&format!("/rule-making/documents/{id}"), Auth::Cookie { session: &clerk.0, csrf: None }).await;
    // Published on 15 March, not filed within its limit: overdue, derived on read.
    assert!(page.text().contains("有效") && page.text().contains("逾期未备案"), "{}", page.text());
    let list = api.get("/rule-making/documents", Auth::Cookie { session: &clerk.0, csrf: None }).await;
    assert!(list.text().contains("通民发〔2021〕7号"));
    let filed = page_form(
        &api,
        &clerk,
        &format!("/rule-making/documents/{id}/filing"),
        &[("expected_revision", "0"), ("filing_number", "达备〔2021〕3号"), ("filed_on", "2021-06-02")],
    )
    .await;
    location(&filed);
    let page = api.get(&format!("/rule-making/documents/{id}"), Auth::Cookie { session: &clerk.0, csrf: None }).await;
    assert!(page.text().contains("备案号达备〔2021〕3号"));
    api.t.clock.set(morning(2021, 6, 10)).expect("forward");
    let clerk = api.cookie_login("rm_doc_clerk", crate::helpers::STAFF_PASSWORD).await;
    let repealed = page_form(
        &api,
        &clerk,
        &format!("/rule-making/documents/{id}/acts"),
        &[("expected_revision", "1"), ("kind", "repealed"), ("on", "2021-06-10"), ("reason", "已被新规程代替")],
    )
    .await;
    location(&repealed);
    let on = api.get("/rule-making/register?on=2021-06-09", Auth::None).await;
    assert!(on.text().contains("通民发〔2021〕7号"));
    let after = api.get("/rule-making/register?on=2021-06-10", Auth::None).await;
    assert!(!after.text().contains("通民发〔2021〕7号"), "{}", after.text());
}
on_both!(the_register_through_its_pages, the_register_through_its_pages);

/// The revision a page's forms carry (`expected_revision`).
fn page_revision(html: &str) -> String {
    let at = html.find("name=\"expected_revision\" value=\"").expect("a revision") + 32;
    html[at..].chars().take_while(char::is_ascii_digit).collect()
}

/// A clean-up campaign through its staff pages: opened over the documents in force, a conclusion
/// with its reason on each, the results refused until complete, then published — the repealed
/// document no longer in force from that day and the results on the public page.
async fn a_cleanup_through_its_pages(db: Db) {
    let api = Api::new(db).await;
    api.t.clock.set(morning(2021, 9, 1)).expect("forward");
    let token = api.staff_token("rm_cl_clerk", "clerk", "511702").await;
    for number in ["通民发〔2021〕5号", "通民发〔2021〕7号"] {
        let made =
            api.post("/api/v1/rule-making/documents", Auth::Bearer(&token), document(number, "2023-03-14")).await;
        assert_eq!(made.status, 201, "{}", made.text());
    }
    let register = api.get("/api/v1/rule-making/documents", Auth::Bearer(&token)).await.json();
    let id_of = |number: &str| -> i64 {
        register["items"].as_array().unwrap().iter().find(|d| d["number"] == number).expect(number)["id"]
            .as_i64()
            .unwrap()
    };
    let ids = [id_of("通民发〔2021〕5号"), id_of("通民发〔2021〕7号")];
    let clerk = api.cookie_login("rm_cl_clerk", crate::helpers::STAFF_PASSWORD).await;
    let me = || Auth::Cookie { session: &clerk.0, csrf: None };

    let list = api.get("/rule-making/cleanups", me()).await;
    assert_eq!(list.status, 200);
    assert!(list.text().contains("尚未开展清理"), "{}", list.text());
    let untitled = page_form(&api, &clerk, "/rule-making/cleanups", &[("division", "511702"), ("title", "")]).await;
    assert_eq!(untitled.status, 422);
    assert!(untitled.text().contains("此项为必填项"), "{}", untitled.text());
    let opened = page_form(
        &api,
        &clerk,
        "/rule-making/cleanups",
        &[("division", "511702"), ("title", "2021年度规范性文件清理")],
    )
    .await;
    let at = location(&opened);
    let path = at.split('?').next().unwrap().to_string();
    let page = api.get(&at, me()).await.text();
    assert!(page.contains("已启动清理") && page.contains("通民发〔2021〕5号") && page.contains("通民发〔2021〕7号"));
    assert_eq!(page.matches("尚无意见").count(), 2, "{page}");

    // Not publishable while a document has no conclusion.
    let early =
        page_form(&api, &clerk, &format!("{path}/publish"), &[("expected_revision", &page_revision(&page))]).await;
    assert_eq!(early.status, 422);
    assert!(early.text().contains("尚无清理意见"), "{}", early.text());
    // A conclusion without its reason is refused; each one is recorded with its reason.
    let (keep, repeal) = (ids[0].to_string(), ids[1].to_string());
    let bare = page_form(
        &api,
        &clerk,
        &format!("{path}/verdicts"),
        &[("expected_revision", &page_revision(&page)), ("document_id", &keep), ("verdict", "keep"), ("reason", "")],
    )
    .await;
    assert_eq!(bare.status, 422, "{}", bare.text());
    for (document, verdict, reason) in
        [(&keep, "keep", "与上位法一致，继续有效。"), (&repeal, "repeal", "所依据的规定已被修改，予以废止。")]
    {
        let page = api.get(&path, me()).await.text();
        let done = page_form(
            &api,
            &clerk,
            &format!("{path}/verdicts"),
            &[
                ("expected_revision", &page_revision(&page)),
                ("document_id", document),
                ("verdict", verdict),
                ("reason", reason),
            ],
        )
        .await;
        location(&done);
    }
    let page = api.get(&path, me()).await.text();
    assert!(page.contains("继续有效") && page.contains("予以废止"), "{page}");
    let stale = page_form(&api, &clerk, &format!("{path}/publish"), &[("expected_revision", "0")]).await;
    assert_eq!(stale.status, 409, "an old page's revision is refused");
    let published =
        page_form(&api, &clerk, &format!("{path}/publish"), &[("expected_revision", &page_revision(&page))]).await;
    location(&published);
    let page = api.get(&path, me()).await.text();
    assert!(page.contains("已于2021年9月1日公布") && !page.contains("记录意见</button>"), "{page}");

    // The repealed document is no longer in force from that day; the results are public.
    let document = api.get(&format!("/rule-making/documents/{repeal}"), me()).await.text();
    assert!(document.contains("废止") && document.contains("所依据的规定已被修改"), "{document}");
    let register = api.get("/rule-making/register?on=2021-09-01", Auth::None).await.text();
    assert!(register.contains("通民发〔2021〕5号") && !register.contains("通民发〔2021〕7号"), "{register}");
    let results = api.get("/rule-making/cleanup-results", Auth::None).await;
    assert_eq!(results.status, 200);
    let text = results.text();
    assert!(
        text.contains("2021年度规范性文件清理") && text.contains("予以废止") && text.contains("继续有效"),
        "{text}"
    );
}
on_both!(a_cleanup_through_its_pages, a_cleanup_through_its_pages);

/// The text after `marker` up to the next `"`.
fn attribute_after(text: &str, marker: &str) -> String {
    let at = text.find(marker).unwrap_or_else(|| panic!("{marker} in {text}")) + marker.len();
    text[at..].chars().take_while(|c| *c != '"').collect()
}

/// A visitor without an account comments with a mobile verified by an SMS code: the number is
/// never shown back nor stored in clear; the SMS log staff read holds the message; staff see the
/// comment with the phone masked; a wrong code keeps what was typed; a post from another site
/// is refused.
async fn a_comment_from_a_verified_phone_through_its_pages(db: Db) {
    let api = Api::new(db).await;
    api.t.clock.set(morning(2021, 9, 1)).expect("forward");
    let token = api.staff_token("rm_sms_clerk", "clerk", "511702").await;
    let made = api
        .post(
            "/api/v1/rule-making/decisions",
            Auth::Bearer(&token),
            json!({"division": "511702", "year": "2021", "title": "通川区农村公益性公墓建设规划", "organ": "通川区民政局", "summary": "规划草案及说明"}),
        )
        .await;
    let id = made.json()["id"].as_i64().unwrap();
    let opened = api
        .post(
            &format!("/api/v1/rule-making/decisions/{id}/steps"),
            Auth::Bearer(&token),
            json!({"kind": "comment_opened", "on": "2021-09-01", "until": "2021-10-08", "expected_revision": 0}),
        )
        .await;
    assert!(opened.status.as_u16() < 300, "{}", opened.text());
    let public = format!("/rule-making/consultations/{id}");
    let page = api.get(&public, Auth::None).await.text();
    assert!(page.contains("获取短信验证码</button>") && !page.contains("提交意见</button>"), "{page}");

    let fixed = api.form(&format!("{public}/phone-code"), None, &[("phone", "0818-2123456")]).await;
    assert_eq!(fixed.status, 422);
    assert!(fixed.text().contains("请填写11位手机号码"), "{}", fixed.text());
    let sent = api.form(&format!("{public}/phone-code"), None, &[("phone", "13912345678")]).await;
    assert_eq!(sent.status, 200, "{}", sent.text());
    let text = sent.text();
    assert!(text.contains("验证码已发送至139****5678") && text.contains("提交意见</button>"), "{text}");
    assert!(!text.contains("13912345678"), "the number is not shown back");
    let ticket = attribute_after(&text, "name=\"ticket\" value=\"");
    let sms = api.t.app.store.rule_sms_sent(1).await.unwrap();
    let code: String = sms[0].message.split("验证码").nth(1).unwrap().chars().take(6).collect();
    let wrong = if code == "000000" { "111111" } else { "000000" };

    // A wrong code: the page again with what was typed and the same code still usable.
    let content = "建议规划中明确公墓的绿化比例和祭扫停车位。";
    let fields = |code: &str| -> Vec<(&'static str, String)> {
        vec![
            ("ticket", ticket.clone()),
            ("masked", "139****5678".into()),
            ("code", code.into()),
            ("name", "王五".into()),
            ("content", content.into()),
        ]
    };
    let owned = fields(wrong);
    let pairs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = api.form(&format!("{public}/phone-comments"), None, &pairs).await;
    assert_eq!(refused.status, 422);
    let text = refused.text();
    assert!(text.contains("验证码不正确，还可再试4次") && text.contains(content) && text.contains("王五"), "{text}");
    assert_eq!(attribute_after(&text, "name=\"ticket\" value=\""), ticket);
    let owned = fields(&code);
    let pairs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // From another site: refused before anything is read.
    let request = axum::http::Request::builder()
        .method("POST")
        .uri(format!("{public}/phone-comments"))
        .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(axum::body::Body::from(format!("ticket={ticket}&code={code}&name=x&content=xxxxxx")))
        .unwrap();
    assert_eq!(api.send(request).await.status, 403);
    let done = api.form(&format!("{public}/phone-comments"), None, &pairs).await;
    let back = location(&done);
    assert!(back.ends_with("?done=sent"), "{back}");

    // Staff see the comment with the phone masked, and the SMS in the log.
    let (session, _) = api.cookie_login("rm_sms_clerk", crate::helpers::STAFF_PASSWORD).await;
    let staff_page =
        api.get(&format!("/rule-making/decisions/{id}"), Auth::Cookie { session: &session, csrf: None }).await;
    assert!(staff_page.text().contains("王五（手机139****5678已验证）"), "{}", staff_page.text());
    let log = api.get("/rule-making/sms", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(log.status, 200);
    assert!(log.text().contains("139****5678") && log.text().contains("【通川区民政局】"), "{}", log.text());
    assert!(!log.text().contains("13912345678"));

    // At rest: the number only sealed and masked.
    let raw = api.t.db.raw().await;
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT phone_enc || ' ' || phone_masked || ' ' || message || ' ' || code_hash FROM rule_phone_codes",
    )
    .fetch_all(&raw)
    .await
    .unwrap();
    let comments: Vec<String> =
        sqlx::query_scalar("SELECT COALESCE(phone_enc, '') || ' ' || COALESCE(phone_masked, '') FROM rule_comments")
            .fetch_all(&raw)
            .await
            .unwrap();
    raw.close().await;
    assert_eq!((stored.len(), comments.len()), (1, 1));
    for value in stored.iter().chain(&comments) {
        assert!(!value.contains("13912345678") && value.contains("139****5678"), "{value}");
    }
}

on_both!(a_comment_from_a_verified_phone_through_its_pages, a_comment_from_a_verified_phone_through_its_pages);

/// 听证报名 through the pages: the public page offers the form to a 实名认证 citizen while the
/// hearing takes applications; staff see each application with its selection form, the list's
/// form is prefilled with those selected, and the list closes the applications.
async fn a_hearing_application_through_its_pages(db: Db) {
    let api = Api::new(db).await;
    api.t.clock.set(morning(2021, 9, 2)).expect("forward");
    let token = api.staff_token("rm_hp_clerk", "clerk", "511702").await;
    let made = api
        .post(
            "/api/v1/rule-making/decisions",
            Auth::Bearer(&token),
            json!({"division": "511702", "year": "2021", "title": "通川区殡仪馆迁建", "organ": "通川区民政局", "summary": "迁建方案"}),
        )
        .await;
    let id = made.json()["id"].as_i64().unwrap();
    let steps = format!("/api/v1/rule-making/decisions/{id}/steps");
    for (revision, body) in [
        json!({"kind": "comment_opened", "on": "2021-09-02", "until": "2021-10-08"}),
        json!({"kind": "hearing_announced", "on": "2021-09-02", "until": "2021-10-11", "name": "区民政局三楼会议室", "text": "自愿报名，按利益相关方分组抽签确定"}),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = body;
        body["expected_revision"] = json!(revision);
        let reply = api.post(&steps, Auth::Bearer(&token), body).await;
        assert!(reply.status.as_u16() < 300, "{}", reply.text());
    }
    let person = domain::person::PersonInput {
        name: "赵六".into(),
        id_number: crate::helpers::id_number("511702", "19800101", 71),
        phone: None,
        address: None,
        division: "511702".into(),
    };
    api.t.citizen("rm_hp_zhao", "511702", &person).await;
    let zhao = api.cookie_login("rm_hp_zhao", crate::helpers::STAFF_PASSWORD).await;
    let public = format!("/rule-making/consultations/{id}");
    let anonymous = api.get(&public, Auth::None).await.text();
    assert!(anonymous.contains("报名参加听证会") && !anonymous.contains("报名参加听证会</button>"), "{anonymous}");
    let page = api.get(&public, Auth::Cookie { session: &zhao.0, csrf: None }).await.text();
    assert!(page.contains("报名参加听证会</button>"), "{page}");
    let bad =
        page_form(&api, &zhao, &format!("{public}/hearing-applications"), &[("side", ""), ("statement", "我要")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("请选择您代表的一方") && bad.text().contains("我要"), "{}", bad.text());
    let statement = "我住在迁建地块旁，希望说明对出行的影响。";
    let applied = page_form(
        &api,
        &zhao,
        &format!("{public}/hearing-applications"),
        &[("side", "affected"), ("statement", statement)],
    )
    .await;
    assert!(location(&applied).contains("done=applied"));
    let twice = page_form(
        &api,
        &zhao,
        &format!("{public}/hearing-applications"),
        &[("side", "public"), ("statement", statement)],
    )
    .await;
    assert_eq!(twice.status, 409);
    assert!(twice.text().contains("您已报名参加该听证会"));

    // Staff select it; the list's form is then prefilled; publishing it closes applications.
    let clerk = api.cookie_login("rm_hp_clerk", crate::helpers::STAFF_PASSWORD).await;
    let decision = format!("/rule-making/decisions/{id}");
    let text = api.get(&decision, Auth::Cookie { session: &clerk.0, csrf: None }).await.text();
    assert!(text.contains("测试rm_hp_zhao（实名认证）") && text.contains(statement), "{text}");
    let application = api.t.app.store.rule_hearing_applications(id).await.unwrap()[0].id;
    let selected = page_form(
        &api,
        &clerk,
        &format!("{decision}/hearing-applications/{application}"),
        &[("expected_revision", "0"), ("status", "selected"), ("reason", "利害关系人组抽签选定")],
    )
    .await;
    location(&selected);
    let text = api.get(&decision, Auth::Cookie { session: &clerk.0, csrf: None }).await.text();
    assert!(text.contains("选为听证参加人：利害关系人组抽签选定"), "{text}");
    assert!(text.contains(">测试rm_hp_zhao（与决策事项有直接利害关系的公民）</textarea>"), "{text}");
    let listed = step(
        &api,
        &clerk,
        id,
        &[
            ("kind", "hearing_participants"),
            ("on", "2021-09-02"),
            ("text2", "测试rm_hp_zhao（与决策事项有直接利害关系的公民）"),
        ],
    )
    .await;
    location(&listed);
    let page = api.get(&public, Auth::Cookie { session: &zhao.0, csrf: None }).await.text();
    assert!(!page.contains("报名参加听证会</button>") && page.contains("测试rm_hp_zhao（与决策事项"), "{page}");
}

on_both!(a_hearing_application_through_its_pages, a_hearing_application_through_its_pages);
