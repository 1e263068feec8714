//! A major administrative decision (重大行政决策) and the gates of its five procedures, on its
//! dated history (重大行政决策程序暂行条例, 国务院令第713号, in force 2019-09-01; 第九条 lists
//! the procedures; 第四十二条 applies it to the departments of a government by reference).
//!
//! | procedure | acts | gate |
//! |---|---|---|
//! | ① 公众参与 | comment opened, hearing, summary | ≥30 日 unless explained (第十五条); hearing materials ≥7 日 before (第十六条), its record confirmed (第十七条); the summary after the period and after any hearing, adoption with reasons (第十八条) |
//! | ② 专家论证 | expert opinions | signed (第十九条); an expert with a direct interest is refused (第二十条) |
//! | ③ 风险评估 | risk report | the risk controllable before discussion (第二十四条) |
//! | ④ 合法性审查 | request, opinion | never left out, not replaced by comments (第二十五条); ≥7 个工作日 allowed (第二十七条) |
//! | ⑤ 集体讨论决定 | the meeting | only after a passed review (第二十五条) and ①–③ resolved; the head speaks last, a departure from the majority explained, dissent minuted (第三十条) |
//! | 公布 | publication | only after a discussion that adopted the decision (第三十二条) |
//! | 决策后评估 | post-evaluation | only after publication, on one of the grounds of 第三十六条, with its findings |
//!
//! A hearing (听证, 第十六条、第十七条) is three acts: its notice (the time, the place and how
//! participants are selected, published in advance), the list of participants published before
//! it, and the hearing itself (materials sent ≥7 日 before; the record 听证笔录 confirmed by the
//! participants). A hearing announced and not yet held keeps ① open, and one held keeps it
//! open until a summary made on or after its day has considered it (第十八条).
//!
//! ①–③ may be left out where the law allows: ① for a matter not to be disclosed by law
//! (第十四条), ② for a matter that is not specialised or technical (第十九条), ③ where no
//! adverse effect on stability or public safety is expected (第二十二条). Leaving out is an act
//! with its reason ([`Step::Omitted`]); ④ and ⑤ cannot be left out.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::period::check_comment_period;
use crate::calendar::WorkCalendar;
use crate::problem::{text_field, FieldError};

/// 第二十七条: 送请合法性审查, 应当保证必要的审查时间, 一般不少于7个工作日.
pub const LEGALITY_REVIEW_MIN_WORKDAYS: u32 = 7;
/// 第十六条: 听证会材料 reach the participants at least 7 日 before the hearing.
pub const HEARING_NOTICE_DAYS: i64 = 7;

/// Dates in the stored JSON of a step, as `YYYY-MM-DD`.
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

const LAW: &str = "《重大行政决策程序暂行条例》";

/// The five statutory procedures (第九条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    PublicParticipation,
    ExpertArgument,
    RiskAssessment,
    LegalityReview,
    CollectiveDiscussion,
}

impl Procedure {
    pub const ALL: [Procedure; 5] = [
        Procedure::PublicParticipation,
        Procedure::ExpertArgument,
        Procedure::RiskAssessment,
        Procedure::LegalityReview,
        Procedure::CollectiveDiscussion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Procedure::PublicParticipation => "public_participation",
            Procedure::ExpertArgument => "expert_argument",
            Procedure::RiskAssessment => "risk_assessment",
            Procedure::LegalityReview => "legality_review",
            Procedure::CollectiveDiscussion => "collective_discussion",
        }
    }

    pub fn parse(s: &str) -> Option<Procedure> {
        Procedure::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Procedure::PublicParticipation => "公众参与",
            Procedure::ExpertArgument => "专家论证",
            Procedure::RiskAssessment => "风险评估",
            Procedure::LegalityReview => "合法性审查",
            Procedure::CollectiveDiscussion => "集体讨论决定",
        }
    }

    /// Where the law allows the procedure to be left out, the article that allows it.
    pub fn omission_basis(self) -> Option<&'static str> {
        match self {
            Procedure::PublicParticipation => Some("第十四条（依法不予公开的决策事项）"),
            Procedure::ExpertArgument => Some("第十九条（非专业性、技术性较强的决策事项）"),
            Procedure::RiskAssessment => Some("第二十二条（不致对社会稳定、公共安全等造成不利影响）"),
            Procedure::LegalityReview | Procedure::CollectiveDiscussion => None,
        }
    }
}

/// The meeting of 第三十条.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Meeting {
    /// 常务会议 (for a department: 局长办公会议 / 局务会议).
    Standing,
    /// 全体会议.
    Plenary,
}

impl Meeting {
    pub fn parse(s: &str) -> Option<Meeting> {
        match s {
            "standing" => Some(Meeting::Standing),
            "plenary" => Some(Meeting::Plenary),
            _ => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Meeting::Standing => "常务会议",
            Meeting::Plenary => "全体会议",
        }
    }
}

/// What the meeting decided (第三十条: the head decides on the basis of the discussion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 通过.
    Adopted,
    /// 修改后再次讨论.
    Deferred,
    /// 不予通过.
    Rejected,
}

impl Outcome {
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "adopted" => Some(Outcome::Adopted),
            "deferred" => Some(Outcome::Deferred),
            "rejected" => Some(Outcome::Rejected),
            _ => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Outcome::Adopted => "通过",
            Outcome::Deferred => "修改后再次讨论",
            Outcome::Rejected => "不予通过",
        }
    }
}

