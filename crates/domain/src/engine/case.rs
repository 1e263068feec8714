//! The state of one matter (办件): a cache the case's events could rebuild (style rule 13). The
//! engine takes a `Case` and returns the next one; it never edits one in place.

use chrono::{DateTime, NaiveDate, Utc};

use crate::division::{DivisionCode, Divisions};
use crate::engine::action::{DeliveryMethod, SpecialKind};
use crate::engine::jurisdiction::classify;
use crate::engine::receipt::Receipt;
use crate::procedure::PauseKind;

/// The case number: `<division>-<year>-<6-digit sequence>` (e.g. `511702-2021-000123`), the
/// sequence from `case_counters(division, year)` (docs/designs/engine.md, "Storage"). Sequences
/// above 999,999 keep all their digits.
pub fn case_number(division: &DivisionCode, year: i32, seq: u64) -> String {
    format!("{division}-{year:04}-{seq:06}")
}

/// How the application came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// 窗口办理
    Window,
    /// 网上办理
    Online,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Window => "window",
            Channel::Online => "online",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "window" => Some(Channel::Window),
            "online" => Some(Channel::Online),
            _ => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Channel::Window => "窗口办理",
            Channel::Online => "网上办理",
        }
    }
}

/// How far apart the accepting office and the competent authority are (国办发〔2020〕35号):
/// decided by [`classify`] from the division tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CrossRegion {
    /// Same county (区、县、县级市): not cross-region.
    None,
    /// Another county of the same prefecture: 全市通办.
    County,
    /// Another prefecture of the same province: 省内通办.
    Prefecture,
    /// Another province: 跨省通办.
    Province,
}

impl CrossRegion {
    pub fn as_str(self) -> &'static str {
        match self {
            CrossRegion::None => "none",
            CrossRegion::County => "county",
            CrossRegion::Prefecture => "prefecture",
            CrossRegion::Province => "province",
        }
    }

    pub fn parse(s: &str) -> Option<CrossRegion> {
        [CrossRegion::None, CrossRegion::County, CrossRegion::Prefecture, CrossRegion::Province]
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            CrossRegion::None => "本县（市、区）办理",
            CrossRegion::County => "市内跨县通办",
            CrossRegion::Prefecture => "省内跨市通办",
            CrossRegion::Province => "跨省通办",
        }
    }
}

/// How a closed case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// 准予（办结）: the procedure ran to its end without a denial.
    Granted,
    /// 不予准予: a review rejected it or the decision denied it (行政许可法 Art. 38).
    Denied,
    /// 不予受理 (Art. 32).
    NotAccepted,
    /// 申请人撤回.
    Withdrawn,
    /// 视为撤回: a wait step ran out (e.g. 离婚冷静期届满后未申请发证).
    DeemedWithdrawn,
    /// 终止办理.
    Terminated,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Granted => "granted",
            Outcome::Denied => "denied",
            Outcome::NotAccepted => "not_accepted",
            Outcome::Withdrawn => "withdrawn",
            Outcome::DeemedWithdrawn => "deemed_withdrawn",
            Outcome::Terminated => "terminated",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Outcome::Granted => "已办结（准予）",
            Outcome::Denied => "已办结（不予准予）",
            Outcome::NotAccepted => "不予受理",
            Outcome::Withdrawn => "申请人已撤回",
            Outcome::DeemedWithdrawn => "视为撤回",
            Outcome::Terminated => "已终止",
        }
    }
}

/// Where the case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseStatus {
    /// 待提交: filled in (online, or at the window), not yet submitted. Not in the brief's list:
    /// `submit` needs a state to act on, and a draft holds what the applicant is about to submit.
    Draft,
    /// 待受理.
    Submitted,
    /// 待补正: after the one-time notice, before acceptance; the acceptance clock stops.
    AwaitingSupplement,
    /// 办理中.
    InProgress,
    /// 暂停: a special procedure or a suspension; the clock stops.
    Paused(PauseKind),
    /// 已办结 (however it ended). Nothing more can happen.
    Closed(Outcome),
}

