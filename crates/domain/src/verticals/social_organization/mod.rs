//! 社会组织登记: the register of social organizations (社会团体, 民办非企业单位/社会服务机构,
//! 基金会), pure. Sources: 《社会团体登记管理条例》(2016年修订, 国务院令第666号), 《民办非企业单位
//! 登记管理暂行条例》(1998), 《基金会管理条例》(2004); each rule cites its article below.
//! Design: docs/designs/social_organization.md.
//!
//! - [`kind`]: type, level, the direct-registration categories, status.
//! - [`conditions`]: the conditions of registration (社团条例第十条; 民非条例第八条) and the
//!   sponsor's consent (社团条例第九条; 民非条例第八条), as guards with reasons.
//! - [`branch`]: the branch rules (社团条例第十七条; 民非条例第十三条).
//! - [`inspection`]: the annual inspection's two dates and results (社团条例第二十八条; 民非条例
//!   第二十三条) and the year without activity (社团条例第二十九条; 民非条例第二十四条).
//! - [`decoupling`]: the five separations of a 行业协会商会 from its administrative organ.
//! - [`foundation`]: who registers foundations and their 原始基金 (基金会管理条例第六条、第八条).
//! - [`sanction`]: the basis of an enforcement case on an organization that did not take part in
//!   the annual inspection (社团条例第三十条; 民非条例第二十五条; 基金会管理条例第四十二条).
//! - [`code`]: the 统一社会信用代码 the registration authority assigns (GB 32100-2015).
//! - [`periods`]: the 60-day decision, the 30-day change and the 15-day deregistration periods.

pub mod branch;
pub mod code;
pub mod codes;
pub mod conditions;
pub mod decoupling;
pub mod facts;
pub mod foundation;
pub mod inspection;
pub mod kind;
pub mod periods;
pub mod sanction;

pub use kind::{DirectCategory, Level, OrgStatus, OrgType};

/// The guard names a social organization item's steps may name: the registration's conditions
/// (社团条例第十条), the sponsor's consent or the direct-registration category (社团条例第九条),
/// and a deregistration only after liquidation (社团条例第二十一条).
pub const GUARDS: &[&str] = &[GUARD_CONDITIONS, GUARD_SPONSOR, GUARD_LIQUIDATED];

pub const GUARD_CONDITIONS: &str = "social_org_conditions";
pub const GUARD_SPONSOR: &str = "social_org_sponsor_consent";
pub const GUARD_LIQUIDATED: &str = "social_org_liquidated";

/// The effect names: a granted registration enters the organization in the register, a granted
/// change writes its new version, a granted deregistration marks it 注销 (社团条例第十八条、
/// 第二十一条、第二十三条).
pub const EFFECTS: &[&str] = &[EFFECT_REGISTER, EFFECT_CHANGE, EFFECT_DEREGISTER];

pub const EFFECT_REGISTER: &str = "social_org_register";
pub const EFFECT_DEREGISTER: &str = "social_org_deregister";
pub const EFFECT_CHANGE: &str = "social_org_change";

/// The step of the sponsor's consent (业务主管单位审查同意), passed over only for a
/// direct-registration category.
pub const SPONSOR_STEP: &str = "sponsor_consent";

/// The Chinese labels of the area's events ([`crate::event_label`] asks each area).
pub const EVENT_LABELS: &[(&str, &str)] = &[
    ("social_org.registered", "社会组织成立登记"),
    ("social_org.deregistered", "社会组织注销登记"),
    ("social_org.changed", "社会组织变更登记"),
    ("social_org.read", "查阅社会组织登记信息"),
    ("social_org.inspection", "社会组织年度检查"),
    ("social_org.decoupling", "行业协会商会脱钩"),
    ("social_org.branch", "社会团体分支机构、代表机构登记"),
    ("social_org.branch_closed", "社会团体分支机构、代表机构注销"),
];
