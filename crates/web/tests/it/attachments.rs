//! Attachments of a case (附件): uploaded as multipart, stored once per content under the SM3
//! hash of the bytes, listed and downloaded by whoever reads the case, added by the case's staff
//! and by the citizen who submitted it while it is open; every upload and download on the case's
//! record with the hash. The hash is computed here with the `sm3` crate, not the code under test.

use std::sync::Arc;

use serde_json::{json, Value};
use sm3::{Digest, Sm3};
use test_support::on_both;

use crate::helpers::{application, id_number, Api, Auth, Reply, STAFF_PASSWORD};

const BOUNDARY: &str = "mz-test-boundary-7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body of `(name, file name, bytes)` parts.
fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, bytes) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let disposition = match file_name {
            Some(file) => format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n"),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        if file_name.is_some() {
            body.extend_from_slice(b"Content-Type: application/octet-stream\r\n");
        }
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

async fn upload(api: &Api, auth: Auth<'_>, case: i64, file_name: &str, bytes: &[u8], label: &str) -> Reply {
    let body = multipart(&[("file", Some(file_name), bytes), ("label", None, label.as_bytes())]);
    api.raw("POST", &format!("/api/v1/cases/{case}/attachments"), auth, Some(&content_type()), body).await
}

fn sm3_hex(bytes: &[u8]) -> String {
    Sm3::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}

fn png() -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend_from_slice(b"\0\0\0\rIHDR-not-a-real-image");
    bytes
}

/// A case of 社会团体变更登记 at the city window (达州市, 511700), by a city clerk.
async fn city_case(api: &Api, clerk: &str) -> i64 {
    let reply = api.post("/api/v1/cases", Auth::Bearer(clerk), application(41)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_i64().expect("id")
}

/// The events of a case's record with this act, as (actor, payload).
async fn events(api: &Api, case: i64, act: &str) -> Vec<(String, Value)> {
    let events = api.t.app.store.stream_events(&format!("case:{case}")).await.expect("events");
    events
        .into_iter()
        .filter(|e| e.act == act)
        .map(|e| (e.actor, serde_json::from_str(&e.payload).expect("payload")))
        .collect()
}

async fn blob_count(api: &Api) -> i64 {
    let raw = api.t.db.raw().await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM blobs").fetch_one(&raw).await.expect("count");
    raw.close().await;
    n
}

on_both!(an_upload_is_listed_downloaded_and_on_the_record, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("city_clerk", "clerk", "511700").await;
    let reviewer = api.staff_token("city_reviewer", "reviewer", "511700").await;
    let case = city_case(&api, &clerk).await;
    let bytes = pdf("现场检查笔录");
    let expected = sm3_hex(&bytes);

    let added = upload(&api, Auth::Bearer(&clerk), case, "现场检查笔录.pdf", &bytes, "现场检查笔录").await;
    assert_eq!(added.status, 201, "{}", added.text());
    let added = added.json();
    assert_eq!(added["sm3"], expected.as_str());
    assert_eq!(added["media_type"], "application/pdf");
    assert_eq!(added["file_name"], "现场检查笔录.pdf");
    assert_eq!(added["label"], "现场检查笔录");
    assert_eq!(added["size"], bytes.len());
    let aid = added["id"].as_i64().expect("id");

    // The upload's event carries the hash of the bytes, the actor and the attachment.
    let uploads = events(&api, case, "attachment.added").await;
    assert_eq!(uploads.len(), 1);
    assert!(uploads[0].0.ends_with(":city_clerk"), "{:?}", uploads[0]);
    assert_eq!(uploads[0].1["sm3"], expected.as_str());
    assert_eq!(uploads[0].1["attachment"], aid);

    // Listed for another reader of the case, who downloads the same bytes.
    let list = api.get(&format!("/api/v1/cases/{case}/attachments"), Auth::Bearer(&reviewer)).await;
    assert_eq!(list.status, 200, "{}", list.text());
    let list = list.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["items"][0]["sm3"], expected.as_str());
    assert!(events(&api, case, "attachment.downloaded").await.is_empty(), "a list is not a download");
    let path = list["items"][0]["download"].as_str().expect("download").to_string();
    let got = api.get(&path, Auth::Bearer(&reviewer)).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body.as_ref(), bytes.as_slice());
    assert_eq!(got.header("content-type"), Some("application/pdf"));
    assert_eq!(got.header("x-content-type-options"), Some("nosniff"));
    let disposition = got.header("content-disposition").expect("disposition");
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");

    // The download is recorded: who, which attachment, its hash.
    let downloads = events(&api, case, "attachment.downloaded").await;
    assert_eq!(downloads.len(), 1);
    assert!(downloads[0].0.ends_with(":city_reviewer"), "{:?}", downloads[0]);
    assert_eq!(downloads[0].1, json!({"attachment": aid, "sm3": expected}));

    // The case's timeline names both in Chinese.
    let events = api.get(&format!("/api/v1/cases/{case}/events"), Auth::Bearer(&clerk)).await;
    assert_eq!(events.status, 200);
    let (session, _) = api.cookie_login("city_clerk", STAFF_PASSWORD).await;
    let page = api.get(&format!("/cases/{case}"), Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("上传附件") && html.contains("下载附件"), "{html}");
    assert!(html.contains(&expected), "the hash is shown");
    assert!(!html.contains("attachment.added"), "no machine names on the page");

    // An unknown attachment, or one of another case: 404.
    api.get(&format!("/api/v1/cases/{case}/attachments/{}", aid + 1000), Auth::Bearer(&clerk))
        .await
        .assert_error(404, "attachment_not_found");
    let other = api.post("/api/v1/cases", Auth::Bearer(&clerk), application(42)).await.json();
    let other = other["id"].as_i64().expect("id");
    api.get(&format!("/api/v1/cases/{other}/attachments/{aid}"), Auth::Bearer(&clerk))
        .await
        .assert_error(404, "attachment_not_found");

    // The record still verifies.
    let admin = api.admin_token().await;
    let verify = api.get("/api/v1/audit/verify", Auth::Bearer(&admin)).await;
    assert_eq!(verify.status, 200, "{}", verify.text());
    assert_eq!(verify.json()["ok"], true, "{}", verify.text());
});