impl CaseStatus {
    /// The indexed column value (`paused` and `closed` without their detail).
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Draft => "draft",
            CaseStatus::Submitted => "submitted",
            CaseStatus::AwaitingSupplement => "awaiting_supplement",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::Paused(_) => "paused",
            CaseStatus::Closed(_) => "closed",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            CaseStatus::Draft => "待提交",
            CaseStatus::Submitted => "待受理",
            CaseStatus::AwaitingSupplement => "待补正",
            CaseStatus::InProgress => "办理中",
            CaseStatus::Paused(PauseKind::Supplement) => "暂停（补正）",
            CaseStatus::Paused(PauseKind::Special) => "暂停（特别程序）",
            CaseStatus::Paused(PauseKind::Suspend) => "中止",
            CaseStatus::Paused(PauseKind::PartyTime) => "当事人期间",
            CaseStatus::Closed(outcome) => outcome.name_zh(),
        }
    }
}

/// One entry of the pause ledger: the clock stopped from `start` to `end` (open while `end` is
/// `None`). Counted as an inclusive range of Shanghai dates (docs/designs/engine.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    pub kind: PauseKind,
    /// Which special procedure, for [`PauseKind::Special`].
    pub special: Option<SpecialKind>,
    pub reason: String,
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
}

impl Pause {
    /// 补正 / 听证 / 专家评审 / 中止.
    pub fn name_zh(&self) -> &'static str {
        match self.special {
            Some(special) => special.name_zh(),
            None => self.kind.name_zh(),
        }
    }
}

/// An extension of the time limit (行政许可法 Art. 42).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// In the unit of the extension rule's ceiling (工作日 under Art. 42).
    pub workdays: u32,
    pub reason: String,
    /// The approver's record label (`account:3:wangwu`).
    pub approver: String,
    pub at: DateTime<Utc>,
}

/// Whose power a decision was made under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authority {
    /// The acting office's own power at the step's level.
    Own,
    /// A power delegated down (下放) by the named document.
    Delegated { document: String },
}

/// The decision on the matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The key of the item's outcome it recorded (`[[outcomes]]`); `None` for a decision stored
    /// before outcomes were recorded (its side's default applies:
    /// [`crate::catalog::Outcomes::of_decision`]).
    pub outcome: Option<String>,
    pub granted: bool,
    pub reasons: String,
    pub basis: String,
    pub authority: Authority,
    /// The office that decided.
    pub division: DivisionCode,
    /// The decider's record label.
    pub by: String,
    pub at: DateTime<Utc>,
}

/// How and when the result was served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub method: DeliveryMethod,
    pub tracking: Option<String>,
    pub at: DateTime<Utc>,
}

/// What the caller knows when a case is opened as a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub id: i64,
    pub number: String,
    pub item_slug: String,
    pub item_version: u32,
    pub channel: Channel,
    /// The applicant's person id.
    pub applicant: i64,
    /// The chosen 情形 (selects the materials), if the item has situations.
    pub situation: Option<String>,
    /// The ids of the materials handed in with the application.
    pub materials: Vec<String>,
    /// The clerk's office, or the office chosen online.
    pub accepting: DivisionCode,
    /// From [`competent_division`](super::jurisdiction::competent_division).
    pub competent: DivisionCode,
}

/// One matter's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub id: i64,
    pub number: String,
    pub item_slug: String,
    pub item_version: u32,
    pub channel: Channel,
    pub applicant: i64,
    pub situation: Option<String>,
    /// The ids of the materials received so far.
    pub materials: Vec<String>,
    pub accepting: DivisionCode,
    pub competent: DivisionCode,
    pub cross_region: CrossRegion,
    pub status: CaseStatus,
    /// The current step; `None` for a draft and once closed.
    pub step: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub pauses: Vec<Pause>,
    pub extensions: Vec<Extension>,
    pub step_entered_at: DateTime<Utc>,
    /// The materials the one-time notice asked for, until they are brought.
    pub missing: Vec<String>,
    /// The account the current step is assigned to (the work list); cleared on each step.
    pub assignee: Option<i64>,
    pub decision: Option<Decision>,
    pub delivery: Option<Delivery>,
    /// How and when the application was received, for an item whose period runs from the day of
    /// receipt ([`crate::procedure::ReceiptRule`]); set on the draft before it is submitted.
    pub receipt: Option<Receipt>,
    /// The last day to correct, set by the one-time notice of an item that declares the
    /// correction's own period ([`crate::procedure::CorrectionRule`]); kept once the correction
    /// is made (the record of what the notice said).
    pub correction_until: Option<NaiveDate>,
    /// 0 for a new draft, +1 per act; the store's optimistic lock.
    pub revision: u64,
}

