//! A direct registration in a real browser: the city clerk fills the window form of 社会团体成立
//! 登记 for a 科技类 association (no 业务主管单位), the case passes over the sponsor's step and
//! is decided; the case page shows the organization it entered, whose page links the printable
//! certificate; the certificate's QR address verifies it publicly, and the public 公告 names the
//! establishment; a branch by field is entered from the organization's page. And an enforcement
//! officer opens a case on an association that did not report by 31 May, from the 年检 list.
//! Screenshots in `target/screenshots/orgs-*`.

use fantoccini::Locator;
use serde_json::json;
use test_support::Db;

use crate::browser::{both_widths, browser_available, click, click_to_new_page, enter, login, serve, visited, Driver};
use crate::helpers::{id_number, Api, Auth, STAFF_PASSWORD};

const PATH: &str = "/items/social-group-registration/apply";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_direct_registration_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("clerk700", "clerk", "511700").await;
    let reviewer = api.staff_token("reviewer700", "reviewer", "511700").await;
    let decider = api.staff_token("decider700", "decider", "511700").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "clerk700").await;

    client.goto(&format!("{base}{PATH}?situation=direct")).await.expect("the window form");
    visited(&client, "orgs-01-form").await;
    let id_text = id_number("511702", "19750302", 9);
    let typed = [
        ("name", "陈志强"),
        ("id_number", id_text.as_str()),
        ("division", "511702"),
        ("premises_division", "511700"),
        ("facts.name", "达州市青少年科技创新协会"),
        ("facts.address", "达州市通川区朝阳东路88号"),
        ("facts.purpose", "开展青少年科技创新活动"),
        ("facts.business_scope", "科技竞赛\n科普讲座"),
        ("facts.activity_area", "达州市"),
        ("facts.activity_funds", "50000"),
        ("facts.individual_members", "68"),
        ("facts.unit_members", "0"),
        ("facts.premises_division", "511702"),
    ];
    for (name, value) in typed {
        enter(&client, name, value).await;
    }
    for (id, value) in [("fact-level", "prefecture"), ("fact-category", "science")] {
        client.find(Locator::Id(id)).await.expect(id).select_by_value(value).await.expect("select");
    }
    for checkbox in client.find_all(Locator::Css("input[name=materials]")).await.expect("materials") {
        if !checkbox.is_selected().await.expect("state") {
            checkbox.click().await.expect("tick");
        }
    }
    click_to_new_page(&client, &format!("form[action=\"{PATH}\"][method=post] button")).await;
    client.wait().for_element(Locator::Css("section[aria-label=\"申请事项\"]")).await.expect("the case page");
    let html = visited(&client, "orgs-02-case").await;
    assert!(html.contains("科技类") && html.contains("达州市青少年科技创新协会"), "{html}");
    let url = client.current_url().await.expect("url");
    let case_id: i64 = url.path().rsplit('/').next().and_then(|s| s.parse().ok()).expect("the case's id");

    // Accepted: the sponsor's step is passed over; reviewed and granted.
    let clerk = api.token("clerk700", STAFF_PASSWORD).await;
    let accepted = api.act(case_id, Auth::Bearer(&clerk), json!({"action": "accept"})).await;
    assert_eq!(accepted.json()["step"], "review", "{}", accepted.text());
    api.act(case_id, Auth::Bearer(&reviewer), json!({"action": "review", "verdict": "approve"})).await;
    let decided = api.act(case_id, Auth::Bearer(&decider), json!({"action": "decide", "grant": true})).await;
    assert_eq!(decided.status, 200, "{}", decided.text());

    client.goto(&format!("{base}/cases/{case_id}")).await.expect("the case again");
    let html = visited(&client, "orgs-03-case-granted").await;
    assert!(html.contains("本件准予登记的社会组织"), "{html}");
    click_to_new_page(&client, "a[href^=\"/organizations/\"]").await;
    let html = visited(&client, "orgs-04-organization").await;
    assert!(html.contains("直接登记（科技类）") && html.contains("成立登记"), "{html}");
    let org_page = client.current_url().await.expect("url").to_string();
    click_to_new_page(&client, "a[href$=\"/certificate\"]").await;
    let html = visited(&client, "orgs-05-certificate").await;
    assert!(html.contains("社会团体法人登记证书") && html.contains("<svg"), "{html}");
    let marker = "扫描二维码核验本证书：";
    let start = html.find(marker).expect("the verification address") + marker.len();
    let verify = html[start..].split('<').next().unwrap_or_default().replace("&amp;", "&").replace("&#38;", "&");

    client.goto(verify.trim()).await.expect("the verification page");
    let html = visited(&client, "orgs-06-verified").await;
    assert!(html.contains("该证书与登记管理机关的登记记录相符") && html.contains("陈**"), "{html}");

    // A branch by field (社团条例第十七条), entered from the organization's page.
    client.goto(&org_page).await.expect("the organization again");
    for (id, value) in [
        ("f-branches-name", "达州市青少年科技创新协会机器人专业委员会"),
        ("f-branches-principal", "周敏"),
        ("f-branches-address", "达州市通川区朝阳东路88号"),
    ] {
        client.find(Locator::Id(id)).await.expect(id).send_keys(value).await.expect("type");
    }
    client
        .find(Locator::Id("f-branches-regional"))
        .await
        .expect("regional")
        .select_by_value("no")
        .await
        .expect("select");
    click_to_new_page(&client, "form[action$=\"/branches\"] button[type=submit]").await;
    let html = visited(&client, "orgs-08-branch").await;
    assert!(html.contains("分支机构（代表机构）已记入名册") && html.contains("机器人专业委员会"), "{html}");

    client.goto(&format!("{base}/organizations/announcements")).await.expect("the 公告");
    let html = visited(&client, "orgs-07-announcements").await;
    assert!(html.contains("成立登记") && html.contains("达州市青少年科技创新协会"), "{html}");
    client.close().await.expect("close the session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unreported_association_becomes_a_case_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    let app = &api.t.app;
    let ids = app
        .store
        .import_social_orgs(&[crate::social_organization::imported_association("通川区未年检商会")], app.now())
        .await
        .expect("imported");
    let leader = api.t.staff("leader702", "leader", "511702").await;
    for (name, no) in [("王执法", "51170221001"), ("李执法", "51170221002")] {
        let input = domain::verticals::enforcement::OfficerInput {
            name: name.into(),
            certificate_no: no.into(),
            area: "通川区".into(),
            issued_by: "四川省人民政府".into(),
            valid_from: "2019-01-01".into(),
            valid_until: "2023-12-31".into(),
            training_hours: "60".into(),
            legal_qualification: false,
        };
        app.enforcement_add_officer(&leader, "511702", &input, "社会组织执法监察").await.expect("officer");
    }
    api.t.staff("officer702", "enforcement_officer", "511702").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "officer702").await;

    client.goto(&format!("{base}/organizations/inspections?year=2021")).await.expect("the campaign");
    both_widths(&client, "orgs-09-unreported").await;
    click(&client, &format!("#org-{}", ids[0].0)).await;
    for officer in client.find_all(Locator::Css("input[name=officers]")).await.expect("officers") {
        officer.click().await.expect("tick");
    }
    click_to_new_page(&client, "form[action=\"/organizations/inspections/enforcement\"] button").await;
    let html = both_widths(&client, "orgs-10-opened").await;
    assert!(html.contains("已对1个社会组织立案") && html.contains("已立案"), "{html}");
    click_to_new_page(&client, "a[href^=\"/enforcement/cases/\"]").await;
    let html = visited(&client, "orgs-11-case").await;
    assert!(html.contains("通川区未年检商会") && html.contains("第三十条第一款第三项"), "{html}");
    client.close().await.expect("close the session");
}
