//! 法治政府建设台账 over HTTP: every register's create, list (by year and division), read and
//! change, refusals with their field in Chinese, access by role and jurisdiction, the Excel
//! round trip (export, import the same file, the same records), an import with bad rows (nothing
//! imported, every problem by row and column), the pages, and what the annual report reads.
//! On both backends.

use rust_xlsxwriter::Workbook;
use serde_json::{json, Value};
use test_support::{on_both, Db};

use crate::helpers::{Api, Auth, STAFF_PASSWORD};

const CITY: &str = "511700";
const TONGCHUAN: &str = "511702";
const KAIJIANG: &str = "511723";

const BOUNDARY: &str = "mz-rol-boundary-4c8Qx1";

fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, bytes) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let disposition = match file_name {
            Some(file) => format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n"),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// One valid record of every register.
fn samples() -> Vec<(&'static str, Value)> {
    vec![
        (
            "leading-group",
            json!({"group": "普法依法治理工作领导小组", "role": "leader", "post": "党组书记、局长", "division": CITY, "from": "2021-01-01"}),
        ),
        (
            "study",
            json!({"date": "2021-03-02", "kind": "party_group", "topic": "《习近平法治思想学习纲要》", "attendees": "12", "division": CITY}),
        ),
        (
            "training",
            json!({"date": "2021-09-15", "topic": "行政处罚法修订解读", "hours": "4", "attendees": "35", "division": TONGCHUAN}),
        ),
        (
            "exam",
            json!({"date": "2021-11-20", "name": "李明", "unit": "达州市民政局", "score": "86", "passed": "yes", "division": CITY}),
        ),
        (
            "publicity",
            json!({"date": "2021-12-04", "theme": "“12·4”国家宪法日宣传进社区", "place": "开江县讲治镇", "partners": "达州市农业农村局", "unit": "达州市民政局", "division": "511723105"}),
        ),
        (
            "villages",
            json!({"batch": "第八批全国民主法治示范村（社区）", "name": "盐井坝村", "division": "511702109", "date": "2021-12-20", "organ": "司法部、民政部"}),
        ),
        (
            "advisers",
            json!({"name": "张律", "kind": "public_lawyer", "firm": "达州市民政局", "from": "2020-06-01", "to": "2022-05-31", "matters": "9", "division": CITY}),
        ),
        (
            "openness",
            json!({"date": "2021-09-10", "division": "511723109", "finding": "财务公开栏未按季度更新", "rectified": "是"}),
        ),
    ]
}

async fn add(api: &Api, token: &str, register: &str, fields: Value) -> Value {
    let reply = api
        .post(&format!("/api/v1/rule-of-law/{register}/records"), Auth::Bearer(token), json!({"fields": fields}))
        .await;
    assert_eq!(reply.status, 201, "{register}: {}", reply.text());
    reply.json()
}

async fn every_register_created_listed_changed_and_refused(db: Db) {
    let api = Api::new(db).await;
    let writer = api.staff_token("rol-writer", "legal_reviewer", CITY).await;
    let county_writer = api.staff_token("rol-county", "legal_reviewer", TONGCHUAN).await;
    let clerk = api.staff_token("rol-clerk", "clerk", TONGCHUAN).await;
    let officer = api.staff_token("rol-officer", "enforcement_officer", CITY).await;

    for (register, fields) in samples() {
        let record = add(&api, &writer, register, fields.clone()).await;
        let id = record["id"].as_i64().expect("id");
        assert_eq!(record["register"], register);
        assert_eq!(record["href"], format!("/rule-of-law/records/{id}"));
        assert!(record["shown"].as_array().is_some_and(|s| !s.is_empty()));
        // Listed in its year, not in one before it (a membership or an engagement runs on).
        let listed = api.get(&format!("/api/v1/rule-of-law/{register}/records?year=2021"), Auth::Bearer(&writer)).await;
        assert_eq!(listed.status, 200, "{}", listed.text());
        assert!(listed.json()["items"].as_array().unwrap().iter().any(|r| r["id"] == id), "{register}");
        let earlier =
            api.get(&format!("/api/v1/rule-of-law/{register}/records?year=2019"), Auth::Bearer(&writer)).await;
        assert!(!earlier.json()["items"].as_array().unwrap().iter().any(|r| r["id"] == id), "{register}");

        // Every field left empty: each required one named, in Chinese.
        let empty = api
            .post(&format!("/api/v1/rule-of-law/{register}/records"), Auth::Bearer(&writer), json!({"fields": {}}))
            .await;
        empty.assert_error(422, "required");
        let problems = empty.json()["problems"].as_array().unwrap().clone();
        assert!(problems.iter().any(|p| p["field"] == "division"), "{register}: {problems:?}");
        assert!(problems.iter().all(|p| p["message"] == "此项为必填项"), "{problems:?}");

        // A change under the revision read, then the same revision again: a conflict.
        let mut changed = fields.clone();
        let title = if register == "openness" {
            "finding"
        } else if register == "leading-group" {
            "post"
        } else {
            ""
        };
        if !title.is_empty() {
            changed[title] = json!("改正后的内容");
        }
        let body = json!({"fields": changed, "expected_revision": record["revision"]});
        let reply = api
            .call("PUT", &format!("/api/v1/rule-of-law/records/{id}"), Auth::Bearer(&writer), Some(body.clone()))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.json()["revision"], record["revision"].as_i64().unwrap() + 1);
        api.call("PUT", &format!("/api/v1/rule-of-law/records/{id}"), Auth::Bearer(&writer), Some(body))
            .await
            .assert_error(409, "rule_of_law_conflict");
    }

    // Bad values: every problem with its field and a Chinese message.
    let bad = json!({"fields": {"date": "2021-02-30", "theme": "x", "unit": "达州市民政局", "audience": "-1",
                                "division": "511799999", "colour": "红"}});
    let reply = api.post("/api/v1/rule-of-law/publicity/records", Auth::Bearer(&writer), bad).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    let fields: Vec<String> =
        reply.json()["problems"].as_array().unwrap().iter().map(|p| p["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["colour", "date", "audience", "division"]);
    let period = json!({"fields": {"name": "王顾问", "kind": "法律顾问", "firm": "四川某律师事务所", "from": "2021-06-01",
                                   "to": "2021-05-31", "division": CITY}});
    let reply = api.post("/api/v1/rule-of-law/advisers/records", Auth::Bearer(&writer), period).await;
    reply.assert_error(422, "dates_reversed");
    assert_eq!(reply.json()["field"], "to");
    // An 执法证号 not in the enforcement register.
    let mut exam = samples()[3].1.clone();
    exam["certificate_no"] = json!("X-404");
    let reply = api.post("/api/v1/rule-of-law/exam/records", Auth::Bearer(&writer), json!({"fields": exam})).await;
    reply.assert_error(422, "certificate_not_registered");
    api.post("/api/v1/rule-of-law/nothing/records", Auth::Bearer(&writer), json!({"fields": {}}))
        .await
        .assert_error(404, "register_unknown");
    api.get("/api/v1/rule-of-law/study/records?year=1999", Auth::Bearer(&writer))
        .await
        .assert_error(422, "record_year");

    // Access: the clerk reads within Tongchuan only and writes nothing; the county's writer
    // writes in Tongchuan, not in Kaijiang; a role without the registers reads nothing.
    let training = api.get("/api/v1/rule-of-law/training/records", Auth::Bearer(&clerk)).await.json();
    assert_eq!(training["items"].as_array().unwrap().len(), 1);
    let study = api.get("/api/v1/rule-of-law/study/records", Auth::Bearer(&clerk)).await.json();
    assert!(study["items"].as_array().unwrap().is_empty(), "a city record is outside Tongchuan");
    let city_id = api.get("/api/v1/rule-of-law/study/records", Auth::Bearer(&writer)).await.json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    api.get(&format!("/api/v1/rule-of-law/records/{city_id}"), Auth::Bearer(&clerk))
        .await
        .assert_error(403, "forbidden");
    let mut training = samples()[2].1.clone();
    api.post("/api/v1/rule-of-law/training/records", Auth::Bearer(&clerk), json!({"fields": training.clone()}))
        .await
        .assert_error(403, "forbidden");
    add(&api, &county_writer, "training", training.clone()).await;
    training["division"] = json!(KAIJIANG);
    api.post("/api/v1/rule-of-law/training/records", Auth::Bearer(&county_writer), json!({"fields": training}))
        .await
        .assert_error(403, "forbidden");
    api.get("/api/v1/rule-of-law/study/records", Auth::Bearer(&officer)).await.assert_error(403, "forbidden");
    let by_division = api
        .get(&format!("/api/v1/rule-of-law/training/records?division={TONGCHUAN}"), Auth::Bearer(&writer))
        .await
        .json();
    assert_eq!(by_division["items"].as_array().unwrap().len(), 2);
    let by_other = api
        .get(&format!("/api/v1/rule-of-law/training/records?division={KAIJIANG}"), Auth::Bearer(&writer))
        .await
        .json();
    assert!(by_other["items"].as_array().unwrap().is_empty());
}

/// A workbook of `rows` under `headers`, all text.
fn workbook(headers: &[&str], rows: &[Vec<&str>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in (0u16..).zip(headers) {
        sheet.write_string(0, c, *h).unwrap();
    }
    for (r, row) in (1u32..).zip(rows) {
        for (c, v) in (0u16..).zip(row) {
            if !v.is_empty() {
                sheet.write_string(r, c, *v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

async fn import(api: &Api, token: &str, register: &str, bytes: &[u8]) -> crate::helpers::Reply {
    let body = multipart(&[("file", Some("register.xlsx"), bytes)]);
    api.raw("POST", &format!("/api/v1/rule-of-law/{register}/import"), Auth::Bearer(token), Some(&content_type()), body)
        .await
}

async fn workbooks_round_trip_and_bad_rows_import_nothing(db: Db) {
    let api = Api::new(db).await;
    let writer = api.staff_token("rol-writer", "legal_reviewer", CITY).await;
    for (register, fields) in samples() {
        add(&api, &writer, register, fields).await;
    }
    add(
        &api,
        &writer,
        "publicity",
        json!({"date": "2021-06-01", "theme": "“合力保护 关爱成长”主题宣传活动启动仪式",
        "partners": "达州市人民检察院", "audience": "300", "unit": "达州市民政局", "division": CITY}),
    )
    .await;

    for (register, _) in samples() {
        let before = api.get(&format!("/api/v1/rule-of-law/{register}/records"), Auth::Bearer(&writer)).await.json();
        let before = before["items"].as_array().unwrap().clone();
        let file = api.get(&format!("/api/v1/rule-of-law/{register}/records.xlsx"), Auth::Bearer(&writer)).await;
        assert_eq!(file.status, 200, "{}", file.text());
        assert!(file.header("content-type").unwrap_or_default().contains("spreadsheetml"));
        let reply = import(&api, &writer, register, &file.body).await;
        assert_eq!(reply.status, 201, "{register}: {}", reply.text());
        assert_eq!(reply.json()["imported"], before.len());
        let after = api.get(&format!("/api/v1/rule-of-law/{register}/records"), Auth::Bearer(&writer)).await.json();
        let after = after["items"].as_array().unwrap().clone();
        assert_eq!(after.len(), before.len() * 2, "{register}");
        let ids: Vec<i64> = reply.json()["ids"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
        for (old, id) in before.iter().zip(&ids) {
            let new = after.iter().find(|r| r["id"] == *id).expect("imported");
            assert_eq!(new["fields"], old["fields"], "{register}: the same record back");
        }
    }

    // Headers of the export, in Chinese.
    let file = api.get("/api/v1/rule-of-law/publicity/records.xlsx?year=2021", Auth::Bearer(&writer)).await;
    {
        use calamine::{Reader, Xlsx};
        let mut book = Xlsx::new(std::io::Cursor::new(file.body.to_vec())).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        assert_eq!(header[0], "日期");
        assert!(header.contains(&"负责单位（谁执法谁普法）".to_string()), "{header:?}");
        assert_eq!(range.rows().count(), 1 + 4, "the header and the 2021 publicity records (two, imported back)");
    }

    // Bad rows: nothing imported, each problem by row and column.
    let count = |v: Value| v["items"].as_array().unwrap().len();
    let before = count(api.get("/api/v1/rule-of-law/publicity/records", Auth::Bearer(&writer)).await.json());
    let headers = ["日期", "主题", "负责单位（谁执法谁普法）", "活动所在行政区划", "受众人数"];
    let bytes = workbook(
        &headers,
        &[
            vec!["2021-06-01", "宪法宣传", "达州市民政局", CITY, "200"],
            vec!["2021-13-01", "", "达州市民政局", CITY, "很多"],
            vec![],
            vec!["2021-07-01", "民法典宣传", "达州市民政局", "999999", ""],
        ],
    );
    let reply = import(&api, &writer, "publicity", &bytes).await;
    reply.assert_error(422, "import_rows_invalid");
    let problems = reply.json()["problems"].as_array().unwrap().clone();
    let got: Vec<(String, String)> = problems
        .iter()
        .map(|p| (p["field"].as_str().unwrap().to_string(), p["code"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        got,
        [
            ("rows[3].date".to_string(), "date_format".to_string()),
            ("rows[3].theme".into(), "required".into()),
            ("rows[3].audience".into(), "count_range".into()),
            ("rows[5].division".into(), "division_unknown".into()),
        ]
    );
    assert!(problems[0]["message"].as_str().unwrap().starts_with("第3行“日期”："), "{problems:?}");
    assert_eq!(count(api.get("/api/v1/rule-of-law/publicity/records", Auth::Bearer(&writer)).await.json()), before);

    // A header that is no column, a required column missing, a file that is no workbook.
    let reply = import(&api, &writer, "publicity", &workbook(&["日期", "颜色"], &[vec!["2021-06-01", "红"]])).await;
    reply.assert_error(422, "import_rows_invalid");
    let problems = reply.json()["problems"].as_array().unwrap().clone();
    let codes: Vec<&str> = problems.iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        ["import_header_unknown", "import_header_missing", "import_header_missing", "import_header_missing"]
    );
    assert!(problems[0]["message"].as_str().unwrap().contains("颜色"), "{problems:?}");
    import(&api, &writer, "publicity", b"not a workbook").await.assert_error(422, "import_rows_invalid");
    // A reader may export, not import.
    let clerk = api.staff_token("rol-clerk", "clerk", CITY).await;
    import(&api, &clerk, "publicity", &bytes).await.assert_error(403, "forbidden");
    let not_multipart = api.post("/api/v1/rule-of-law/publicity/import", Auth::Bearer(&writer), json!({})).await;
    assert_eq!(not_multipart.status, 415);
}

async fn the_year_the_report_reads_and_the_pages(db: Db) {
    let api = Api::new(db).await;
    let writer = api.staff_token("rol-writer", "legal_reviewer", CITY).await;
    let leader = api.staff_token("rol-enf-leader", "leader", CITY).await;
    let officer = json!({"division": CITY, "name": "王执法", "certificate_no": "DZ-0001", "area": "达州市",
        "issued_by": "四川省人民政府", "valid_from": "2021-08-01", "valid_until": "2024-07-31", "training_hours": "60",
        "legal_qualification": false, "duties": "社会组织执法监察"});
    let reply = api.post("/api/v1/enforcement/officers", Auth::Bearer(&leader), officer).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let mut exam = samples()[3].1.clone();
    exam["certificate_no"] = json!("DZ-0001");
    let exam = add(&api, &writer, "exam", exam).await;
    for (register, fields) in samples().into_iter().filter(|(r, _)| *r != "exam") {
        add(&api, &writer, register, fields).await;
    }
    let year = api.get("/api/v1/rule-of-law/years/2021", Auth::Bearer(&writer)).await;
    assert_eq!(year.status, 200, "{}", year.text());
    let year = year.json();
    let registers = year["registers"].as_array().unwrap();
    assert_eq!(registers.len(), 8);
    assert!(registers.iter().all(|r| r["count"] == 1), "{registers:?}");
    let exams = registers.iter().find(|r| r["register"] == "exam").unwrap();
    assert_eq!(exams["records"][0]["href"], format!("/rule-of-law/records/{}", exam["id"]));
    assert_eq!(exams["records"][0]["label"], "李明");
    assert_eq!(year["credentials"][0]["certificate_no"], "DZ-0001");
    // 2020: the adviser engaged from 2020-06-01 only; no credential yet.
    let earlier = api.get("/api/v1/rule-of-law/years/2020", Auth::Bearer(&writer)).await.json();
    let counts: Vec<i64> =
        earlier["registers"].as_array().unwrap().iter().map(|r| r["count"].as_i64().unwrap()).collect();
    assert_eq!(counts, [0, 0, 0, 0, 0, 0, 1, 0]);
    assert!(earlier["credentials"].as_array().unwrap().is_empty());
    api.get("/api/v1/rule-of-law/years/3000", Auth::Bearer(&writer)).await.assert_error(422, "record_year");

    // The pages: the index, a list, a form refused with its problems, a page import refused.
    let (session, csrf) = api.cookie_login("rol-writer", STAFF_PASSWORD).await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let index = api.get("/rule-of-law?year=2021", me).await;
    assert_eq!(index.status, 200);
    assert!(index.text().contains("普法活动") && index.text().contains("1 人"), "{}", index.text());
    let list = api.get("/rule-of-law/publicity?year=2021", me).await;
    assert_eq!(list.status, 200);
    let text = list.text();
    assert!(
        text.contains("负责单位（谁执法谁普法）") && text.contains("2021年12月4日") && text.contains("讲治镇"),
        "{text}"
    );
    let form = api
        .form(
            "/rule-of-law/publicity/new",
            Some(&session),
            &[
                ("csrf_token", &csrf),
                ("date", "2021-06-31"),
                ("theme", ""),
                ("unit", "达州市民政局"),
                ("division", CITY),
            ],
        )
        .await;
    assert_eq!(form.status, 422, "{}", form.text());
    assert!(
        form.text().contains("日期：日期格式应为") && form.text().contains("主题：此项为必填项"),
        "{}",
        form.text()
    );
    let saved = api
        .form(
            "/rule-of-law/publicity/new",
            Some(&session),
            &[
                ("csrf_token", &csrf),
                ("date", "2021-06-01"),
                ("theme", "未成年人保护法宣传"),
                ("unit", "达州市民政局"),
                ("division", CITY),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text());
    let bad = workbook(
        &["日期", "主题", "负责单位（谁执法谁普法）", "活动所在行政区划"],
        &[vec!["2021-06-01", "", "达州市民政局", CITY]],
    );
    let body = multipart(&[("csrf_token", None, csrf.as_bytes()), ("file", Some("bad.xlsx"), &bad)]);
    let page = api.raw("POST", "/rule-of-law/publicity/import", me, Some(&content_type()), body).await;
    assert_eq!(page.status, 422);
    assert!(page.text().contains("第2行") && page.text().contains("此项为必填项"), "{}", page.text());
    let record = api.get(&format!("/rule-of-law/records/{}", exam["id"]), me).await;
    assert_eq!(record.status, 200);
    assert!(record.text().contains("value=\"DZ-0001\""), "{}", record.text());
}

on_both!(every_register_created_listed_changed_and_refused, every_register_created_listed_changed_and_refused);
on_both!(workbooks_round_trip_and_bad_rows_import_nothing, workbooks_round_trip_and_bad_rows_import_nothing);
on_both!(the_year_the_report_reads_and_the_pages, the_year_the_report_reads_and_the_pages);
