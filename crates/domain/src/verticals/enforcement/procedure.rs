//! A 行政处罚 case under the ordinary procedure (普通程序, 行政处罚法 第五十四条至第六十五条), as its
//! dated acts: each act is checked against the case's history, the officers' register and the
//! calendar before it is written, and the stage and every deadline are derived from the acts on
//! read (a period ends by the calendar, not when somebody looks).
//!
//! 立案 (第五十四条) → 调查取证: 笔录 and evidence (第五十五条), 先行登记保存 (第五十六条) → 告知
//! (第四十四条) → 陈述申辩 (第四十五条) / 听证 (第六十三条至第六十五条) → 法制审核 (第五十八条) →
//! 集体讨论 (第五十七条第二款) → 决定 (第五十七条、第五十九条、第六十条) → 送达 (第六十一条) →
//! 缴款 (第六十七条、第七十二条) → 结案; 公示 (第四十八条) and, when a decision is revoked on
//! 复议 or in court, its withdrawal (第四十八条第二款) and a 过错责任追究 review (118号).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::officer::{check_officers, check_reviewer, Officer};
use super::periods;
use crate::calendar::{CalendarError, WorkCalendar};
use crate::problem::FieldError;

/// Dates as `YYYY-MM-DD` in the stored acts (chrono's serde feature is not on in this crate).
mod ymd {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&date.format("%Y-%m-%d").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(d)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(serde::de::Error::custom)
    }
}

const LAW: &str = "《中华人民共和国行政处罚法》";

/// The kinds of penalty 民政 imposes on social organizations (社会团体登记管理条例 第三十条至
/// 第三十三条; 民办非企业单位登记管理暂行条例 第二十五条), ordered from the lightest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyKind {
    /// 警告.
    Warning,
    /// 罚款.
    Fine,
    /// 没收违法所得、非法财物.
    Confiscation,
    /// 限期停止活动.
    Suspension,
    /// 撤销登记.
    Revocation,
}

impl PenaltyKind {
    pub const ALL: [PenaltyKind; 5] = [
        PenaltyKind::Warning,
        PenaltyKind::Fine,
        PenaltyKind::Confiscation,
        PenaltyKind::Suspension,
        PenaltyKind::Revocation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PenaltyKind::Warning => "warning",
            PenaltyKind::Fine => "fine",
            PenaltyKind::Confiscation => "confiscation",
            PenaltyKind::Suspension => "suspension",
            PenaltyKind::Revocation => "revocation",
        }
    }

    pub fn parse(s: &str) -> Option<PenaltyKind> {
        PenaltyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            PenaltyKind::Warning => "警告",
            PenaltyKind::Fine => "罚款",
            PenaltyKind::Confiscation => "没收违法所得",
            PenaltyKind::Suspension => "限期停止活动",
            PenaltyKind::Revocation => "撤销登记",
        }
    }
}

/// A penalty: its kind and, for a fine or confiscation, the amount in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Penalty {
    pub kind: PenaltyKind,
    pub amount_fen: i64,
}

impl Penalty {
    /// Whether `self` is heavier than `other` (第四十五条第二款: the penalty may not rise
    /// because the party stated his case): a heavier kind, or the same kind with more money.
    pub fn heavier_than(&self, other: &Penalty) -> bool {
        self.kind > other.kind || (self.kind == other.kind && self.amount_fen > other.amount_fen)
    }

    /// 第六十三条: a penalty after which the party may ask for a hearing: a fine or confiscation
    /// of a large amount (较大数额, set by the province: the bureau's threshold), suspension
    /// or revocation.
    pub fn hearing_right(&self, large_amount_fen: i64) -> bool {
        match self.kind {
            PenaltyKind::Warning => false,
            PenaltyKind::Fine | PenaltyKind::Confiscation => self.amount_fen >= large_amount_fen,
            PenaltyKind::Suspension | PenaltyKind::Revocation => true,
        }
    }
}

/// 118号 法制审核 checklist, in its order.
pub const REVIEW_CHECKLIST: [&str; 8] = [
    "执法主体合法，未超越职权",
    "执法人员具备执法资格",
    "事实清楚，证据充分",
    "适用法律、法规、规章准确",
    "裁量符合裁量基准",
    "程序合法",
    "执法文书完备、规范",
    "涉嫌犯罪的已移送司法机关（或不涉嫌犯罪）",
];

/// How a revoked decision was revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevokedBy {
    /// 行政复议.
    Reconsideration,
    /// 行政诉讼.
    Litigation,
}

impl RevokedBy {
    pub fn name_zh(self) -> &'static str {
        match self {
            RevokedBy::Reconsideration => "行政复议",
            RevokedBy::Litigation => "行政诉讼",
        }
    }
}

/// 第六十四条第八项: the 听证笔录 is given to the party or his agent to check and sign or seal;
/// if they refuse to sign or seal it, the chair notes so in the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RecordSignature {
    /// Checked and signed (or sealed) by the party or his agent.
    Signed,
    /// Refused; `note` is the chair's note in the record (what was refused, by whom, why if said).
    Refused { note: String },
}

impl RecordSignature {
    /// The line the record prints where the party signs.
    pub fn text_zh(&self) -> String {
        match self {
            RecordSignature::Signed => "当事人或者其代理人已核对无误并签字（盖章）".into(),
            RecordSignature::Refused { note } => format!("当事人或者其代理人拒绝签字或者盖章。听证主持人注明：{note}"),
        }
    }
}