on_both!(the_same_file_twice_is_one_blob_and_survives_a_restart, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("city_clerk", "clerk", "511700").await;
    let case = city_case(&api, &clerk).await;
    let before = blob_count(&api).await;
    let bytes = pdf("同一份文件");
    let first = upload(&api, Auth::Bearer(&clerk), case, "a.pdf", &bytes, "").await;
    let second = upload(&api, Auth::Bearer(&clerk), case, "b.pdf", &bytes, "副本").await;
    assert_eq!((first.status.as_u16(), second.status.as_u16()), (201, 201), "{} {}", first.text(), second.text());
    assert_eq!(first.json()["sm3"], second.json()["sm3"]);
    assert_ne!(first.json()["id"], second.json()["id"]);
    assert_eq!(blob_count(&api).await, before + 1, "one blob for one content");
    let list = api.get(&format!("/api/v1/cases/{case}/attachments"), Auth::Bearer(&clerk)).await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
    let other = pdf("另一份文件");
    assert_eq!(upload(&api, Auth::Bearer(&clerk), case, "c.pdf", &other, "").await.status, 201);
    assert_eq!(blob_count(&api).await, before + 2);

    // A restart: the application closed, a new one opened on the same database serves the file.
    let path = first.json()["download"].as_str().expect("download").to_string();
    api.t.app.store.close().await;
    let store = api.t.db.store().await;
    let clock = Arc::new(domain::clock::SimulatedClock::starting_at(test_support::test_start()));
    let catalog = service::catalog::LoadedCatalog::embedded().expect("catalog");
    // The test harness's master key (test-support derives every test database's keys from it).
    let keys = store::Keys::from_master(&[42u8; 32]);
    let app = service::App::with_loaded_catalog(store, keys, clock, None, catalog).await.expect("app");
    let router =
        web::router(web::AppState { app: Arc::new(app), secure_cookies: false, simulated: None, public_url: None });
    let request = axum::http::Request::get(&path)
        .header("authorization", format!("Bearer {clerk}"))
        .body(axum::body::Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(router, request).await.expect("response");
    assert_eq!(response.status(), 200);
    let body = http_body_util::BodyExt::collect(response.into_body()).await.expect("body").to_bytes();
    assert_eq!(body.as_ref(), bytes.as_slice());
});

