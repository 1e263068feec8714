//! 政府信息公开 依申请公开: a request for government information and its answer, under the
//! 政府信息公开条例 (2019 revision, 国务院令第711号).
//!
//! - [`request`]: who asks, how it arrives, and the day it counts as received (第二十九条、第三十一条).
//! - [`timeline`]: the answer period (第三十三条), the one correction notice (第三十条), the one
//!   extension (第三十三条第二款) and the third-party consultation that does not count
//!   (第三十二条、第三十三条第三款), all on the work calendar.
//! - [`answer`]: the types of answer (第三十六条、第三十七条、第三十九条 and the report's other
//!   kinds), each with its notice text and basis, and the remedies every notice names.
//! - [`report`]: section 三 and 四 of the annual report (第四十九条、第五十条), computed from the
//!   records.
//! - [`outcomes`]: the answer types as the published item's declared outcomes
//!   (`catalog/government-information-request/v1.toml`).
//! - `on_the_engine` (tests): the published item's periods on the procedure engine equal the
//!   area's own, date for date.
//!
//! A request is a case of that item: its periods are the engine's (the day of receipt by
//! channel, the correction that restarts the period, the consultation and its third party's 15
//! working days, the extension, acts dated as they happened), its answer the decide act naming an
//! outcome. The [`timeline`] rules still decide the requests received before, kept in the area's
//! own tables until closed, and the engine still lacks the correction's own period and its lapse
//! (视为放弃申请) and the answer's structured content (the withholding reason, the 第四十二条 fee):
//! docs/designs/disclosure.md.

pub mod answer;
pub mod codes;
#[cfg(test)]
mod on_the_engine;
pub mod outcomes;
pub mod report;
pub mod request;
pub mod timeline;

pub use answer::{
    AnswerInput, AnswerKind, NewAnswer, NoticeKind, Remedy, RemedyInput, RemedyKind, RemedyResult, WithholdReason,
    REMEDIES_TEXT,
};
pub use report::{AnnualReport, RequestRecord};
pub use request::{ApplicantKind, Channel, NewRequest, ProvisionForm, ReceiptFacts, RequestInput};
pub use timeline::{Limits, Stage, Step, StepInput, Timeline};

/// The name of the area's stream in the full-process record: `disclosure:<request id>`.
pub fn stream(request_id: i64) -> String {
    format!("disclosure:{request_id}")
}

/// The Chinese labels of the events of disclosure on request ([`crate::event_label`] asks each area).
pub const EVENT_LABELS: &[(&str, &str)] = &[
    ("disclosure.request", "收到政府信息公开申请"),
    ("disclosure.read", "查看政府信息公开申请"),
    ("disclosure.correction_notice", "告知补正"),
    ("disclosure.corrected", "收到补正后的申请"),
    ("disclosure.extension", "延长答复期限"),
    ("disclosure.consultation_start", "书面征求第三方意见"),
    ("disclosure.consultation_end", "第三方意见收回"),
    ("disclosure.answer", "政府信息公开申请答复"),
    ("disclosure.remedy", "记录行政复议、行政诉讼情况"),
];
