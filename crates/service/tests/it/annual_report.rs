//! The annual report (法治政府建设年度报告) through the service: a figure follows its records, the
//! narrative's references are checked, publishing freezes and signs a version, and a record
//! entered after publishing shows as drift (which figure, old → new). On both backends.

use domain::verticals::suggestions::SuggestionInput;
use service::ErrorKind;
use test_support::on_both;

use crate::test_app;

fn suggestion(number: &str) -> SuggestionInput {
    SuggestionInput {
        kind: "deputy".into(),
        session: "达州市第四届人民代表大会第六次会议".into(),
        number: number.into(),
        proposers: "李四".into(),
        subject: "关于完善临时救助制度的建议".into(),
        lead_unit: "达州市民政局".into(),
        co_units: String::new(),
        difficult: String::new(),
        assigned_on: "2021-03-15".into(),
    }
}

const KEY: &str = "suggestions:deputy_assigned";

on_both!(a_figure_follows_its_records_and_drift_shows_on_the_published_version, |db| async move {
    let t = test_app(db).await;
    let clerk = t.staff("clerk", "clerk", "511700").await;
    let legal = t.staff("legal", "legal_reviewer", "511700").await;
    let leader = t.staff("leader", "leader", "511700").await;
    let elsewhere = t.staff("other", "leader", "511800").await;
    let app = &t.app;
    t.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2021, 6, 20, 1, 0, 0).single().expect("instant"))
        .expect("forward");
    let figure = |f: &service::annual_report::Figures| f.get(KEY).expect("the indicator").display();

    let before = app.report_figures(Some(&leader), "511700", 2021).await.expect("figures");
    assert_eq!(figure(&before), "0");
    app.suggestion_create(&clerk, "511700", &suggestion("第0001号"), None).await.expect("registered");
    let after = app.report_figures(Some(&leader), "511700", 2021).await.expect("figures");
    assert_eq!(figure(&after), "1", "one record entered moves the figure");
    let counted = &after.get(KEY).expect("indicator").records;
    assert_eq!(counted.len(), 1);
    assert!(counted[0].href.starts_with("/suggestions/items/"), "{:?}", counted[0]);
    // The public sees the figure, not the records; another city's leader sees nothing.
    let public = app.report_figures(None, "511700", 2021).await.expect("public figures");
    assert_eq!((figure(&public), public.get(KEY).expect("indicator").records.len()), ("1".to_string(), 0));
    let refused = app.report_figures(Some(&elsewhere), "511700", 2021).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden);

    // The narrative: a reference to no indicator is refused, nothing written; the clerk may not write.
    let typo = app.report_save(&legal, "511700", 2021, "办理建议{{suggestions:nope}}件").await.unwrap_err();
    assert_eq!((typo.kind, typo.code, typo.field.as_deref()), (ErrorKind::Invalid, "unknown_indicator", Some("body")));
    assert!(typo.message.contains("suggestions:nope"), "{typo:?}");
    let clerk_write = app.report_save(&clerk, "511700", 2021, "正文").await.unwrap_err();
    assert_eq!(clerk_write.kind, ErrorKind::Forbidden);
    assert!(app.report_versions(&leader, "511700", 2021).await.expect("versions").is_empty());
    let v1 = app
        .report_save(
            &legal,
            "511700",
            2021,
            "一、主要举措和成效\n2021年办理人大代表建议{{suggestions:deputy_assigned}}件。",
        )
        .await
        .expect("saved");
    assert_eq!(v1.row.version, 1);
    assert!(after.render(&v1.row.body).contains("办理人大代表建议1件"));

    // Publishing: only the leader; once.
    let by_legal = app.report_publish(&legal, v1.row.id).await.unwrap_err();
    assert_eq!(by_legal.kind, ErrorKind::Forbidden);
    let published = app.report_publish(&leader, v1.row.id).await.expect("published");
    assert_eq!(published.frozen.iter().map(|f| (f.key.as_str(), f.value.as_str())).collect::<Vec<_>>(), [(KEY, "1")]);
    let again = app.report_publish(&leader, v1.row.id).await.unwrap_err();
    assert_eq!((again.kind, again.code), (ErrorKind::Conflict, "report_published"));
    let check = app.published_report(v1.row.id).await.expect("public page");
    assert!(check.signature_valid && check.own_key);
    assert!(check.drift.is_empty(), "{:?}", check.drift);

    // A suggestion of 2021 entered late: the published figure stays 1, the drift says 1 → 2.
    app.suggestion_create(&clerk, "511700", &suggestion("第0002号"), None).await.expect("registered");
    let check = app.published_report(v1.row.id).await.expect("public page");
    assert_eq!(check.version.frozen[0].value, "1", "the published version is frozen");
    assert_eq!(check.drift.len(), 1, "{:?}", check.drift);
    assert_eq!(
        (check.drift[0].key.as_str(), check.drift[0].published.as_str(), check.drift[0].now.as_str()),
        (KEY, "1", "2")
    );
    // The signed file verifies, and names the same drift.
    let file = app.signed_report(v1.row.id).await.expect("signed");
    let (valid, own, drift) = app.verify_signed_report(&file).await.expect("verified");
    assert!(valid && own);
    assert_eq!(drift, check.drift);
    let mut tampered = file.clone();
    tampered.signed = tampered.signed.replacen("建议1件", "建议9件", 1);
    assert_ne!(tampered.signed, file.signed);
    assert!(!app.verify_signed_report(&tampered).await.expect("checked").0, "a changed text fails the signature");

    // Every write is an event on the version's stream.
    let events = app.store.stream_events(&format!("annual_report:{}", v1.row.id)).await.expect("events");
    let names: Vec<&str> = events.iter().map(|e| e.act.as_str()).collect();
    assert_eq!(names, ["annual_report.saved", "annual_report.published"]);
});