on_both!(files_are_told_by_content_and_bounded, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("city_clerk", "clerk", "511700").await;
    let auth = Auth::Bearer(&clerk);
    let case = city_case(&api, &clerk).await;

    // A PNG named .pdf is a PNG.
    let png = png();
    let added = upload(&api, auth, case, "扫描件.pdf", &png, "").await;
    assert_eq!(added.status, 201, "{}", added.text());
    assert_eq!(added.json()["media_type"], "image/png");
    assert_eq!(added.json()["file_name"], "扫描件.pdf.png");
    let got = api.get(added.json()["download"].as_str().expect("download"), auth).await;
    assert_eq!(got.header("content-type"), Some("image/png"));

    // A path in the name is dropped.
    let added = upload(&api, auth, case, "../../etc/passwd.pdf", &pdf("x"), "").await;
    assert_eq!(added.json()["file_name"], "passwd.pdf");

    let events_before = api.footprint().await;
    let blobs_before = blob_count(&api).await;
    // A Windows executable renamed .pdf: refused with the code, nothing stored.
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    upload(&api, auth, case, "合同.pdf", &exe, "").await.assert_error(422, "attachment_type");
    // Empty, and a missing file part.
    upload(&api, auth, case, "a.pdf", b"", "").await.assert_error(422, "attachment_empty");
    let no_file = multipart(&[("label", None, "说明".as_bytes())]);
    api.raw("POST", &format!("/api/v1/cases/{case}/attachments"), auth, Some(&content_type()), no_file)
        .await
        .assert_error(422, "attachment_empty");
    // Over 10 MiB but inside the request limit: the domain's refusal.
    let mut large = pdf("large");
    large.resize(10 * 1024 * 1024 + 1, b' ');
    upload(&api, auth, case, "large.pdf", &large, "").await.assert_error(422, "attachment_too_large");
    // Over the request limit: cut off while it is read, and refused before it is read when its
    // length is declared.
    large.resize(11 * 1024 * 1024, b' ');
    upload(&api, auth, case, "larger.pdf", &large, "").await.assert_error(413, "attachment_too_large");
    let body = multipart(&[("file", Some("larger.pdf"), &large)]);
    let request = axum::http::Request::post(format!("/api/v1/cases/{case}/attachments"))
        .header("authorization", format!("Bearer {clerk}"))
        .header("content-type", content_type())
        .header("content-length", body.len().to_string())
        .body(axum::body::Body::from(body))
        .expect("request");
    api.send(request).await.assert_error(413, "attachment_too_large");
    // A label too long, an unknown part, not multipart.
    let long = "长".repeat(51);
    upload(&api, auth, case, "a.pdf", &pdf("y"), &long).await.assert_error(422, "too_long");
    let unknown = multipart(&[("file", Some("a.pdf"), &pdf("z")), ("admin", None, b"1")]);
    api.raw("POST", &format!("/api/v1/cases/{case}/attachments"), auth, Some(&content_type()), unknown)
        .await
        .assert_error(400, "invalid_multipart");
    api.post(&format!("/api/v1/cases/{case}/attachments"), auth, json!({"file": "x"}))
        .await
        .assert_error(415, "unsupported_media_type");
    assert_eq!(api.footprint().await, events_before, "no event for a refusal");
    assert_eq!(blob_count(&api).await, blobs_before, "no blob for a refusal");

    // The 1 MiB limit of every other route stands.
    let big = vec![b'x'; 2 * 1024 * 1024];
    api.raw("POST", "/api/v1/cases", auth, Some("application/json"), big).await.assert_error(413, "body_too_large");
});