/// One dated act in a decision's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// 第十四条、第十五条: the draft and its explanation published for comment until `until`.
    CommentOpened {
        #[serde(with = "ymd")]
        on: NaiveDate,
        #[serde(with = "ymd")]
        until: NaiveDate,
        shortened_reason: String,
    },
    /// 第十六条: the hearing's notice, published in advance: its day, place, and how its
    /// participants are selected (遴选办法).
    HearingAnnounced {
        #[serde(with = "ymd")]
        on: NaiveDate,
        #[serde(with = "ymd")]
        held_on: NaiveDate,
        place: String,
        selection: String,
    },
    /// 第十六条: the list of the hearing's participants, published before it.
    HearingParticipants {
        #[serde(with = "ymd")]
        on: NaiveDate,
        participants: String,
    },
    /// 第十六条、第十七条: the hearing held, its materials sent on `materials_sent_on`, and its
    /// record (听证笔录) as confirmed by the participants.
    Hearing {
        #[serde(with = "ymd")]
        materials_sent_on: NaiveDate,
        #[serde(with = "ymd")]
        held_on: NaiveDate,
        participants: String,
        /// The record (听证笔录) or the hearing's report; empty in a hearing recorded before
        /// the record was asked for.
        #[serde(default)]
        record: String,
        #[serde(default)]
        record_confirmed: bool,
    },
    /// 第十八条: the comments summarised: how many, how many adopted, and why (not).
    CommentSummary {
        #[serde(with = "ymd")]
        on: NaiveDate,
        received: u32,
        adopted: u32,
        reasons: String,
    },
    /// 第十九条、第二十条: an expert's written opinion.
    ExpertOpinion {
        #[serde(with = "ymd")]
        on: NaiveDate,
        expert: String,
        opinion: String,
        signed: bool,
        interested: bool,
    },
    /// 第二十二条至第二十四条: the risk report with its measures.
    RiskReport {
        #[serde(with = "ymd")]
        on: NaiveDate,
        report: String,
        measures: String,
        controllable: bool,
    },
    /// 第二十六条、第二十七条: the draft sent for legality review, the opinion asked by `due`.
    LegalityRequested {
        #[serde(with = "ymd")]
        on: NaiveDate,
        #[serde(with = "ymd")]
        due: NaiveDate,
        reviewer: String,
    },
    /// 第二十八条: the review's opinion.
    LegalityOpinion {
        #[serde(with = "ymd")]
        on: NaiveDate,
        passed: bool,
        opinion: String,
    },
    /// 第三十条: the collective discussion.
    Discussion {
        #[serde(with = "ymd")]
        on: NaiveDate,
        meeting: Meeting,
        minutes: String,
        head_spoke_last: bool,
        majority_agrees: bool,
        departure_reason: String,
        dissent: String,
        outcome: Outcome,
    },
    /// 第三十二条: the decision published.
    Published {
        #[serde(with = "ymd")]
        on: NaiveDate,
        channel: String,
    },
    /// A procedure left out where the law allows, with its reason.
    Omitted {
        #[serde(with = "ymd")]
        on: NaiveDate,
        procedure: Procedure,
        reason: String,
    },
    /// 第三十六条: the evaluation of a published decision, on its ground, with its findings
    /// and conclusion (第三十七条: the basis for adjusting the decision).
    PostEvaluation {
        #[serde(with = "ymd")]
        on: NaiveDate,
        trigger: EvaluationTrigger,
        findings: String,
        conclusion: String,
    },
}

/// The grounds of 第三十六条 on which a published decision is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationTrigger {
    /// 实施后明显未达到预期效果.
    BelowExpectations,
    /// 公民、法人或者其他组织提出较多意见.
    ManyComments,
    /// 决策机关认为有必要.
    OrganDeemsNecessary,
}

impl EvaluationTrigger {
    pub const ALL: [EvaluationTrigger; 3] =
        [EvaluationTrigger::BelowExpectations, EvaluationTrigger::ManyComments, EvaluationTrigger::OrganDeemsNecessary];

    pub fn as_str(self) -> &'static str {
        match self {
            EvaluationTrigger::BelowExpectations => "below_expectations",
            EvaluationTrigger::ManyComments => "many_comments",
            EvaluationTrigger::OrganDeemsNecessary => "organ_deems_necessary",
        }
    }

    pub fn parse(s: &str) -> Option<EvaluationTrigger> {
        EvaluationTrigger::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            EvaluationTrigger::BelowExpectations => "决策实施后明显未达到预期效果",
            EvaluationTrigger::ManyComments => "公民、法人或者其他组织提出较多意见",
            EvaluationTrigger::OrganDeemsNecessary => "决策机关认为有必要",
        }
    }
}

impl Step {
    pub fn on(&self) -> NaiveDate {
        match self {
            Step::CommentOpened { on, .. }
            | Step::CommentSummary { on, .. }
            | Step::ExpertOpinion { on, .. }
            | Step::RiskReport { on, .. }
            | Step::LegalityRequested { on, .. }
            | Step::LegalityOpinion { on, .. }
            | Step::Discussion { on, .. }
            | Step::Published { on, .. }
            | Step::Omitted { on, .. }
            | Step::HearingAnnounced { on, .. }
            | Step::HearingParticipants { on, .. }
            | Step::PostEvaluation { on, .. } => *on,
            Step::Hearing { held_on, .. } => *held_on,
        }
    }

    /// The machine name (stored, and in the API).
    pub fn kind(&self) -> &'static str {
        match self {
            Step::CommentOpened { .. } => "comment_opened",
            Step::HearingAnnounced { .. } => "hearing_announced",
            Step::HearingParticipants { .. } => "hearing_participants",
            Step::Hearing { .. } => "hearing",
            Step::CommentSummary { .. } => "comment_summary",
            Step::ExpertOpinion { .. } => "expert_opinion",
            Step::RiskReport { .. } => "risk_report",
            Step::LegalityRequested { .. } => "legality_requested",
            Step::LegalityOpinion { .. } => "legality_opinion",
            Step::Discussion { .. } => "discussion",
            Step::Published { .. } => "published",
            Step::Omitted { .. } => "omitted",
            Step::PostEvaluation { .. } => "post_evaluation",
        }
    }

    pub fn name_zh(&self) -> &'static str {
        match self {
            Step::CommentOpened { .. } => "公开征求意见",
            Step::HearingAnnounced { .. } => "公布听证会信息",
            Step::HearingParticipants { .. } => "公布听证参加人名单",
            Step::Hearing { .. } => "召开听证会",
            Step::CommentSummary { .. } => "意见归纳和采纳情况",
            Step::ExpertOpinion { .. } => "专家论证意见",
            Step::RiskReport { .. } => "风险评估报告",
            Step::LegalityRequested { .. } => "送请合法性审查",
            Step::LegalityOpinion { .. } => "合法性审查意见",
            Step::Discussion { .. } => "集体讨论决定",
            Step::Published { .. } => "公布决策",
            Step::Omitted { .. } => "依法不适用的程序",
            Step::PostEvaluation { .. } => "决策后评估",
        }
    }

    /// The procedure the act belongs to (publication belongs to none).
    pub fn procedure(&self) -> Option<Procedure> {
        match self {
            Step::CommentOpened { .. }
            | Step::HearingAnnounced { .. }
            | Step::HearingParticipants { .. }
            | Step::Hearing { .. }
            | Step::CommentSummary { .. } => Some(Procedure::PublicParticipation),
            Step::ExpertOpinion { .. } => Some(Procedure::ExpertArgument),
            Step::RiskReport { .. } => Some(Procedure::RiskAssessment),
            Step::LegalityRequested { .. } | Step::LegalityOpinion { .. } => Some(Procedure::LegalityReview),
            Step::Discussion { .. } => Some(Procedure::CollectiveDiscussion),
            Step::Omitted { procedure, .. } => Some(*procedure),
            Step::Published { .. } | Step::PostEvaluation { .. } => None,
        }
    }
}

/// Where one procedure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcedureState {
    /// Nothing recorded yet.
    Pending,
    /// Begun but not complete (comments open, review requested, risk not controllable…).
    InProgress,
    /// Done.
    Done,
    /// Left out where the law allows, with its recorded reason.
    Omitted,
}

