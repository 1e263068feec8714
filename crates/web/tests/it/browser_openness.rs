//! The public 政务公开 pages, the staff 主动公开台账 and the 好差评 form in a real browser, at
//! desktop and phone width: the 政务公开 column, the 法治政府建设专栏 and the register fed by a
//! normative document and two 普法 records (one made public late), and a closed online case
//! rated on each 线上 indicator, one of them a 差评. Screenshots in `target/screenshots/openness-*`.

use test_support::Db;

use crate::browser::{both_widths, browser_available, click, click_to_new_page, login, serve, type_into, Driver};
use crate::helpers::{id_number, Api};
use crate::portal::{apply_online, citizen, complete_subsidy, SubsidyStaff};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_open_pages_and_the_rating_form_at_both_widths() {
    if !browser_available() {
        return;
    }
    // The test clock stands at 2021-06-01 09:00 (a Tuesday).
    let api = Api::new(Db::Sqlite).await;
    let clerk = api.staff_token("op-clerk", "clerk", "511702").await;
    let writer = api.staff_token("op-writer", "legal_reviewer", "511700").await;
    crate::openness::enter_the_pieces(&api, &clerk, &writer).await;
    // A case applied for online and granted: rated on the 线上 indicators.
    let staff = SubsidyStaff::new(&api).await;
    let (session, csrf) = citizen(&api, "citizen1").await;
    let id_text = id_number("511702", "19600101", 7);
    let submitted = apply_online(&api, &session, &csrf, &id_text).await;
    assert_eq!(submitted.status, 303, "{}", submitted.text());
    let path = submitted.header("location").expect("the case page").to_string();
    let id: i64 = path.trim_start_matches("/cases/").split('?').next().unwrap_or_default().parse().expect("id");
    let number = api.t.app.case(&staff.township, id).await.expect("case").case.number;
    complete_subsidy(&api, &staff, id).await;

    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    client.set_window_size(1280, 1000).await.expect("desktop width");

    client.goto(&format!("{base}/openness")).await.expect("政务公开");
    let html = both_widths(&client, "openness-01-column").await;
    assert!(html.contains("通川区民政局政务公开工作规程") && html.contains("2021年5月20日"), "{html}");
    client.goto(&format!("{base}/openness/rule-of-law")).await.expect("法治政府建设专栏");
    let html = both_widths(&client, "openness-02-rule-of-law").await;
    assert!(html.contains("民法典进社区宣传") && html.contains("超过20个工作日公开"), "{html}");

    // The rating form: the case found by its number and the applicant's ID tail.
    client.goto(&format!("{base}/track")).await.expect("track");
    type_into(&client, "number", &number).await;
    type_into(&client, "check", &id_text[14..]).await;
    click_to_new_page(&client, "main form button[type=submit]").await;
    let html = both_widths(&client, "openness-03-rating-form").await;
    assert!(html.contains("平台操作性") && html.contains("办事指南精确度"), "{html}");
    for (indicator, grade) in [
        ("overall", "satisfied"),
        ("efficiency", "very_satisfied"),
        ("guide_accuracy", "satisfied"),
        ("convenience", "fairly_satisfied"),
        ("usability", "dissatisfied"),
    ] {
        click(&client, &format!("label[for={indicator}-{grade}]")).await;
    }
    type_into(&client, "comment", "手机上传材料时页面卡顿").await;
    click_to_new_page(&client, "form[action=\"/track/rate\"] button").await;
    let html = both_widths(&client, "openness-04-rated").await;
    assert!(html.contains("<dt>平台操作性</dt><dd>不满意</dd>"), "{html}");
    let rating = api.t.app.rating_of(id).await.expect("rating").expect("rated");
    assert!(rating.is_bad() && rating.grade == "satisfied", "{rating:?}");
    client.goto(&format!("{base}/hotline/rate-fix")).await.expect("rate the fix");
    both_widths(&client, "openness-05-rate-fix").await;

    // The staff register, for a reader of the reports.
    login(&client, &base, "op-clerk").await;
    client.goto(&format!("{base}/openness/register")).await.expect("主动公开台账");
    let html = both_widths(&client, "openness-06-register").await;
    assert!(html.contains("逾期未公开或超期公开（1 条）") && html.contains("民法典进社区宣传"), "{html}");
    client.close().await.expect("close the session");
}
