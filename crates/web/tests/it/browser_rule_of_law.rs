//! The registers of 法治政府建设台账 in a real browser: the legal office imports a workbook with
//! bad rows, sees every error by row and column (nothing imported), fixes the workbook, imports
//! it and finds the records in the list — at desktop and at phone width. Screenshots in
//! `target/screenshots/rule-of-law-*`.

use fantoccini::{Client, Locator};
use rust_xlsxwriter::Workbook;
use test_support::Db;

use crate::browser::{browser_available, click_to_new_page, login, serve, visited, Driver};
use crate::helpers::Api;

const HEADERS: [&str; 5] = ["日期", "主题", "负责单位（谁执法谁普法）", "活动所在行政区划", "受众人数"];

fn workbook(path: &std::path::Path, rows: &[[&str; 5]]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in (0u16..).zip(HEADERS) {
        sheet.write_string(0, c, h).unwrap();
    }
    for (r, row) in (1u32..).zip(rows) {
        for (c, v) in (0u16..).zip(row) {
            sheet.write_string(r, c, *v).unwrap();
        }
    }
    book.save(path).unwrap();
}

async fn import(client: &Client, path: &std::path::Path) {
    let input = client.find(Locator::Id("file")).await.expect("the file input");
    input.send_keys(path.to_str().expect("a path")).await.expect("choose the file");
    click_to_new_page(client, "form[action$=\"/import\"] button[type=submit]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_legal_office_fixes_a_workbook_and_imports_it() {
    if !browser_available() {
        return;
    }
    let api = Api::new(Db::Sqlite).await;
    api.t.staff("legal700", "legal_reviewer", "511700").await;
    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "legal700").await;

    let dir = std::env::temp_dir().join(format!("mz-rule-of-law-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("普法活动-有误.xlsx");
    workbook(
        &bad,
        &[
            ["2021-06-01", "“合力保护 关爱成长”主题宣传活动启动仪式", "达州市民政局", "511700", "300"],
            ["2021-12-04", "", "达州市民政局", "511723105", "很多"],
        ],
    );
    let good = dir.join("普法活动.xlsx");
    workbook(
        &good,
        &[
            ["2021-06-01", "“合力保护 关爱成长”主题宣传活动启动仪式", "达州市民政局", "511700", "300"],
            ["2021-12-04", "“12·4”国家宪法日宣传进社区活动", "达州市民政局", "511723105", "500"],
        ],
    );

    client.goto(&format!("{base}/rule-of-law")).await.expect("the registers");
    visited(&client, "rule-of-law-01-index").await;
    client.goto(&format!("{base}/rule-of-law/publicity")).await.expect("the register");
    let html = visited(&client, "rule-of-law-02-empty").await;
    assert!(html.contains("暂无记录"), "{html}");

    import(&client, &bad).await;
    let html = visited(&client, "rule-of-law-03-errors").await;
    for text in
        ["工作簿有2处错误，未导入任何记录", "第3行", "主题", "此项为必填项", "受众人数", "应为0至10000000之间的整数"]
    {
        assert!(html.contains(text), "{text}: {html}");
    }
    assert!(html.contains("暂无记录"), "nothing imported: {html}");
    client.set_window_size(412, 915).await.expect("phone width");
    visited(&client, "rule-of-law-03b-errors-phone").await;
    client.set_window_size(1280, 1000).await.expect("desktop width");

    import(&client, &good).await;
    let html = visited(&client, "rule-of-law-04-imported").await;
    for text in ["已导入2条记录", "2021年6月1日", "国家宪法日宣传进社区活动", "讲治镇"] {
        assert!(html.contains(text), "{text}: {html}");
    }
    client.set_window_size(412, 915).await.expect("phone width");
    visited(&client, "rule-of-law-04b-imported-phone").await;
    client.set_window_size(1280, 1000).await.expect("desktop width");

    // The year's filter and a record's form.
    client.goto(&format!("{base}/rule-of-law/publicity?year=2020")).await.expect("2020");
    let html = visited(&client, "rule-of-law-05-other-year").await;
    assert!(html.contains("暂无记录"), "{html}");
    client.goto(&format!("{base}/rule-of-law/publicity?year=2021")).await.expect("2021");
    click_to_new_page(&client, "a[href^=\"/rule-of-law/records/\"]").await;
    let html = visited(&client, "rule-of-law-06-record").await;
    assert!(html.contains("修改普法活动记录"), "{html}");
    client.set_window_size(412, 915).await.expect("phone width");
    visited(&client, "rule-of-law-06b-record-phone").await;

    let _ = std::fs::remove_dir_all(&dir);
    client.close().await.expect("close the session");
}