/// One dated act on a case. Officers are register ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Act {
    /// 第五十五条: an inquiry or inspection record (笔录), or a piece of evidence; `evidence_sm3`
    /// is the SM3 hash of the stored file.
    Record {
        #[serde(with = "ymd")]
        on: NaiveDate,
        officers: Vec<i64>,
        on_site: bool,
        title: String,
        evidence_sm3: Option<String>,
    },
    /// 第四十三条: an officer declares a recusal.
    Recusal {
        #[serde(with = "ymd")]
        on: NaiveDate,
        officer: i64,
        reason: String,
    },
    /// 第五十六条: evidence registered and preserved, approved by the head.
    Preserve {
        #[serde(with = "ymd")]
        on: NaiveDate,
        officers: Vec<i64>,
        approved_by: String,
    },
    /// 第五十六条: the decision on preserved evidence.
    PreservationDecision {
        #[serde(with = "ymd")]
        on: NaiveDate,
    },
    /// 第四十四条: the intended penalty, facts, reasons, basis and rights told to the party.
    Notify {
        #[serde(with = "ymd")]
        on: NaiveDate,
        officers: Vec<i64>,
        penalty: Penalty,
    },
    /// 第四十五条: the party's statement and defence heard.
    Statement {
        #[serde(with = "ymd")]
        on: NaiveDate,
        summary: String,
    },
    /// 第六十四条第一项: the party asks for a hearing.
    HearingRequest {
        #[serde(with = "ymd")]
        on: NaiveDate,
    },
    /// 第六十四条第二项、第四项: the notice of the hearing, its chair.
    HearingNotice {
        #[serde(with = "ymd")]
        on: NaiveDate,
        #[serde(with = "ymd")]
        hearing_on: NaiveDate,
        chair: i64,
    },
    /// 第六十四条: the hearing held; `summary` is its 听证笔录 (第六十四条第八项: what the
    /// investigators put forward, the party's statement, defence and cross-examination), on which
    /// the decision rests (第六十五条). Empty in acts recorded before the record was kept;
    /// `signature` is `None` in acts recorded before the signing was kept.
    Hearing {
        #[serde(with = "ymd")]
        on: NaiveDate,
        #[serde(default)]
        summary: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signature: Option<RecordSignature>,
    },
    /// 第五十八条: the 法制审核 and its checklist; failed items send the case back.
    Review {
        #[serde(with = "ymd")]
        on: NaiveDate,
        reviewer: i64,
        checklist: Vec<bool>,
        note: String,
    },
    /// 第五十七条第二款: the collective discussion of the heads.
    Discussion {
        #[serde(with = "ymd")]
        on: NaiveDate,
        minutes: String,
        dissent: String,
    },
    /// 第五十七条、第五十九条: the decision.
    Decide {
        #[serde(with = "ymd")]
        on: NaiveDate,
        penalty: Penalty,
        facts: String,
        basis: String,
    },
    /// 第六十一条: the decision served.
    Serve {
        #[serde(with = "ymd")]
        on: NaiveDate,
        officers: Vec<i64>,
    },
    /// 第六十七条: the fine paid at the bank.
    Pay {
        #[serde(with = "ymd")]
        on: NaiveDate,
        amount_fen: i64,
    },
    /// 第四十八条: the decision published.
    Publish {
        #[serde(with = "ymd")]
        on: NaiveDate,
    },
    /// The decision revoked on 复议 or in court.
    Revoked {
        #[serde(with = "ymd")]
        on: NaiveDate,
        by: RevokedBy,
        reason: String,
    },
    /// 第四十八条第二款: the publication withdrawn with reasons.
    Withdraw {
        #[serde(with = "ymd")]
        on: NaiveDate,
        reason: String,
    },
    /// 结案.
    Close {
        #[serde(with = "ymd")]
        on: NaiveDate,
    },
}

impl Act {
    pub fn on(&self) -> NaiveDate {
        match self {
            Act::Record { on, .. }
            | Act::Recusal { on, .. }
            | Act::Preserve { on, .. }
            | Act::PreservationDecision { on }
            | Act::Notify { on, .. }
            | Act::Statement { on, .. }
            | Act::HearingRequest { on }
            | Act::HearingNotice { on, .. }
            | Act::Hearing { on, .. }
            | Act::Review { on, .. }
            | Act::Discussion { on, .. }
            | Act::Decide { on, .. }
            | Act::Serve { on, .. }
            | Act::Pay { on, .. }
            | Act::Publish { on }
            | Act::Revoked { on, .. }
            | Act::Withdraw { on, .. }
            | Act::Close { on } => *on,
        }
    }

    /// The machine name (stored, in the API and the event's name after `enforcement.`).
    pub fn kind(&self) -> &'static str {
        match self {
            Act::Record { .. } => "record",
            Act::Recusal { .. } => "recusal",
            Act::Preserve { .. } => "preserve",
            Act::PreservationDecision { .. } => "preservation_decision",
            Act::Notify { .. } => "notify",
            Act::Statement { .. } => "statement",
            Act::HearingRequest { .. } => "hearing_request",
            Act::HearingNotice { .. } => "hearing_notice",
            Act::Hearing { .. } => "hearing",
            Act::Review { .. } => "review",
            Act::Discussion { .. } => "discussion",
            Act::Decide { .. } => "decide",
            Act::Serve { .. } => "serve",
            Act::Pay { .. } => "pay",
            Act::Publish { .. } => "publish",
            Act::Revoked { .. } => "revoked",
            Act::Withdraw { .. } => "withdraw",
            Act::Close { .. } => "close",
        }
    }

    /// The officers named by the act, who must be fit to act on it.
    pub fn officers(&self) -> &[i64] {
        match self {
            Act::Record { officers, .. }
            | Act::Preserve { officers, .. }
            | Act::Notify { officers, .. }
            | Act::Serve { officers, .. } => officers,
            _ => &[],
        }
    }

    /// Whether the act is done on the spot, before the party (第四十二条: two officers).
    pub fn on_site(&self) -> bool {
        match self {
            Act::Record { on_site, .. } => *on_site,
            Act::Preserve { .. } => true,
            _ => false,
        }
    }
}

/// Where a case stands, from its acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Investigating,
    Notified,
    Hearing,
    Review,
    Decided,
    Served,
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Investigating,
        Stage::Notified,
        Stage::Hearing,
        Stage::Review,
        Stage::Decided,
        Stage::Served,
        Stage::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Investigating => "investigating",
            Stage::Notified => "notified",
            Stage::Hearing => "hearing",
            Stage::Review => "review",
            Stage::Decided => "decided",
            Stage::Served => "served",
            Stage::Closed => "closed",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Stage::Investigating => "调查取证",
            Stage::Notified => "已告知，待陈述申辩",
            Stage::Hearing => "听证",
            Stage::Review => "法制审核",
            Stage::Decided => "已作出决定，待送达",
            Stage::Served => "已送达，待履行",
            Stage::Closed => "已结案",
        }
    }
}

/// The facts fixed at 立案.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filing {
    #[serde(with = "ymd")]
    pub filed_on: NaiveDate,
    /// The day the act ended (or was done), for the limitation of 第三十六条.
    #[serde(with = "ymd")]
    pub act_ended_on: NaiveDate,
    /// 第三十六条: the act harmed life, health or financial safety.
    pub harmful: bool,
    /// 第五十八条: a major case needing 法制审核 (public interest, major rights, complexity).
    pub major: bool,
    pub party_is_person: bool,
    /// The officers assigned at 立案 (the investigators).
    pub officers: Vec<i64>,
}

