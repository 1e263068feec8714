//! 养老机构备案 under 承诺制 and the institutions' register (养老服务).
//!
//! - [`institution`]: the institution as the register keeps it (name, 统一社会信用代码, operator,
//!   type 公办/民办/公建民营, beds, floor area, premises and its division, status), read from a
//!   filing's facts; the changes filed after (name, legal representative, premises, beds, area).
//! - [`period`]: the periods of the area as rule data (filing after taking in residents, a change
//!   filed after it happens, the on-site inspection after filing), each with its basis, on the
//!   working-day calendar; states such as "overdue" derived from the dates on read.
//! - [`service_status`]: suspension, closure and resumption as reported, with the resettlement
//!   plan and the notice before the stop (a short notice flagged).
//! - [`stats`]: institutions and beds by type and county, filings, inspections done and overdue,
//!   computed from the records.
//!
//! A filing is a notification, not a licence (《中华人民共和国老年人权益保障法》第四十三条: 养老机构
//! 登记后即可开展服务活动, 并向县级以上人民政府民政部门备案). Complete materials are answered at once
//! with the 备案回执, the notice of basic operating conditions and the list of support policies;
//! incomplete ones with guidance to complete them, never with a refusal (《养老机构管理办法》（民政部令
//! 第66号）第二章 备案办理). The item declares `refusable = false`, and the engine then refuses
//! 不予受理 and every negative decision on it ([`crate::procedure::ProcedureDef::refusable`]).

pub mod codes;
pub mod institution;
pub mod period;
pub mod service_status;
pub mod stats;

pub use institution::{
    Change, ChangeField, ChangeInput, Inspection, InspectionInput, InspectionResult, Institution, InstitutionType,
    Status,
};
pub use period::{PeriodRule, CHANGE_FILING, FILING_AFTER_RESIDENTS, POST_FILING_INSPECTION};
pub use service_status::{StatusAct, StatusChange, StatusInput, NOTICE_BEFORE_STOP};
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

/// The basic conditions an institution is told of with its 备案回执 (《养老机构管理办法》（民政部令
/// 第66号）: 民政部门…告知养老机构应当具备的基本条件), as rule data a locality may extend.
pub const BASIC_CONDITIONS: &[&str] = &[
    "服务场所符合建筑、消防安全等法律法规和强制性标准的要求",
    "提供膳食服务的，符合食品安全法律法规和标准",
    "设置医疗机构或者提供医疗服务的，依法取得相应资质",
    "使用特种设备的，符合特种设备安全法律法规的要求",
    "配备与服务规模和服务内容相适应的工作人员",
    "与老年人或者其代理人签订服务协议，明确双方权利义务",
    "建立入院评估、安全管理和突发事件应急处置制度",
];

/// The support policies listed with the 备案回执, as data; the standards and how to apply are
/// the locality's own.
pub const SUPPORT_POLICIES: &[&str] = &[
    "养老机构用电、用水、用气、用热按居民生活类价格执行",
    "符合条件的养老机构依法享受税费优惠",
    "按规定申请养老机构建设补贴和运营补贴（具体标准和申请方式以当地民政部门公布为准）",
];

/// The Chinese labels of the area's events ([`crate::event_label`] asks each area).
pub const EVENT_LABELS: &[(&str, &str)] = &[
    ("elderly_care.filed", "养老机构备案，载入养老机构名册"),
    ("elderly_care.change", "养老机构变更备案"),
    ("elderly_care.inspection", "记录养老机构备案后现场检查"),
    ("elderly_care.status", "养老机构暂停、终止或恢复服务"),
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
