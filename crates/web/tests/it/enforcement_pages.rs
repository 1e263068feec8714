//! 行政执法's staff pages over HTTP: the register with its credentials' state, 立案 from the
//! workbench (refused with 第四十二条 and shown again), the case page with its deadlines and the
//! forms each role may use, evidence uploaded as multipart (checked by content, stored by SM3,
//! each download recorded), the documents with their QR verification (an altered one refused).
//! On both backends.

use serde_json::{json, Value};
use test_support::{on_both, Db};

use crate::helpers::{Api, Auth, STAFF_PASSWORD};

const COUNTY: &str = "511702";

fn officer(no: &str, name: &str, lawyer: bool, until: &str) -> Value {
    json!({"division": COUNTY, "name": name, "certificate_no": no, "area": "通川区", "issued_by": "四川省人民政府",
           "valid_from": "2019-01-01", "valid_until": until, "training_hours": "60",
           "legal_qualification": lawyer, "duties": "社会组织执法监察"})
}

/// A `multipart/form-data` body of text fields and one file.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----mzboundary7d1a";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The revision the case page's forms carry.
fn revision_in(html: &str) -> String {
    let at = html.find("name=\"expected_revision\" value=\"").expect("a form with the revision");
    let rest = &html[at + "name=\"expected_revision\" value=\"".len()..];
    rest[..rest.find('"').expect("end")].to_string()
}

fn location(reply: &crate::helpers::Reply) -> String {
    reply.header("location").unwrap_or_default().to_string()
}