/// The bureau's settings for its cases (where the law leaves the figure to others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// 第六十三条: 较大数额 of a fine for a hearing, set by the province; in fen.
    pub large_amount_person_fen: i64,
    pub large_amount_organization_fen: i64,
    /// 第六十条: days of extension of the decision period allowed by a rule of the 民政部, after
    /// the head's approval (0 where none applies).
    pub decision_extension_days: u32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            large_amount_person_fen: 2_000 * 100,
            large_amount_organization_fen: 50_000 * 100,
            decision_extension_days: 0,
        }
    }
}

/// A case: its filing and its acts in the order they were recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFile {
    pub filing: Filing,
    pub acts: Vec<Act>,
}

/// The deadlines of a case on read; `None` where the period has not started or is over.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deadlines {
    pub decision_due: Option<NaiveDate>,
    pub preservation_decision_due: Option<NaiveDate>,
    pub hearing_request_due: Option<NaiveDate>,
    pub service_due: Option<NaiveDate>,
    pub payment_due: Option<NaiveDate>,
    pub publication_due: Option<NaiveDate>,
    pub withdrawal_due: Option<NaiveDate>,
    /// 第七十二条: the surcharge on the unpaid fine on the day read, in fen.
    pub surcharge_fen: i64,
}

fn refuse(field: &str, code: &'static str, message: String) -> FieldError {
    FieldError::new(field, code, message)
}

/// 第三十六条: the limitation check at 立案.
pub fn check_filing(filing: &Filing, today: NaiveDate) -> Result<(), FieldError> {
    if filing.filed_on > today {
        return Err(refuse("filed_on", "date_in_future", "日期不能晚于今天".into()));
    }
    if filing.act_ended_on > filing.filed_on {
        return Err(refuse("act_ended_on", "date_order", "违法行为发生（终了）日期不能晚于立案日期".into()));
    }
    if !periods::within_limitation(filing.act_ended_on, filing.filed_on, filing.harmful) {
        let years = if filing.harmful { 5 } else { 2 };
        return Err(refuse(
            "act_ended_on",
            "limitation_expired",
            format!("违法行为在{years}年内未被发现的，不再给予行政处罚（{LAW}第三十六条）"),
        ));
    }
    if filing.officers.len() < 2 {
        return Err(refuse("officers", "two_officers", format!("案件应当指定不少于两名执法人员（{LAW}第四十二条）")));
    }
    Ok(())
}

impl CaseFile {
    fn find<T>(&self, f: impl Fn(&Act) -> Option<T>) -> Option<T> {
        self.acts.iter().rev().find_map(f)
    }

    pub fn notified(&self) -> Option<(NaiveDate, Penalty)> {
        self.find(|a| match a {
            Act::Notify { on, penalty, .. } => Some((*on, *penalty)),
            _ => None,
        })
    }

    pub fn decision(&self) -> Option<(NaiveDate, Penalty)> {
        self.find(|a| match a {
            Act::Decide { on, penalty, .. } => Some((*on, *penalty)),
            _ => None,
        })
    }

    fn served_on(&self) -> Option<NaiveDate> {
        self.find(|a| match a {
            Act::Serve { on, .. } => Some(*on),
            _ => None,
        })
    }

    fn has(&self, kind: &str) -> bool {
        self.acts.iter().any(|a| a.kind() == kind)
    }

    /// The officers who declared a recusal.
    pub fn recused(&self) -> Vec<i64> {
        self.acts
            .iter()
            .filter_map(|a| match a {
                Act::Recusal { officer, .. } => Some(*officer),
                _ => None,
            })
            .collect()
    }

