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
use service::verticals::enforcement::Party;
use service::verticals::social_organization::enforcement::OpenCasesForm;
use service::verticals::social_organization::register::{BranchForm, InspectionForm, RegisterQuery, SeparationForm};
use service::{App, ErrorKind};
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

fn foundation(order: u32, kind: &str, fund_yuan: &str) -> SubmitCase {
    SubmitCase {
        item: "foundation-registration".into(),
        channel: "window".into(),
        applicant: ApplicantRef::New(person_input(
            "李慧敏",
            &id_number("511702", "19700512", order),
            Some("13912345679"),
            "511702",
        )),
        // Taken in at the city's window; the province decides (基金会管理条例第六条).
        accepting_division: "511700".into(),
        situation: Some("direct".into()),
        materials: ["application", "draft_articles", "capital_premises", "directors"].map(str::to_string).to_vec(),
        data: json!({"premises_division": "511702", "facts": {
            "name": "达州市助学基金会",
            "address": "达州市通川区西外大道1号",
            "purpose": "资助达州市家庭经济困难学生完成学业",
            "foundation_kind": kind,
            "original_fund": fund_yuan,
            "original_fund_in_money": true,
            "category": "charity",
            "premises_division": "511702"
        }}),
        idempotency_key: None,
    }
}

/// Submitted at the city's window, accepted and reviewed at the province: the case at its decision.
async fn foundation_to_decision(
    app: &App,
    [window, clerk, reviewer]: [&Actor; 3],
    order: u32,
    kind: &str,
    fund: &str,
) -> i64 {
    let id = app.submit_case(window, &foundation(order, kind, fund)).await.expect("submit").view.case.id;
    let view = act(app, clerk, id, Action::Accept).await;
    assert_eq!(view.case.step.as_deref(), Some("review"), "公益慈善类 registers directly");
    act(app, reviewer, id, approve()).await;
    id
}

// 基金会设立登记 (基金会管理条例第六条、第八条第二项): decided by the province; a 全国性公募基金会
// is the ministry's and a fund below the kind's minimum is refused, each with its article and
// nothing written; a local public foundation with its 400万 is registered with a credit code of the
// province's region.
async fn a_foundation_is_registered_by_the_province(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let city = city_staff(&t).await;
    let window = &city.clerk;
    let clerk = t.staff("clerk510", "clerk", "510000").await;
    let reviewer = t.staff("reviewer510", "reviewer", "510000").await;
    let decider = t.staff("decider510", "decider", "510000").await;
    let staff = [window, &clerk, &reviewer];
    let national = foundation_to_decision(app, staff, 11, "national_public", "8000000").await;
    // The city's decider holds no step of the province's item.
    assert!(app.act_on_case(&city.decider, national, None, &grant()).await.is_err());
    let refused = app.act_on_case(&decider, national, None, &grant()).await.expect_err("the ministry's");
    assert_eq!(refused.code, "foundation_authority", "{refused}");
    assert!(refused.message.contains("国务院民政部门"), "{}", refused.message);

    let short = foundation_to_decision(app, staff, 12, "local_public", "3999999.99").await;
    let refused = app.act_on_case(&decider, short, None, &grant()).await.expect_err("below 400万");
    assert_eq!(refused.code, "social_org_funds_insufficient", "{refused}");
    assert!(refused.basis().is_some_and(|b| b.contains("第八条第二项")), "{:?}", refused.basis());
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM social_orgs").await, 0, "nothing written");

    let ok = foundation_to_decision(app, staff, 13, "local_public", "4000000").await;
    act(app, &decider, ok, grant()).await;
    let orgs = app.social_orgs(&decider, &RegisterQuery::default()).await.expect("list");
    assert_eq!(orgs.len(), 1);
    let org = &orgs[0];
    assert_eq!((org.org_type.as_str(), org.level.as_str()), ("foundation", "provincial"));
    assert_eq!((org.authority_division.as_str(), org.premises_division.as_str()), ("510000", "511702"));
    assert_eq!((org.funds_fen, org.category.as_deref()), (400_000_000, Some("charity")));
    let info = domain::organization::parse_uscc(&org.credit_code, "code", app.regions()).expect("a valid code");
    assert_eq!((info.category, info.region_code.as_str()), ("基金会", "510000"));
}
on_both!(foundation_registration, a_foundation_is_registered_by_the_province);

