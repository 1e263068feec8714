//! Social assistance (社会救助: 低保, 特困, 临时救助), the two disability subsidies (残疾人两项补贴)
//! and child welfare (孤儿, 事实无人抚养儿童), pure: households kept as dated versions, the rule data
//! in force per division and date, the evaluation that returns a [`Decision`] with its rule version,
//! inputs and a readable Chinese trace, the months a benefit is paid from and to, the benefits that
//! exclude each other and the monthly payment roll. Sources: 国办发〔2020〕35号,
//! 国发〔2015〕52号, 民发〔2019〕62号, 社会救助暂行办法; every rule cites its own below. Design: docs/designs/assistance.md.

pub mod account;
pub mod certificate;
pub mod codes;
pub mod eligibility;
pub mod household;
pub mod money;
pub mod payment;
pub mod pilot;
pub mod program;
pub mod publicity;
pub mod raise;
pub mod recheck;
pub mod roll;
pub mod rules;

pub use eligibility::{evaluate, Application, ChildFacts, Decision, ParentSituation, Supporter};
pub use household::{
    Asset, AssetKind, Disability, DisabilityCategory, Household, HouseholdVersion, IncomeItem, Member, Relationship,
};
pub use money::{format_yuan, parse_yuan};
pub use payment::{first_paid_month, last_paid_month_for_child, YearMonth};
pub use program::{excludes, Program};
pub use publicity::{is_publicity_step, minor_on, publicity_end, publicity_required};
pub use roll::{apply_deaths, payment_roll, Award, Change, ChangeKind, PaymentRoll, RollLine};
pub use rules::{RuleSet, RuleVersion};

/// The guard names an assistance item's steps may name: the 县级残联 check of the disability
/// certificate ([`certificate`]; 国发〔2015〕52号). The catalog refuses any other name on an
/// assistance item.
pub const GUARDS: &[&str] = &["disability_certificate_verified"];

/// The step at which the household's data must be on record: the procedure's first review, the
/// township's investigation of the household's income and property (入户调查、邻里访问、信函索证、
/// 信息核对, 《社会救助暂行办法》第十一条第一项). Its approval rests on that data, so it does not pass
/// without it, and the later steps (公示, 审核确认) never meet a case with nothing to decide on.
pub fn investigation_step(procedure: &crate::procedure::ProcedureDef) -> Option<&crate::procedure::StepDef> {
    procedure.steps.iter().find(|s| s.kind == crate::procedure::StepKind::Review)
}

/// The effect names an assistance item's steps may name: none yet (the decision and the payment
/// roll are written by the service with the decide act, not named in the catalog).
pub const EFFECTS: &[&str] = &[];

/// The Chinese labels of the events of social assistance ([`crate::event_label`] asks each area).
pub const EVENT_LABELS: &[(&str, &str)] = &[
    ("assistance.application", "救助申请"),
    ("assistance.decision", "救助审批决定"),
    ("assistance.home_visit", "入户调查"),
    ("assistance.publicity_posted", "张贴公示"),
    ("assistance.recheck_scan", "定期复核排查"),
    ("assistance.roll_export", "导出发放名册"),
    ("assistance.standard_raise", "提高救助标准"),
    ("household.create", "建立家庭信息"),
    ("household.version", "更新家庭信息"),
];
