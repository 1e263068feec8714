//! A 行政处罚 case in a real browser, on the dates the law counts: the officer opens the 立案
//! form from the annual inspection's link (the organization and the basis prefilled), files the
//! case with two officers from the register, uploads the evidence (stored by its SM3 hash), tells
//! the party of an intended 限期停止活动 (第四十四条), which gives a right to a hearing; the party
//! asks for it, is notified seven working days before (第六十四条), the hearing is held under a
//! chair who did not investigate and its 听证笔录 printed with the party's refusal to sign and the
//! chair's note (第六十四条第八项); the head's decision is refused until the 法制审核 has passed
//! (第五十八条); the reviewer works through the 118号 checklist, the heads discuss (第五十七条第二款)
//! and decide; the decision is served and published (第四十八条), and the
//! public page shows it at phone width. Screenshots in `target/screenshots/enforcement-*`.

use chrono::{TimeZone, Utc};
use fantoccini::{Client, Locator};
use serde_json::json;
use test_support::Db;

use crate::browser::{browser_available, click_to_new_page, login, logout, serve, visited, Driver};
use crate::helpers::Api;

const COUNTY: &str = "511702";

fn morning(month: u32, day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, month, day, 1, 0, 0).single().expect("instant")
}

/// Sets a field's value (date inputs take their ISO value this way in every locale).
async fn set(client: &Client, id: &str, value: &str) {
    client
        .execute("document.getElementById(arguments[0]).value = arguments[1];", vec![json!(id), json!(value)])
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
}

/// Opens the form of `kind` on the case page, fills it, ticks the boxes and posts it.
async fn record(client: &Client, kind: &str, fields: &[(&str, &str)], ticks: &[String]) -> String {
    client
        .execute("document.getElementById(arguments[0]).open = true;", vec![json!(format!("act-{kind}"))])
        .await
        .expect("open the form");
    for (name, value) in fields {
        set(client, &format!("{kind}-{name}"), value).await;
    }
    for id in ticks {
        client.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("{id}: {e}")).click().await.expect("tick");
    }
    click_to_new_page(client, &format!("#act-{kind} button[type=submit]")).await;
    client.source().await.expect("page")
}