/// A window case at the city service centre for `item`: its first 情形, the materials that 情形
/// asks for, its declared form filled in as its example.
fn centre_case(app: &service::App, item: &str, order: u32) -> service::cases::SubmitCase {
    let version = app.item_on(item, app.today()).expect("in force");
    let situation = version.situations.first().map(|s| s.id.clone());
    let materials =
        version.demanded_materials(situation.as_deref()).iter().filter(|m| m.required).map(|m| m.id.clone()).collect();
    let id = crate::id_number("511702", "19800101", order);
    service::cases::SubmitCase {
        item: item.into(),
        channel: "window".into(),
        applicant: service::cases::ApplicantRef::New(crate::person_input("王建国", &id, None, "511702")),
        accepting_division: "511700".into(),
        situation,
        materials,
        data: serde_json::json!({
            "premises_division": "511700",
            "hukou_division": "511702",
            "facts": version.form.example("511702", order),
        }),
        idempotency_key: None,
    }
}

on_both!(the_service_figures_read_the_guide_reviews_the_catalog_and_the_centre_cases, |db| async move {
    let t = test_app(db).await;
    let admin = t.staff("catalog", "admin", "511700").await;
    let clerk = t.staff("clerk", "clerk", "511700").await;
    let leader = t.staff("leader", "leader", "511700").await;
    let app = &t.app;
    t.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2021, 6, 21, 2, 0, 0).single().expect("instant"))
        .expect("forward");
    let figures = || async { app.report_figures(Some(&leader), "511700", 2021).await.expect("figures") };
    let rate = |f: &service::annual_report::Figures, key: &str| {
        let i = f.get(key).expect("the indicator");
        (i.numerator, i.denominator.expect("a rate"), i.records.len() as i64)
    };
    let centre = app.items_on(app.today()).into_iter().filter(|i| i.city_centre).count() as i64;
    assert!(centre >= 12, "the centre's items: {centre}");

    // 情形化率: every item of the centre declares its 情形, each with the materials it asks for.
    let before = figures().await;
    assert_eq!(rate(&before, "service:situational_rate"), (centre, centre, centre));

    // 准确率: nothing reviewed yet, nothing accurate.
    assert_eq!(rate(&before, "service:guide_accuracy"), (0, centre, 0));
    let item = "standard-place-name-certificate";
    app.review_guide(&admin, item, "511700", &[], "").await.expect("reviewed");
    let after = figures().await;
    assert_eq!(rate(&after, "service:guide_accuracy"), (1, centre, 1), "one review moves the figure");
    let record = &after.get("service:guide_accuracy").expect("indicator").records[0];
    assert_eq!((record.href.as_str(), record.date.as_str()), ("/guide/standard-place-name-certificate", "2021-06-21"));
    assert!(record.label.contains("全部准确"), "{record:?}");
    // A later review finding an element wrong: the latest counts, the item is no longer accurate.
    let wrong = app
        .review_guide(&admin, item, "511700", &["phones".to_string()], "监督电话与中心公告不一致")
        .await
        .expect("reviewed");
    assert_eq!(wrong.review.wrong, ["phones"]);
    assert_eq!(rate(&figures().await, "service:guide_accuracy"), (0, centre, 0));
    // Refusals: an unknown element, a wrong element without a note, a clerk; nothing recorded.
    let unknown = app.review_guide(&admin, item, "511700", &["fees".to_string()], "x").await.unwrap_err();
    assert_eq!(
        (unknown.kind, unknown.code, unknown.field.as_deref()),
        (ErrorKind::Invalid, "unknown_guide_element", Some("wrong"))
    );
    let silent = app.review_guide(&admin, item, "511700", &["fee".to_string()], " ").await.unwrap_err();
    assert_eq!(silent.problems[0].field, "note");
    let by_clerk = app.review_guide(&clerk, item, "511700", &[], "").await.unwrap_err();
    assert_eq!(by_clerk.kind, ErrorKind::Forbidden);
    let events = app.store.stream_events(&format!("item:{item}")).await.expect("events");
    let reviews: Vec<&str> =
        events.iter().filter(|e| e.act == "catalog.guide_reviewed").map(|e| e.act.as_str()).collect();
    assert_eq!(reviews.len(), 2, "two reviews recorded, no refusal written");
    // The reviewer answers for the guide of its own organ or of one below it: a county's
    // administrator may not review the city's, and nobody reviews a guide at a level the item is
    // not exercised at (place-name-info-query: the prefecture only). Each refusal says why, in
    // Chinese, on the division; nothing is recorded.
    let county_admin = t.staff("catalog_county", "admin", "511702").await;
    let outside = app.review_guide(&county_admin, item, "511700", &[], "").await.unwrap_err();
    assert_eq!(
        (outside.kind, outside.code, outside.field.as_deref()),
        (ErrorKind::Forbidden, "reviewer_outside_organ", Some("division"))
    );
    assert!(outside.message.contains("达州市") && outside.message.contains("上级"), "{}", outside.message);
    let level = app.review_guide(&admin, "place-name-info-query", "511702", &[], "").await.unwrap_err();
    assert_eq!(
        (level.kind, level.code, level.field.as_deref()),
        (ErrorKind::Invalid, "guide_level_not_in_item", Some("division"))
    );
    assert!(level.message.contains("市级"), "{}", level.message);
    let events = app.store.stream_events("item:place-name-info-query").await.expect("events");
    assert!(events.iter().all(|e| e.act != "catalog.guide_reviewed"), "a refusal records nothing");
    // Its own county's guide the county's administrator reviews; the city's sees both latest
    // reviews, the county's only its own; a clerk none.
    app.review_guide(&county_admin, item, "511702", &[], "").await.expect("its own organ");
    let seen = |reviews: Vec<service::guide_reviews::GuideReviewRecord>| {
        reviews.into_iter().map(|r| (r.division, r.review.accurate())).collect::<Vec<_>>()
    };
    let city = app.latest_guide_reviews(&admin).await.expect("listed");
    assert_eq!(seen(city), [("511700".to_string(), false), ("511702".to_string(), true)]);
    let county = app.latest_guide_reviews(&county_admin).await.expect("listed");
    assert_eq!(seen(county), [("511702".to_string(), true)]);
    assert_eq!(app.latest_guide_reviews(&clerk).await.unwrap_err().kind, ErrorKind::Forbidden);

    // 即办率 (by cases): a query answered on the spot, then a 承诺件, at the centre's window.
    assert_eq!(rate(&before, "service:instant_share_cases"), (0, 0, 0));
    app.submit_case(&clerk, &centre_case(app, "place-name-info-query", 1)).await.expect("submitted");
    assert_eq!(rate(&figures().await, "service:instant_share_cases"), (1, 1, 1));
    app.submit_case(&clerk, &centre_case(app, "social-org-certificate-reissue", 2)).await.expect("submitted");
    let cases = figures().await;
    assert_eq!(rate(&cases, "service:instant_share_cases"), (1, 2, 1));
    assert_eq!(cases.get("service:instant_share_cases").expect("indicator").display(), "50%");
    assert!(cases.get("service:instant_share_cases").expect("indicator").records[0].href.starts_with("/cases/"));

    // 全程网办率: the versions in force at the cut-off (today, while the year runs). The 2021 流程再造,
    // recorded late (`out_of_order`, in force from 2021-11-01), raised 婚姻登记档案查询 and
    // 养老服务补贴申领 to depth 4: 11 of 13 before that day, 13 of 13 from it.
    assert_eq!(rate(&cases, "service:full_online_rate"), (centre - 2, centre, 0));
    t.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2021, 11, 1, 2, 0, 0).single().expect("instant"))
        .expect("forward");
    assert_eq!(rate(&figures().await, "service:full_online_rate"), (centre, centre, 0));
    for slug in ["marriage-record-query", "elderly-care-subsidy"] {
        let item = app.item_on(slug, app.today()).expect("in force");
        assert!(item.online_depth == 4 && item.version.out_of_order, "{slug} v{}", item.version.number);
    }
});