// 基金会变更登记 and 注销登记 (基金会管理条例第十五条、第十六条、第十八条), decided at the province
// like the registration (第六条): a granted change writes the foundation's new version; a
// deregistration before the liquidation ended is refused with 第十八条, a granted one marks the
// foundation 注销; each is announced (第十九条).
async fn a_foundation_changes_and_is_deregistered_at_the_province(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let city = city_staff(&t).await;
    let window = &city.clerk;
    let clerk = t.staff("clerk510", "clerk", "510000").await;
    let reviewer = t.staff("reviewer510", "reviewer", "510000").await;
    let decider = t.staff("decider510", "decider", "510000").await;
    let registered = foundation_to_decision(app, [window, &clerk, &reviewer], 13, "local_public", "4000000").await;
    act(app, &decider, registered, grant()).await;
    let org = app.social_orgs(&decider, &RegisterQuery::default()).await.expect("list").remove(0);
    let on_org = |item: &str, situation: Option<&str>, facts: Value| {
        let def = app.catalog.in_force(item, app.today()).expect("the item is in the catalog");
        let mut facts = facts;
        facts["organization"] = json!({"name": org.name, "credit_code": org.credit_code, "division": "511702"});
        SubmitCase {
            item: item.into(),
            situation: situation.map(str::to_string),
            materials: def.materials.iter().filter(|m| m.required).map(|m| m.id.clone()).collect(),
            data: json!({"premises_division": "511702", "facts": facts}),
            ..foundation(13, "local_public", "4000000")
        }
    };
    let (clerk, reviewer) = (&clerk, &reviewer);
    let to_decision = |input: SubmitCase| async move {
        let id = app.submit_case(window, &input).await.expect("submit").view.case.id;
        act(app, clerk, id, Action::Accept).await;
        act(app, reviewer, id, approve()).await;
        id
    };

    let change = on_org(
        "foundation-change-registration",
        Some("change_name_scope"),
        json!({"change_before": "名称：达州市助学基金会", "change_after": "名称：达州市助学圆梦基金会",
               "changed_item": "name", "new_value": "达州市助学圆梦基金会"}),
    );
    let change_id = to_decision(change).await;
    // The city's decider holds no step of the province's item.
    assert!(app.act_on_case(&city.decider, change_id, None, &grant()).await.is_err());
    act(app, &decider, change_id, grant()).await;
    let changed = app.social_org(&decider, org.id).await.expect("page");
    assert_eq!(changed.full.org.name, "达州市助学圆梦基金会");
    assert_eq!(changed.full.versions.len(), 2);
    assert_eq!(changed.full.versions[1].change_kind, "name");

    let deregister = |liquidated: &str| {
        on_org(
            "foundation-deregistration",
            Some("ordinary"),
            json!({"reason": "ended_by_articles", "liquidation_completed_on": liquidated}),
        )
    };
    let early = to_decision(deregister("2021-12-31")).await;
    let refused = app.act_on_case(&decider, early, None, &grant()).await.expect_err("not liquidated");
    assert_eq!(refused.code, "social_org_not_liquidated", "{refused}");
    assert_eq!(refused.basis(), Some("《基金会管理条例》第十八条"));
    assert_eq!(app.social_org(&decider, org.id).await.expect("page").full.org.status, "normal");

    let dereg = to_decision(deregister("2021-05-20")).await;
    act(app, &decider, dereg, grant()).await;
    let after = app.social_org(&decider, org.id).await.expect("page");
    assert_eq!((after.full.org.status.as_str(), after.full.org.ended_on), ("deregistered", Some(app.today())));
    let kinds: Vec<String> =
        app.social_org_announcements(50).await.expect("公告").into_iter().map(|a| a.change_kind).collect();
    assert_eq!(kinds, ["deregister", "name", "establish"]);
}
on_both!(foundation_change_and_deregistration, a_foundation_changes_and_is_deregistered_at_the_province);