impl Case {
    /// A new draft, revision 0; `cross_region` is classified from the two offices.
    pub fn draft(new: NewCase, divisions: &Divisions, now: DateTime<Utc>) -> Case {
        let cross_region = classify(&new.accepting, &new.competent, divisions);
        Case {
            id: new.id,
            number: new.number,
            item_slug: new.item_slug,
            item_version: new.item_version,
            channel: new.channel,
            applicant: new.applicant,
            situation: new.situation,
            materials: new.materials,
            accepting: new.accepting,
            competent: new.competent,
            cross_region,
            status: CaseStatus::Draft,
            step: None,
            submitted_at: None,
            accepted_at: None,
            closed_at: None,
            pauses: Vec::new(),
            extensions: Vec::new(),
            step_entered_at: now,
            missing: Vec::new(),
            assignee: None,
            decision: None,
            delivery: None,
            receipt: None,
            correction_until: None,
            revision: 0,
        }
    }

    /// The day the application counts as received (第三十一条 of 《政府信息公开条例》 where the item
    /// declares it): `None` without a receipt, or with one whose date is missing (the engine
    /// refuses to submit such a case).
    pub fn received_on(&self) -> Option<NaiveDate> {
        self.receipt.as_ref().and_then(|r| r.receipt_date().ok())
    }

    /// The last day to correct while the correction is awaited; `None` otherwise.
    pub fn correction_pending_until(&self) -> Option<NaiveDate> {
        self.correction_until.filter(|_| self.status == CaseStatus::AwaitingSupplement)
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.status, CaseStatus::Closed(_))
    }

    /// The pause now running, if any (there is at most one); the parties' own period is not one.
    pub fn open_pause(&self) -> Option<&Pause> {
        self.pauses.iter().find(|p| p.end.is_none() && p.kind != PauseKind::PartyTime)
    }

    /// The parties' own period now running (a `party_time` step), if any.
    pub fn open_party_time(&self) -> Option<&Pause> {
        self.pauses.iter().find(|p| p.end.is_none() && p.kind == PauseKind::PartyTime)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    #[test]
    fn case_numbers() {
        assert_eq!(case_number(&code("511702"), 2021, 123), "511702-2021-000123");
        assert_eq!(case_number(&code("511702001"), 2026, 1), "511702001-2026-000001");
        assert_eq!(case_number(&code("511702"), 2021, 1_234_567), "511702-2021-1234567");
    }

    #[test]
    fn names() {
        assert_eq!(Channel::parse("online"), Some(Channel::Online));
        assert_eq!(Channel::parse("post"), None);
        for cross in [CrossRegion::None, CrossRegion::County, CrossRegion::Prefecture, CrossRegion::Province] {
            assert_eq!(CrossRegion::parse(cross.as_str()), Some(cross));
        }
        assert_eq!(CaseStatus::Paused(PauseKind::Suspend).name_zh(), "中止");
        assert_eq!(CaseStatus::Closed(Outcome::NotAccepted).as_str(), "closed");
        assert_eq!(CaseStatus::Closed(Outcome::NotAccepted).name_zh(), "不予受理");
    }

    #[test]
    fn a_draft_is_classified() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let new = NewCase {
            id: 1,
            number: case_number(&code("511702"), 2021, 1),
            item_slug: "x".into(),
            item_version: 1,
            channel: Channel::Window,
            applicant: 7,
            situation: None,
            materials: vec![],
            accepting: code("511702"),
            competent: code("511703"),
        };
        let case = Case::draft(new, Divisions::builtin(), now);
        assert_eq!(case.cross_region, CrossRegion::County);
        assert_eq!(case.status, CaseStatus::Draft);
        assert_eq!(case.revision, 0);
        assert!(!case.is_closed());
        assert!(case.open_pause().is_none());
    }
}
