//! The notices as official documents: the issuing office, the 文号 derived from the case number,
//! the 落款 in Chinese numerals, the seal area, the remedies and basis of an adverse decision,
//! what a grant grants, no staff-only rows, the QR code's configured public address and the
//! content digest the public page checks.

use serde_json::json;
use test_support::on_both;

use crate::helpers::{application, Api, Auth};

/// The part of `html` from `from` up to the first quote, space or `<`, unescaped.
fn link_from(html: &str, from: &str) -> String {
    let start = html.find(from).unwrap_or_else(|| panic!("{from} in {html}"));
    let link: String = html[start..].chars().take_while(|c| !c.is_whitespace() && *c != '<' && *c != '"').collect();
    link.replace("&amp;", "&").replace("&#38;", "&")
}

/// The 文号 a notice of `mark` by 达州市民政局 has for case `number` (511700-YYYY-NNNNNN).
fn expected_document_number(mark: &str, number: &str) -> String {
    let mut parts = number.split('-');
    let (_, year, seq) = (parts.next(), parts.next().expect("year"), parts.next().expect("sequence"));
    format!("达市民{mark}〔{year}〕第{}号", seq.trim_start_matches('0'))
}

on_both!(a_refusal_carries_the_remedies_and_the_basis, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let auth = Auth::Bearer(&clerk);
    let case = api.post("/api/v1/cases", auth, application(11)).await.json();
    let (id, number) = (case["id"].as_i64().expect("id"), case["number"].as_str().expect("number").to_string());
    let refused = api.act(id, auth, json!({"action": "refuse_acceptance", "reasons": "不属于本机关登记范围"})).await;
    assert_eq!(refused.status, 200, "{}", refused.text());
    let page = api.get(&format!("/cases/{id}/notices/not_accepted"), auth).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("不予受理通知书") && html.contains("不属于本机关登记范围"), "the reasons: {html}");
    assert!(html.contains("《中华人民共和国行政许可法》第三十二条第一款"), "the basis: {html}");
    assert!(html.contains("六十日内") && html.contains("《中华人民共和国行政复议法》第二十条"), "{html}");
    assert!(html.contains("六个月内") && html.contains("《中华人民共和国行政诉讼法》第四十六条"), "{html}");
    // A document: the office, its number, the addressee, the 落款 in Chinese, the seal area.
    assert!(html.contains("<p class=\"authority\">达州市民政局</p>"), "{html}");
    assert!(html.contains(&expected_document_number("不受", &number)), "{html}");
    assert!(html.contains("<p class=\"addressee\">王小明：</p>"), "{html}");
    let date = web::document::date_cn(api.t.app.today());
    assert!(date.starts_with('二') && html.contains(&format!("<p>{date}</p>")), "{date}: {html}");
    assert!(html.contains("class=\"seal\""), "{html}");
    assert!(html.contains("data-print") && html.contains("/static/print.js"), "the print button: {html}");
    assert!(!html.contains("onclick"), "no inline script: {html}");
});

on_both!(a_grant_names_what_is_granted_and_no_staff_only_row, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let reviewer = api.staff_token("reviewer700", "reviewer", "511700").await;
    let decider = api.staff_token("decider700", "decider", "511700").await;
    let auth = Auth::Bearer(&clerk);
    let case = api.post("/api/v1/cases", auth, application(12)).await.json();
    let (id, number) = (case["id"].as_i64().expect("id"), case["number"].as_str().expect("number").to_string());
    assert_eq!(api.act(id, auth, json!({"action": "accept"})).await.status, 200);

    // The acceptance notice: the promised date, not the staff's deadline arithmetic, which stays
    // on the case page.
    let acceptance = api.get(&format!("/cases/{id}/notices/acceptance"), auth).await.text();
    assert!(acceptance.contains("受理通知书") && acceptance.contains("承诺办结日期"), "{acceptance}");
    assert!(acceptance.contains(&expected_document_number("受", &number)), "{acceptance}");
    assert!(!acceptance.contains("期限计算"), "a staff-only row: {acceptance}");
    let explanation = api.get(&format!("/api/v1/cases/{id}"), auth).await.json()["deadline"]["explanation"]
        .as_str()
        .expect("an explanation")
        .to_string();
    assert!(!explanation.is_empty() && !acceptance.contains(&explanation), "{acceptance}");
    assert!(!acceptance.contains("六十日内"), "no remedies on an acceptance: {acceptance}");

    let reviewed = api.act(id, Auth::Bearer(&reviewer), json!({"action": "review", "verdict": "approve"})).await;
    assert_eq!(reviewed.status, 200, "{}", reviewed.text());
    let granted = api
        .act(
            id,
            Auth::Bearer(&decider),
            json!({"action": "decide", "grant": true, "basis": "《社会团体登记管理条例》第十八条"}),
        )
        .await;
    assert_eq!(granted.status, 200, "{}", granted.text());
    let decision = api.get(&format!("/cases/{id}/notices/decision"), auth).await.text();
    assert!(decision.contains("准予决定书"), "{decision}");
    assert!(decision.contains("本机关决定准予社会团体变更登记"), "what is granted: {decision}");
    // For whom: the organization the application names, from the item's form.
    let organization = "<th scope=\"row\">社会组织</th><td>达州市青年志愿者协会（统一社会信用代码 515117025041234500）";
    assert!(decision.contains(organization), "the organization: {decision}");
    assert!(decision.contains("<th scope=\"row\">变更后内容</th><td>名称：达州市志愿服务协会</td>"), "{decision}");
    assert!(decision.contains("《社会团体登记管理条例》第十八条"), "the basis: {decision}");
    assert!(decision.contains(&expected_document_number("决", &number)), "{decision}");
    assert!(!decision.contains("六十日内"), "a grant is not adverse: {decision}");
});

