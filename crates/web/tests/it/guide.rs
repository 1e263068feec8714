//! The public 办事指南 pages: the catalog in force on a date and one item's guide with its
//! adjustment history; no login needed.

use test_support::on_both;

use crate::helpers::{Api, Auth};
use crate::workbench::assert_labelled;

on_both!(the_guide_shows_the_catalog_in_force_on_a_date, |db| async move {
    let api = Api::new(db).await;
    let list = api.get("/guide", Auth::None).await;
    assert_eq!(list.status, 200, "{}", list.text());
    let html = list.text();
    assert!(html.contains("<h1>办事指南</h1>"));
    assert!(html.contains("2021年6月1日施行的事项"), "today on the simulated clock: {html}");
    assert!(html.contains("href=\"/guide/social-group-change-registration?on=2021-06-01\""), "{html}");
    assert!(html.contains("#history\">第 1 版</a>"), "a link to the history: {html}");
    assert_labelled(&html);

    let item = api.get("/guide/social-group-change-registration?on=2021-06-01", Auth::None).await;
    assert_eq!(item.status, 200, "{}", item.text());
    let html = item.text();
    assert!(html.contains("<h1>社会团体变更登记</h1>"), "{html}");
    assert!(html.contains("5 个工作日"), "the promised limit with its unit: {html}");
    assert!(html.contains("需要带什么（申请材料）"));
    assert!(html.contains("<h2 id=\"history\">调整记录</h2>"));
    assert!(html.contains("不收费") || html.contains("收费（"), "{html}");
    assert!(html.contains("网上办理深度") || html.contains("全程网上办理"), "{html}");
    assert_labelled(&html);

    let bad = api.get("/guide?on=2021-02-30", Auth::None).await;
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("YYYY-MM-DD"));
    assert_eq!(api.get("/guide/no-such-item", Auth::None).await.status, 404);
    assert_eq!(api.get("/guide/social-group-change-registration?on=1990-01-01", Auth::None).await.status, 404);
});
