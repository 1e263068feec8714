//! 社会组织登记 on the engine and the register: a direct registration passes over the sponsor's
//! step and enters the register with a checked credit code; a sponsored one cannot skip it; the
//! conditions of 社团条例第十条 refuse a grant with their reasons and write nothing; a
//! deregistration after liquidation marks the organization 注销 and is announced; the
//! inspection campaign lists who did not report; the 脱钩 tracker completes on the fifth
//! separation; a 民办非企业单位 opens no branch, a foundation may; the register is scoped to the
//! reader's jurisdiction.

use chrono::NaiveDate;
use domain::access::Actor;
use domain::engine::action::{Action, Verdict};
use domain::engine::case::{CaseStatus, Outcome};
use domain::verticals::social_organization::inspection::{InspectionResult, Standing};
use domain::verticals::social_organization::OrgType;
use serde_json::{json, Value};
use service::cases::{ApplicantRef, SubmitCase};
use service::verticals::social_organization::register::{BranchForm, InspectionForm, RegisterQuery, SeparationForm};
use service::App;
use store::verticals::social_organization::{NewOrg, NewVersion};
use test_support::{on_both, Db};

use crate::cases::city_staff;
use crate::{count, id_number, person_input, test_app};

fn registration(order: u32, facts: Value, sponsored: bool) -> SubmitCase {
    let mut materials = vec!["application", "capital_premises", "leaders_identity", "draft_articles", "member_list"];
    if sponsored {
        materials.push("sponsor_approval");
    }
    SubmitCase {
        item: "social-group-registration".into(),
        channel: "window".into(),
        applicant: ApplicantRef::New(person_input(
            "陈志强",
            &id_number("511702", "19750302", order),
            Some("13912345678"),
            "511702",
        )),
        accepting_division: "511700".into(),
        situation: Some(if sponsored { "with_sponsor" } else { "direct" }.into()),
        materials: materials.into_iter().map(str::to_string).collect(),
        data: json!({"premises_division": "511700", "facts": facts}),
        idempotency_key: None,
    }
}

fn facts(name: &str, members: u32, funds: &str, category: Option<&str>, sponsor: Option<&str>) -> Value {
    let mut f = json!({
        "name": name,
        "address": "达州市通川区朝阳东路88号",
        "purpose": "促进本地区科学技术普及",
        "business_scope": ["科普讲座", "学术交流"],
        "activity_area": "达州市",
        "activity_funds": funds,
        "individual_members": members,
        "unit_members": 0,
        "level": "prefecture",
        "premises_division": "511702"
    });
    if let Some(c) = category {
        f["category"] = json!(c);
    }
    if let Some(s) = sponsor {
        f["sponsor"] = json!(s);
    }
    f
}

async fn act(app: &App, actor: &Actor, id: i64, action: Action) -> service::cases::CaseView {
    let kind = action.kind();
    app.act_on_case(actor, id, None, &action).await.unwrap_or_else(|e| panic!("{kind:?}: {e}"))
}

fn approve() -> Action {
    Action::Review { verdict: Verdict::Approve, opinion: "材料齐全，符合条件".into() }
}

fn grant() -> Action {
    Action::Decide { grant: true, reasons: String::new(), basis: String::new() }
}

