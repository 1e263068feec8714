//! Applicants who are organizations (法人或者其他组织, 统一社会信用代码 per GB 32100-2015): registered
//! with the case or found by their code, the case keeping their name and code; refused where the
//! area's law makes the applicant a person, and online.

use domain::applicant::ApplicantKind;
use domain::organization::OrganizationInput;
use serde_json::json;
use service::cases::{ApplicantRef, SubmitCase};
use service::ErrorKind;
use test_support::{on_both, Db};

use crate::cases::{change_application, city_staff, CHANGE_MATERIALS};
use crate::{acts, count, id_number, person_input, test_app};

/// 达州市青年志愿者协会, a 社会团体 registered in 通川区 (its code computed by GB 32100-2015).
const CODE: &str = "515117025041234500";

fn organization(name: &str, code: &str) -> ApplicantRef {
    ApplicantRef::Organization {
        organization: OrganizationInput {
            name: name.into(),
            credit_code: code.into(),
            representative: Some("王五".into()),
            division: "511702".into(),
        },
        phone: Some("13912345678".into()),
        address: Some("通川区朝阳路1号".into()),
    }
}

async fn an_organization_applies_at_the_window_and_is_kept_by_its_code(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let city = city_staff(&t).await;
    let input = SubmitCase {
        applicant: organization("达州市青年志愿者协会", CODE),
        ..change_application(&CHANGE_MATERIALS, None)
    };
    let view = app.submit_case(&city.clerk, &input).await.expect("an organization applies").view;
    let a = view.applicant.clone().expect("the applicant");
    assert_eq!(a.kind, ApplicantKind::Organization);
    assert_eq!((a.name.as_str(), a.name_masked.as_str()), ("达州市青年志愿者协会", "达州市青年志愿者协会"));
    assert_eq!(a.id_number_masked, CODE, "a credit code is public, shown whole");
    assert_eq!(a.identifier_label(), "统一社会信用代码");
    assert_eq!(a.person_id, None);
    let org_id = a.organization_id.expect("registered with the case: its id shown");
    // The case names no person; the record holds the contact phone encrypted and masked.
    let person: Option<i64> = sqlx::query_scalar("SELECT applicant_person_id FROM cases WHERE id = $1")
        .bind(view.case.id)
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(person, None);
    let record = app.store.organization_by_code(CODE).await.unwrap().expect("on file");
    assert_eq!((record.id, record.representative.as_str()), (org_id, "王五"));
    assert_eq!(record.phone_masked.as_deref(), Some("139****5678"));
    let raw_columns = app.store.raw_organization_columns().await.unwrap();
    assert!(!raw_columns.is_empty() && raw_columns.iter().all(|v| !v.contains("13912345678")), "{raw_columns:?}");
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM audit_events WHERE act = 'organization.create'").await, 1);

    // Read back from the stored state: the same applicant.
    let again = app.case(&city.clerk, view.case.id).await.expect("read").applicant.expect("applicant");
    assert_eq!(again, a);

    // A second application by the same code (lower case, another name typed): the same record,
    // the case keeps what was typed and shows the mismatch to who may read the record.
    let input = SubmitCase {
        applicant: organization("达州市志愿服务协会", &CODE.to_lowercase()),
        ..change_application(&CHANGE_MATERIALS, None)
    };
    let second = app.submit_case(&city.clerk, &input).await.expect("again").view.applicant.expect("applicant");
    assert_eq!(second.organization_id, Some(org_id));
    assert_eq!(second.name, "达州市志愿服务协会");
    assert!(second.name_mismatch);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM organizations").await, 1);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM audit_events WHERE act = 'organization.create'").await, 1);
    // The other name is recorded on the organization's stream.
    assert_eq!(
        acts(app, &format!("organization:{org_id}")).await,
        ["organization.create", "organization.name_mismatch"]
    );
}
on_both!(organization_applies, an_organization_applies_at_the_window_and_is_kept_by_its_code);

async fn an_organization_is_refused_where_the_law_wants_a_person_and_online(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let clerk = t.staff("clerk702", "clerk", "511702").await;
    // 婚姻登记条例: 男女双方 apply; nothing is written for a refused organization.
    let marriage = SubmitCase {
        item: "marriage-registration".into(),
        channel: "window".into(),
        applicant: organization("达州市青年志愿者协会", CODE),
        accepting_division: "511702".into(),
        situation: Some("ordinary".into()),
        materials: ["id_cards", "declaration"].map(str::to_string).to_vec(),
        data: json!({"declaration_signed": true}),
        idempotency_key: None,
    };
    let err = app.submit_case(&clerk, &marriage).await.expect_err("a person only");
    assert_eq!(
        (err.kind, err.code, err.field.as_deref()),
        (ErrorKind::Invalid, "person_applicant_only", Some("applicant.kind"))
    );
    assert!(err.message.contains("婚姻登记条例"), "{}", err.message);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM organizations").await, 0);
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM cases").await, 0);

    // Online, the applicant is the signed-in person (or a relative).
    let citizen = t
        .citizen("citizen1", "511702", &person_input("申请人", &id_number("511702", "19800101", 1), None, "511702"))
        .await;
    let online = SubmitCase {
        channel: "online".into(),
        applicant: organization("达州市青年志愿者协会", CODE),
        ..change_application(&CHANGE_MATERIALS, None)
    };
    let err = app.submit_case(&citizen, &online).await.expect_err("online");
    assert_eq!((err.code, err.field.as_deref()), ("organization_online", Some("applicant.kind")));
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM organizations").await, 0);
}
on_both!(organization_refused, an_organization_is_refused_where_the_law_wants_a_person_and_online);

async fn an_organizations_fields_are_refused_each_on_its_field(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let raw = t.db.raw().await;
    let city = city_staff(&t).await;
    // The 18th character wrong, the phone malformed, and the form's own facts missing: all at once.
    let mut input = SubmitCase {
        applicant: ApplicantRef::Organization {
            organization: OrganizationInput {
                name: "达州市青年志愿者协会".into(),
                credit_code: "515117025041234501".into(),
                representative: None,
                division: "511702".into(),
            },
            phone: Some("123".into()),
            address: None,
        },
        ..change_application(&CHANGE_MATERIALS, None)
    };
    input.data = json!({"premises_division": "511700", "facts": {}});
    let err = app.submit_case(&city.clerk, &input).await.expect_err("invalid");
    let fields: Vec<(&str, &str)> = err.problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
    assert!(fields.contains(&("applicant.credit_code", "uscc_checksum")), "{fields:?}");
    assert!(fields.contains(&("applicant.phone", "invalid_phone")), "{fields:?}");
    assert!(fields.iter().any(|(f, _)| f.starts_with("facts.")), "{fields:?}");
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM organizations").await, 0);
}
on_both!(organization_fields, an_organizations_fields_are_refused_each_on_its_field);