on_both!(a_registration_decision_names_the_organization_registered, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let reviewer = api.staff_token("reviewer700", "reviewer", "511700").await;
    let decider = api.staff_token("decider700", "decider", "511700").await;
    let name = "达州市科普志愿者协会";
    let (case, org) = crate::social_organization::register_case(&api, &clerk, &reviewer, &decider, name).await;
    let org = api.get(&format!("/api/v1/organizations/{org}"), Auth::Bearer(&clerk)).await.json();
    let code = org["organization"]["credit_code"].as_str().expect("the code it was given").to_string();
    assert_eq!(code.len(), 18, "{org}");
    let decision = api.get(&format!("/cases/{case}/notices/decision"), Auth::Bearer(&clerk)).await.text();
    assert!(decision.contains("<h1>准予登记决定书</h1>"), "{decision}");
    assert!(
        decision.contains(&format!("“{name}”符合法定条件，本机关决定准予成立登记。统一社会信用代码：{code}。")),
        "{decision}"
    );
    for (label, value) in
        [("统一社会信用代码", code.as_str()), ("社会团体名称", name), ("住所", "达州市通川区朝阳东路88号")]
    {
        assert!(decision.contains(&format!("<th scope=\"row\">{label}</th><td>{value}</td>")), "{label}: {decision}");
    }
    assert!(!decision.contains("六十日内"), "a grant is not adverse: {decision}");
});

on_both!(the_qr_code_carries_the_public_url_and_the_digest_is_checked, |db| async move {
    let api = Api::with_public_url(db, "https://mz.dazhou.example.cn").await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let auth = Auth::Bearer(&clerk);
    let case = api.post("/api/v1/cases", auth, application(13)).await.json();
    let (id, number) = (case["id"].as_i64().expect("id"), case["number"].as_str().expect("number").to_string());
    assert_eq!(api.act(id, auth, json!({"action": "accept"})).await.status, 200);
    let html = api.get(&format!("/cases/{id}/notices/acceptance"), auth).await.text();
    let check = api.t.app.case_check_code(&number);
    let prefix = format!("https://mz.dazhou.example.cn/verify/case/{number}?c={check}");
    let url = link_from(&html, &prefix);
    assert!(url.contains("&k=acceptance&d="), "{url}");
    // The QR code encodes exactly the printed address.
    let qr = web::routes::notices::qr_svg(&url);
    assert!(html.contains(&qr), "the QR code of {url}");

    // The public page rebuilds the document and finds the same digest.
    let path = url.trim_start_matches("https://mz.dazhou.example.cn");
    let public = api.get(path, Auth::None).await;
    assert_eq!(public.status, 200, "{}", public.text());
    let text = public.text();
    assert!(text.contains("与发文机关的记录相符") && text.contains("受理通知书"), "{text}");
    assert!(text.contains(&expected_document_number("受", &number)), "{text}");
    let digest = path.rsplit("d=").next().expect("the digest").to_string();
    assert_eq!(digest.len(), 64);
    let short: String = digest.chars().take(4).collect();
    assert!(text.contains(&short), "the digest, shortened: {text}");
    assert!(!text.contains("王小明") && text.contains("王**"), "masked: {text}");

    // Another content has another digest: a digit changed, a kind swapped, a digest cut short.
    let flipped = format!("{}{}", &digest[..63], if digest.ends_with('0') { '1' } else { '0' });
    let wrong = path.replace(&digest, &flipped);
    assert_eq!(api.get(&wrong, Auth::None).await.status, 404, "{wrong}");
    let other_kind = path.replace("k=acceptance", "k=decision");
    assert_eq!(api.get(&other_kind, Auth::None).await.status, 404, "{other_kind}");
    let short_digest = path.replace(&digest, &digest[..16]);
    assert_eq!(api.get(&short_digest, Auth::None).await.status, 404, "{short_digest}");
    let refused = api.get(&wrong, Auth::None).await.text();
    assert!(refused.contains("文书内容与记录不符"), "{refused}");
    // Without a document in the address, the case alone as before.
    let plain = api.get(&format!("/verify/case/{number}?c={check}"), Auth::None).await;
    assert_eq!(plain.status, 200, "{}", plain.text());
});