async fn a_direct_registration_enters_the_register(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let city = city_staff(&t).await;
    let raw = t.db.raw().await;
    let input = registration(1, facts("达州市科普志愿者协会", 55, "50000", Some("science"), None), false);
    let id = app.submit_case(&city.clerk, &input).await.expect("submit").view.case.id;
    let view = act(app, &city.clerk, id, Action::Accept).await;
    assert_eq!(view.case.step.as_deref(), Some("review"), "a direct registration passes over the sponsor's step");
    act(app, &city.reviewer, id, approve()).await;
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM social_orgs").await, 0, "nothing before the decision");
    act(app, &city.decider, id, grant()).await;

    let orgs = app.social_orgs(&city.decider, &RegisterQuery::default()).await.expect("list");
    assert_eq!(orgs.len(), 1);
    let org = &orgs[0];
    assert_eq!((org.name.as_str(), org.org_type.as_str()), ("达州市科普志愿者协会", "social_group"));
    assert_eq!((org.category.as_deref(), org.sponsor.as_deref()), (Some("science"), None));
    assert_eq!((org.funds_fen, org.individual_members, org.status.as_str()), (5_000_000, 55, "normal"));
    assert_eq!(org.legal_rep_name, "陈志强");
    let info = domain::organization::parse_uscc(&org.credit_code, "code", app.regions()).expect("a valid code");
    assert_eq!((info.category, info.region_code.as_str()), ("社会团体", "511700"));
    let events = app.case_events(&city.clerk, id).await.expect("events");
    let registered = events.iter().find(|e| e.act == "social_org.registered").expect("the register's event");
    let payload: Value = serde_json::from_str(&registered.payload).expect("payload");
    assert_eq!(payload["credit_code"], org.credit_code.as_str());

    // The organization's page, its read recorded; the 公告 names its establishment.
    let page = app.social_org(&city.decider, org.id).await.expect("page");
    assert_eq!(page.full.versions.len(), 1);
    assert!(!page.dormant);
    assert_eq!(
        count(&raw, &format!("SELECT COUNT(*) FROM audit_events WHERE stream = 'social_org:{}'", org.id)).await,
        1
    );
    let notices = app.social_org_announcements(50).await.expect("公告");
    assert_eq!(
        notices.iter().map(|a| (a.change_kind.as_str(), a.name.as_str())).collect::<Vec<_>>(),
        [("establish", "达州市科普志愿者协会")]
    );
    let case = app.case(&city.clerk, id).await.expect("case");
    assert_eq!(app.social_org_of_case(case.case.id).await.expect("of case").map(|f| f.org.id), Some(org.id));

    // A change of name: a new version, announced; the page keeps the history.
    let change_item = app.catalog.in_force("social-group-change-registration", app.today()).expect("item");
    let change = SubmitCase {
        item: "social-group-change-registration".into(),
        situation: Some("change_name_scope".into()),
        materials: change_item.materials.iter().filter(|m| m.required).map(|m| m.id.clone()).collect(),
        data: json!({"premises_division": "511700", "facts": {
            "organization": {"name": org.name, "credit_code": org.credit_code, "division": "511702"},
            "change_before": "名称：达州市科普志愿者协会",
            "change_after": "名称：达州市科学普及志愿者协会",
            "changed_item": "name",
            "new_value": "达州市科学普及志愿者协会",
        }}),
        ..registration(1, json!({}), false)
    };
    let change_id = app.submit_case(&city.clerk, &change).await.expect("submit").view.case.id;
    act(app, &city.clerk, change_id, Action::Accept).await;
    act(app, &city.reviewer, change_id, approve()).await;
    act(app, &city.decider, change_id, grant()).await;
    let changed = app.social_org(&city.decider, org.id).await.expect("page");
    assert_eq!(changed.full.org.name, "达州市科学普及志愿者协会");
    assert_eq!(changed.full.versions.len(), 2);
    assert_eq!(changed.full.versions[0].version.name, "达州市科普志愿者协会", "the history is kept");
    assert_eq!(changed.full.versions[1].change_kind, "name");

    // Deregistration after liquidation: 注销 and announced. Before liquidation ends: refused.
    let deregister = |liquidated: &str| SubmitCase {
        item: "social-group-deregistration".into(),
        situation: None,
        materials: Vec::new(),
        data: json!({"premises_division": "511700", "facts": {
            "organization": {"name": org.name, "credit_code": org.credit_code, "division": "511702"},
            "reason": "dissolved",
            "liquidation_completed_on": liquidated,
        }}),
        ..registration(1, json!({}), false)
    };
    let item = app.catalog.in_force("social-group-deregistration", app.today()).expect("item");
    let materials: Vec<String> = item.materials.iter().filter(|m| m.required).map(|m| m.id.clone()).collect();
    let mut early = deregister("2021-12-31");
    early.materials = materials.clone();
    let early_id = app.submit_case(&city.clerk, &early).await.expect("submit").view.case.id;
    act(app, &city.clerk, early_id, Action::Accept).await;
    act(app, &city.reviewer, early_id, approve()).await;
    let refused = app.act_on_case(&city.decider, early_id, None, &grant()).await.expect_err("not liquidated");
    assert_eq!(refused.code, "social_org_not_liquidated", "{refused}");

    let mut ok = deregister("2021-05-20");
    ok.materials = materials;
    let dereg_id = app.submit_case(&city.clerk, &ok).await.expect("submit").view.case.id;
    act(app, &city.clerk, dereg_id, Action::Accept).await;
    act(app, &city.reviewer, dereg_id, approve()).await;
    act(app, &city.decider, dereg_id, grant()).await;
    let after = app.social_org(&city.decider, org.id).await.expect("page");
    assert_eq!(after.full.org.status, "deregistered");
    assert_eq!(after.full.org.ended_on, Some(app.today()));
    let kinds: Vec<String> =
        app.social_org_announcements(50).await.expect("公告").into_iter().map(|a| a.change_kind).collect();
    assert_eq!(kinds, ["deregister", "name", "establish"]);
}
on_both!(direct_registration, a_direct_registration_enters_the_register);

