//! 行政执法: the 行政处罚 cases of the bureau and the three systems of 国办发〔2018〕118号 (公示,
//! 全过程记录, 重大执法决定法制审核), under the 行政处罚法 (revised 2021-01-22, in force 2021-07-15).
//!
//! - [`periods`]: every period of the procedure on the work calendar (第三十六条、第四十八条、
//!   第五十一条、第五十六条、第六十条、第六十一条、第六十四条、第六十七条、第七十二条, counted as
//!   第八十五条 says).
//! - [`officer`]: the officers' register and the gates on who may act (第四十二条、第四十三条、
//!   第五十八条).
//! - [`procedure`]: a case as its dated acts, each checked before it is written; stage and
//!   deadlines derived on read.
//!
//! What 民政 enforces: violations by social organizations (社会团体登记管理条例 第三十条至第三十五条;
//! 民办非企业单位登记管理暂行条例 第二十五条至第二十七条), 殡葬管理条例 第二十条至第二十二条,
//! 养老机构管理办法 第四十六条至第四十九条. A marriage registration obtained by fraud is not a
//! penalty: 民法典 第一千零五十二条 gives its revocation to the courts (and the 婚姻登记条例 no longer
//! gives it to the registry), so it is not a case here.

pub mod codes;
pub mod draw;
pub mod input;
pub mod officer;
pub mod periods;
pub mod procedure;

pub use input::{penalty_text, ActInput};
pub use officer::{NewOfficer, Officer, OfficerInput};
pub use procedure::{
    Act, CaseFile, Deadlines, Filing, Penalty, PenaltyKind, RecordSignature, RevokedBy, Settings, Stage,
};

/// The name of a case's stream in the full-process record: `enforcement:<case id>`.
pub fn stream(case_id: i64) -> String {
    format!("enforcement:{case_id}")
}

/// The stream of the officers' register.
pub const REGISTER_STREAM: &str = "enforcement:register";

/// The Chinese labels of the area's events ([`crate::event_label`] asks each area).
pub const EVENT_LABELS: &[(&str, &str)] = &[
    ("enforcement.officer_added", "登记执法人员"),
    ("enforcement.officer_changed", "变更执法人员信息"),
    ("enforcement.file", "立案"),
    ("enforcement.read", "查看行政处罚案件"),
    ("enforcement.evidence_read", "调阅证据材料"),
    ("enforcement.bundle_exported", "导出全过程记录"),
    ("enforcement.refused", "执法行为被拒绝"),
    ("enforcement.record", "调查取证"),
    ("enforcement.recusal", "申请回避"),
    ("enforcement.preserve", "先行登记保存证据"),
    ("enforcement.preservation_decision", "对登记保存的证据作出处理决定"),
    ("enforcement.notify", "行政处罚事先告知"),
    ("enforcement.statement", "听取陈述申辩"),
    ("enforcement.hearing_request", "当事人要求听证"),
    ("enforcement.hearing_notice", "通知听证"),
    ("enforcement.hearing", "举行听证"),
    ("enforcement.review", "法制审核"),
    ("enforcement.discussion", "集体讨论"),
    ("enforcement.decide", "作出行政处罚决定"),
    ("enforcement.serve", "送达行政处罚决定书"),
    ("enforcement.pay", "缴纳罚款"),
    ("enforcement.publish", "公示行政处罚决定"),
    ("enforcement.revoked", "处罚决定被撤销"),
    ("enforcement.withdraw", "撤回公示"),
    ("enforcement.close", "结案"),
    ("enforcement.accountability", "启动过错责任追究"),
    ("enforcement.conflict_declared", "登记执法检查人员回避"),
    ("enforcement.draw", "双随机抽取检查对象和执法检查人员"),
    ("enforcement.inspection_result", "公示抽查检查结果"),
];

/// The powers of 行政处罚 the bureau exercises over social organizations, with their basis, for
/// the 事前公示 (国办发〔2018〕118号: powers and their legal basis).
pub const POWERS: &[(&str, &str)] = &[
    (
        "对社会团体超出章程规定的宗旨和业务范围进行活动、拒不接受或者不按照规定接受监督检查（年度检查）、违反规定设立分支机构等行为的行政处罚（警告、责令改正、限期停止活动、撤销登记、没收违法所得、罚款）",
        "《社会团体登记管理条例》第三十条",
    ),
    (
        "对未经登记擅自以社会团体名义进行活动的取缔、没收非法财产",
        "《社会团体登记管理条例》第三十二条",
    ),
    (
        "对民办非企业单位违反规定行为的行政处罚（警告、责令改正、限期停止活动、撤销登记、没收违法所得、罚款）",
        "《民办非企业单位登记管理暂行条例》第二十五条",
    ),
];

/// The remedies a party has against a decision (行政处罚法 第七条: 行政复议 or 行政诉讼).
pub const REMEDIES: &str = "当事人对行政处罚决定不服的，可以自收到决定书之日起六十日内依法申请行政复议，或者自收到决定书之日起六个月内依法提起行政诉讼。";
