//! The everyday journeys end to end in a real browser, each as its roles, with screenshots at
//! desktop and phone width in `target/screenshots/journey-*`: a window case from acceptance to
//! delivery with its notices printed; a marriage registered at the desk and, later, the couple's
//! divorce to its certificates; a township's 低保 from its own window to the payment roll; a
//! citizen's online application with an upload, to the rating. Every page goes through the
//! accessibility check and the scan for internal markers (`browser::visited`).

use fantoccini::{Client, Locator};
use test_support::Db;

use crate::assistance_pages::{morning, TOWNSHIP};
use crate::browser::{
    act, both_widths, browser_available, click, click_to_new_page, expect_element, fill, login, logout, serve,
    tick_every_material, visited, Driver,
};
use crate::helpers::{id_number, Api, Auth};

/// The id of the case whose page is open.
async fn case_id(client: &Client) -> i64 {
    let url = client.current_url().await.expect("url");
    let path = url.path().to_string();
    path.strip_prefix("/cases/")
        .and_then(|rest| rest.split('/').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not a case page: {path}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_window_case_runs_from_acceptance_to_delivery_with_its_notices_printed() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    let clerk = api.staff_token("clerk700", "clerk", "511700").await;
    api.t.staff("reviewer700", "reviewer", "511700").await;
    api.t.staff("decider700", "decider", "511700").await;
    // A 社会团体成立登记 taken in at the city's window (the window form is walked in `browser.rs`).
    let body = crate::social_organization::registration(1, "达州市科普志愿者协会");
    let created = api.post("/api/v1/cases", Auth::Bearer(&clerk), body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");

    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    let case = format!("{base}/cases/{id}");

    // The clerk accepts.
    login(&client, &base, "clerk700").await;
    client.goto(&case).await.expect("case");
    visited(&client, "journey-window-01-submitted").await;
    act(&client, "accept").await;
    let html = visited(&client, "journey-window-02-accepted").await;
    assert!(html.contains("已办理：受理"), "{html}");
    logout(&client).await;

    // The reviewer gives an opinion.
    login(&client, &base, "reviewer700").await;
    client.goto(&case).await.expect("case");
    fill(&client, "review-opinion", "材料齐全，符合成立登记条件").await;
    act(&client, "review").await;
    visited(&client, "journey-window-03-reviewed").await;
    logout(&client).await;

    // The decider reads the opinion on the page, then grants.
    login(&client, &base, "decider700").await;
    client.goto(&case).await.expect("case");
    let html = both_widths(&client, "journey-window-04-to-decide").await;
    assert!(html.contains("材料齐全，符合成立登记条件"), "the reviewer's opinion before the decision: {html}");
    act(&client, "decide").await;
    logout(&client).await;

    // The clerk makes, issues and serves the certificate: the case is closed.
    login(&client, &base, "clerk700").await;
    client.goto(&case).await.expect("case");
    for step in ["produce", "issue", "deliver"] {
        act(&client, step).await;
    }
    let html = both_widths(&client, "journey-window-05-closed").await;
    assert!(html.contains("<dt>办结时间</dt>"), "{html}");
    assert!(!html.contains("<h2>办理期限</h2>"), "no countdown on a closed case: {html}");
    assert!(!html.contains("<h2>可办理的操作</h2>"), "nothing left to act on: {html}");

    // The notices, printed from the case page: documents a bureau can hand over.
    for (kind, title) in [("acceptance", "受理通知书"), ("decision", "决定书")] {
        client.goto(&case).await.expect("case");
        click_to_new_page(&client, &format!("a[href=\"/cases/{id}/notices/{kind}\"]")).await;
        expect_element(&client, "article.document").await;
        let html = both_widths(&client, &format!("journey-window-06-{kind}")).await;
        assert!(html.contains(title), "{kind}: {html}");
        assert!(html.contains("class=\"seal\"") && html.contains("data-print"), "the seal area and print: {html}");
        assert!(html.contains("class=\"authority\""), "the issuing authority: {html}");
        assert!(!html.contains("期限计算"), "the deadline arithmetic is for staff: {html}");
    }
    let html = client.source().await.expect("source");
    assert!(html.contains("准予登记决定书"), "the decision says what was decided: {html}");
    assert!(html.contains("“达州市科普志愿者协会”") && html.contains("统一社会信用代码"), "for whom: {html}");
    client.close().await.expect("close the session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_couple_marries_at_the_desk_and_later_divorces_to_the_certificates() {
    if !browser_available() {
        return;
    }
    // The test clock stands at 2021-06-01 09:00 (Shanghai).
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("clerk702", "clerk", "511702").await;
    api.t.staff("reviewer702", "reviewer", "511702").await;
    api.t.staff("decider702", "decider", "511702").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    let groom = id_number("511702", "19900101", 1);
    let bride = id_number("511702", "19920202", 2);

    // 1. The marriage at the desk: both parties, the 户籍地 chosen, registered; the certificate.
    login(&client, &base, "clerk702").await;
    client.goto(&format!("{base}/marriage/desk")).await.expect("desk");
    for (id, value) in
        [("a_name", "张三"), ("a_id_number", groom.as_str()), ("b_name", "李四"), ("b_id_number", bride.as_str())]
    {
        fill(&client, id, value).await;
    }
    for field in ["a_division", "b_division"] {
        crate::browser_pickers::choose_division(&client, field, &["510000", "511700", "511702"]).await;
    }
    click(&client, "#declaration").await;
    tick_every_material(&client).await;
    click_to_new_page(&client, "form[action=\"/marriage/desk\"] button[value=register]").await;
    expect_element(&client, "section.certificate").await;
    let html = both_widths(&client, "journey-marriage-01-certificate").await;
    assert!(html.contains("结婚证"), "{html}");
    assert_eq!(client.find_all(Locator::Css("section.certificate")).await.expect("certificates").len(), 2);
    assert!(html.contains(&groom) && html.contains(&bride), "a certificate carries both parties in full: {html}");

    // 2. Their divorce at the same office: the other party by name and ID number.
    client.goto(&format!("{base}/items/divorce-registration/apply")).await.expect("form");
    for (id, value) in
        [("name", "张三"), ("id_number", groom.as_str()), ("other_name", "李四"), ("other_id_number", bride.as_str())]
    {
        fill(&client, id, value).await;
    }
    tick_every_material(&client).await;
    click_to_new_page(&client, "form[action=\"/items/divorce-registration/apply\"][method=post] button").await;
    visited(&client, "journey-divorce-01-received").await;
    let id = case_id(&client).await;
    act(&client, "accept").await;
    let html = both_widths(&client, "journey-divorce-02-cooling-off").await;
    assert!(html.contains("离婚冷静期"), "{html}");

    // 3. Day 31 (2021-07-02): the cooling-off is over, the certificate window open.
    let day31 = morning(2021, 7, 2);
    api.t.clock.set(day31).expect("forward");
    api.t.app.sweep_once(day31).await.expect("sweep");
    let case = format!("{base}/cases/{id}");
    login(&client, &base, "clerk702").await;
    client.goto(&case).await.expect("case");
    fill(&client, "review-opinion", "双方亲自到场申请发给离婚证").await;
    act(&client, "review").await;
    visited(&client, "journey-divorce-03-both-came").await;
    logout(&client).await;
    login(&client, &base, "reviewer702").await;
    client.goto(&case).await.expect("case");
    fill(&client, "review-opinion", "经询问，双方确属自愿离婚，对子女抚养、财产及债务处理协商一致").await;
    act(&client, "review").await;
    logout(&client).await;
    login(&client, &base, "decider702").await;
    client.goto(&case).await.expect("case");
    visited(&client, "journey-divorce-04-to-register").await;
    act(&client, "decide").await;
    logout(&client).await;

    // 4. The clerk prints and hands over the certificates, one per party.
    login(&client, &base, "clerk702").await;
    client.goto(&case).await.expect("case");
    for step in ["produce", "issue"] {
        act(&client, step).await;
    }
    let html = visited(&client, "journey-divorce-05-closed").await;
    assert!(html.contains("<dt>办结时间</dt>"), "{html}");
    click_to_new_page(&client, &format!("a[href=\"/cases/{id}/certificate\"]")).await;
    expect_element(&client, "section.certificate").await;
    let html = both_widths(&client, "journey-divorce-06-certificates").await;
    assert!(html.contains("离婚证"), "{html}");
    assert_eq!(client.find_all(Locator::Css("section.certificate")).await.expect("certificates").len(), 2);
    assert!(html.contains(&groom) && html.contains(&bride), "both parties in full: {html}");
    client.close().await.expect("close the session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_township_takes_a_minimum_living_application_from_its_window_to_the_roll() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    // The 低保 item is in force from 2021-07-01: Monday 2021-07-05.
    api.t.clock.set(morning(2021, 7, 5)).expect("forward");
    api.t.staff("officer", "township_officer", TOWNSHIP).await;
    api.t.staff("decider", "decider", "511702").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    let applicant = id_number("511702", "19700301", 31);
    let child = id_number("511702", "20100601", 32);

    // 1. At the township window: the application taken in and accepted.
    login(&client, &base, "officer").await;
    client.goto(&format!("{base}/items/minimum-living-allowance/apply")).await.expect("form");
    visited(&client, "journey-township-01-window").await;
    fill(&client, "name", "王一").await;
    fill(&client, "id_number", &applicant).await;
    click(&client, &format!("#division option[value=\"{TOWNSHIP}\"]")).await;
    tick_every_material(&client).await;
    click_to_new_page(&client, "form[action=\"/items/minimum-living-allowance/apply\"][method=post] button").await;
    let id = case_id(&client).await;
    act(&client, "accept").await;
    let html = visited(&client, "journey-township-02-accepted").await;
    assert!(html.contains("通过前须补齐"), "what the investigation needs is asked for: {html}");

    // 2. The household: the applicant (already on record) and a child; no income this year.
    click_to_new_page(&client, "nav a[href=\"/assistance/households\"]").await;
    fill(&client, "m1_name", "王一").await;
    fill(&client, "m1_id_number", &applicant).await;
    fill(&client, "m2_name", "王二").await;
    fill(&client, "m2_id_number", &child).await;
    click(&client, "#m2_relationship option[value=child]").await;
    let period = "document.getElementById('i1_month').value = '2021-01'; \
                  document.getElementById('i1_until').value = '2021-06';";
    client.execute(period, vec![]).await.expect("the income period");
    fill(&client, "i1_kind", "工资性收入").await;
    fill(&client, "i1_amount", "0").await;
    click_to_new_page(&client, "#household-submit").await;
    expect_element(&client, "p.notice").await;
    let html = both_widths(&client, "journey-township-03-household").await;
    assert!(html.contains("<h1>救助家庭：王一家（2 人）</h1>"), "named by its people: {html}");
    assert!(!html.contains("人员编号"), "no internal person numbers: {html}");

    // 3. Back on the case: the application recorded (the household offered), investigated, reviewed.
    client.goto(&format!("{base}/cases/{id}")).await.expect("case");
    click_to_new_page(&client, &format!("form[action=\"/cases/{id}/assistance-application\"] button")).await;
    expect_element(&client, "p.notice").await;
    for opinion in ["经入户调查，家庭收入、财产情况属实", "经审核，符合最低生活保障条件"]
    {
        fill(&client, "review-opinion", opinion).await;
        act(&client, "review").await;
    }
    let html = visited(&client, "journey-township-04-publicity").await;
    assert!(html.contains("至2021年7月12日期满"), "{html}");
    logout(&client).await;

    // 4. After the publicity the county's decider reads the figures and grants.
    let after = morning(2021, 7, 13);
    api.t.clock.set(after).expect("forward");
    api.t.app.sweep_once(after).await.expect("sweep");
    login(&client, &base, "decider").await;
    client.goto(&format!("{base}/cases/{id}")).await.expect("case");
    let html = both_widths(&client, "journey-township-05-to-decide").await;
    assert!(html.contains("经审核，符合最低生活保障条件"), "the township's opinion before deciding: {html}");
    act(&client, "decide").await;
    expect_element(&client, "section[aria-label=救助决定]").await;
    visited(&client, "journey-township-06-decided").await;
    logout(&client).await;

    // 5. The township's payment roll of August names the household.
    login(&client, &base, "officer").await;
    click_to_new_page(&client, "nav a[href=\"/assistance/payment-roll\"]").await;
    client.goto(&format!("{base}/assistance/payment-roll?county={TOWNSHIP}&month=2021-08")).await.expect("roll");
    expect_element(&client, "main table").await;
    let html = both_widths(&client, "journey-township-07-roll").await;
    assert!(html.contains("<td data-label=\"姓名\">王一</td>"), "on the roll: {html}");
    assert!(!html.contains("家庭编号"), "the household by a link, not its number: {html}");
    assert!(html.contains(&format!("<a href=\"/cases/{id}\">")), "the roll links the case: {html}");
    client.close().await.expect("close the session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_citizen_applies_online_uploads_a_material_and_rates_the_service() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    let staff = crate::portal::SubsidyStaff::new(&api).await;
    let me = id_number("511702", "19600101", 7);
    let person = domain::person::PersonInput {
        name: "赵小红".into(),
        id_number: me.clone(),
        phone: None,
        address: None,
        division: TOWNSHIP.into(),
    };
    api.t.citizen("citizen1", TOWNSHIP, &person).await;
    // A photo of the disability certificate, as a phone takes it (JPEG).
    let folder = std::env::temp_dir().join(format!("minzheng-journey-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("folder");
    let photo = folder.join("certificate.jpg");
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
    jpeg.extend([0u8; 64]);
    jpeg.extend([0xFF, 0xD9]);
    std::fs::write(&photo, &jpeg).expect("the photo");

    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;

    // The application, online.
    login(&client, &base, "citizen1").await;
    client.goto(&format!("{base}/items/disability-subsidy/apply?situation=care_subsidy")).await.expect("form");
    for (id, value) in [("name", "赵小红"), ("id_number", me.as_str()), ("phone", "13912345678")] {
        fill(&client, id, value).await;
    }
    click(&client, &format!("#division option[value=\"{TOWNSHIP}\"]")).await;
    tick_every_material(&client).await;
    click_to_new_page(&client, "form[action=\"/items/disability-subsidy/apply\"][method=post] button").await;
    expect_element(&client, ".check-code").await;
    visited(&client, "journey-citizen-01-receipt").await;
    let id = case_id(&client).await;

    // The upload, from the case's own page.
    client
        .find(Locator::Id("attachment-file"))
        .await
        .expect("the file field")
        .send_keys(photo.to_str().expect("a path"))
        .await
        .expect("choose the file");
    fill(&client, "attachment-label", "残疾人证照片").await;
    click_to_new_page(&client, &format!("form[action=\"/cases/{id}/attachments\"] button")).await;
    expect_element(&client, "#attachments table").await;
    let html = both_widths(&client, "journey-citizen-02-uploaded").await;
    assert!(html.contains("certificate.jpg") && html.contains("残疾人证照片"), "{html}");
    logout(&client).await;

    // The township's officer sees the upload on the case.
    login(&client, &base, "dongcheng_officer").await;
    client.goto(&format!("{base}/cases/{id}")).await.expect("case");
    let html = visited(&client, "journey-citizen-03-staff-sees-it").await;
    assert!(html.contains("certificate.jpg"), "{html}");
    logout(&client).await;

    // The staff move it to its end (the service's acts; the 公示 runs out on the clock).
    crate::portal::complete_subsidy(&api, &staff, id).await;

    // The citizen's own page: the decision to print and the rating.
    login(&client, &base, "citizen1").await;
    client.goto(&format!("{base}/cases/{id}")).await.expect("case");
    expect_element(&client, "form[action=\"/track/rate\"]").await;
    let html = both_widths(&client, "journey-citizen-04-closed").await;
    assert!(html.contains(&format!("href=\"/cases/{id}/notices/decision\"")), "the decision: {html}");
    for indicator in ["overall", "efficiency", "guide_accuracy", "convenience", "usability"] {
        click(&client, &format!("label[for={indicator}-satisfied]")).await;
    }
    fill(&client, "comment", "网上申请、上传材料都很方便").await;
    click_to_new_page(&client, "form[action=\"/track/rate\"] button").await;
    expect_element(&client, "p.notice").await;
    let html = both_widths(&client, "journey-citizen-05-rated").await;
    assert!(html.contains("满意"), "{html}");
    assert_eq!(api.t.app.rating_of(id).await.expect("rating").map(|r| r.grade), Some("satisfied".to_string()));
    let _ = std::fs::remove_dir_all(&folder);
    client.close().await.expect("close the session");
}
