//! 12345 政务服务便民热线 tickets (工单) and 好差评 rectification (差评整改).
//!
//! - [`ticket`]: the ticket's types and their completion limits (《四川省12345政务服务便民热线
//!   运行管理办法》: 咨询类 3 个工作日, 求助、意见建议类 7 个工作日, 投诉举报类 15 个工作日), the
//!   inbound schema, and its history: 派单, 签收, 退单, 延期 (申请、批准), 办结反馈, 回访 (满意 →
//!   归档, 不满意 → 重办), with 催办 → 督办 → 通报 derived from the dates on the day read.
//! - [`rectification`]: a 差评 (不满意、非常不满意) of a case opens a matter for whoever handled
//!   it (国办发〔2019〕51号 "谁办理、谁负责"): 回访, 核实, 整改 or 解释, the rater's rating of the
//!   fix, and the 申诉 of a disputed rating; never closed without a call-back.
//! - [`stats`]: 按时办结率, 回访率, 满意率, 重复来电, 实名差评回访整改率, from the records.
//!
//! Why not the procedure engine: a ticket is not a 行政许可 case. Its periods hang on its own
//! dated history (a 重办 restarts the limit on the day of the unsatisfied call-back, an
//! extension is bound to the round it extends), so the area keeps its tickets and acts in its
//! own tables and computes every date here, on the calendar of [`crate::calendar`].

pub mod codes;
pub mod rectification;
pub mod stats;
pub mod ticket;

pub use rectification::{RectAct, RectDated, RectInput, RectRules, RectStage, RectState, Rectification};
pub use stats::{RectStats, TicketFacts, TicketStats};
pub use ticket::{
    Act, ActInput, Dated, Escalation, NewTicket, Rules, Stage, State, Status, TicketInput, TicketKind, Timeline,
};

/// The stream of a ticket in the full-process record: `hotline:<ticket id>`.
pub fn stream(ticket_id: i64) -> String {
    format!("hotline:{ticket_id}")
}

/// The stream of a case's 差评 rectification: `hotline:rectification:<case id>`.
pub fn rectification_stream(case_id: i64) -> String {
    format!("hotline:rectification:{case_id}")
}

/// The Chinese labels of the area's events ([`crate::event_label`] asks each area).
pub const EVENT_LABELS: &[(&str, &str)] = &[
    ("hotline.receive", "受理12345工单"),
    ("hotline.read", "查看12345工单"),
    ("hotline.dispatch", "派单"),
    ("hotline.sign", "签收工单"),
    ("hotline.return", "退单"),
    ("hotline.extension_request", "申请延期"),
    ("hotline.extension_decision", "审批延期申请"),
    ("hotline.reply", "办结反馈"),
    ("hotline.callback", "工单回访"),
    ("hotline.export", "向热线平台回传办理结果"),
    ("hotline.rectification", "差评整改"),
    ("hotline.rectification_read", "查看差评整改"),
    ("hotline.fix_rated", "评价人评价整改结果"),
];