on_both!(only_who_may_act_or_the_applicant_adds, |db| async move {
    let api = Api::new(db).await;
    let clerk = api.staff_token("city_clerk", "clerk", "511700").await;
    let other = api.staff_token("dachuan_clerk", "clerk", "511703").await;
    let leader = api.staff_token("city_leader", "leader", "511700").await;
    let admin = api.admin_token().await;
    let stranger = api.staff_token("stranger", "citizen", "511702001").await;
    let case = city_case(&api, &clerk).await;
    let bytes = pdf("证据");
    assert_eq!(upload(&api, Auth::Bearer(&clerk), case, "a.pdf", &bytes, "").await.status, 201);
    let before = api.footprint().await;

    // Another county's clerk: neither reads nor adds.
    let other = Auth::Bearer(&other);
    upload(&api, other, case, "b.pdf", &bytes, "").await.assert_error(403, "forbidden");
    api.get(&format!("/api/v1/cases/{case}/attachments"), other).await.assert_error(403, "forbidden");
    api.get(&format!("/api/v1/cases/{case}/attachments/1"), other).await.assert_error(403, "forbidden");
    // A leader of the city reads and downloads, and adds nothing.
    let leader = Auth::Bearer(&leader);
    let list = api.get(&format!("/api/v1/cases/{case}/attachments"), leader).await.json();
    assert_eq!((list["items"].as_array().map(Vec::len), &list["may_add"]), (Some(1), &json!(false)));
    let got = api.get(list["items"][0]["download"].as_str().expect("download"), leader).await;
    assert_eq!(got.body.as_ref(), bytes.as_slice());
    upload(&api, leader, case, "b.pdf", &bytes, "").await.assert_error(403, "forbidden");
    // The administrator and a stranger citizen: no case at all.
    upload(&api, Auth::Bearer(&admin), case, "b.pdf", &bytes, "").await.assert_error(403, "forbidden");
    api.get(&format!("/api/v1/cases/{case}/attachments"), Auth::Bearer(&stranger)).await.assert_error(403, "forbidden");
    upload(&api, Auth::Bearer(&stranger), case, "b.pdf", &bytes, "").await.assert_error(403, "forbidden");
    // An unknown case: 404 for staff, as the rest of the case API.
    upload(&api, Auth::Bearer(&clerk), 999_999, "b.pdf", &bytes, "").await.assert_error(404, "case_not_found");
    // Without a session: 401.
    upload(&api, Auth::None, case, "b.pdf", &bytes, "").await.assert_error(401, "unauthorized");
    // Of all these, only the leader's download is on the record.
    let after = api.footprint().await;
    assert_eq!(after.2 - before.2, 1, "refusals record nothing, a download one event");
    assert_eq!(events(&api, case, "attachment.downloaded").await.len(), 1);
});

/// The online application of the disability subsidy by a signed-in citizen; the new case's id.
async fn apply_online(api: &Api, session: &str, csrf: &str) -> i64 {
    let id = id_number("511702", "19600101", 7);
    let fields = [
        ("csrf_token", csrf),
        ("idempotency_key", "attachments-online-1"),
        ("situation", "care_subsidy"),
        ("name", "赵小红"),
        ("id_number", &id),
        ("phone", "13912345678"),
        ("division", "511702001"),
        ("materials", "application_form"),
        ("materials", "id_card"),
        ("materials", "hukou"),
        ("materials", "disability_certificate"),
        ("materials", "bank_account"),
    ];
    let reply = api.form("/items/disability-subsidy/apply", Some(session), &fields).await;
    assert_eq!(reply.status, 303, "{}", reply.text());
    let location = reply.header("location").expect("the case page");
    location.trim_start_matches("/cases/").split('?').next().unwrap_or_default().parse().expect("id")
}