impl ProcedureState {
    pub fn name_zh(self) -> &'static str {
        match self {
            ProcedureState::Pending => "未开展",
            ProcedureState::InProgress => "进行中",
            ProcedureState::Done => "已完成",
            ProcedureState::Omitted => "依法不适用",
        }
    }

    /// Done or lawfully left out.
    pub fn resolved(self) -> bool {
        matches!(self, ProcedureState::Done | ProcedureState::Omitted)
    }
}

/// A decision's completeness for the annual statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Completeness {
    /// Published after all five procedures (①–③ done or lawfully left out).
    Published,
    /// Discussed and adopted, not yet published.
    Adopted,
    /// Procedures under way.
    InProgress,
}

impl Completeness {
    pub fn name_zh(self) -> &'static str {
        match self {
            Completeness::Published => "程序完备并已公布",
            Completeness::Adopted => "已集体讨论通过、待公布",
            Completeness::InProgress => "程序进行中",
        }
    }
}

/// The dated history of a decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionHistory {
    pub steps: Vec<Step>,
}

fn refusal(field: &str, code: &'static str, what: &str, article: &str) -> FieldError {
    FieldError::new(field, code, format!("{what}（{LAW}{article}）"))
}

impl DecisionHistory {
    fn omitted(&self, procedure: Procedure) -> bool {
        self.steps.iter().any(|s| matches!(s, Step::Omitted { procedure: p, .. } if *p == procedure))
    }

    fn last_comment(&self) -> Option<(NaiveDate, NaiveDate)> {
        self.steps.iter().rev().find_map(|s| match s {
            Step::CommentOpened { on, until, .. } => Some((*on, *until)),
            _ => None,
        })
    }

    fn last_opinion(&self) -> Option<(NaiveDate, bool)> {
        self.steps.iter().rev().find_map(|s| match s {
            Step::LegalityOpinion { on, passed, .. } => Some((*on, *passed)),
            _ => None,
        })
    }

    fn last_discussion(&self) -> Option<(NaiveDate, Outcome)> {
        self.steps.iter().rev().find_map(|s| match s {
            Step::Discussion { on, outcome, .. } => Some((*on, *outcome)),
            _ => None,
        })
    }

    /// The last hearing announced, if it has not been held yet: (its index, the day it is set
    /// for).
    fn pending_hearing(&self) -> Option<(usize, NaiveDate)> {
        let (at, held_on) = self.steps.iter().enumerate().rev().find_map(|(i, s)| match s {
            Step::HearingAnnounced { held_on, .. } => Some((i, *held_on)),
            _ => None,
        })?;
        let held = self.steps[at..].iter().any(|s| matches!(s, Step::Hearing { .. }));
        (!held).then_some((at, held_on))
    }

    /// The hearing announced and not yet held whose list of participants is not yet published:
    /// its notice's position among the acts, and its day. Applications to take part (听证报名)
    /// are taken for it before its day and decided (遴选) until the list is published
    /// (第十六条: 公平公开组织遴选, the list published in advance).
    pub fn hearing_unlisted(&self) -> Option<(usize, NaiveDate)> {
        let (at, held_on) = self.pending_hearing()?;
        let listed = self.steps[at..].iter().any(|s| matches!(s, Step::HearingParticipants { .. }));
        (!listed).then_some((at, held_on))
    }

    /// The day of the last hearing held, if any.
    fn last_hearing_held(&self) -> Option<NaiveDate> {
        self.steps.iter().rev().find_map(|s| match s {
            Step::Hearing { held_on, .. } => Some(*held_on),
            _ => None,
        })
    }

    /// The day the decision was published, if it was.
    pub fn published_on(&self) -> Option<NaiveDate> {
        self.steps.iter().find_map(|s| match s {
            Step::Published { on, .. } => Some(*on),
            _ => None,
        })
    }

    /// The state of one procedure.
    pub fn state(&self, procedure: Procedure) -> ProcedureState {
        if self.omitted(procedure) {
            return ProcedureState::Omitted;
        }
        let begun = self.steps.iter().any(|s| s.procedure() == Some(procedure));
        let done = match procedure {
            // 第十八条: participation is complete when the comments of the last round are summarised.
            // A hearing announced and not yet held keeps it open (第十六条、第十七条), and a
            // hearing held is considered only through a summary made on or after its day (第十八条:
            // the opinions of every side, the hearing's among them, are sorted and studied).
            Procedure::PublicParticipation => match self.last_comment() {
                Some((opened, _)) => {
                    let since = self.last_hearing_held().map_or(opened, |held| held.max(opened));
                    self.steps.iter().any(|s| matches!(s, Step::CommentSummary { on, .. } if *on >= since))
                        && self.pending_hearing().is_none()
                }
                None => false,
            },
            Procedure::ExpertArgument => self.steps.iter().any(|s| matches!(s, Step::ExpertOpinion { .. })),
            // 第二十四条: only a controllable risk lets the decision proceed.
            Procedure::RiskAssessment => {
                self.steps.iter().rev().find_map(|s| match s {
                    Step::RiskReport { controllable, .. } => Some(*controllable),
                    _ => None,
                }) == Some(true)
            }
            Procedure::LegalityReview => self.last_opinion().map(|(_, passed)| passed) == Some(true),
            Procedure::CollectiveDiscussion => self.last_discussion().map(|(_, o)| o) == Some(Outcome::Adopted),
        };
        match (done, begun) {
            (true, _) => ProcedureState::Done,
            (false, true) => ProcedureState::InProgress,
            (false, false) => ProcedureState::Pending,
        }
    }

    pub fn completeness(&self) -> Completeness {
        if self.published_on().is_some() {
            Completeness::Published
        } else if self.state(Procedure::CollectiveDiscussion) == ProcedureState::Done {
            Completeness::Adopted
        } else {
            Completeness::InProgress
        }
    }

    /// The first of ①–③ not yet done nor lawfully left out.
    fn unresolved_before_review(&self) -> Option<Procedure> {
        [Procedure::PublicParticipation, Procedure::ExpertArgument, Procedure::RiskAssessment]
            .into_iter()
            .find(|p| !self.state(*p).resolved())
    }