// From the 年检 list to enforcement cases (社团条例第三十条第一款第三项): only an enforcement
// officer opens them, only on organizations listed as not reported, after the authority's date,
// with two officers (the enforcement area's own check); each case names the organization as its
// party and the year's 案由; the list shows the opened ones and a second run leaves them.
async fn the_unreported_become_enforcement_cases(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let ids = app
        .store
        .import_social_orgs(
            &[
                old_org("达州市老年体育协会", "511700", None),
                old_org("达州市餐饮行业协会", "511700", Some("trade_association")),
                old_org("达州市摄影家协会", "511700", None),
            ],
            app.now(),
        )
        .await
        .expect("import");
    let (late, reported, silent) = (ids[0].0, ids[1].0, ids[2].0);
    let s = crate::enforcement::staff(&t).await;
    let city = city_staff(&t).await;
    let in_time = InspectionForm {
        year: "2021".into(),
        to_sponsor_on: String::new(),
        to_authority_on: "2021-05-28".into(),
        result: "pass".into(),
    };
    app.record_social_org_inspection(&city.clerk, reported, &in_time).await.expect("reported in time");
    let form = |orgs: &[i64]| OpenCasesForm {
        year: "2021".into(),
        orgs: orgs.iter().map(i64::to_string).collect(),
        officers: vec![s.a.to_string(), s.b.to_string()],
        filed_on: String::new(),
    };
    let officer = &s.officer;
    let opened_now = move || async move { app.enforcement_cases(officer).await.expect("cases").len() };

    let clerk = app.open_social_org_enforcement(&city.clerk, &form(&[late])).await.expect_err("not an officer");
    assert_eq!(clerk.kind, ErrorKind::Forbidden);
    let listed = app.open_social_org_enforcement(&s.officer, &form(&[late, reported])).await.expect_err("reported");
    assert_eq!((listed.code, listed.field.as_deref()), ("org_not_listed", Some("orgs")));
    assert!(listed.message.contains("达州市餐饮行业协会"), "{}", listed.message);
    let one = OpenCasesForm { officers: vec![s.a.to_string()], ..form(&[late]) };
    let refused = app.open_social_org_enforcement(&s.officer, &one).await.expect_err("one officer");
    assert_eq!(refused.code, "two_officers", "{refused}");
    let early = OpenCasesForm { filed_on: "2021-05-31".into(), ..form(&[late]) };
    let refused = app.open_social_org_enforcement(&s.officer, &early).await.expect_err("the last day");
    assert_eq!((refused.code, refused.field.as_deref()), ("filed_before_deadline", Some("filed_on")));
    let bad = OpenCasesForm { orgs: vec!["x".into()], year: "21".into(), ..form(&[]) };
    let refused = app.open_social_org_enforcement(&s.officer, &bad).await.expect_err("malformed");
    assert_eq!(refused.problems.len(), 2, "{:?}", refused.problems);
    assert_eq!(opened_now().await, 0, "nothing opened by a refusal");

    let done = app.open_social_org_enforcement(&s.officer, &form(&[late, silent])).await.expect("opened");
    assert_eq!(done.opened.len(), 2);
    assert!(done.already.is_empty());
    let cases = app.enforcement_cases(&s.officer).await.expect("cases");
    for (org, case) in &done.opened {
        let view = cases.iter().find(|c| c.full.case.id == *case).expect("the case");
        let code = &ids.iter().find(|(id, _)| id == org).expect("org").1;
        assert!(
            matches!(&view.full.case.party, Party::Organization { uscc, .. } if uscc == code),
            "{:?}",
            view.full.case.party
        );
        assert_eq!(
            view.full.case.violation,
            "2021年度不按照规定接受监督检查（未参加年度检查），违反《社会团体登记管理条例》第三十条第一款第三项"
        );
        assert_eq!(view.full.case.division, "511700");
    }
    let campaign = app.social_org_campaign(&s.officer, "2021").await.expect("campaign");
    let shown = app.social_org_enforcement_cases(&s.officer, &campaign).await.expect("shown");
    assert_eq!(shown.into_iter().collect::<Vec<_>>(), done.opened);
    let again = app.open_social_org_enforcement(&s.officer, &form(&[late])).await.expect("again");
    assert_eq!((again.opened.len(), again.already.len()), (0, 1));
    assert_eq!(opened_now().await, 2);
    // The next year's list is another matter: nothing shown as opened for it.
    let next = app.social_org_campaign(&s.officer, "2022").await.expect("2022");
    assert!(app.social_org_enforcement_cases(&s.officer, &next).await.expect("2022").is_empty());
    // A reader who may not read enforcement cases sees no case.
    assert!(app.social_org_enforcement_cases(&city.clerk, &campaign).await.expect("clerk").is_empty());
}
on_both!(unreported_to_enforcement, the_unreported_become_enforcement_cases);
