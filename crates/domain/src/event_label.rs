//! The one Chinese label of every kind of recorded event.
//!
//! Events keep a machine name (`act`, e.g. `case.accept`, `assistance.decision`) in the record and in
//! the JSON API; a page, notice, export or trace shows the label from here instead, never the machine
//! name. Every event name the code emits is listed in [`EVENT_LABELS`] (a test in `domain/tests`
//! scans the source for event-name literals and fails on one without a label).

use crate::engine::action::ActionKind;
use crate::vertical::Vertical;

/// The label shown for an event whose kind is not in the table (never its machine name).
pub const UNKNOWN_EVENT_LABEL: &str = "其他记录";

/// The events that are not one of the case acts ([`ActionKind`], `case.<kind>`), with their labels;
/// an area's own events are listed in its folder ([`Vertical::event_labels`]).
pub const EVENT_LABELS: &[(&str, &str)] = &[
    // Cases.
    ("case.guard_refused", "办理条件不符，操作未执行"),
    ("case.rate", "办事评价"),
    ("case.search", "检索办件"),
    // Attachments of a case.
    ("attachment.added", "上传附件"),
    ("attachment.downloaded", "下载附件"),
    // Persons.
    ("person.create", "建立人员信息"),
    ("person.read", "查看人员信息"),
    ("person.read_full", "查看完整身份信息"),
    ("person.search", "检索人员"),
    ("person.name_mismatch", "姓名与在册信息不一致"),
    ("person.registry_check", "查询婚姻登记记录"),
    ("person.marital_registration", "婚姻登记记录"),
    ("person.marital_status_read", "查询婚姻状况"),
    ("person.death_recorded", "登记死亡信息"),
    ("person.widowed", "配偶死亡，婚姻关系终止"),
    // Organizations as applicants.
    ("organization.create", "建立组织信息"),
    ("organization.name_mismatch", "名称与在册组织信息不一致"),
    // Accounts, delegations, calendar, catalog.
    ("session.login", "登录"),
    ("session.logout", "退出登录"),
    ("account.create", "创建账号"),
    ("account.grant", "授予角色"),
    ("account.revoke", "撤销角色"),
    ("account.disable", "停用账号"),
    ("account.password", "修改密码"),
    ("account.register", "办事群众实名注册"),
    ("account.bind_person", "账号实名认证"),
    ("delegation.grant", "委托下放审批权限"),
    ("delegation.revoke", "撤销委托"),
    ("annual_report.saved", "保存法治政府建设年度报告"),
    ("annual_report.published", "发布法治政府建设年度报告"),
    ("calendar.import", "导入工作日历"),
    ("catalog.version", "事项目录新版本"),
    ("catalog.claim", "认领事项"),
    ("catalog.publish", "发布事项"),
    ("catalog.withdraw", "撤回事项"),
    ("catalog.guide_reviewed", "核查办事指南要素"),
    // Regional nodes (跨省通办 between nodes).
    ("node.case_received", "接收外省节点推送的办件"),
    ("node.result_sent", "审核结果返回受理地节点"),
    ("node.result_received", "收到办理地节点返回的结果"),
    ("node.taken_there", "办理地节点已接收办件"),
    ("node.delivered_received", "受理地节点已告知申请人"),
];

/// The Chinese label of an event's machine name (`case.accept` → 受理); [`UNKNOWN_EVENT_LABEL`]
/// for a name not in the table, so a machine name never reaches a user.
pub fn event_label(act: &str) -> &'static str {
    known_event_label(act).unwrap_or(UNKNOWN_EVENT_LABEL)
}

/// The label of an event name the code knows, `None` otherwise.
pub fn known_event_label(act: &str) -> Option<&'static str> {
    if let Some(kind) = act.strip_prefix("case.").and_then(ActionKind::parse) {
        return Some(kind.name_zh());
    }
    EVENT_LABELS
        .iter()
        .chain(Vertical::ALL.into_iter().flat_map(|area| area.event_labels()))
        .find(|(name, _)| *name == act)
        .map(|(_, label)| *label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_acts_take_the_name_on_the_button() {
        for kind in ActionKind::ALL {
            assert_eq!(event_label(kind.event_act()), kind.name_zh());
        }
        assert_eq!(event_label("case.accept"), "受理");
    }

    #[test]
    fn other_events_have_their_label_and_an_unknown_one_no_machine_name() {
        assert_eq!(event_label("assistance.decision"), "救助审批决定");
        assert_eq!(event_label("marriage.registered"), "婚姻登记办结");
        assert_eq!(event_label("case.guard_refused"), "办理条件不符，操作未执行");
        assert_eq!(event_label("nothing.known"), UNKNOWN_EVENT_LABEL);
        assert_eq!(known_event_label("nothing.known"), None);
        assert_eq!(known_event_label("case.nothing"), None);
    }

    #[test]
    fn the_table_has_one_label_per_name_and_no_case_act_twice() {
        let all = EVENT_LABELS.iter().chain(Vertical::ALL.into_iter().flat_map(|area| area.event_labels()));
        let mut names: Vec<&str> = all.clone().map(|(n, _)| *n).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "an event name listed twice");
        for (name, label) in all {
            assert!(name.strip_prefix("case.").and_then(ActionKind::parse).is_none(), "{name} is a case act");
            assert!(!label.is_empty() && !label.is_ascii(), "{name} has no Chinese label");
        }
    }
}