async fn the_procedure_through_the_staff_pages(db: Db) {
    let api = Api::new(db).await;
    let leader = api.staff_token("pg-leader", "leader", COUNTY).await;
    api.staff_token("pg-officer", "enforcement_officer", COUNTY).await;
    api.staff_token("pg-decider", "decider", COUNTY).await;
    api.staff_token("pg-lawyer", "legal_reviewer", COUNTY).await;
    let mut ids = Vec::new();
    for (no, name, lawyer, until) in [
        ("P-001", "王执法", false, "2023-12-31"),
        ("P-002", "李执法", false, "2023-12-31"),
        ("P-003", "赵审核", true, "2023-12-31"),
        ("P-004", "钱过期", false, "2021-03-31"),
    ] {
        let reply =
            api.post("/api/v1/enforcement/officers", Auth::Bearer(&leader), officer(no, name, lawyer, until)).await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        ids.push(reply.json()["items"][0]["id"].as_i64().expect("id").to_string());
    }

    // The register: each credential's state, and the form to add one (the heads').
    let (leader_session, leader_csrf) = api.cookie_login("pg-leader", STAFF_PASSWORD).await;
    let page = api.get("/enforcement/officers", Auth::Cookie { session: &leader_session, csrf: None }).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    for text in ["王执法", "P-001", "已过期", "有效", "登记执法人员"] {
        assert!(html.contains(text), "{text} on the register");
    }
    let added = api
        .form(
            "/enforcement/officers",
            Some(&leader_session),
            &[
                ("csrf_token", &leader_csrf),
                ("division", COUNTY),
                ("name", "孙新证"),
                ("certificate_no", "P-005"),
                ("area", "通川区"),
                ("issued_by", "四川省人民政府"),
                ("valid_from", "2021-01-01"),
                ("valid_until", "2021-07-31"),
                ("training_hours", "40"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.text());
    let html = api.get("/enforcement/officers", Auth::Cookie { session: &leader_session, csrf: None }).await.text();
    assert!(html.contains("孙新证") && html.contains("即将到期"), "a credential ending within 90 days");
    let refused = api
        .form(
            "/enforcement/officers",
            Some(&leader_session),
            &[("csrf_token", &leader_csrf), ("division", COUNTY), ("name", "无证号")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("未能登记"));

    // 立案 from the workbench: one officer is refused with 第四十二条, the form kept.
    let (session, csrf) = api.cookie_login("pg-officer", STAFF_PASSWORD).await;
    let page = api.get("/enforcement", Auth::Cookie { session: &session, csrf: None }).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("立案") && page.text().contains("王执法"));
    let mut fields = vec![
        ("csrf_token", csrf.as_str()),
        ("division", COUNTY),
        ("party_kind", "organization"),
        ("name", "达州市青年志愿者协会"),
        ("credit_code", "515117025041234500"),
        ("party_division", COUNTY),
        ("violation", "未按规定参加年度检查"),
        ("act_ended_on", "2021-05-20"),
        ("filed_on", "2021-06-01"),
        ("major", "1"),
        ("officers", ids[0].as_str()),
    ];
    let refused = api.form("/enforcement/cases", Some(&session), &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("第四十二条"), "the article in the refusal");
    assert!(refused.text().contains("达州市青年志愿者协会"), "the form keeps what was typed");
    fields.push(("officers", ids[1].as_str()));
    let filed = api.form("/enforcement/cases", Some(&session), &fields).await;
    assert_eq!(filed.status, 303, "{}", filed.text());
    let at = location(&filed);
    assert!(at.starts_with("/enforcement/cases/") && at.ends_with("?done=file"), "{at}");
    let id: i64 = at["/enforcement/cases/".len()..at.find('?').expect("query")].parse().expect("id");
    let case_url = format!("/enforcement/cases/{id}");

    // The case page: deadlines with their article, the documents, the officer's forms only.
    let html = api.get(&at, Auth::Cookie { session: &session, csrf: None }).await.text();
    for text in ["已立案", "第六十条", "2021年8月30日", "立案审批表", "调查取证", "行政处罚事先告知", "全过程记录"]
    {
        assert!(html.contains(text), "{text} on the case page: {html}");
    }
    assert!(!html.contains("id=\"act-review\"") && !html.contains("id=\"act-decide\""), "not the officer's acts");
    let workbench = api.get("/enforcement", Auth::Cookie { session: &session, csrf: None }).await.text();
    assert!(workbench.contains("作出处罚决定：2021年8月30日前"), "the queue shows the next deadline");

    // Evidence as multipart: a text file is refused by its content; a PNG is stored by SM3.
    let rev = revision_in(&html);
    let base = [
        ("csrf_token", csrf.as_str()),
        ("expected_revision", rev.as_str()),
        ("on", "2021-06-01"),
        ("title", "现场检查笔录及照片"),
        ("on_site", "1"),
        ("officers", ids[0].as_str()),
        ("officers", ids[1].as_str()),
    ];
    let cookie = Auth::Cookie { session: &session, csrf: None };
    let (ct, body) = multipart(&base, Some(("photo.png", b"not an image at all")));
    let reply = api.raw("POST", &format!("{case_url}/evidence"), cookie, Some(&ct), body).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    let png: Vec<u8> = [&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..], b"evidence-photo-bytes"].concat();
    let (ct, body) = multipart(&base, Some(("photo.png", &png)));
    let reply = api.raw("POST", &format!("{case_url}/evidence"), cookie, Some(&ct), body).await;
    assert_eq!(reply.status, 303, "{}", reply.text());
    let case = api.get(&format!("/api/v1/enforcement/cases/{id}"), cookie).await.json();
    let hash = case["acts"][0]["detail"]["evidence_sm3"].as_str().expect("the hash in the record").to_string();
    assert_eq!(hash, domain::attachment::sm3_hex(&png));
    // Without the CSRF token: refused.
    let (ct, body) = multipart(&base[1..], Some(("photo.png", &png)));
    assert_eq!(api.raw("POST", &format!("{case_url}/evidence"), cookie, Some(&ct), body).await.status, 403);
    let download = api.get(&format!("{case_url}/evidence/{hash}"), cookie).await;
    assert_eq!(download.status, 200);
    assert_eq!(download.header("content-type"), Some("image/png"));
    assert_eq!(download.body.to_vec(), png);
    let unknown = "0".repeat(64);
    assert_eq!(api.get(&format!("{case_url}/evidence/{unknown}"), cookie).await.status, 404);
    let html = api.get(&case_url, cookie).await.text();
    assert!(html.contains("调阅证据材料") && html.contains(&hash), "the download is on the record");

    // 告知 by form: one officer on site would be refused; a notice needs none on site.
    let rev = revision_in(&html);
    let notify = [
        ("csrf_token", csrf.as_str()),
        ("expected_revision", rev.as_str()),
        ("kind", "notify"),
        ("on", "2021-06-01"),
        ("officers", ids[0].as_str()),
        ("penalty", "fine"),
        ("amount", "3000"),
    ];
    let reply = api.form(&format!("{case_url}/acts"), Some(&session), &notify).await;
    assert_eq!(reply.status, 303, "{}", reply.text());

    // The 事先告知书: the organ, the articles, the QR verification; altered, it does not verify.
    let notice = api.get(&format!("{case_url}/notices/notify"), cookie).await;
    assert_eq!(notice.status, 200, "{}", notice.text());
    let html = notice.text();
    for text in
        ["达州市通川区民政局", "行政处罚事先告知书", "第四十四条", "第四十五条", "罚款3000元", "达州市青年志愿者协会"]
    {
        assert!(html.contains(text), "{text} in the notice");
    }
    let url = html.split("扫描二维码核验本文书：").nth(1).and_then(|s| s.split('<').next()).expect("the address");
    let path = &url[url.find("/enforcement/verify/").expect("path")..].replace("&amp;", "&").replace("&#38;", "&");
    let verified = api.get(path, Auth::None).await;
    assert_eq!(verified.status, 200, "{}", verified.text());
    assert!(verified.text().contains("相符"));
    let digest = path.rsplit("d=").next().expect("digest").to_string();
    let altered = path.replace(&digest, &format!("{}0", &digest[..63]));
    assert_eq!(api.get(&altered, Auth::None).await.status, 404);
    let wrong_code = path.replace("?c=", "?c=0");
    assert_eq!(api.get(&wrong_code, Auth::None).await.status, 404);
    assert_eq!(api.get(&format!("{case_url}/notices/decision"), cookie).await.status, 404, "not decided yet");

    // The legal reviewer sees only the 法制审核 form; a failed item sends the case back.
    let (lawyer_session, lawyer_csrf) = api.cookie_login("pg-lawyer", STAFF_PASSWORD).await;
    // The reviewer's queue on the workbench lists the case awaiting review, with its form's link.
    let to_review = format!("{case_url}#act-review");
    let queue = api.get("/enforcement", Auth::Cookie { session: &lawyer_session, csrf: None }).await.text();
    assert!(queue.contains("待法制审核的案件") && queue.contains(&to_review), "{queue}");
    let html = api.get(&case_url, Auth::Cookie { session: &lawyer_session, csrf: None }).await.text();
    assert!(html.contains("id=\"act-review\"") && !html.contains("id=\"act-notify\""));
    let rev = revision_in(&html);
    let mut review = vec![
        ("csrf_token", lawyer_csrf.as_str()),
        ("expected_revision", rev.as_str()),
        ("kind", "review"),
        ("on", "2021-06-01"),
        ("reviewer", ids[2].as_str()),
    ];
    let names: Vec<String> = (0..8).map(|i| format!("checklist_{i}")).collect();
    for name in &names {
        review.push((name.as_str(), "pass"));
    }
    let reply = api.form(&format!("{case_url}/acts"), Some(&lawyer_session), &review).await;
    assert_eq!(reply.status, 303, "{}", reply.text());
    let queue = api.get("/enforcement", Auth::Cookie { session: &lawyer_session, csrf: None }).await.text();
    assert!(!queue.contains(&to_review), "reviewed, the case leaves the queue: {queue}");

    // The decision by the decider: refused without a 集体讨论 (第五十七条), then decided.
    let (decider_session, decider_csrf) = api.cookie_login("pg-decider", STAFF_PASSWORD).await;
    let dcookie = Auth::Cookie { session: &decider_session, csrf: None };
    let rev = revision_in(&api.get(&case_url, dcookie).await.text());
    let decide = [
        ("csrf_token", decider_csrf.as_str()),
        ("expected_revision", rev.as_str()),
        ("kind", "decide"),
        ("on", "2021-06-01"),
        ("penalty", "fine"),
        ("amount", "3000"),
        ("facts", "2020年度未参加年度检查，有检查笔录、照片为证"),
        ("basis", "《社会团体登记管理条例》第三十条"),
    ];
    let reply = api.form(&format!("{case_url}/acts"), Some(&decider_session), &decide).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("集体讨论"), "{}", reply.text());
    let discussion = [
        ("csrf_token", decider_csrf.as_str()),
        ("expected_revision", rev.as_str()),
        ("kind", "discussion"),
        ("on", "2021-06-01"),
        ("minutes", "局长办公会讨论，同意罚款3000元"),
    ];
    let reply = api.form(&format!("{case_url}/acts"), Some(&decider_session), &discussion).await;
    assert_eq!(reply.status, 303, "{}", reply.text());
    let rev = revision_in(&api.get(&case_url, dcookie).await.text());
    let mut decide = decide.to_vec();
    decide[1] = ("expected_revision", rev.as_str());
    let reply = api.form(&format!("{case_url}/acts"), Some(&decider_session), &decide).await;
    assert_eq!(reply.status, 303, "{}", reply.text());
    let html = api.get(&format!("{case_url}/notices/decision"), dcookie).await.text();
    for text in ["行政处罚决定书", "违法事实和证据", "履行方式和期限", "第七十二条", "行政复议", "第三十条"]
    {
        assert!(html.contains(text), "{text} in the decision");
    }
    // The refused decision is on the full-process record, with its reason.
    let html = api.get(&case_url, dcookie).await.text();
    assert!(html.contains("执法行为被拒绝") && html.contains("作出处罚决定："), "the refusal recorded");
    for internal in ["enforcement.", "[unconfirmed]", "evidence_sm3", "reviews_done"] {
        assert!(!html.contains(internal), "{internal} on the case page");
    }
}
on_both!(the_procedure_through_the_staff_pages, the_procedure_through_the_staff_pages);
