//! 重大行政决策 and 规范性文件: how the organ makes its rules.
//!
//! - [`decision`]: a major administrative decision (重大行政决策程序暂行条例, 国务院令第713号, in
//!   force 2019-09-01) and its five procedures as gates on its dated history: 公众参与
//!   (第十四条至第十八条), 专家论证 (第十九条、第二十条), 风险评估 (第二十二条至第二十四条),
//!   合法性审查 (第二十五条至第二十八条), 集体讨论决定 (第三十条), then 公布 (第三十二条).
//! - [`document`]: a 规范性文件 in the register: its 有效期 (at most 5 years, 暂行/试行 at most
//!   2), its state on any date derived from its dates and its recorded acts, the comment period
//!   for documents affecting business activity (优化营商环境条例第六十二条), the legality-review
//!   and filing limits as data, and the clean-up (清理) verdicts.
//! - [`consultation`]: citizens' comments on a draft open for comment and the organ's answers.
//! - [`hearing`]: citizens' applications to take part in a hearing and the organ's selection.
//! - [`period`]: the comment period shared by both (30 日, counted on the calendar).
//!
//! Why not the procedure engine: a decision's procedures are not a sequence of steps of one
//! case but five gates that may be passed in several acts (opinions, a hearing, a repeated
//! review), each with its own dates; the gates are checked here on the whole history, so a
//! left-out procedure is an act with its reason and nothing can be skipped silently.

pub mod codes;
pub mod consultation;
pub mod decision;
pub mod document;
pub mod hearing;
pub mod openness;
pub mod period;

pub use decision::{Completeness, DecisionHistory, Procedure, ProcedureState, Step, StepInput};
pub use document::{DocumentInput, DocumentState, Limits, NewDocument, StatusAct, StatusActKind, Verdict};

/// The name of a decision's stream in the full-process record: `rule_decision:<id>`.
pub fn decision_stream(id: i64) -> String {
    format!("rule_decision:{id}")
}

/// The name of a normative document's stream: `rule_document:<id>`.
pub fn document_stream(id: i64) -> String {
    format!("rule_document:{id}")
}

/// The name of a clean-up campaign's stream: `rule_cleanup:<id>`.
pub fn cleanup_stream(id: i64) -> String {
    format!("rule_cleanup:{id}")
}

/// The Chinese labels of the area's events ([`crate::event_label`] asks each area).
pub const EVENT_LABELS: &[(&str, &str)] = &[
    ("rule_making.decision_opened", "重大行政决策立项"),
    ("rule_making.decision_step", "记录重大行政决策程序"),
    ("rule_making.decision_refused", "拒绝不合法定程序的决策操作"),
    ("rule_making.document_registered", "登记规范性文件"),
    ("rule_making.document_act", "规范性文件废止、失效或修改"),
    ("rule_making.document_filed", "规范性文件报送备案"),
    ("rule_making.documents_flagged", "上位法变化，标记待审查的规范性文件"),
    ("rule_making.cleanup_opened", "启动规范性文件清理"),
    ("rule_making.cleanup_verdict", "记录清理意见"),
    ("rule_making.cleanup_published", "公布清理结果"),
    ("rule_making.comment_received", "收到公众对决策草案的意见"),
    ("rule_making.comment_answered", "答复公众意见"),
    ("rule_making.phone_code_sent", "发送提交意见的短信验证码"),
    ("rule_making.hearing_applied", "公众报名参加听证会"),
    ("rule_making.hearing_selected", "遴选听证参加人"),
];
