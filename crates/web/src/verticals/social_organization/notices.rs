//! What a social organization's registration adds to its decision: the 准予登记决定书 names the
//! organization registered and the 统一社会信用代码 it was given (the register's
//! `social_org.registered` event of the case), beside the facts of the application (the generic
//! rows). The certificate follows within ten days of the decision (《中华人民共和国行政许可法》
//! 第四十四条: 自作出决定之日起十日内颁发、送达行政许可证件).

use domain::audit::Event;
use domain::verticals::social_organization::OrgType;
use service::cases::CaseView;

use crate::routes::notices::{last_payload, AreaNotice, NoticeKind, Verdict};

pub fn notice_rows(kind: NoticeKind, view: &CaseView, events: &[Event]) -> AreaNotice {
    let granted = view.case.decision.as_ref().is_some_and(|d| d.granted);
    if kind != NoticeKind::Decision || !granted {
        return AreaNotice::default();
    }
    let Some((registered, _)) = last_payload(events, "social_org.registered") else {
        return AreaNotice::default();
    };
    let name = registered["name"].as_str().unwrap_or_default();
    let code = registered["credit_code"].as_str().unwrap_or_default();
    let kind_zh = registered["org_type"].as_str().and_then(OrgType::parse).map_or("社会组织", |t| t.name_zh());
    let mut words = format!("经审查，你（单位）申请成立登记的{kind_zh}“{name}”符合法定条件，本机关决定准予成立登记。");
    if !code.is_empty() {
        words.push_str(&format!("统一社会信用代码：{code}。"));
    }
    words.push_str("登记证书自本决定作出之日起十日内颁发。");
    // The name, address and scope are the application's facts (the generic rows); the code is
    // the register's.
    let rows = if code.is_empty() { Vec::new() } else { vec![("统一社会信用代码", code.to_string())] };
    AreaNotice {
        verdict: Some(Verdict { title: "准予登记决定书", words, adverse: false }),
        rows,
        lists: Vec::new(),
        states_facts: false,
        ..AreaNotice::default()
    }
}