    /// Whether `step` may be recorded on this history; a refusal names its article. Nothing
    /// may be recorded after publication, nor dated before an act already recorded.
    pub fn check(&self, calendar: &WorkCalendar, step: &Step) -> Result<(), FieldError> {
        if self.published_on().is_some() && !matches!(step, Step::PostEvaluation { .. }) {
            return Err(refusal("kind", "decision_published", "决策已经公布，不能再记录程序", "第三十二条"));
        }
        if let Some(last) = self.steps.iter().map(Step::on).max() {
            if step.on() < last {
                return Err(FieldError::new(
                    "on",
                    "step_before_last",
                    format!("日期不能早于已记录的上一项程序（{last}）"),
                ));
            }
        }
        if let Some(procedure) = step.procedure() {
            if !matches!(step, Step::Omitted { .. }) && self.omitted(procedure) {
                return Err(FieldError::new(
                    "kind",
                    "procedure_omitted",
                    format!("已记录{}依法不适用，不能再记录该程序", procedure.name_zh()),
                ));
            }
        }
        match step {
            Step::CommentOpened { on, until, shortened_reason } => {
                check_comment_period(calendar, *on, *until, shortened_reason, &format!("{LAW}第十五条"))
            }
            Step::HearingAnnounced { on, held_on, place, selection } => {
                if self.pending_hearing().is_some() {
                    return Err(FieldError::new(
                        "kind",
                        "hearing_already_announced",
                        "已公布的听证会尚未召开，不能再公布新的听证会",
                    ));
                }
                if held_on <= on {
                    return Err(refusal(
                        "until",
                        "hearing_date_order",
                        "听证时间、地点等信息应当在听证会召开前公布",
                        "第十六条",
                    ));
                }
                if place.trim().is_empty() {
                    return Err(refusal("name", "required", "应当明确听证地点", "第十六条"));
                }
                if selection.trim().is_empty() {
                    return Err(refusal("text", "required", "应当公布听证参加人遴选办法", "第十六条"));
                }
                Ok(())
            }
            Step::HearingParticipants { on, participants } => {
                let Some((_, held_on)) = self.pending_hearing() else {
                    return Err(refusal(
                        "kind",
                        "hearing_not_announced",
                        "尚未公布听证会的时间、地点和参加人遴选办法",
                        "第十六条",
                    ));
                };
                if *on >= held_on {
                    return Err(refusal(
                        "on",
                        "hearing_date_order",
                        "听证参加人名单应当在听证会召开前向社会公布",
                        "第十六条",
                    ));
                }
                if participants.trim().is_empty() {
                    return Err(refusal("text2", "required", "应当列明听证参加人", "第十六条"));
                }
                Ok(())
            }
            Step::Hearing { materials_sent_on, held_on, record, record_confirmed, .. } => {
                let Some((at, announced_for)) = self.pending_hearing() else {
                    return Err(refusal(
                        "kind",
                        "hearing_not_announced",
                        "尚未公布听证会的时间、地点和参加人遴选办法",
                        "第十六条",
                    ));
                };
                if *held_on != announced_for {
                    return Err(refusal(
                        "on",
                        "hearing_date_order",
                        &format!("听证会应当按公布的日期（{announced_for}）召开；改期的，重新公布听证会信息"),
                        "第十六条",
                    ));
                }
                if !self.steps[at..].iter().any(|s| matches!(s, Step::HearingParticipants { .. })) {
                    return Err(refusal(
                        "kind",
                        "hearing_participants_unpublished",
                        "听证参加人名单应当提前向社会公布",
                        "第十六条",
                    ));
                }
                if (*held_on - *materials_sent_on).num_days() < HEARING_NOTICE_DAYS {
                    return Err(refusal(
                        "materials_sent_on",
                        "hearing_notice_short",
                        "听证材料应当至少在听证会召开7日前送达听证参加人",
                        "第十六条",
                    ));
                }
                if record.trim().is_empty() {
                    return Err(refusal("text", "required", "应当制作听证笔录", "第十七条"));
                }
                if !*record_confirmed {
                    return Err(refusal(
                        "signed",
                        "hearing_record_unconfirmed",
                        "听证笔录应当经听证参加人确认",
                        "第十七条",
                    ));
                }
                Ok(())
            }
            Step::CommentSummary { on, received, adopted, reasons } => {
                let Some((_, until)) = self.last_comment() else {
                    return Err(refusal(
                        "kind",
                        "no_comment_period",
                        "尚未公开征求意见，不能归纳意见",
                        "第十五条、第十八条",
                    ));
                };
                if *on < until {
                    return Err(refusal(
                        "on",
                        "comment_period_running",
                        &format!("征求意见期限至{until}，期限届满后方可归纳意见"),
                        "第十五条、第十八条",
                    ));
                }
                if adopted > received {
                    return Err(FieldError::new(
                        "adopted",
                        "adopted_exceeds_received",
                        "采纳的意见数不能多于收到的意见数",
                    ));
                }
                if reasons.trim().is_empty() {
                    return Err(refusal("reasons", "required", "应当说明意见的采纳情况和理由", "第十八条"));
                }
                Ok(())
            }
            Step::ExpertOpinion { interested, signed, .. } => {
                if *interested {
                    return Err(refusal(
                        "interested",
                        "expert_interested",
                        "不得选择与决策事项有直接利害关系的专家、专业机构参与论证",
                        "第二十条",
                    ));
                }
                if !*signed {
                    return Err(refusal("signed", "expert_unsigned", "书面论证意见应当署名、盖章", "第十九条"));
                }
                Ok(())
            }
            Step::RiskReport { measures, .. } => {
                if measures.trim().is_empty() {
                    return Err(refusal("measures", "required", "风险评估应当提出风险防范措施", "第二十三条"));
                }
                Ok(())
            }
            Step::LegalityRequested { on, due, .. } => {
                if let Some(p) = self.unresolved_before_review() {
                    return Err(refusal(
                        "kind",
                        "procedure_unresolved",
                        &format!(
                            "{}尚未完成（也未依法记录不适用），送请合法性审查时应当说明履行决策法定程序的情况",
                            p.name_zh()
                        ),
                        "第二十六条",
                    ));
                }
                let earliest = calendar
                    .add_workdays(*on, LEGALITY_REVIEW_MIN_WORKDAYS)
                    .map_err(|e| FieldError::new("due", e.code(), e.to_string()))?;
                if *due < earliest {
                    return Err(refusal(
                        "due",
                        "review_time_short",
                        &format!("合法性审查时间一般不少于7个工作日（自{on}送审，审查期限应不早于{earliest}）"),
                        "第二十七条",
                    ));
                }
                Ok(())
            }
            Step::LegalityOpinion { on, opinion, .. } => {
                let requested = self.steps.iter().rev().find_map(|s| match s {
                    Step::LegalityRequested { on, .. } => Some(*on),
                    _ => None,
                });
                match requested {
                    Some(r) if r <= *on => {}
                    _ => {
                        return Err(refusal(
                            "kind",
                            "review_not_requested",
                            "尚未送请合法性审查",
                            "第二十五条、第二十六条",
                        ))
                    }
                }
                if opinion.trim().is_empty() {
                    return Err(refusal("opinion", "required", "应当出具书面合法性审查意见", "第二十八条"));
                }
                Ok(())
            }
            Step::Discussion { on, minutes, head_spoke_last, majority_agrees, departure_reason, .. } => {
                if let Some(p) = self.unresolved_before_review() {
                    return Err(refusal(
                        "kind",
                        "procedure_unresolved",
                        &format!("{}尚未完成，也未依法记录不适用，不得提交集体讨论", p.name_zh()),
                        "第九条",
                    ));
                }
                match self.last_opinion() {
                    Some((opinion_on, true)) if opinion_on <= *on => {}
                    Some((_, false)) => {
                        return Err(refusal(
                            "kind",
                            "legality_not_passed",
                            "决策草案经合法性审查不合法，不得提交决策机关讨论",
                            "第二十五条",
                        ))
                    }
                    _ => {
                        return Err(refusal(
                            "kind",
                            "legality_not_passed",
                            "决策草案未经合法性审查，不得提交决策机关讨论；不得以征求意见等方式代替合法性审查",
                            "第二十五条",
                        ))
                    }
                }
                if let Some((_, until)) = self.last_comment() {
                    if *on <= until {
                        return Err(refusal(
                            "on",
                            "comment_period_running",
                            &format!("征求意见期限至{until}，期限届满前不得讨论决定"),
                            "第十五条",
                        ));
                    }
                }
                if minutes.trim().is_empty() {
                    return Err(refusal("minutes", "required", "集体讨论决定情况应当如实记录", "第三十条"));
                }
                if !*head_spoke_last {
                    return Err(refusal("head_spoke_last", "head_not_last", "行政首长应当最后发表意见", "第三十条"));
                }
                if !*majority_agrees && departure_reason.trim().is_empty() {
                    return Err(refusal(
                        "departure_reason",
                        "departure_unexplained",
                        "行政首长拟作出的决定与会议组成人员多数人的意见不一致的，应当在会上说明理由",
                        "第三十条",
                    ));
                }
                Ok(())
            }
            Step::Published { on, channel } => {
                match self.last_discussion() {
                    Some((discussed, Outcome::Adopted)) if discussed <= *on => {}
                    _ => {
                        return Err(refusal(
                            "kind",
                            "not_discussed",
                            "决策未经集体讨论决定通过，不得公布",
                            "第三十条、第三十二条",
                        ))
                    }
                }
                if channel.trim().is_empty() {
                    return Err(refusal(
                        "channel",
                        "required",
                        "应当写明公布的途径（政府公报、政府网站、报纸等）",
                        "第三十二条",
                    ));
                }
                Ok(())
            }
            Step::PostEvaluation { findings, .. } => {
                if self.published_on().is_none() {
                    return Err(refusal(
                        "kind",
                        "decision_not_published",
                        "决策尚未公布实施，不能开展决策后评估",
                        "第三十六条",
                    ));
                }
                if findings.trim().is_empty() {
                    return Err(refusal("text", "required", "应当写明评估的情况和结论", "第三十六条、第三十七条"));
                }
                Ok(())
            }
            Step::Omitted { procedure, reason, .. } => {
                if procedure.omission_basis().is_none() {
                    return Err(refusal(
                        "procedure",
                        "procedure_mandatory",
                        &format!("{}是法定必经程序，不得省略", procedure.name_zh()),
                        if *procedure == Procedure::LegalityReview { "第二十五条" } else { "第三十条" },
                    ));
                }
                if self.state(*procedure) != ProcedureState::Pending {
                    return Err(FieldError::new(
                        "procedure",
                        "procedure_begun",
                        format!("{}已经开展，不能再记录为不适用", procedure.name_zh()),
                    ));
                }
                if reason.trim().is_empty() {
                    return Err(FieldError::new("reason", "required", "应当写明依法不适用该程序的理由"));
                }
                Ok(())
            }
        }
    }
}