on_both!(the_citizen_adds_from_the_case_page_while_the_case_is_open, |db| async move {
    let api = Api::new(db).await;
    let officer = api.staff_token("dongcheng_officer", "township_officer", "511702001").await;
    let (session, csrf) = crate::portal::citizen(&api, "citizen1").await;
    let me = Auth::Cookie { session: &session, csrf: None };
    let case = apply_online(&api, &session, &csrf).await;
    let page_path = format!("/cases/{case}");
    let form_path = format!("/cases/{case}/attachments");

    // The case page offers the form.
    let page = api.get(&page_path, me).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("enctype=\"multipart/form-data\""), "{}", page.text());

    // A photo of the certificate, from the page.
    let photo = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];
    let body = multipart(&[
        ("csrf_token", None, csrf.as_bytes()),
        ("file", Some("残疾证.jpg"), &photo),
        ("label", None, "残疾证照片".as_bytes()),
    ]);
    let posted = api.raw("POST", &form_path, me, Some(&content_type()), body).await;
    assert_eq!(posted.status, 303, "{}", posted.text());
    assert_eq!(posted.header("location"), Some(format!("/cases/{case}?done=attachment#attachments").as_str()));
    let shown = api.get(&format!("/cases/{case}?done=attachment"), me).await.text();
    assert!(shown.contains("已上传附件") && shown.contains("残疾证.jpg") && shown.contains("残疾证照片"), "{shown}");
    assert!(shown.contains(&sm3_hex(&photo)));

    // A refusal is shown next to the file field, on the case page.
    let exe = b"MZ\x90\x00\x03".to_vec();
    let body = multipart(&[("csrf_token", None, csrf.as_bytes()), ("file", Some("病历.pdf"), &exe)]);
    let refused = api.raw("POST", &form_path, me, Some(&content_type()), body).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let html = refused.text();
    assert!(html.contains("id=\"attachment-error\"") && html.contains("只能上传 PDF 文件或 JPEG、PNG 图片"), "{html}");
    assert!(html.contains("aria-invalid=\"true\""));
    // Without the session's CSRF token: refused, nothing stored.
    let body = multipart(&[("csrf_token", None, b"wrong"), ("file", Some("a.pdf"), &pdf("x"))]);
    assert_eq!(api.raw("POST", &form_path, me, Some(&content_type()), body).await.status, 403);

    // The township officer of the case adds too, and sees the citizen's file.
    let staff = Auth::Bearer(&officer);
    assert_eq!(upload(&api, staff, case, "入户调查.pdf", &pdf("调查"), "入户调查记录").await.status, 201);
    let list = api.get(&format!("/api/v1/cases/{case}/attachments"), me).await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2), "{list}");
    assert_eq!(list["may_add"], true);

    // Once the case is closed (withdrawn), the citizen still reads but adds nothing.
    let revision = api.get(&format!("/api/v1/cases/{case}"), me).await.json()["revision"].clone();
    let act = json!({"action": "withdraw", "reason": "不再申请", "expected_revision": revision});
    let cookie_write = Auth::Cookie { session: &session, csrf: Some(&csrf) };
    let withdrawn = api.post(&format!("/api/v1/cases/{case}/actions"), cookie_write, act).await;
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.text());
    upload(&api, cookie_write, case, "b.pdf", &pdf("晚了"), "").await.assert_error(403, "attachment_case_closed");
    let list = api.get(&format!("/api/v1/cases/{case}/attachments"), me).await.json();
    assert_eq!((list["items"].as_array().map(Vec::len), &list["may_add"]), (Some(2), &json!(false)));
    let page = api.get(&page_path, me).await.text();
    assert!(!page.contains("enctype=\"multipart/form-data\""), "no form once closed");
    // Staff still add evidence to a closed case.
    assert_eq!(upload(&api, staff, case, "补充.pdf", &pdf("补充"), "").await.status, 201);
});
