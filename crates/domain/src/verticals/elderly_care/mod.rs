//! 养老机构备案 under 承诺制 and the institutions' register (养老服务).
//!
//! - [`institution`]: the institution as the register keeps it (name, 统一社会信用代码, operator,
//!   type 公办/民办/公建民营, beds, floor area, premises and its division, status), read from a
//!   filing's facts; the changes filed after (name, legal representative, premises, beds, area).
//! - [`period`]: the periods of the area as rule data (filing after taking in residents, a change
//!   filed after it happens, the on-site inspection after filing), each with its basis, on the
//!   working-day calendar; states such as "overdue" derived from the dates on read.
//! - [`stats`]: institutions and beds by type and county, filings, inspections done and overdue,
//!   computed from the records.
//!
//! A filing is a notification, not a licence (《中华人民共和国老年人权益保障法》第四十三条: 养老机构
//! 登记后即可开展服务活动, 并向县级以上人民政府民政部门备案). Complete materials are answered at once
//! with the 备案回执, the notice of basic operating conditions and the list of support policies;
//! incomplete ones with guidance to complete them, never with a refusal (《养老机构管理办法》（民政部令
//! 第66号）第二章 备案办理). The item declares `refusable = false`, and the engine then refuses
//! 不予受理 and every negative decision on it ([`crate::procedure::ProcedureDef::refusable`]).

pub mod institution;
pub mod period;
pub mod stats;

pub use institution::{
    Change, ChangeField, ChangeInput, Inspection, InspectionInput, InspectionResult, Institution, InstitutionType,
    Status,
};
pub use period::{PeriodRule, CHANGE_FILING, FILING_AFTER_RESIDENTS, POST_FILING_INSPECTION};
pub use stats::{InspectionState, Stats};

/// The name of an institution's stream in the full-process record.
pub fn stream(institution_id: i64) -> String {
    format!("elderly_care:{institution_id}")
}

/// The guard names of the area's steps: none (the filing has no condition to refuse on).
pub const GUARDS: &[&str] = &[];

/// What a step of the area may write beyond its case: the institution entered in the register
/// when the 备案回执 is produced.
pub const EFFECTS: &[&str] = &["elderly_care_register"];

/// The Chinese labels of the area's events ([`crate::event_label`] asks each area).
pub const EVENT_LABELS: &[(&str, &str)] = &[
    ("elderly_care.filed", "养老机构备案，载入养老机构名册"),
    ("elderly_care.change", "养老机构变更备案"),
    ("elderly_care.inspection", "记录养老机构备案后现场检查"),
];

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;
    use crate::vertical::Vertical;

    /// The filing item, as the bureau's catalog declares it: of this area, never ending in a
    /// refusal, and entering the register when the receipt is produced.
    #[test]
    fn the_filing_item_cannot_refuse_and_writes_the_register() {
        let text = include_str!("../../../../../catalog/elderly-care-filing/v1.toml");
        let catalog = Catalog::from_files(&[("catalog/elderly-care-filing/v1.toml".to_string(), text.to_string())])
            .unwrap_or_else(|p| panic!("{p:?}"));
        let item = catalog.versions("elderly-care-filing").last().unwrap();
        assert_eq!(item.vertical, Some(Vertical::ElderlyCare));
        assert!(!item.procedure.refusable);
        let produce = item.procedure.step("produce").unwrap();
        assert_eq!(produce.effects, super::EFFECTS);
        assert!(item.form.field("commitment_signed").is_some_and(|f| f.required));
    }
}
