//! The 备案回执 of a filing: the case's decision notice in the area's words, with the
//! institution's particulars, the basic conditions it is told of and the support-policy list
//! (《养老机构管理办法》（民政部令第66号）: 材料齐全的，出具备案回执，告知基本条件，提供扶持政策清单),
//! issued, numbered and verified by its QR code as every notice is (`routes::notices`).

use domain::audit::Event;
use domain::form::FactValue;
use domain::verticals::elderly_care::{InstitutionType, BASIC_CONDITIONS, SUPPORT_POLICIES};
use service::cases::CaseView;

use crate::routes::notices::{AreaNotice, NoticeKind, Verdict};

pub fn notice_rows(kind: NoticeKind, view: &CaseView, _events: &[Event]) -> AreaNotice {
    let granted = view.case.decision.as_ref().is_some_and(|d| d.granted);
    if kind != NoticeKind::Decision || !granted {
        return AreaNotice::default();
    }
    let facts = &view.facts;
    let text = |id: &str| match facts.get(id) {
        Some(FactValue::Text(t)) => t.clone(),
        Some(FactValue::Int(n)) => n.to_string(),
        Some(FactValue::Choice(c)) => InstitutionType::parse(c).map(|t| t.name_zh().to_string()).unwrap_or_default(),
        _ => String::new(),
    };
    let mut rows = Vec::new();
    let operator = match facts.get("operator") {
        Some(FactValue::Organization(o)) => Some(o),
        _ => None,
    };
    if let Some(o) = operator {
        rows.push(("养老机构名称", o.name.clone()));
        rows.push(("统一社会信用代码", o.credit_code.clone()));
        if !o.representative.is_empty() {
            rows.push(("法定代表人（主要负责人）", o.representative.clone()));
        }
    }
    rows.push(("机构类型", text("institution_type")));
    rows.push(("服务场所", text("service_address")));
    rows.push(("床位数", format!("{} 张", text("beds"))));
    rows.push(("建筑面积", format!("{} 平方米", text("floor_area"))));
    AreaNotice {
        verdict: Some(Verdict {
            title: "养老机构备案回执",
            words: "你单位报送的养老机构备案材料齐全，本机关已予备案。现将养老机构应当具备的基本条件告知如下，并提供扶持政策清单。备案事项发生变更的，请及时办理变更备案；本机关将对养老机构进行现场检查，核实备案信息。".into(),
            adverse: false,
        }),
        rows,
        lists: vec![
            ("养老机构基本条件告知", BASIC_CONDITIONS.iter().map(|s| s.to_string()).collect()),
            ("扶持政策清单", SUPPORT_POLICIES.iter().map(|s| s.to_string()).collect()),
        ],
        states_facts: true,
        // The receipt is the institution's, whoever brought its filing to the window.
        addressee: operator.map(|o| o.name.clone()),
        ..AreaNotice::default()
    }
}