/// A step as typed in the form or sent to the API: every field a string (the one parser for
/// both). Fields a kind does not use are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepInput {
    pub kind: String,
    /// The day of the act (the hearing's day for a hearing).
    pub on: String,
    /// The comment period's last day; the review's requested day for a legality request.
    pub until: String,
    /// The day the hearing materials were sent.
    pub materials_sent_on: String,
    /// Free text: the shortening reason, the summary's reasons, the opinion, the report, the
    /// minutes, the channel of publication, the reason for leaving out.
    pub text: String,
    /// A second text: the measures of a risk report, the dissent of a discussion, the hearing's
    /// participants, the departure reason.
    pub text2: String,
    /// The expert, or the reviewer (the legal office or counsel).
    pub name: String,
    pub received: String,
    pub adopted: String,
    /// "true"/"false" flags: signed, interested, controllable, passed, head_spoke_last,
    /// majority_agrees (a checkbox sends "on").
    pub signed: String,
    pub interested: String,
    pub controllable: String,
    pub passed: String,
    pub head_spoke_last: String,
    pub majority_agrees: String,
    pub meeting: String,
    pub outcome: String,
    pub procedure: String,
    /// A departure reason (第三十条).
    pub departure_reason: String,
    /// The ground of a post-evaluation (第三十六条): below_expectations | many_comments |
    /// organ_deems_necessary.
    pub trigger: String,
}

fn date_field(field: &str, value: &str) -> Result<NaiveDate, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, "required", "此项为必填项"));
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, "bad_date", "日期格式应为 YYYY-MM-DD"))
}

fn flag(value: &str) -> bool {
    matches!(value.trim(), "true" | "on" | "1" | "yes")
}

fn count(field: &str, value: &str) -> Result<u32, FieldError> {
    value.trim().parse::<u32>().map_err(|_| FieldError::new(field, "bad_number", "应为非负整数"))
}