async fn a_sponsored_registration_cannot_skip_its_sponsor_and_the_conditions_refuse(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let city = city_staff(&t).await;
    let raw = t.db.raw().await;
    // No category, no sponsor: the sponsor's step is not passed over, and it refuses.
    let id = app
        .submit_case(&city.clerk, &registration(2, facts("达州市书法家协会", 60, "30000", None, None), true))
        .await
        .expect("submit")
        .view
        .case
        .id;
    let view = act(app, &city.clerk, id, Action::Accept).await;
    assert_eq!(view.case.step.as_deref(), Some("sponsor_consent"));
    let refused = app.act_on_case(&city.reviewer, id, None, &approve()).await.expect_err("no sponsor");
    assert_eq!(refused.code, "social_org_sponsor_required", "{refused}");
    assert!(refused.message.contains("业务主管单位"), "{}", refused.message);

    // Sponsored, 40 members and 29999 yuan: the sponsor's step passes, the decision refuses a
    // grant with both reasons and writes nothing; a refusal with reasons closes the case.
    let id = app
        .submit_case(
            &city.clerk,
            &registration(3, facts("达州市书法家协会", 40, "29999", None, Some("达州市文学艺术界联合会")), true),
        )
        .await
        .expect("submit")
        .view
        .case
        .id;
    act(app, &city.clerk, id, Action::Accept).await;
    let view = act(app, &city.reviewer, id, approve()).await;
    assert_eq!(view.case.step.as_deref(), Some("review"));
    act(app, &city.reviewer, id, approve()).await;
    let refused = app.act_on_case(&city.decider, id, None, &grant()).await.expect_err("conditions");
    assert_eq!(refused.code, "social_org_conditions_not_met", "{refused}");
    assert!(refused.message.contains("会员") && refused.message.contains("活动资金"), "{}", refused.message);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM social_orgs").await, 0);
    let denied = Action::Decide {
        grant: false,
        reasons: refused.message.clone(),
        basis: "《社会团体登记管理条例》第十条".into(),
    };
    let view = act(app, &city.decider, id, denied).await;
    assert_eq!(view.case.status, CaseStatus::Closed(Outcome::Denied));
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM social_orgs").await, 0);
}
on_both!(sponsored_registration, a_sponsored_registration_cannot_skip_its_sponsor_and_the_conditions_refuse);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn old_org(name: &str, division: &str, category: Option<&str>) -> NewOrg {
    NewOrg {
        org_type: OrgType::SocialGroup,
        level: "county".into(),
        category: category.map(str::to_string),
        sponsor: category.is_none().then(|| "达川区科学技术协会".to_string()),
        authority_division: division.into(),
        premises_division: division.into(),
        registered_on: d(2019, 4, 1),
        legal_rep_person: None,
        case_id: None,
        version: NewVersion {
            valid_from: d(2019, 4, 1),
            change_kind: "establish".into(),
            name: name.into(),
            address: "达川区翠屏街道".into(),
            legal_rep_name: "王建国".into(),
            funds_fen: 3_000_000,
            individual_members: 60,
            unit_members: 0,
            purpose: "行业服务".into(),
        },
    }
}

