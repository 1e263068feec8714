//! The bureau's 政务公开 and 法治政府建设 columns over HTTP, fed by the areas' records (a
//! normative document of the register, 普法 activities of the rule-of-law registers), each piece
//! with its 20-working-day limit (政府信息公开条例第二十六条); a piece made public after its limit
//! flagged on the public page and first in the staff register, which only report readers see.
//! And the rater's page for the fix of a 差评. On both backends.

use serde_json::{json, Value};
use test_support::{on_both, Db};

use crate::helpers::{Api, Auth};

fn entry<'a>(all: &'a Value, title_part: &str) -> &'a Value {
    all.as_array()
        .expect("a list")
        .iter()
        .find(|e| e["title"].as_str().is_some_and(|t| t.contains(title_part)))
        .unwrap_or_else(|| panic!("no entry {title_part} in {all}"))
}

async fn the_columns_read_the_records_and_flag_the_late(db: Db) {
    let api = Api::new(db).await;
    // Entered on Tuesday 1 June 2021 (the test clock starts that morning).
    let clerk = api.staff_token("op-clerk", "clerk", "511702").await;
    let writer = api.staff_token("op-writer", "legal_reviewer", "511700").await;
    let citizen = api.staff_token("op-citizen", "citizen", "511702").await;

    enter_the_pieces(&api, &clerk, &writer).await;

    // The public JSON: the document in both columns, on time; the 普法 records in the 法治 column.
    let all = api.get("/api/v1/openness", Auth::None).await;
    assert_eq!(all.status, 200, "{}", all.text());
    let all = all.json();
    let doc: Vec<&Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["title"].as_str().is_some_and(|t| t.contains("政务公开工作规程")))
        .collect();
    assert_eq!(doc.len(), 2, "{all}");
    assert!(doc.iter().any(|e| e["column"] == "proactive" && e["category"] == "规范性文件"));
    assert!(doc.iter().all(|e| e["state"] == "按时公开" && e["late"] == false && e["published"] == "2021-05-20"));
    let late = entry(&all, "民法典进社区宣传");
    assert_eq!(late["column"], "rule_of_law");
    assert_eq!(late["formed"], "2021-03-01");
    assert_eq!(late["due"], "2021-03-29");
    assert_eq!(late["published"], "2021-06-01");
    assert_eq!(late["late"], true);
    assert_eq!(late["state"], "超过20个工作日公开");
    let in_time = entry(&all, "社会救助政策宣讲");
    assert_eq!(in_time["due"], "2021-06-28", "端午 Monday 14 June is not counted");
    assert_eq!(in_time["late"], false);

    // The pages: 政务公开 shows the document with its dates, not the 普法 records; the 法治
    // column shows them, the late one flagged.
    let page = api.get("/openness", Auth::None).await;
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("通川区民政局政务公开工作规程") && text.contains("2021年5月20日"), "{text}");
    assert!(text.contains("第二十六条") && !text.contains("民法典进社区宣传"), "{text}");
    let page = api.get("/openness/rule-of-law", Auth::None).await;
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(
        text.contains("民法典进社区宣传") && text.contains("<span class=\"badge red\">超过20个工作日公开"),
        "{text}"
    );
    assert!(text.contains("现行有效的规范性文件"), "{text}");

    // The staff register: refused to the public and to a citizen, the late first for a reader.
    api.get("/api/v1/openness/register", Auth::None).await.assert_error(401, "unauthorized");
    api.get("/api/v1/openness/register", Auth::Bearer(&citizen)).await.assert_error(403, "forbidden");
    let register = api.get("/api/v1/openness/register", Auth::Bearer(&clerk)).await;
    assert_eq!(register.status, 200, "{}", register.text());
    assert_eq!(entry(&register.json(), "民法典进社区宣传")["late"], true);
    let session = api.cookie_login("op-clerk", crate::helpers::STAFF_PASSWORD).await;
    let page = api.get("/openness/register", Auth::Cookie { session: &session.0, csrf: None }).await;
    assert_eq!(page.status, 200);
    let text = page.text();
    let late_table = text.find("逾期未公开或超期公开（1 条）").expect("the late, counted");
    let pending_table = text.find("待公开（期限未到").expect("the pending");
    let at = text.find("民法典进社区宣传").expect("the late one listed");
    assert!(late_table < at && at < pending_table, "{text}");
    // Another county's clerk does not see this county's pieces.
    let other = api.staff_token("op-other", "clerk", "511703").await;
    let theirs = api.get("/api/v1/openness/register", Auth::Bearer(&other)).await;
    assert_eq!(theirs.status, 200);
    assert!(!theirs.text().contains("政务公开工作规程"), "{}", theirs.text());
}
on_both!(the_columns_read_the_records_and_flag_the_late, the_columns_read_the_records_and_flag_the_late);

async fn the_rater_rates_a_fix_on_a_page(db: Db) {
    let api = Api::new(db).await;
    let form = api.get("/hotline/rate-fix", Auth::None).await;
    assert_eq!(form.status, 200);
    let text = form.text();
    assert!(text.contains("form method=\"post\" action=\"/hotline/rate-fix\"") && text.contains("name=\"grade\""));
    // No such case, or a wrong check: the same refusal, in Chinese, nothing recorded.
    let wrong = api
        .form("/hotline/rate-fix", None, &[("number", "511702-2021-999999"), ("check", "0000"), ("grade", "satisfied")])
        .await;
    assert_eq!(wrong.status, 404, "{}", wrong.text());
    assert!(wrong.text().contains("role=\"alert\""), "{}", wrong.text());
    // A grade that is none of the five.
    let bad = api
        .form("/hotline/rate-fix", None, &[("number", "511702-2021-999999"), ("check", "0000"), ("grade", "great")])
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert!(bad.text().contains("请选择评价"), "{}", bad.text());
}
on_both!(the_rater_rates_a_fix_on_a_page, the_rater_rates_a_fix_on_a_page);

/// A normative document published on 20 May 2021 and two 普法 events (1 March, entered late; 28 May,
/// in time), as `clerk` and `writer` enter them: the pieces the open columns show.
pub(crate) async fn enter_the_pieces(api: &Api, clerk: &str, writer: &str) {
    let document = json!({"division": "511702", "number": "通民发〔2021〕9号", "title": "通川区民政局政务公开工作规程",
        "organ": "通川区民政局", "published_on": "2021-05-20", "effective_on": "2021-05-20",
        "valid_until": "2023-05-19", "review_submitted_on": "2021-05-06", "review_opinion_on": "2021-05-10",
        "review_opinion": "经审核，合法", "basis": "中华人民共和国政府信息公开条例"});
    let made = api.post("/api/v1/rule-making/documents", Auth::Bearer(clerk), document).await;
    assert_eq!(made.status, 201, "{}", made.text());
    // Held on Monday 1 March: 20 working days end on Monday 29 March; entered on 1 June, late.
    // Held on Friday 28 May: due on 28 June (端午, Monday 14 June, not counted); entered in time.
    for (date, theme) in [("2021-03-01", "民法典进社区宣传"), ("2021-05-28", "社会救助政策宣讲")] {
        let fields = json!({"date": date, "theme": theme, "unit": "通川区民政局", "division": "511702"});
        let added =
            api.post("/api/v1/rule-of-law/publicity/records", Auth::Bearer(writer), json!({"fields": fields})).await;
        assert_eq!(added.status, 201, "{}", added.text());
    }
}
