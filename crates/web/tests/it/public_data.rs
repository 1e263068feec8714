//! Public reference data (divisions, the calendar), calendar imports, and record verification.

use serde_json::json;
use test_support::on_both;

use crate::helpers::{Api, Auth};

on_both!(divisions_are_public, |db| async move {
    let api = Api::new(db).await;
    let provinces = api.get("/api/v1/divisions", Auth::None).await;
    assert_eq!(provinces.status, 200);
    let codes: Vec<String> = provinces.json()["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|d| d["code"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    assert_eq!(codes, ["500000", "510000"]);
    let children = api.get("/api/v1/divisions?parent=511700", Auth::None).await.json();
    let tongchuan =
        children["items"].as_array().and_then(|items| items.iter().find(|d| d["code"] == "511702")).cloned();
    assert_eq!(tongchuan, Some(json!({"code": "511702", "name": "通川区", "level": "county", "level_name": "县级"})));

    let one = api.get("/api/v1/divisions/511702001", Auth::None).await.json();
    assert_eq!(one["full_name"], "四川省达州市通川区东城街道");
    assert_eq!(one["level"], "township");
    assert_eq!(one["parent"], "511702");
    let ancestors: Vec<&str> =
        one["ancestors"].as_array().map(|a| a.iter().filter_map(|d| d["code"].as_str()).collect()).unwrap_or_default();
    assert_eq!(ancestors, ["510000", "511700", "511702"]);

    api.get("/api/v1/divisions/999999", Auth::None).await.assert_error(404, "division_not_found");
    api.get("/api/v1/divisions?parent=999999", Auth::None).await.assert_error(404, "division_not_found");
    api.get("/api/v1/divisions/12345", Auth::None).await.assert_error(400, "division_invalid_code");
});

on_both!(calendar_reads_are_public, |db| async move {
    let api = Api::new(db).await;
    let national_day = api.get("/api/v1/calendar/days/2021-10-01", Auth::None).await.json();
    assert_eq!(national_day["is_workday"], false);
    assert_eq!(national_day["holiday_name"], "国庆节");
    assert_eq!(national_day["makeup"], false);
    let makeup = api.get("/api/v1/calendar/days/2021-10-09", Auth::None).await.json();
    assert_eq!(makeup["is_workday"], true);
    assert_eq!(makeup["makeup"], true);
    assert_eq!(makeup["holiday_name"], serde_json::Value::Null);

    let workdays = api.get("/api/v1/calendar/add-workdays?date=2021-09-30&n=1", Auth::None).await.json();
    assert_eq!(workdays["date"], "2021-09-30");
    assert_eq!(workdays["result"], "2021-10-08");
    assert!(workdays["rule"].as_str().unwrap_or_default().contains("工作日"));
    assert_eq!(workdays["calendar_version"], "builtin-2020-2026");
    let days = api.get("/api/v1/calendar/add-days?date=2021-09-25&n=6", Auth::None).await.json();
    assert_eq!(days["result"], "2021-10-08", "1 October is a holiday: the period ends on the next working day");

    let no_data = api.get("/api/v1/calendar/add-workdays?date=2030-01-02&n=5", Auth::None).await;
    no_data.assert_error(422, "calendar_no_data");
    assert!(no_data.json()["message"].as_str().unwrap_or_default().contains("未载入 2030 年的节假日安排"));
    let runs_out = api.get("/api/v1/calendar/add-workdays?date=2026-12-30&n=10", Auth::None).await;
    runs_out.assert_error(422, "calendar_no_data");
    api.get("/api/v1/calendar/days/2030-01-01", Auth::None).await.assert_error(422, "calendar_no_data");
    let huge = api.get("/api/v1/calendar/add-days?date=2021-01-01&n=4294967295", Auth::None).await;
    assert_eq!(huge.status, 422, "{}", huge.text());

    let versions = api.get("/api/v1/calendar/versions", Auth::None).await.json();
    assert_eq!(versions["in_force"], "builtin-2020-2026");
    assert_eq!(versions["versions"], json!([]));
});

/// A complete year with weekends off and no holidays.
fn plain_year(year: i32) -> String {
    use chrono::Datelike;
    let mut csv = String::from("date,is_workday,holiday_name,is_makeup_workday\n");
    let mut day = chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("date");
    while day.year() == year {
        let weekend = matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
        csv.push_str(&format!("{day},{},,false\n", !weekend));
        day = day.succ_opt().expect("date");
    }
    csv
}

on_both!(calendar_imports_need_an_administrator, |db| async move {
    let api = Api::new(db).await;
    let body = json!({"csv": plain_year(2027), "source": "测试用 2027 年安排"});
    api.post("/api/v1/calendar/versions", Auth::None, body.clone()).await.assert_error(401, "unauthorized");
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    api.post("/api/v1/calendar/versions", Auth::Bearer(&clerk), body.clone()).await.assert_error(403, "forbidden");
    let broken =
        json!({"csv": "date,is_workday,holiday_name,is_makeup_workday\n2027-01-01,true,,false\n", "source": "x"});
    let admin = api.admin_token().await;
    let reply = api.post("/api/v1/calendar/versions", Auth::Bearer(&admin), broken).await;
    reply.assert_error(422, "calendar_incomplete_year");
    // The API refuses what the CLI refuses: no year, no source document (every problem named).
    let empty = json!({"csv": "date,is_workday,holiday_name,is_makeup_workday\n", "source": "  "});
    let reply = api.post("/api/v1/calendar/versions", Auth::Bearer(&admin), empty).await;
    reply.assert_error(422, "calendar_no_years");
    let codes: Vec<String> =
        reply.json()["problems"].as_array().expect("problems").iter().map(|p| p["code"].to_string()).collect();
    assert_eq!(codes, ["\"calendar_no_years\"", "\"source_required\""]);
    let no_source = json!({"csv": plain_year(2027), "source": ""});
    api.post("/api/v1/calendar/versions", Auth::Bearer(&admin), no_source).await.assert_error(422, "source_required");

    let reply = api.post("/api/v1/calendar/versions", Auth::Bearer(&admin), body).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(reply.json()["years"], json!([2027]));
    let version = reply.json()["version"].as_str().unwrap_or_default().to_string();
    let versions = api.get("/api/v1/calendar/versions", Auth::None).await.json();
    assert_eq!(versions["in_force"], version.as_str());
    assert_eq!(versions["versions"][0]["years"], json!([2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027]));
    assert_eq!(versions["versions"][0]["source"], "测试用 2027 年安排");
    let deadline = api.get("/api/v1/calendar/add-workdays?date=2026-12-30&n=10", Auth::None).await;
    assert_eq!(deadline.status, 200, "{}", deadline.text());
});

on_both!(record_verification_needs_read_audit, |db| async move {
    let api = Api::new(db).await;
    api.get("/api/v1/audit/verify", Auth::None).await.assert_error(401, "unauthorized");
    let clerk = api.staff_token("clerk", "clerk", "511702").await;
    api.get("/api/v1/audit/verify", Auth::Bearer(&clerk)).await.assert_error(403, "forbidden");
    let admin = api.admin_token().await;
    let reply = api.get("/api/v1/audit/verify", Auth::Bearer(&admin)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["ok"], true);
    assert!(body["events"].as_u64().unwrap_or(0) >= 2, "{body}");
});