/// The documents in a real browser: a refusal's decision and a marriage certificate, each seen
/// at desktop and phone width and printed to PDF on A4 (`target/screenshots/documents-*`).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn documents_print_on_a4_and_read_on_a_phone() {
    use crate::browser::{browser_available, login, serve, visited, Driver};
    use crate::helpers::id_number;
    use fantoccini::wd::PrintConfiguration;
    use fantoccini::Locator;

    if !browser_available() {
        return;
    }
    let api = Api::new(test_support::Db::Sqlite).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    let reviewer = api.staff_token("reviewer700", "reviewer", "511700").await;
    let decider = api.staff_token("decider700", "decider", "511700").await;
    let auth = Auth::Bearer(&clerk);
    let case = api.post("/api/v1/cases", auth, application(21)).await.json();
    let id = case["id"].as_i64().expect("id");
    assert_eq!(api.act(id, auth, json!({"action": "accept"})).await.status, 200);
    api.act(id, Auth::Bearer(&reviewer), json!({"action": "review", "verdict": "approve"})).await;
    let denied = api
        .act(id, Auth::Bearer(&decider), json!({"action": "decide", "grant": false, "reasons": "拟变更的名称与已登记社会团体的名称相同，不符合规定", "basis": "《社会团体登记管理条例》第十三条第（二）项"}))
        .await;
    assert_eq!(denied.status, 200, "{}", denied.text());

    let marriage_clerk = api.staff_token("clerk702", "clerk", "511702").await;
    let man = api.create_person(&marriage_clerk, "张三", &id_number("511702", "19900101", 1), "511702").await;
    let wife = api.create_person(&marriage_clerk, "李四", &id_number("511702", "19920202", 2), "511702").await;
    let body = json!({
        "item": "marriage-registration", "channel": "window", "applicant": {"person_id": man["id"]},
        "accepting_division": "511702", "situation": "ordinary",
        "materials": ["id_cards", "household_registers", "declaration"],
        "data": {"other_party": wife["id"], "declaration_signed": true},
    });
    let created = api.post("/api/v1/cases", Auth::Bearer(&marriage_clerk), body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let marriage = created.json()["id"].as_i64().expect("id");
    assert_eq!(api.act(marriage, Auth::Bearer(&marriage_clerk), json!({"action": "accept"})).await.status, 200);

    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    let pages = [
        ("clerk700", format!("/cases/{id}/notices/decision"), "decision"),
        ("clerk700", format!("/cases/{id}/notices/acceptance"), "acceptance"),
        ("clerk702", format!("/cases/{marriage}/certificate"), "certificate"),
    ];
    for (user, path, name) in pages {
        client.delete_all_cookies().await.expect("sign out");
        login(&client, &base, user).await;
        client.set_window_size(1280, 1000).await.expect("desktop");
        client.goto(&format!("{base}{path}")).await.expect("the document");
        client.wait().for_element(Locator::Css("section[aria-label=核验]")).await.expect("the verification");
        let html = visited(&client, &format!("documents-{name}-desktop")).await;
        assert!(html.contains("data-print") && html.contains("class=\"seal\""), "{html}");
        let verify = link_from(&html, &format!("{base}/verify/"));
        let pdf = client.print(PrintConfiguration::default()).await.expect("print to PDF");
        assert!(pdf.starts_with(b"%PDF"), "a PDF");
        std::fs::write(shots.join(format!("documents-{name}.pdf")), pdf).expect("write the PDF");
        client.set_window_size(390, 844).await.expect("phone");
        visited(&client, &format!("documents-{name}-phone")).await;
        // Wider than the phone's screen? The page must not scroll sideways.
        let wide = client
            .execute("return document.documentElement.scrollWidth > window.innerWidth + 1;", Vec::new())
            .await
            .expect("widths");
        assert_eq!(wide, json!(false), "{name} scrolls sideways on a phone");
        // The public verification page the QR code leads to, signed out.
        client.delete_all_cookies().await.expect("sign out");
        client.goto(&verify).await.expect("the verification page");
        let page = visited(&client, &format!("documents-{name}-verify-phone")).await;
        assert!(page.contains("记录相符"), "{verify}: {page}");
    }
}