    /// The investigators: the officers at 立案 and every officer who recorded evidence.
    pub fn investigators(&self) -> Vec<i64> {
        let mut ids = self.filing.officers.clone();
        for act in &self.acts {
            if let Act::Record { officers, .. } | Act::Preserve { officers, .. } = act {
                ids.extend(officers);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The last review, if it passed (every checklist item checked) and no act of substance
    /// came after it.
    pub fn review_passed(&self) -> bool {
        let last_review = self.acts.iter().rposition(|a| matches!(a, Act::Review { .. }));
        let Some(at) = last_review else { return false };
        let passed = matches!(&self.acts[at], Act::Review { checklist, .. } if review_ok(checklist));
        let changed_after = self.acts[at + 1..]
            .iter()
            .any(|a| matches!(a, Act::Record { .. } | Act::Notify { .. } | Act::Hearing { .. }));
        passed && !changed_after
    }

    /// Reviews passed and sent back.
    pub fn reviews(&self) -> (usize, usize) {
        self.acts.iter().fold((0, 0), |(p, r), a| match a {
            Act::Review { checklist, .. } if review_ok(checklist) => (p + 1, r),
            Act::Review { .. } => (p, r + 1),
            _ => (p, r),
        })
    }

    /// The hearing is requested and not yet held.
    fn hearing_pending(&self) -> bool {
        self.has("hearing_request") && !self.has("hearing")
    }

    pub fn stage(&self) -> Stage {
        if self.has("close") {
            return Stage::Closed;
        }
        if self.served_on().is_some() {
            return Stage::Served;
        }
        if self.decision().is_some() {
            return Stage::Decided;
        }
        if self.hearing_pending() {
            return Stage::Hearing;
        }
        if self.has("review") || self.has("statement") || self.has("hearing") {
            return Stage::Review;
        }
        if self.notified().is_some() {
            return Stage::Notified;
        }
        Stage::Investigating
    }

    fn large_amount(&self, settings: &Settings) -> i64 {
        if self.filing.party_is_person {
            settings.large_amount_person_fen
        } else {
            settings.large_amount_organization_fen
        }
    }

    /// Every deadline of the case on `today`.
    pub fn deadlines(
        &self,
        cal: &WorkCalendar,
        settings: &Settings,
        today: NaiveDate,
    ) -> Result<Deadlines, CalendarError> {
        let mut out = Deadlines::default();
        let decision = self.decision();
        if decision.is_none() {
            out.decision_due =
                Some(periods::decision_due(cal, self.filing.filed_on, settings.decision_extension_days)?);
            if let Some((on, penalty)) = self.notified() {
                if penalty.hearing_right(self.large_amount(settings)) && !self.has("hearing_request") {
                    out.hearing_request_due = Some(periods::hearing_request_due(cal, on)?);
                }
            }
        }
        let preserved = self.find(|a| match a {
            Act::Preserve { on, .. } => Some(*on),
            _ => None,
        });
        if let (Some(on), false) = (preserved, self.has("preservation_decision")) {
            out.preservation_decision_due = Some(periods::preservation_decision_due(cal, on)?);
        }
        if let Some((decided_on, penalty)) = decision {
            if self.served_on().is_none() {
                out.service_due = Some(periods::service_due(cal, decided_on)?);
            }
            if !self.has("publish") {
                out.publication_due = Some(periods::publication_due(cal, decided_on)?);
            }
            if let (Some(served), false, true) = (self.served_on(), self.has("pay"), penalty.amount_fen > 0) {
                let due = periods::payment_due(cal, served)?;
                out.payment_due = Some(due);
                out.surcharge_fen = periods::surcharge_fen(penalty.amount_fen, due, today);
            }
        }
        let revoked = self.find(|a| match a {
            Act::Revoked { on, .. } => Some(*on),
            _ => None,
        });
        if let (Some(on), true, false) = (revoked, self.has("publish"), self.has("withdraw")) {
            out.withdrawal_due = Some(periods::withdrawal_due(cal, on)?);
        }
        Ok(out)
    }

    /// Whether `act` may be recorded next on `today`; `register` holds the officers it names
    /// (and the reviewer or chair). Each refusal names its legal basis.
    pub fn check(
        &self,
        act: &Act,
        register: &[Officer],
        cal: &WorkCalendar,
        settings: &Settings,
        today: NaiveDate,
    ) -> Result<(), FieldError> {
        let on = act.on();
        if on > today {
            return Err(refuse("on", "date_in_future", "日期不能晚于今天".into()));
        }
        let last = self.acts.iter().map(Act::on).max().unwrap_or(self.filing.filed_on);
        if on < last {
            return Err(refuse("on", "date_order", format!("日期不能早于上一执法环节（{last}）")));
        }
        let stage = self.stage();
        let closed_ok = matches!(act, Act::Revoked { .. } | Act::Withdraw { .. } | Act::Publish { .. });
        if stage == Stage::Closed && !closed_ok {
            return Err(refuse("", "case_closed", "案件已结案".into()));
        }
        let find = |id: i64| -> Result<&Officer, FieldError> {
            register
                .iter()
                .find(|o| o.id == id)
                .ok_or_else(|| refuse("officers", "officer_unknown", "执法人员不在执法人员名录中".into()))
        };
        let named = act.officers().iter().map(|id| find(*id)).collect::<Result<Vec<_>, _>>()?;
        if !act.officers().is_empty() {
            check_officers(&named, on, act.on_site(), &self.recused())?;
        }
        let before_decision = |what: &str| -> Result<(), FieldError> {
            if self.decision().is_some() {
                return Err(refuse("", "already_decided", format!("已作出处罚决定，不能再{what}")));
            }
            Ok(())
        };
        match act {
            Act::Record { title, .. } => {
                before_decision("调查取证")?;
                if title.trim().is_empty() {
                    return Err(refuse("title", "required", "此项为必填项".into()));
                }
                Ok(())
            }
            Act::Recusal { officer, reason, .. } => {
                find(*officer)?;
                if reason.trim().is_empty() {
                    return Err(refuse("reason", "required", "此项为必填项".into()));
                }
                if self.recused().contains(officer) {
                    return Err(refuse("officer", "already_recused", "该执法人员已申请回避".into()));
                }
                Ok(())
            }
            Act::Preserve { approved_by, .. } => {
                before_decision("先行登记保存")?;
                if approved_by.trim().is_empty() {
                    return Err(refuse(
                        "approved_by",
                        "approval_required",
                        format!("先行登记保存应当经行政机关负责人批准（{LAW}第五十六条）"),
                    ));
                }
                Ok(())
            }
            Act::PreservationDecision { .. } => {
                let pending = self.find(|a| match a {
                    Act::Preserve { on, .. } => Some(*on),
                    _ => None,
                });
                match pending {
                    Some(_) if !self.has("preservation_decision") => Ok(()),
                    _ => Err(refuse("", "nothing_preserved", "没有待处理的先行登记保存".into())),
                }
            }
            Act::Notify { penalty, .. } => {
                before_decision("告知")?;
                check_penalty(penalty)?;
                if let Some((_, earlier)) = self.notified() {
                    if self.has("statement") && penalty.heavier_than(&earlier) {
                        return Err(refuse(
                            "penalty",
                            "penalty_raised",
                            format!("行政机关不得因当事人陈述、申辩而给予更重的处罚（{LAW}第四十五条）"),
                        ));
                    }
                }
                Ok(())
            }
            Act::Statement { summary, .. } => {
                before_decision("记录陈述申辩")?;
                if self.notified().is_none() {
                    return Err(refuse("", "not_notified", format!("应当先告知拟作出的行政处罚（{LAW}第四十四条）")));
                }
                if summary.trim().is_empty() {
                    return Err(refuse("summary", "required", "此项为必填项".into()));
                }
                Ok(())
            }
            Act::HearingRequest { .. } => {
                before_decision("申请听证")?;
                let Some((notified_on, penalty)) = self.notified() else {
                    return Err(refuse("", "not_notified", format!("应当先告知拟作出的行政处罚（{LAW}第四十四条）")));
                };
                if !penalty.hearing_right(self.large_amount(settings)) {
                    return Err(refuse(
                        "",
                        "no_hearing_right",
                        format!("拟作出的行政处罚不属于可以要求听证的情形（{LAW}第六十三条）"),
                    ));
                }
                let due = periods::hearing_request_due(cal, notified_on).map_err(calendar_error)?;
                if on > due {
                    return Err(refuse(
                        "on",
                        "hearing_request_late",
                        format!("当事人应当在告知后五个工作日内提出听证要求，最后一日为{due}（{LAW}第六十四条）"),
                    ));
                }
                if self.has("hearing_request") {
                    return Err(refuse("", "hearing_requested", "当事人已经提出听证要求".into()));
                }
                Ok(())
            }
            Act::HearingNotice { hearing_on, chair, .. } => {
                if !self.hearing_pending() {
                    return Err(refuse("", "no_hearing_request", "当事人没有提出听证要求".into()));
                }
                if self.investigators().contains(chair) {
                    return Err(refuse(
                        "chair",
                        "chair_investigated",
                        format!("听证由非本案调查人员主持（{LAW}第六十四条第四项）"),
                    ));
                }
                find(*chair).map_err(|e| FieldError { field: "chair".into(), ..e })?;
                if !periods::hearing_notice_in_time(cal, on, *hearing_on).map_err(calendar_error)? {
                    return Err(refuse(
                        "hearing_on",
                        "hearing_notice_late",
                        format!("行政机关应当在举行听证的七个工作日前通知当事人（{LAW}第六十四条第二项）"),
                    ));
                }
                Ok(())
            }
            Act::Hearing { signature, .. } => {
                if matches!(signature, Some(RecordSignature::Refused { note }) if note.trim().is_empty()) {
                    return Err(refuse(
                        "note",
                        "refusal_note_required",
                        format!(
                            "当事人或者其代理人拒绝签字或者盖章的，由听证主持人在笔录中注明（{LAW}第六十四条第八项）"
                        ),
                    ));
                }
                let notice = self.find(|a| match a {
                    Act::HearingNotice { hearing_on, .. } => Some(*hearing_on),
                    _ => None,
                });
                match notice {
                    Some(day) if self.hearing_pending() && on >= day => Ok(()),
                    Some(day) if self.hearing_pending() => {
                        Err(refuse("on", "hearing_early", format!("听证通知的举行日期为{day}")))
                    }
                    _ => Err(refuse("", "no_hearing_notice", "尚未通知听证的时间、地点".into())),
                }
            }
            Act::Review { reviewer, checklist, .. } => {
                before_decision("法制审核")?;
                if self.notified().is_none() {
                    return Err(refuse("", "not_notified", format!("应当先告知拟作出的行政处罚（{LAW}第四十四条）")));
                }
                if self.hearing_pending() {
                    return Err(refuse(
                        "",
                        "hearing_pending",
                        format!("当事人要求听证，应当先举行听证（{LAW}第六十三条）"),
                    ));
                }
                if checklist.len() != REVIEW_CHECKLIST.len() {
                    return Err(refuse("checklist", "checklist_incomplete", "法制审核应当逐项记录审核意见".into()));
                }
                let person = find(*reviewer).map_err(|e| FieldError { field: "reviewer".into(), ..e })?;
                let first = person.reviews_done == 0
                    && !self.acts.iter().any(|a| matches!(a, Act::Review { reviewer: r, .. } if r == reviewer));
                check_reviewer(person, &self.investigators(), first)
            }
            Act::Discussion { minutes, .. } => {
                before_decision("集体讨论")?;
                if minutes.trim().is_empty() {
                    return Err(refuse("minutes", "required", "此项为必填项".into()));
                }
                Ok(())
            }
            Act::Decide { penalty, facts, basis, .. } => {
                before_decision("作出决定")?;
                check_penalty(penalty)?;
                let Some((_, notified)) = self.notified() else {
                    return Err(refuse(
                        "",
                        "not_notified",
                        format!(
                            "作出行政处罚决定前，应当告知当事人拟作出的处罚及其权利（{LAW}第四十四条、第六十二条）"
                        ),
                    ));
                };
                if self.hearing_pending() {
                    return Err(refuse(
                        "",
                        "hearing_pending",
                        format!("当事人要求听证，应当先举行听证（{LAW}第六十三条）"),
                    ));
                }
                if penalty.heavier_than(&notified) {
                    return Err(refuse(
                        "penalty",
                        "penalty_raised",
                        format!("决定的处罚重于告知的处罚，应当重新告知；不得因陈述、申辩加重处罚（{LAW}第四十五条）"),
                    ));
                }
                let major = self.filing.major || self.has("hearing");
                if major && !self.review_passed() {
                    return Err(refuse(
                        "",
                        "review_required",
                        format!("重大执法决定未经法制审核或者审核未通过的，不得作出决定（{LAW}第五十八条）"),
                    ));
                }
                if major && !self.has("discussion") {
                    return Err(refuse(
                        "",
                        "discussion_required",
                        format!("情节复杂或者重大违法行为给予行政处罚，应当集体讨论决定（{LAW}第五十七条第二款）"),
                    ));
                }
                if facts.trim().is_empty() {
                    return Err(refuse(
                        "facts",
                        "required",
                        format!("决定书应当载明违法事实和证据（{LAW}第五十九条）"),
                    ));
                }
                if basis.trim().is_empty() {
                    return Err(refuse("basis", "required", format!("决定书应当载明处罚的依据（{LAW}第五十九条）")));
                }
                let due = periods::decision_due(cal, self.filing.filed_on, settings.decision_extension_days)
                    .map_err(calendar_error)?;
                if on > due {
                    return Err(refuse(
                        "on",
                        "decision_late",
                        format!("应当自立案之日起九十日内作出行政处罚决定，期限已于{due}届满（{LAW}第六十条）"),
                    ));
                }
                Ok(())
            }
            Act::Serve { .. } => match (self.decision(), self.served_on()) {
                (Some(_), None) => Ok(()),
                (None, _) => Err(refuse("", "not_decided", "尚未作出处罚决定".into())),
                (Some(_), Some(_)) => Err(refuse("", "already_served", "决定书已经送达".into())),
            },
            Act::Pay { amount_fen, .. } => {
                let (Some((_, penalty)), Some(served)) = (self.decision(), self.served_on()) else {
                    return Err(refuse("", "not_served", "决定书尚未送达".into()));
                };
                if self.has("pay") {
                    return Err(refuse("", "already_paid", "已记录缴款".into()));
                }
                let due = periods::payment_due(cal, served).map_err(calendar_error)?;
                let owed = penalty.amount_fen + periods::surcharge_fen(penalty.amount_fen, due, on);
                if *amount_fen != owed {
                    return Err(refuse(
                        "amount",
                        "amount_mismatch",
                        format!("应缴金额为{}分（含加处罚款，{LAW}第七十二条）", owed),
                    ));
                }
                Ok(())
            }
            Act::Publish { .. } => {
                if self.decision().is_none() {
                    return Err(refuse("", "not_decided", "尚未作出处罚决定".into()));
                }
                if self.has("publish") {
                    return Err(refuse("", "already_published", "处罚决定已经公示".into()));
                }
                Ok(())
            }
            Act::Revoked { reason, .. } => {
                if self.decision().is_none() {
                    return Err(refuse("", "not_decided", "尚未作出处罚决定".into()));
                }
                if self.has("revoked") {
                    return Err(refuse("", "already_revoked", "已记录决定被撤销".into()));
                }
                if reason.trim().is_empty() {
                    return Err(refuse("reason", "required", "此项为必填项".into()));
                }
                Ok(())
            }
            Act::Withdraw { reason, .. } => {
                if !self.has("publish") || self.has("withdraw") {
                    return Err(refuse("", "not_published", "没有可撤下的公示".into()));
                }
                if reason.trim().is_empty() {
                    return Err(refuse(
                        "reason",
                        "required",
                        format!("撤回公示应当公开说明理由（{LAW}第四十八条第二款）"),
                    ));
                }
                Ok(())
            }
            Act::Close { .. } => {
                let settled = match self.decision() {
                    Some((_, p)) if p.amount_fen > 0 => self.has("pay"),
                    Some(_) => self.served_on().is_some(),
                    None => false,
                };
                if !settled {
                    return Err(refuse("", "not_settled", "处罚决定尚未送达或尚未履行，不能结案".into()));
                }
                Ok(())
            }
        }
    }
}

fn review_ok(checklist: &[bool]) -> bool {
    checklist.len() == REVIEW_CHECKLIST.len() && checklist.iter().all(|ok| *ok)
}

fn check_penalty(penalty: &Penalty) -> Result<(), FieldError> {
    match penalty.kind {
        PenaltyKind::Fine | PenaltyKind::Confiscation if penalty.amount_fen <= 0 => {
            Err(refuse("amount", "amount_required", "罚款或没收的金额应大于零".into()))
        }
        PenaltyKind::Warning | PenaltyKind::Suspension | PenaltyKind::Revocation if penalty.amount_fen != 0 => {
            Err(refuse("amount", "amount_not_allowed", "该处罚种类不填写金额".into()))
        }
        _ => Ok(()),
    }
}

fn calendar_error(err: CalendarError) -> FieldError {
    FieldError::new("on", err.code(), err.to_string())
}

/// 第五十一条: whether a penalty may be decided on the spot under the summary procedure.
pub fn summary_allowed(penalty: &Penalty, party_is_person: bool) -> Result<(), FieldError> {
    match penalty.kind {
        PenaltyKind::Warning => Ok(()),
        PenaltyKind::Fine if penalty.amount_fen <= periods::summary_fine_limit_fen(party_is_person) => Ok(()),
        _ => Err(refuse(
            "penalty",
            "summary_not_allowed",
            format!("当场处罚仅限警告或者对公民二百元以下、对法人或者其他组织三千元以下罚款（{LAW}第五十一条）"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn officer(id: i64, lawyer: bool) -> Officer {
        Officer {
            id,
            name: format!("执法员{id}"),
            certificate_no: format!("N{id}"),
            area: "达州市".into(),
            issued_by: "四川省人民政府".into(),
            valid_from: d(2019, 1, 1),
            valid_until: d(2022, 12, 31),
            training_hours: 60,
            legal_qualification: lawyer,
            suspended: false,
            reviews_done: 0,
        }
    }

    fn register() -> Vec<Officer> {
        let mut expired = officer(4, false);
        expired.valid_until = d(2021, 6, 30);
        vec![officer(1, false), officer(2, false), officer(3, false), expired, officer(9, true), officer(8, false)]
    }

    fn filing(filed_on: NaiveDate, major: bool) -> Filing {
        Filing {
            filed_on,
            act_ended_on: filed_on - chrono::Days::new(30),
            harmful: false,
            major,
            party_is_person: false,
            officers: vec![1, 2],
        }
    }

    const FINE: Penalty = Penalty { kind: PenaltyKind::Fine, amount_fen: 1_000 * 100 };
    const ALL_OK: [bool; 8] = [true; 8];

    struct Case {
        file: CaseFile,
        today: NaiveDate,
    }

    impl Case {
        fn new(filed_on: NaiveDate, major: bool) -> Case {
            Case { file: CaseFile { filing: filing(filed_on, major), acts: vec![] }, today: d(2023, 1, 1) }
        }
        fn check(&self, act: &Act) -> Result<(), FieldError> {
            self.file.check(act, &register(), WorkCalendar::builtin(), &Settings::default(), self.today)
        }
        fn push(&mut self, act: Act) -> &mut Case {
            self.check(&act).unwrap_or_else(|e| panic!("{act:?}: {e}"));
            self.file.acts.push(act);
            self
        }
        fn code(&self, act: Act) -> &'static str {
            self.check(&act).unwrap_err().code
        }
    }

    fn record(on: NaiveDate, officers: Vec<i64>) -> Act {
        Act::Record { on, officers, on_site: true, title: "现场检查笔录".into(), evidence_sm3: None }
    }

    fn review(on: NaiveDate, reviewer: i64, checklist: [bool; 8]) -> Act {
        Act::Review { on, reviewer, checklist: checklist.to_vec(), note: String::new() }
    }

    fn decide(on: NaiveDate, penalty: Penalty) -> Act {
        Act::Decide {
            on, penalty, facts: "未按规定参加年度检查".into(), basis: "社会团体登记管理条例第三十条".into()
        }
    }

    #[test]
    fn filing_limitation_and_two_officers() {
        let today = d(2021, 10, 8);
        let mut f = filing(d(2021, 10, 8), false);
        assert!(check_filing(&f, today).is_ok());
        f.act_ended_on = d(2019, 10, 7);
        let err = check_filing(&f, today).unwrap_err();
        assert_eq!(err.code, "limitation_expired");
        assert!(err.message.contains("第三十六条"));
        f.harmful = true;
        assert!(check_filing(&f, today).is_ok());
        f.officers = vec![1];
        assert_eq!(check_filing(&f, today).unwrap_err().code, "two_officers");
    }

    #[test]
    fn on_site_acts_need_two_valid_credentials() {
        let case = Case::new(d(2021, 8, 2), false);
        assert!(case.check(&record(d(2021, 8, 3), vec![1, 2])).is_ok());
        assert_eq!(case.code(record(d(2021, 8, 3), vec![1])), "two_officers");
        // Officer 4's credential ended on 2021-06-30.
        let err = case.check(&record(d(2021, 8, 3), vec![1, 4])).unwrap_err();
        assert_eq!(err.code, "credential_invalid");
        assert!(err.message.contains("第四十二条"));
        assert_eq!(case.code(record(d(2021, 8, 3), vec![1, 77])), "officer_unknown");
        assert_eq!(case.code(record(d(2021, 7, 30), vec![1, 2])), "date_order");
    }

    #[test]
    fn recused_officer_cannot_act() {
        let mut case = Case::new(d(2021, 8, 2), false);
        case.push(Act::Recusal { on: d(2021, 8, 3), officer: 2, reason: "与当事人负责人系近亲属".into() });
        assert_eq!(case.code(record(d(2021, 8, 3), vec![1, 2])), "officer_recused");
        assert!(case.check(&record(d(2021, 8, 3), vec![1, 3])).is_ok());
    }

    #[test]
    fn no_major_decision_without_a_passed_review_and_discussion() {
        let mut case = Case::new(d(2021, 8, 2), true);
        case.push(record(d(2021, 8, 3), vec![1, 2]));
        case.push(Act::Notify { on: d(2021, 8, 10), officers: vec![1], penalty: FINE });
        let err = case.check(&decide(d(2021, 8, 20), FINE)).unwrap_err();
        assert_eq!(err.code, "review_required");
        assert!(err.message.contains("第五十八条"));
        // A review with a failed item sends the case back: still no decision.
        let mut sent_back = ALL_OK;
        sent_back[2] = false;
        case.push(review(d(2021, 8, 16), 9, sent_back));
        assert_eq!(case.code(decide(d(2021, 8, 20), FINE)), "review_required");
        assert_eq!(case.file.reviews(), (0, 1));
        // More evidence, a second review passes; a collective discussion is still needed.
        case.push(record(d(2021, 8, 17), vec![1, 2]));
        case.push(review(d(2021, 8, 18), 9, ALL_OK));
        assert!(case.file.review_passed());
        assert_eq!(case.code(decide(d(2021, 8, 20), FINE)), "discussion_required");
        case.push(Act::Discussion { on: d(2021, 8, 19), minutes: "同意".into(), dissent: String::new() });
        case.push(decide(d(2021, 8, 20), FINE));
        assert_eq!(case.file.stage(), Stage::Decided);
        assert_eq!(case.file.reviews(), (1, 1));
    }

    #[test]
    fn evidence_after_a_passed_review_needs_a_new_review() {
        let mut case = Case::new(d(2021, 8, 2), true);
        case.push(Act::Notify { on: d(2021, 8, 10), officers: vec![1], penalty: FINE });
        case.push(review(d(2021, 8, 11), 9, ALL_OK));
        case.push(record(d(2021, 8, 12), vec![1, 2]));
        assert!(!case.file.review_passed());
    }

    #[test]
    fn reviewer_who_investigated_or_unqualified_refused() {
        let mut case = Case::new(d(2021, 8, 2), true);
        case.push(record(d(2021, 8, 3), vec![1, 3]));
        case.push(Act::Notify { on: d(2021, 8, 10), officers: vec![1], penalty: FINE });
        let err = case.check(&review(d(2021, 8, 11), 3, ALL_OK)).unwrap_err();
        assert_eq!(err.code, "reviewer_investigated");
        assert!(err.message.contains("第五十八条"));
        assert_eq!(case.code(review(d(2021, 8, 11), 8, ALL_OK)), "reviewer_unqualified");
        assert!(case.check(&review(d(2021, 8, 11), 9, ALL_OK)).is_ok());
        // Someone who has reviewed before needs no 法律职业资格.
        let mut experienced = register();
        experienced[5].reviews_done = 3;
        let act = review(d(2021, 8, 11), 8, ALL_OK);
        assert!(case.file.check(&act, &experienced, WorkCalendar::builtin(), &Settings::default(), case.today).is_ok());
    }

    #[test]
    fn penalty_cannot_rise_after_statement() {
        let mut case = Case::new(d(2021, 8, 2), false);
        case.push(Act::Notify { on: d(2021, 8, 10), officers: vec![1], penalty: FINE });
        case.push(Act::Statement { on: d(2021, 8, 12), summary: "已整改".into() });
        let higher = Penalty { kind: PenaltyKind::Fine, amount_fen: 1_500 * 100 };
        let err = case.check(&decide(d(2021, 8, 20), higher)).unwrap_err();
        assert_eq!(err.code, "penalty_raised");
        assert!(err.message.contains("第四十五条"));
        let err = case.check(&Act::Notify { on: d(2021, 8, 13), officers: vec![1], penalty: higher }).unwrap_err();
        assert_eq!(err.code, "penalty_raised");
        let lower = Penalty { kind: PenaltyKind::Warning, amount_fen: 0 };
        assert!(case.check(&decide(d(2021, 8, 20), lower)).is_ok());
    }

    #[test]
    fn decision_needs_notice_and_ninety_days_across_spring_festival() {
        let mut case = Case::new(d(2020, 11, 14), false);
        assert_eq!(case.code(decide(d(2020, 12, 1), FINE)), "not_notified");
        case.push(Act::Notify { on: d(2021, 2, 1), officers: vec![1], penalty: FINE });
        // Day 90 (2021-02-12) is in 春节: the period ends on 2021-02-18.
        assert!(case.check(&decide(d(2021, 2, 18), FINE)).is_ok());
        let err = case.check(&decide(d(2021, 2, 19), FINE)).unwrap_err();
        assert_eq!(err.code, "decision_late");
        assert!(err.message.contains("第六十条"));
        let deadlines = case.file.deadlines(WorkCalendar::builtin(), &Settings::default(), d(2021, 2, 1)).unwrap();
        assert_eq!(deadlines.decision_due, Some(d(2021, 2, 18)));
    }

    #[test]
    fn hearing_request_notice_chair_and_decision_after_it() {
        let mut case = Case::new(d(2021, 9, 1), false);
        // 较大数额 for an organization: 50,000 元 by default.
        let large = Penalty { kind: PenaltyKind::Fine, amount_fen: 50_000 * 100 };
        case.push(Act::Notify { on: d(2021, 9, 29), officers: vec![1], penalty: large });
        let deadlines = case.file.deadlines(WorkCalendar::builtin(), &Settings::default(), d(2021, 9, 29)).unwrap();
        assert_eq!(deadlines.hearing_request_due, Some(d(2021, 10, 12)));
        assert_eq!(case.code(Act::HearingRequest { on: d(2021, 10, 13) }), "hearing_request_late");
        case.push(Act::HearingRequest { on: d(2021, 10, 12) });
        assert_eq!(case.file.stage(), Stage::Hearing);
        assert_eq!(case.code(decide(d(2021, 10, 13), large)), "hearing_pending");
        let chair_investigator = Act::HearingNotice { on: d(2021, 10, 13), hearing_on: d(2021, 10, 25), chair: 1 };
        assert_eq!(case.code(chair_investigator), "chair_investigated");
        // Notice on 10-13: the 7th working day after is 10-22; a hearing on 10-21 is too soon.
        let early = Act::HearingNotice { on: d(2021, 10, 13), hearing_on: d(2021, 10, 21), chair: 3 };
        assert_eq!(case.code(early), "hearing_notice_late");
        case.push(Act::HearingNotice { on: d(2021, 10, 13), hearing_on: d(2021, 10, 22), chair: 3 });
        assert_eq!(
            case.code(Act::Hearing { on: d(2021, 10, 21), summary: "笔录".into(), signature: None }),
            "hearing_early"
        );
        let unnoted = RecordSignature::Refused { note: " ".into() };
        let refused =
            |signature| Act::Hearing { on: d(2021, 10, 22), summary: "笔录".into(), signature: Some(signature) };
        assert_eq!(case.code(refused(unnoted)), "refusal_note_required");
        assert!(case.check(&refused(RecordSignature::Refused { note: "当事人拒绝签字".into() })).is_ok());
        case.push(refused(RecordSignature::Signed));
        // A case heard is major (第五十八条第一款第二项): review and discussion before deciding.
        assert_eq!(case.code(decide(d(2021, 10, 26), large)), "review_required");
        // A small fine carries no hearing right.
        let mut small = Case::new(d(2021, 9, 1), false);
        small.push(Act::Notify { on: d(2021, 9, 29), officers: vec![1], penalty: FINE });
        assert_eq!(small.code(Act::HearingRequest { on: d(2021, 9, 30) }), "no_hearing_right");
    }

    #[test]
    fn service_payment_surcharge_publication_and_close() {
        let mut case = Case::new(d(2021, 9, 1), false);
        case.push(Act::Notify { on: d(2021, 9, 6), officers: vec![1], penalty: FINE });
        assert_eq!(case.code(Act::Serve { on: d(2021, 9, 7), officers: vec![1, 2] }), "not_decided");
        case.push(decide(d(2021, 9, 17), FINE));
        let cal = WorkCalendar::builtin();
        let dl = case.file.deadlines(cal, &Settings::default(), d(2021, 9, 17)).unwrap();
        assert_eq!(dl.service_due, Some(d(2021, 9, 28)));
        assert_eq!(dl.publication_due, Some(d(2021, 9, 28)));
        assert_eq!(dl.decision_due, None);
        case.push(Act::Serve { on: d(2021, 9, 20), officers: vec![1, 2] });
        // Served in 中秋: due 10-05 falls in 国庆, payment due 10-08; three days late on 10-11.
        let dl = case.file.deadlines(cal, &Settings::default(), d(2021, 10, 11)).unwrap();
        assert_eq!(dl.payment_due, Some(d(2021, 10, 8)));
        assert_eq!(dl.surcharge_fen, 90 * 100);
        assert_eq!(case.code(Act::Close { on: d(2021, 10, 11) }), "not_settled");
        assert_eq!(case.code(Act::Pay { on: d(2021, 10, 11), amount_fen: 1_000 * 100 }), "amount_mismatch");
        case.push(Act::Pay { on: d(2021, 10, 11), amount_fen: 1_090 * 100 });
        case.push(Act::Publish { on: d(2021, 10, 11) });
        case.push(Act::Close { on: d(2021, 10, 12) });
        assert_eq!(case.file.stage(), Stage::Closed);
        assert_eq!(case.code(record(d(2021, 10, 12), vec![1, 2])), "case_closed");
        // Revoked on 复议: the publication comes down within 3 working days, with reasons.
        case.push(Act::Revoked {
            on: d(2021, 12, 30), by: RevokedBy::Reconsideration, reason: "适用法律错误".into()
        });
        let dl = case.file.deadlines(cal, &Settings::default(), d(2021, 12, 30)).unwrap();
        assert_eq!(dl.withdrawal_due, Some(d(2022, 1, 5)));
        assert_eq!(case.code(Act::Withdraw { on: d(2021, 12, 31), reason: " ".into() }), "required");
        case.push(Act::Withdraw { on: d(2021, 12, 31), reason: "经行政复议撤销".into() });
    }

    #[test]
    fn preservation_needs_approval_and_a_decision_within_seven_workdays() {
        let mut case = Case::new(d(2021, 2, 1), false);
        let unapproved = Act::Preserve { on: d(2021, 2, 5), officers: vec![1, 2], approved_by: String::new() };
        assert_eq!(case.code(unapproved), "approval_required");
        assert_eq!(
            case.code(Act::Preserve { on: d(2021, 2, 5), officers: vec![1], approved_by: "局长".into() }),
            "two_officers"
        );
        case.push(Act::Preserve { on: d(2021, 2, 5), officers: vec![1, 2], approved_by: "局长".into() });
        let dl = case.file.deadlines(WorkCalendar::builtin(), &Settings::default(), d(2021, 2, 5)).unwrap();
        assert_eq!(dl.preservation_decision_due, Some(d(2021, 2, 20)));
        case.push(Act::PreservationDecision { on: d(2021, 2, 8) });
        assert_eq!(case.code(Act::PreservationDecision { on: d(2021, 2, 9) }), "nothing_preserved");
    }

    #[test]
    fn summary_procedure_limits() {
        let fine = |fen| Penalty { kind: PenaltyKind::Fine, amount_fen: fen };
        assert!(summary_allowed(&fine(200 * 100), true).is_ok());
        assert_eq!(summary_allowed(&fine(20_001), true).unwrap_err().code, "summary_not_allowed");
        assert!(summary_allowed(&fine(3000 * 100), false).is_ok());
        assert!(summary_allowed(&fine(300_001), false).unwrap_err().message.contains("第五十一条"));
        assert!(summary_allowed(&Penalty { kind: PenaltyKind::Warning, amount_fen: 0 }, true).is_ok());
    }

    #[test]
    fn acts_round_trip_as_json() {
        let act = Act::HearingNotice { on: d(2024, 2, 29), hearing_on: d(2024, 3, 12), chair: 3 };
        let json = serde_json::to_value(&act).unwrap();
        assert_eq!(json["kind"], "hearing_notice");
        assert_eq!(json["on"], "2024-02-29");
        assert_eq!(serde_json::from_value::<Act>(json).unwrap(), act);
        assert!(serde_json::from_value::<Act>(serde_json::json!({"kind": "hearing", "on": "2021-02-30"})).is_err());
    }
}