impl StepInput {
    /// Parses the input into a step (its lawfulness on the history is [`DecisionHistory::check`]).
    pub fn parse(&self) -> Result<Step, FieldError> {
        let on = || date_field("on", &self.on);
        let text = |field: &str, required: bool| text_field(field, &self.text, 4000, required);
        Ok(match self.kind.trim() {
            "comment_opened" => Step::CommentOpened {
                on: on()?,
                until: date_field("until", &self.until)?,
                shortened_reason: text("text", false)?,
            },
            "hearing_announced" => Step::HearingAnnounced {
                on: on()?,
                held_on: date_field("until", &self.until)?,
                place: text_field("name", &self.name, 200, true)?,
                selection: text("text", true)?,
            },
            "hearing_participants" => {
                Step::HearingParticipants { on: on()?, participants: text_field("text2", &self.text2, 4000, true)? }
            }
            "hearing" => Step::Hearing {
                materials_sent_on: date_field("materials_sent_on", &self.materials_sent_on)?,
                held_on: on()?,
                participants: text_field("text2", &self.text2, 4000, true)?,
                record: text("text", true)?,
                record_confirmed: flag(&self.signed),
            },
            "post_evaluation" => Step::PostEvaluation {
                on: on()?,
                trigger: EvaluationTrigger::parse(self.trigger.trim())
                    .ok_or_else(|| FieldError::new("trigger", "bad_choice", "请选择开展决策后评估的情形"))?,
                findings: text("text", true)?,
                conclusion: text_field("text2", &self.text2, 4000, false)?,
            },
            "comment_summary" => Step::CommentSummary {
                on: on()?,
                received: count("received", &self.received)?,
                adopted: count("adopted", &self.adopted)?,
                reasons: text("text", false)?,
            },
            "expert_opinion" => Step::ExpertOpinion {
                on: on()?,
                expert: text_field("name", &self.name, 100, true)?,
                opinion: text("text", true)?,
                signed: flag(&self.signed),
                interested: flag(&self.interested),
            },
            "risk_report" => Step::RiskReport {
                on: on()?,
                report: text("text", true)?,
                measures: text_field("text2", &self.text2, 4000, false)?,
                controllable: flag(&self.controllable),
            },
            "legality_requested" => Step::LegalityRequested {
                on: on()?,
                due: date_field("until", &self.until)?,
                reviewer: text_field("name", &self.name, 100, true)?,
            },
            "legality_opinion" => {
                Step::LegalityOpinion { on: on()?, passed: flag(&self.passed), opinion: text("text", false)? }
            }
            "discussion" => Step::Discussion {
                on: on()?,
                meeting: Meeting::parse(self.meeting.trim())
                    .ok_or_else(|| FieldError::new("meeting", "bad_choice", "请选择常务会议或全体会议"))?,
                minutes: text("text", false)?,
                head_spoke_last: flag(&self.head_spoke_last),
                majority_agrees: flag(&self.majority_agrees),
                departure_reason: text_field("departure_reason", &self.departure_reason, 2000, false)?,
                dissent: text_field("text2", &self.text2, 4000, false)?,
                outcome: Outcome::parse(self.outcome.trim())
                    .ok_or_else(|| FieldError::new("outcome", "bad_choice", "请选择讨论结果"))?,
            },
            "published" => Step::Published { on: on()?, channel: text("text", false)? },
            "omitted" => Step::Omitted {
                on: on()?,
                procedure: Procedure::parse(self.procedure.trim())
                    .ok_or_else(|| FieldError::new("procedure", "bad_choice", "请选择程序"))?,
                reason: text("text", false)?,
            },
            _ => return Err(FieldError::new("kind", "bad_choice", "请选择要记录的程序")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::builtin()
    }

    fn comment(on: &str, until: &str) -> Step {
        Step::CommentOpened { on: d(on), until: d(until), shortened_reason: String::new() }
    }

    fn summary(on: &str) -> Step {
        Step::CommentSummary { on: d(on), received: 12, adopted: 5, reasons: "合理意见已采纳".into() }
    }

    fn omit(on: &str, procedure: Procedure) -> Step {
        Step::Omitted { on: d(on), procedure, reason: "不涉及".into() }
    }

    fn discussion(on: &str) -> Step {
        Step::Discussion {
            on: d(on),
            meeting: Meeting::Standing,
            minutes: "局长办公会议纪要".into(),
            head_spoke_last: true,
            majority_agrees: true,
            departure_reason: String::new(),
            dissent: "一人保留意见".into(),
            outcome: Outcome::Adopted,
        }
    }

    /// Adds the step after checking it; panics on a refusal.
    fn push(h: &mut DecisionHistory, step: Step) {
        h.check(cal(), &step).unwrap_or_else(|e| panic!("{step:?}: {e}"));
        h.steps.push(step);
    }

    fn ready_for_review() -> DecisionHistory {
        let mut h = DecisionHistory::default();
        push(&mut h, comment("2021-09-01", "2021-10-08"));
        push(&mut h, summary("2021-10-08"));
        push(&mut h, omit("2021-10-08", Procedure::ExpertArgument));
        push(&mut h, omit("2021-10-08", Procedure::RiskAssessment));
        h
    }

    #[test]
    fn a_short_comment_period_is_refused_without_its_reason() {
        let h = DecisionHistory::default();
        // 2021-09-01 + 30 日 = 国庆 2021-10-01: the period lasts to 2021-10-08.
        let err = h.check(cal(), &comment("2021-09-01", "2021-10-01")).unwrap_err();
        assert_eq!(err.code, "comment_period_short");
        assert!(err.message.contains("第十五条"));
        assert!(h.check(cal(), &comment("2021-09-01", "2021-10-08")).is_ok());
        let explained =
            Step::CommentOpened { on: d("2021-09-01"), until: d("2021-09-15"), shortened_reason: "紧急".into() };
        assert!(h.check(cal(), &explained).is_ok());
    }

    fn hearing(sent: &str, held: &str) -> Step {
        Step::Hearing {
            materials_sent_on: d(sent),
            held_on: d(held),
            participants: "居民代表5人".into(),
            record: "听证笔录：参加人陈述意见，进行询问和辩论。".into(),
            record_confirmed: true,
        }
    }

    fn announced(on: &str, held: &str) -> Step {
        Step::HearingAnnounced {
            on: d(on),
            held_on: d(held),
            place: "区民政局三楼会议室".into(),
            selection: "自愿报名，按利益相关方分组随机遴选".into(),
        }
    }

    fn participants(on: &str) -> Step {
        Step::HearingParticipants { on: d(on), participants: "居民代表3人、殡葬服务单位2家".into() }
    }

    /// A history with a hearing announced for `held` and its participants published.
    fn hearing_ready(held: &str, announced_on: &str) -> DecisionHistory {
        let mut h = DecisionHistory::default();
        push(&mut h, comment(announced_on, "2021-10-08"));
        push(&mut h, announced(announced_on, held));
        push(&mut h, participants(announced_on));
        h
    }

    #[test]
    fn hearing_materials_go_out_seven_days_before() {
        let h = hearing_ready("2021-10-01", "2021-09-01");
        assert!(h.check(cal(), &hearing("2021-09-24", "2021-10-01")).is_ok());
        let err = h.check(cal(), &hearing("2021-09-25", "2021-10-01")).unwrap_err();
        assert_eq!(err.code, "hearing_notice_short");
        assert!(err.message.contains("第十六条"), "{}", err.message);
        // Across a leap day: 2020-02-23 to 2020-03-01 is 7 days.
        let mut leap = DecisionHistory::default();
        push(&mut leap, announced("2020-02-01", "2020-03-01"));
        push(&mut leap, participants("2020-02-10"));
        assert!(leap.check(cal(), &hearing("2020-02-23", "2020-03-01")).is_ok());
        assert!(leap.check(cal(), &hearing("2020-02-24", "2020-03-01")).is_err());
    }

    #[test]
    fn a_hearing_is_announced_its_participants_published_and_its_record_confirmed() {
        let mut h = DecisionHistory::default();
        push(&mut h, comment("2021-09-01", "2021-10-08"));
        // Not held without its notice, nor its participants listed before it.
        assert_eq!(h.check(cal(), &hearing("2021-09-20", "2021-10-01")).unwrap_err().code, "hearing_not_announced");
        assert_eq!(h.check(cal(), &participants("2021-09-02")).unwrap_err().code, "hearing_not_announced");
        // The notice comes before the day it names.
        assert_eq!(h.check(cal(), &announced("2021-09-02", "2021-09-02")).unwrap_err().code, "hearing_date_order");
        push(&mut h, announced("2021-09-02", "2021-10-11"));
        assert_eq!(
            h.check(cal(), &announced("2021-09-03", "2021-10-12")).unwrap_err().code,
            "hearing_already_announced"
        );
        assert_eq!(
            h.check(cal(), &hearing("2021-09-20", "2021-10-11")).unwrap_err().code,
            "hearing_participants_unpublished"
        );
        // The list on the hearing's own day is too late.
        assert_eq!(h.check(cal(), &participants("2021-10-11")).unwrap_err().code, "hearing_date_order");
        push(&mut h, participants("2021-09-10"));
        // A summary while the hearing is pending does not complete participation.
        push(&mut h, summary("2021-10-08"));
        assert_eq!(h.state(Procedure::PublicParticipation), ProcedureState::InProgress);
        // Held on another day than announced; the record not confirmed.
        assert_eq!(h.check(cal(), &hearing("2021-09-20", "2021-10-12")).unwrap_err().code, "hearing_date_order");
        let mut unconfirmed = hearing("2021-09-20", "2021-10-11");
        if let Step::Hearing { record_confirmed, .. } = &mut unconfirmed {
            *record_confirmed = false;
        }
        assert_eq!(h.check(cal(), &unconfirmed).unwrap_err().code, "hearing_record_unconfirmed");
        push(&mut h, hearing("2021-09-20", "2021-10-11"));
        // The summary made before the hearing does not consider it (第十八条): one on or after
        // its day does.
        assert_eq!(h.state(Procedure::PublicParticipation), ProcedureState::InProgress);
        assert_eq!(h.unresolved_before_review(), Some(Procedure::PublicParticipation));
        push(&mut h, summary("2021-10-11"));
        assert_eq!(h.state(Procedure::PublicParticipation), ProcedureState::Done);
    }

    #[test]
    fn a_decision_is_evaluated_only_after_publication() {
        let evaluation = |on: &str| Step::PostEvaluation {
            on: d(on),
            trigger: EvaluationTrigger::ManyComments,
            findings: "群众反映公墓距离较远".into(),
            conclusion: "增设公交线路，决策继续执行".into(),
        };
        let mut h = ready_for_review();
        assert_eq!(h.check(cal(), &evaluation("2021-10-08")).unwrap_err().code, "decision_not_published");
        push(
            &mut h,
            Step::LegalityRequested { on: d("2021-10-08"), due: d("2021-10-19"), reviewer: "局法制机构".into() },
        );
        push(&mut h, Step::LegalityOpinion { on: d("2021-10-19"), passed: true, opinion: "合法".into() });
        push(&mut h, discussion("2021-10-20"));
        push(&mut h, Step::Published { on: d("2021-10-21"), channel: "政府网站".into() });
        // Nothing else after publication, but the evaluation is.
        assert_eq!(h.check(cal(), &summary("2021-10-22")).unwrap_err().code, "decision_published");
        let mut blank = evaluation("2022-06-01");
        if let Step::PostEvaluation { findings, .. } = &mut blank {
            findings.clear();
        }
        assert_eq!(h.check(cal(), &blank).unwrap_err().code, "required");
        push(&mut h, evaluation("2022-06-01"));
        assert_eq!(h.completeness(), Completeness::Published);
    }

    #[test]
    fn comments_are_summarised_after_the_period_with_reasons() {
        let mut h = DecisionHistory::default();
        assert_eq!(h.check(cal(), &summary("2021-10-08")).unwrap_err().code, "no_comment_period");
        push(&mut h, comment("2021-09-01", "2021-10-08"));
        assert_eq!(h.state(Procedure::PublicParticipation), ProcedureState::InProgress);
        assert_eq!(h.check(cal(), &summary("2021-10-07")).unwrap_err().code, "comment_period_running");
        let too_many = Step::CommentSummary { on: d("2021-10-08"), received: 2, adopted: 3, reasons: "x".into() };
        assert_eq!(h.check(cal(), &too_many).unwrap_err().code, "adopted_exceeds_received");
        let bare = Step::CommentSummary { on: d("2021-10-08"), received: 2, adopted: 1, reasons: " ".into() };
        assert_eq!(h.check(cal(), &bare).unwrap_err().field, "reasons");
        push(&mut h, summary("2021-10-08"));
        assert_eq!(h.state(Procedure::PublicParticipation), ProcedureState::Done);
    }

    #[test]
    fn an_interested_or_unsigned_expert_is_refused() {
        let h = DecisionHistory::default();
        let expert = |signed, interested| Step::ExpertOpinion {
            on: d("2021-05-06"),
            expert: "张教授".into(),
            opinion: "可行".into(),
            signed,
            interested,
        };
        let err = h.check(cal(), &expert(true, true)).unwrap_err();
        assert_eq!(err.code, "expert_interested");
        assert!(err.message.contains("第二十条"));
        assert_eq!(h.check(cal(), &expert(false, false)).unwrap_err().code, "expert_unsigned");
        assert!(h.check(cal(), &expert(true, false)).is_ok());
    }

    #[test]
    fn the_review_is_asked_only_after_the_other_procedures_with_seven_working_days() {
        let mut h = DecisionHistory::default();
        let request =
            |on: &str, due: &str| Step::LegalityRequested { on: d(on), due: d(due), reviewer: "法规科".into() };
        assert_eq!(h.check(cal(), &request("2021-09-01", "2021-09-30")).unwrap_err().code, "procedure_unresolved");
        h = ready_for_review();
        // Sent 2021-10-08 (Fri): 10-09 is a working Saturday, so the 7th working day is 10-18.
        let err = h.check(cal(), &request("2021-10-08", "2021-10-15")).unwrap_err();
        assert_eq!(err.code, "review_time_short");
        assert!(err.message.contains("第二十七条"));
        assert!(err.message.contains("2021-10-18"), "{}", err.message);
        assert!(h.check(cal(), &request("2021-10-08", "2021-10-18")).is_ok());
        // Sent 2021-09-28 (Tue), over 国庆: 09-29, 09-30, 10-08, 10-09 (working Saturday),
        // 10-11, 10-12, 10-13.
        let mut other = DecisionHistory::default();
        push(&mut other, omit("2021-09-28", Procedure::PublicParticipation));
        push(&mut other, omit("2021-09-28", Procedure::ExpertArgument));
        push(&mut other, omit("2021-09-28", Procedure::RiskAssessment));
        assert_eq!(other.check(cal(), &request("2021-09-28", "2021-10-12")).unwrap_err().code, "review_time_short");
        assert!(other.check(cal(), &request("2021-09-28", "2021-10-13")).is_ok());
        // Over 春节 2021: sent 2021-02-08 (Mon) → 02-09, 02-10, 02-18, 02-19, 02-20 (working
        // Saturday), 02-22, 02-23.
        assert_eq!(cal().add_workdays(d("2021-02-08"), 7).unwrap(), d("2021-02-23"));
    }

    #[test]
    fn no_discussion_without_a_passed_legality_review() {
        let mut h = ready_for_review();
        let err = h.check(cal(), &discussion("2021-10-25")).unwrap_err();
        assert_eq!(err.code, "legality_not_passed");
        assert!(err.message.contains("第二十五条"));
        push(&mut h, Step::LegalityRequested { on: d("2021-10-08"), due: d("2021-10-19"), reviewer: "法规科".into() });
        assert_eq!(h.check(cal(), &discussion("2021-10-25")).unwrap_err().code, "legality_not_passed");
        push(&mut h, Step::LegalityOpinion { on: d("2021-10-15"), passed: false, opinion: "超越职权".into() });
        assert_eq!(h.check(cal(), &discussion("2021-10-25")).unwrap_err().code, "legality_not_passed");
        assert_eq!(h.state(Procedure::LegalityReview), ProcedureState::InProgress);
        push(&mut h, Step::LegalityRequested { on: d("2021-10-18"), due: d("2021-10-27"), reviewer: "法规科".into() });
        push(&mut h, Step::LegalityOpinion { on: d("2021-10-22"), passed: true, opinion: "合法".into() });
        assert!(h.check(cal(), &discussion("2021-10-25")).is_ok());
    }

    #[test]
    fn the_head_speaks_last_and_a_departure_is_explained() {
        let mut h = ready_for_review();
        push(&mut h, Step::LegalityRequested { on: d("2021-10-08"), due: d("2021-10-19"), reviewer: "法规科".into() });
        push(&mut h, Step::LegalityOpinion { on: d("2021-10-19"), passed: true, opinion: "合法".into() });
        let mut meeting = discussion("2021-10-20");
        if let Step::Discussion { head_spoke_last, .. } = &mut meeting {
            *head_spoke_last = false;
        }
        assert_eq!(h.check(cal(), &meeting).unwrap_err().code, "head_not_last");
        let mut meeting = discussion("2021-10-20");
        if let Step::Discussion { majority_agrees, .. } = &mut meeting {
            *majority_agrees = false;
        }
        assert_eq!(h.check(cal(), &meeting).unwrap_err().code, "departure_unexplained");
        if let Step::Discussion { departure_reason, .. } = &mut meeting {
            *departure_reason = "财政承受能力".into();
        }
        assert!(h.check(cal(), &meeting).is_ok());
    }

    #[test]
    fn no_publication_without_an_adopting_discussion_and_nothing_after() {
        let mut h = ready_for_review();
        let publish = |on: &str| Step::Published { on: d(on), channel: "政府网站".into() };
        let err = h.check(cal(), &publish("2021-11-01")).unwrap_err();
        assert_eq!(err.code, "not_discussed");
        assert!(err.message.contains("第三十二条"));
        push(&mut h, Step::LegalityRequested { on: d("2021-10-08"), due: d("2021-10-19"), reviewer: "法规科".into() });
        push(&mut h, Step::LegalityOpinion { on: d("2021-10-19"), passed: true, opinion: "合法".into() });
        let mut deferred = discussion("2021-10-20");
        if let Step::Discussion { outcome, .. } = &mut deferred {
            *outcome = Outcome::Deferred;
        }
        push(&mut h, deferred);
        assert_eq!(h.check(cal(), &publish("2021-11-01")).unwrap_err().code, "not_discussed");
        assert_eq!(h.completeness(), Completeness::InProgress);
        push(&mut h, discussion("2021-10-27"));
        assert_eq!(h.completeness(), Completeness::Adopted);
        push(&mut h, publish("2021-11-01"));
        assert_eq!(h.completeness(), Completeness::Published);
        assert_eq!(h.check(cal(), &publish("2021-11-02")).unwrap_err().code, "decision_published");
    }

    #[test]
    fn only_the_first_three_procedures_may_be_left_out_and_only_before_they_begin() {
        let h = DecisionHistory::default();
        for p in [Procedure::LegalityReview, Procedure::CollectiveDiscussion] {
            assert_eq!(h.check(cal(), &omit("2021-05-06", p)).unwrap_err().code, "procedure_mandatory");
        }
        let blank = Step::Omitted { on: d("2021-05-06"), procedure: Procedure::RiskAssessment, reason: " ".into() };
        assert_eq!(h.check(cal(), &blank).unwrap_err().field, "reason");
        let mut h = DecisionHistory::default();
        push(&mut h, comment("2021-05-06", "2021-06-07"));
        assert_eq!(
            h.check(cal(), &omit("2021-05-06", Procedure::PublicParticipation)).unwrap_err().code,
            "procedure_begun"
        );
        push(&mut h, omit("2021-05-06", Procedure::RiskAssessment));
        assert_eq!(h.state(Procedure::RiskAssessment), ProcedureState::Omitted);
        let report =
            Step::RiskReport { on: d("2021-05-07"), report: "r".into(), measures: "m".into(), controllable: true };
        assert_eq!(h.check(cal(), &report).unwrap_err().code, "procedure_omitted");
    }

    #[test]
    fn an_uncontrollable_risk_keeps_the_procedure_open() {
        let mut h = DecisionHistory::default();
        let report = |controllable| Step::RiskReport {
            on: d("2021-05-06"),
            report: "稳评报告".into(),
            measures: "分步实施".into(),
            controllable,
        };
        push(&mut h, report(false));
        assert_eq!(h.state(Procedure::RiskAssessment), ProcedureState::InProgress);
        push(&mut h, report(true));
        assert_eq!(h.state(Procedure::RiskAssessment), ProcedureState::Done);
    }

    #[test]
    fn an_act_is_not_dated_before_the_last() {
        let mut h = DecisionHistory::default();
        push(&mut h, omit("2021-05-06", Procedure::RiskAssessment));
        assert_eq!(
            h.check(cal(), &omit("2021-05-05", Procedure::ExpertArgument)).unwrap_err().code,
            "step_before_last"
        );
    }

    #[test]
    fn the_input_parser_refuses_with_the_field() {
        let input = StepInput { kind: "comment_opened".into(), on: "2021-13-01".into(), ..Default::default() };
        assert_eq!(input.parse().unwrap_err().field, "on");
        let input = StepInput { kind: "nope".into(), ..Default::default() };
        assert_eq!(input.parse().unwrap_err().code, "bad_choice");
        let input = StepInput {
            kind: "expert_opinion".into(),
            on: "2021-05-06".into(),
            name: "张教授".into(),
            text: "可行".into(),
            signed: "on".into(),
            ..Default::default()
        };
        assert_eq!(
            input.parse().unwrap(),
            Step::ExpertOpinion {
                on: d("2021-05-06"),
                expert: "张教授".into(),
                opinion: "可行".into(),
                signed: true,
                interested: false
            }
        );
        let input =
            StepInput { kind: "discussion".into(), on: "2021-05-06".into(), meeting: "x".into(), ..Default::default() };
        assert_eq!(input.parse().unwrap_err().field, "meeting");
        // A step survives its storage as JSON.
        let step = discussion("2021-10-20");
        let text = serde_json::to_string(&step).unwrap();
        assert_eq!(serde_json::from_str::<Step>(&text).unwrap(), step);
    }
}