fn org() -> store::verticals::social_organization::NewOrg {
    let on = chrono::NaiveDate::from_ymd_opt(2017, 5, 10).expect("date");
    store::verticals::social_organization::NewOrg {
        org_type: domain::verticals::social_organization::OrgType::SocialGroup,
        level: "county".into(),
        category: None,
        sponsor: Some("通川区文化广播电视和旅游局".into()),
        authority_division: COUNTY.into(),
        premises_division: COUNTY.into(),
        registered_on: on,
        legal_rep_person: None,
        case_id: None,
        version: store::verticals::social_organization::NewVersion {
            valid_from: on,
            change_kind: "establish".into(),
            name: "通川区民间艺术研究会".into(),
            address: "通川区西城街道凤凰路12号".into(),
            legal_rep_name: "周文华".into(),
            funds_fen: 3_000_000,
            individual_members: 80,
            unit_members: 0,
            purpose: "研究和传承民间艺术".into(),
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_case_from_filing_to_publication_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    // The test clock stands at 2021-06-01 09:00 (a Tuesday).
    let api = Api::new(Db::Sqlite).await;
    let app = &api.t.app;
    let leader = api.t.staff("enf_leader", "leader", COUNTY).await;
    api.t.staff("enf_officer", "enforcement_officer", COUNTY).await;
    api.t.staff("enf_lawyer", "legal_reviewer", COUNTY).await;
    api.t.staff("enf_head", "decider", COUNTY).await;
    let mut ids = Vec::new();
    for (no, name, lawyer) in
        [("T-01", "王执法", false), ("T-02", "李执法", false), ("T-03", "张审核", true), ("T-04", "赵主持", false)]
    {
        let input = domain::verticals::enforcement::OfficerInput {
            name: name.into(),
            certificate_no: no.into(),
            area: "通川区".into(),
            issued_by: "四川省人民政府".into(),
            valid_from: "2019-01-01".into(),
            valid_until: "2023-12-31".into(),
            training_hours: "60".into(),
            legal_qualification: lawyer,
        };
        ids.push(app.enforcement_add_officer(&leader, COUNTY, &input, "社会组织执法监察").await.expect("officer"));
    }
    let code = app.store.import_social_orgs(&[org()], app.now()).await.expect("the register")[0].1.clone();
    let evidence = std::env::temp_dir().join(format!("enforcement-evidence-{}.pdf", std::process::id()));
    std::fs::write(&evidence, b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        .expect("the evidence file");

    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;
    login(&client, &base, "enf_officer").await;

    // 立案 from the annual inspection's link: the organization and the basis are filled in.
    client.goto(&format!("{base}/enforcement?org={code}&basis=social_group_inspection")).await.expect("the workbench");
    let html = visited(&client, "enforcement-01-prefilled").await;
    assert!(html.contains("通川区民间艺术研究会") && html.contains("第三十条第一款第三项"), "{html}");
    set(&client, "act_ended_on", "2021-05-31").await;
    set(&client, "filed_on", "2021-06-01").await;
    for id in &ids[..2] {
        client.find(Locator::Id(&format!("file-officer-{id}"))).await.expect("officer").click().await.expect("tick");
    }
    click_to_new_page(&client, "form[action=\"/enforcement/cases\"] button[type=submit]").await;
    let html = visited(&client, "enforcement-02-filed").await;
    assert!(html.contains("九十日") || html.contains("第六十条"), "{html}");
    let case = client.current_url().await.expect("url").path().to_string();

    // 调查取证: the evidence uploaded with the 笔录, two officers on site.
    let ticks: Vec<String> = ids[..2].iter().map(|id| format!("record-officers-{id}")).collect();
    client.execute("document.getElementById('act-record').open = true;", vec![]).await.expect("open the form");
    set(&client, "record-title", "现场检查笔录及年检材料").await;
    for id in &ticks {
        client.find(Locator::Id(id)).await.expect("officer").click().await.expect("tick");
    }
    client
        .find(Locator::Id("record-file"))
        .await
        .expect("file")
        .send_keys(evidence.to_str().expect("path"))
        .await
        .expect("choose the file");
    click_to_new_page(&client, "#act-record button[type=submit]").await;
    let html = visited(&client, "enforcement-03-evidence").await;
    assert!(html.contains("下载证据文件"), "{html}");

    // 告知: an intended 限期停止活动 gives the right to a hearing.
    set(&client, "notify-penalty", "suspension").await;
    let ticks: Vec<String> = ids[..2].iter().map(|id| format!("notify-officers-{id}")).collect();
    record(&client, "notify", &[("on", "2021-06-01")], &ticks).await;
    client.goto(&format!("{base}{case}/notices/notify")).await.expect("the notice");
    let html = visited(&client, "enforcement-04-notice").await;
    assert!(html.contains("行政处罚事先告知书") && html.contains("要求听证"), "{html}");
    client.goto(&format!("{base}{case}")).await.expect("back");
    logout(&client).await;

    // The party asks for a hearing the next day; notified seven working days before it.
    api.t.clock.set(morning(6, 2)).expect("forward");
    login(&client, &base, "enf_officer").await;
    client.goto(&format!("{base}{case}")).await.expect("the case");
    record(&client, "hearing_request", &[("on", "2021-06-02")], &[]).await;
    let html = record(
        &client,
        "hearing_notice",
        &[("on", "2021-06-02"), ("hearing_on", "2021-06-10"), ("chair", &ids[3].to_string())],
        &[],
    )
    .await;
    assert!(html.contains("七个工作日前") || html.contains("第六十四条"), "a notice too late is refused: {html}");
    visited(&client, "enforcement-05-notice-late").await;
    record(
        &client,
        "hearing_notice",
        &[("on", "2021-06-02"), ("hearing_on", "2021-06-15"), ("chair", &ids[3].to_string())],
        &[],
    )
    .await;

    // The hearing, and its record printed.
    logout(&client).await;
    api.t.clock.set(morning(6, 15)).expect("forward");
    login(&client, &base, "enf_officer").await;
    client.goto(&format!("{base}{case}")).await.expect("the case");
    // The hearing's form: whether the party signed is a choice, with the chair's note beside it.
    client
        .execute("const d = document.getElementById('act-hearing'); d.open = true; d.scrollIntoView();", vec![])
        .await
        .expect("open the hearing's form");
    let html = visited(&client, "enforcement-05b-hearing-form").await;
    assert!(html.contains("拒绝签字或者盖章") && html.contains("听证主持人注明"), "{html}");
    record(
        &client,
        "hearing",
        &[
            ("on", "2021-06-15"),
            (
                "summary",
                "调查人员陈述了未参加2020年度检查的事实和证据；当事人称因换届未及时报送，请求从轻处理，对证据无异议。",
            ),
            ("signature", "refused"),
            ("note", "当事人的代理人对处罚建议有异议，拒绝在笔录上签字"),
        ],
        &[],
    )
    .await;
    client.goto(&format!("{base}{case}/notices/hearing_record")).await.expect("the record");
    let html = visited(&client, "enforcement-06-hearing-record").await;
    assert!(html.contains("听证笔录") && html.contains("赵主持") && html.contains("因换届未及时报送"), "{html}");
    // 第六十四条第八项: the party's refusal to sign, as the chair noted it.
    assert!(html.contains("拒绝签字或者盖章。听证主持人注明：当事人的代理人对处罚建议有异议"), "{html}");
    client.set_window_size(390, 844).await.expect("phone width");
    client.execute("window.scrollTo(0, document.body.scrollHeight);", vec![]).await.expect("to the signatures");
    visited(&client, "enforcement-06b-hearing-record-phone").await;
    client.set_window_size(1280, 1000).await.expect("desktop width");
    client.goto(&format!("{base}{case}")).await.expect("back");
    logout(&client).await;

    // The head cannot decide before the 法制审核 has passed.
    login(&client, &base, "enf_head").await;
    client.goto(&format!("{base}{case}")).await.expect("the case");
    let html = record(
        &client,
        "decide",
        &[("on", "2021-06-15"), ("facts", "未参加2020年度检查"), ("basis", "《社会团体登记管理条例》第三十条")],
        &[],
    )
    .await;
    assert!(html.contains("第五十八条"), "{html}");
    visited(&client, "enforcement-07-review-required").await;
    logout(&client).await;

    // 法制审核 by a reviewer who did not investigate, item by item.
    login(&client, &base, "enf_lawyer").await;
    client.goto(&format!("{base}{case}")).await.expect("the case");
    let ticks: Vec<String> = (0..8).map(|i| format!("review-checklist-{i}")).collect();
    set(&client, "review-reviewer", &ids[2].to_string()).await;
    record(&client, "review", &[("on", "2021-06-15"), ("note", "事实清楚，程序合法，同意。")], &ticks).await;
    visited(&client, "enforcement-08-reviewed").await;
    logout(&client).await;

    // 集体讨论 and the decision.
    login(&client, &base, "enf_head").await;
    client.goto(&format!("{base}{case}")).await.expect("the case");
    record(
        &client,
        "discussion",
        &[("on", "2021-06-15"), ("minutes", "局长办公会议集体讨论，同意给予限期停止活动三个月。")],
        &[],
    )
    .await;
    set(&client, "decide-penalty", "suspension").await;
    record(
        &client,
        "decide",
        &[
            ("on", "2021-06-15"),
            ("facts", "当事人未参加2020年度检查，有现场检查笔录和年检材料为证"),
            ("basis", "《社会团体登记管理条例》第三十条第一款第三项"),
        ],
        &[],
    )
    .await;
    client.goto(&format!("{base}{case}/notices/decision")).await.expect("the decision");
    let html = visited(&client, "enforcement-09-decision").await;
    assert!(html.contains("行政处罚决定书") && html.contains("限期停止活动"), "{html}");
    client.goto(&format!("{base}{case}")).await.expect("back");
    logout(&client).await;

    // Served and published by the officer; the case page at phone width.
    api.t.clock.set(morning(6, 16)).expect("forward");
    login(&client, &base, "enf_officer").await;
    client.goto(&format!("{base}{case}")).await.expect("the case");
    let ticks: Vec<String> = ids[..2].iter().map(|id| format!("serve-officers-{id}")).collect();
    record(&client, "serve", &[("on", "2021-06-16")], &ticks).await;
    let html = record(&client, "publish", &[("on", "2021-06-16")], &[]).await;
    assert!(html.contains("公示"), "{html}");
    client.set_window_size(412, 915).await.expect("phone width");
    visited(&client, "enforcement-10-published-phone").await;
    // Nothing on the case page is wider than the phone (a digest breaks, a table stacks).
    let wide = client
        .execute(
            "const w = document.documentElement.clientWidth; return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > w + 1 && e.getClientRects().length).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40)).join(' | ');",
            vec![],
        )
        .await
        .expect("the widths");
    assert_eq!(wide.as_str(), Some(""), "wider than a phone");
    logout(&client).await;

    // 公示: the public page shows the decision, at phone width and at desktop width.
    client.goto(&format!("{base}/enforcement/public/{COUNTY}")).await.expect("the public page");
    let html = visited(&client, "enforcement-11-public-phone").await;
    assert!(html.contains("通川区民间艺术研究会") && html.contains("限期停止活动"), "{html}");
    client.set_window_size(1280, 1000).await.expect("desktop width");
    visited(&client, "enforcement-12-public").await;
    let _ = std::fs::remove_file(&evidence);
}

/// 双随机、一公开 in a real browser: the heads' draw shown with its seed and lists, an inspector
/// publishes a result that found a problem, follows its link to the 立案 form (the organization,
/// what was found and the two inspectors filled in), and the public page shows the draw, the
/// result and the year's account against the share of 第五条. Desktop and phone widths;
/// screenshots `target/screenshots/inspection-*`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_random_inspection_from_the_draw_to_a_case_in_a_real_browser() {
    use service::verticals::enforcement::draws::DrawForm;
    if !browser_available() {
        return;
    }
    // The test clock stands at 2021-06-01 09:00 (a Tuesday).
    let api = Api::new(Db::Sqlite).await;
    let app = &api.t.app;
    let leader = api.t.staff("ins_leader", "leader", COUNTY).await;
    api.t.staff("ins_officer", "enforcement_officer", COUNTY).await;
    for (no, name) in [("S-01", "王检查"), ("S-02", "李检查"), ("S-03", "张检查")] {
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
        app.enforcement_add_officer(&leader, COUNTY, &input, "社会组织执法监察").await.expect("officer");
    }
    let orgs: Vec<_> = [
        "通川区民间艺术研究会",
        "通川区书法家协会",
        "通川区摄影家协会",
        "通川区老年体育协会",
        "通川区餐饮行业协会",
        "通川区志愿者协会",
        "通川区诗词学会",
        "通川区象棋协会",
        "通川区家庭教育研究会",
    ]
    .into_iter()
    .map(|name| {
        let mut o = org();
        o.version.name = name.into();
        o
    })
    .collect();
    app.store.import_social_orgs(&orgs, app.now()).await.expect("the register");
    let form = DrawForm { division: COUNTY.into(), kind: "regular".into(), count: "2".into() };
    let id = app.enforcement_draw(&leader, &form).await.expect("the draw");

    let (base, _stop) = serve(&api).await;
    let driver = Driver::start();
    let client = driver.client().await;

    // The heads see the draw with its seed, the forms to draw and to declare a conflict.
    login(&client, &base, "ins_leader").await;
    client.goto(&format!("{base}/enforcement/inspections")).await.expect("the page");
    let html = visited(&client, "inspection-01-drawn").await;
    assert!(html.contains("随机种子") && html.contains("检查对象名录9家"), "{html}");
    logout(&client).await;

    // An inspector publishes the first result: a problem found.
    login(&client, &base, "ins_officer").await;
    client.goto(&format!("{base}/enforcement/inspections")).await.expect("the page");
    set(&client, &format!("checked-{id}-0"), "2021-06-01").await;
    set(&client, &format!("finding-{id}-0"), "filed").await;
    set(&client, &format!("note-{id}-0"), "超出章程规定的业务范围举办收费培训").await;
    click_to_new_page(&client, &format!("form[action=\"/enforcement/inspections/{id}/results\"] button[type=submit]"))
        .await;
    let html = visited(&client, "inspection-02-result").await;
    assert!(html.contains("已公示检查结果") && html.contains("依此立案"), "{html}");
    client.set_window_size(412, 915).await.expect("phone width");
    visited(&client, "inspection-03-result-phone").await;
    client.set_window_size(1280, 1000).await.expect("desktop width");

    // The result opens the 立案 form, filled in from the inspection.
    click_to_new_page(&client, "a[href^=\"/enforcement?org=\"]").await;
    let html = visited(&client, "inspection-04-filing").await;
    assert!(html.contains("超出章程规定的业务范围举办收费培训（2021年6月1日双随机抽查发现）"), "{html}");
    let ticked = client
        .execute("return document.querySelectorAll('input[name=officers]:checked').length;", vec![])
        .await
        .expect("the ticked officers");
    assert_eq!(ticked.as_u64(), Some(2), "the two inspectors become the case's officers");
    logout(&client).await;

    // 一公开: the public page shows the draw, the result and the year's account.
    client.goto(&format!("{base}/enforcement/public/{COUNTY}#random")).await.expect("the public page");
    let html = visited(&client, "inspection-05-public").await;
    assert!(html.contains("达到规定比例") && html.contains("发现违法行为，依法立案查处"), "{html}");
    assert!(html.contains("通川区定期抽查（2021年6月1日）"), "the draw titled with its place: {html}");
    client.set_window_size(412, 915).await.expect("phone width");
    visited(&client, "inspection-06-public-phone").await;
}