async fn inspections_and_decoupling_by_date_and_jurisdiction(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let ids = app
        .store
        .import_social_orgs(
            &[
                old_org("达川区餐饮行业协会", "511703", Some("trade_association")),
                old_org("达川区老年书画研究会", "511703", None),
                old_org("通川区摄影家协会", "511702", None),
            ],
            app.now(),
        )
        .await
        .expect("import");
    let trade = ids[0].0;
    let clerk = t.staff("clerk703", "clerk", "511703").await;
    let leader = t.staff("leader703", "leader", "511703").await;

    // Today (2021-06-01) the 31 May date has passed: one reported in time, one not.
    let form = InspectionForm {
        year: "2021".into(),
        to_sponsor_on: "2021-03-20".into(),
        to_authority_on: "2021-05-31".into(),
        result: "basic_pass".into(),
    };
    app.record_social_org_inspection(&clerk, trade, &form).await.expect("recorded");
    let bad = InspectionForm { result: "excellent".into(), to_authority_on: "2031-01-01".into(), ..form.clone() };
    let err = app.record_social_org_inspection(&clerk, trade, &bad).await.expect_err("invalid");
    assert_eq!(err.problems.len(), 2, "{:?}", err.problems);
    let campaign = app.social_org_campaign(&leader, "2021").await.expect("campaign");
    assert_eq!(campaign.authority_deadline, d(2021, 5, 31));
    assert_eq!(campaign.lines.len(), 2, "only the county's organizations");
    let standing: Vec<(String, Standing)> = campaign.lines.iter().map(|l| (l.org.name.clone(), l.standing)).collect();
    assert!(standing.contains(&("达川区餐饮行业协会".into(), Standing::Reported)), "{standing:?}");
    assert!(standing.contains(&("达川区老年书画研究会".into(), Standing::NotReported)), "{standing:?}");
    assert_eq!(campaign.not_reported().count(), 1);
    assert!(campaign.by_result().contains(&(InspectionResult::BasicPass, 1)));

    // 脱钩: complete on the fifth separation; a separation recorded twice is refused.
    for (i, s) in ["institution", "function", "assets_finance", "personnel", "party_foreign_affairs"].iter().enumerate()
    {
        let form = SeparationForm {
            former_organ: "达川区商务局".into(),
            separation: s.to_string(),
            done_on: format!("2021-0{}-10", i + 1),
            evidence: "达川区脱钩工作领导小组验收意见".into(),
        };
        app.record_social_org_separation(&clerk, trade, &form).await.expect("separation");
        if i == 0 {
            let again = app.record_social_org_separation(&clerk, trade, &form).await.expect_err("twice");
            assert_eq!(again.code, "separation_recorded");
        }
    }
    let tracker = app.social_org_decoupling(&leader).await.expect("tracker");
    assert_eq!(tracker.len(), 1);
    assert_eq!(tracker[0].former_organ, "达川区商务局");
    assert!(
        matches!(tracker[0].status, domain::verticals::social_organization::decoupling::DecouplingStatus::Completed { on } if on == d(2021, 5, 10))
    );
    let stats = app.social_org_stats(&leader, "2021").await.expect("stats");
    assert_eq!(stats.decoupled, 1);
    assert_eq!(stats.not_reported, 1);
    assert_eq!(stats.by_type_path[0], (OrgType::SocialGroup, 1, 1));

    // The county cannot read or write the city district's organization.
    let other = ids[2].0;
    assert_eq!(app.social_org(&leader, other).await.expect_err("elsewhere").code, "forbidden");
    assert_eq!(app.record_social_org_inspection(&clerk, other, &form).await.expect_err("elsewhere").code, "forbidden");
    // A leader reads but does not record.
    assert_eq!(app.record_social_org_inspection(&leader, trade, &form).await.expect_err("reader").code, "forbidden");
}
on_both!(inspections_and_decoupling, inspections_and_decoupling_by_date_and_jurisdiction);

// Branches (社团条例第十七条; 民非条例第十三条): a 民办非企业单位 opens none, refused with its
// article and nothing written; a foundation opens a representative office; the refusal names the
// field and the basis.
async fn branches_by_type(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let pne =
        NewOrg { org_type: OrgType::PrivateNonEnterprise, ..old_org("达川区阳光康复中心", "511703", None) };
    let foundation = NewOrg { org_type: OrgType::Foundation, ..old_org("达川区助学基金会", "511703", None) };
    let ids = app.store.import_social_orgs(&[pne, foundation], app.now()).await.expect("import");
    let clerk = t.staff("clerk703", "clerk", "511703").await;
    let form = BranchForm {
        kind: "representative".into(),
        name: "驻成都代表处".into(),
        principal: "刘洋".into(),
        address: "成都市武侯区".into(),
        regional: "no".into(),
        opened_by_branch: String::new(),
        opened_on: "2021-05-20".into(),
    };
    let refused = app.record_social_org_branch(&clerk, ids[0].0, &form).await.expect_err("no branches for a 民非");
    assert_eq!((refused.code, refused.field.as_deref()), ("branch_not_allowed", Some("kind")));
    assert!(refused.basis().is_some_and(|b| b.contains("第十三条")), "{:?}", refused.basis());
    assert!(app.store.social_org(ids[0].0).await.expect("org").branches.is_empty(), "nothing written");
    app.record_social_org_branch(&clerk, ids[1].0, &form).await.expect("a foundation's office");
    let branches = app.store.social_org(ids[1].0).await.expect("org").branches;
    assert_eq!(
        branches.iter().map(|b| (b.kind.as_str(), b.name.as_str(), b.principal.as_str())).collect::<Vec<_>>(),
        [("representative", "驻成都代表处", "刘洋")]
    );
}
on_both!(branches, branches_by_type);
