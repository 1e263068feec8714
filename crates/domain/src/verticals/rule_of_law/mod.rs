//! 法治政府建设台账: the registers that only the annual report on building a law-based government
//! (法治政府建设年度报告) reads. 《法治政府建设与责任落实督察工作规定》 (厅字〔2019〕28号) asks every
//! government department at or above the county level to report on the year's work before 1 March (the
//! article number is for the report's area to confirm); the registers hold the facts that report
//! states and that no case of the platform records:
//!
//! - 领导小组 and its members (the principal leader leads the work);
//! - 学法 sessions (党组中心组学法, 局长办公会会前学法: the leading cadres' study of law);
//! - 依法行政专题培训 and 执法资格考试 results (the credentials themselves are the enforcement
//!   area's officers' register, referred to by 执法证号, never copied);
//! - 普法 activities (“谁执法谁普法”普法责任制: 中办发〔2017〕31号);
//! - 民主法治示范村(社区) (the batches named by 司法部、民政部);
//! - legal advisers and 公职律师 (中办发〔2016〕30号);
//! - 村(居)务公开 supervision records (村民委员会组织法 第三十条、第三十二条).
//!
//! Each register is a list of [`Field`]s; [`parse`] is the one parser of a record, for the page
//! form, the JSON API and every row of an imported workbook.

pub mod codes;
pub mod register;

pub use register::{parse, Entry, Field, FieldKind, RecordInput, Register};

/// The stream of the registers in the full-process record.
pub const STREAM: &str = "rule_of_law:registers";

/// The Chinese labels of the area's events ([`crate::event_label`] asks each area).
pub const EVENT_LABELS: &[(&str, &str)] = &[
    ("rule_of_law.recorded", "登记法治政府建设台账记录"),
    ("rule_of_law.changed", "修改法治政府建设台账记录"),
    ("rule_of_law.imported", "导入法治政府建设台账"),
];
