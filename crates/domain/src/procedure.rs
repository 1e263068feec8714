//! Procedure definitions: the workflow part of a service item (and, later, of every other
//! matter: enforcement cases, disclosure requests, deputies' suggestions…). A definition is data,
//! loaded from the catalog files (`catalog.rs`) and validated there; the engine (`engine.rs`)
//! interprets it.
//!
//! A procedure is a list of steps. Each step has a kind (what acts it allows), the role that acts
//! and where (the accepting office or the competent authority, at a level of the division tree),
//! an optional limit, and the names of the domain guards and effects that apply. `next` is the
//! following step unless named; a review may send the matter back (`on_return`).

use crate::access::Role;
use crate::division::Level;

/// The unit of a time limit. 行政许可法 Art. 82 counts its periods in working days; where a text
/// says "日" without 工作日, natural days under 民法典 Art. 201-203 apply. 民法典 第二百条: periods
/// are counted by the Gregorian calendar in years, months, days and hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitUnit {
    /// 工作日
    Workday,
    /// 日（自然日）
    Day,
    /// 个月: calendar months, ending on the corresponding day or the month's last day, a last day
    /// off moved to the next working day (民法典 第二百零一条至第二百零三条; 代表法 第五十一条:
    /// a deputy's suggestion is answered within 3 months of 交办, 6 for a difficult one).
    Month,
    /// 小时: counted from the moment the period starts, not from the next day (民法典 第二百零一条
    /// 第二款), and never moved off a day off. Only a step's limit may be in hours (a push within
    /// 24 hours), and not in a procedure with pauses (the catalog refuses both).
    Hour,
}

impl LimitUnit {
    pub const ALL: [LimitUnit; 4] = [LimitUnit::Workday, LimitUnit::Day, LimitUnit::Month, LimitUnit::Hour];

    pub fn as_str(self) -> &'static str {
        match self {
            LimitUnit::Workday => "workday",
            LimitUnit::Day => "day",
            LimitUnit::Month => "month",
            LimitUnit::Hour => "hour",
        }
    }

    pub fn parse(s: &str) -> Option<LimitUnit> {
        match s {
            "workday" => Some(LimitUnit::Workday),
            "day" => Some(LimitUnit::Day),
            "month" => Some(LimitUnit::Month),
            "hour" => Some(LimitUnit::Hour),
            _ => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            LimitUnit::Workday => "个工作日",
            LimitUnit::Day => "日",
            LimitUnit::Month => "个月",
            LimitUnit::Hour => "小时",
        }
    }
}

/// A time limit with its legal source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    pub value: u32,
    pub unit: LimitUnit,
    /// The legal basis, down to the article (e.g. "行政许可法第四十二条").
    pub basis: String,
}

/// What a step does; each kind allows a fixed set of acts (see `engine::actions_of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// 受理: accept, one-time notice of missing materials, supplement, refuse to accept.
    Accept,
    /// 审核 / 初审 / 调查: approve (to next), return (to `on_return`), reject (deny).
    Review,
    /// 决定 / 审批 / 确认: grant or deny, with reasons and basis.
    Decide,
    /// 制证 / 出具结果.
    Produce,
    /// 颁发 / 发放.
    Issue,
    /// 送达.
    Deliver,
    /// 跨区域: forward the case to the competent authority (推送).
    Forward,
    /// 跨区域: the competent authority receives the forwarded case (接收).
    Receive,
    /// 跨区域: the result goes back to the accepting office (结果返回).
    ReturnResult,
    /// A period that runs by itself (公示, 冷静期): ends when its timer fires, unless an act
    /// (an objection, a withdrawal) intervenes. Its `timer` says what happens at the end.
    Wait,
}

impl StepKind {
    pub const ALL: [StepKind; 10] = [
        StepKind::Accept,
        StepKind::Review,
        StepKind::Decide,
        StepKind::Produce,
        StepKind::Issue,
        StepKind::Deliver,
        StepKind::Forward,
        StepKind::Receive,
        StepKind::ReturnResult,
        StepKind::Wait,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Accept => "accept",
            StepKind::Review => "review",
            StepKind::Decide => "decide",
            StepKind::Produce => "produce",
            StepKind::Issue => "issue",
            StepKind::Deliver => "deliver",
            StepKind::Forward => "forward",
            StepKind::Receive => "receive",
            StepKind::ReturnResult => "return_result",
            StepKind::Wait => "wait",
        }
    }

    pub fn parse(s: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Which office of the case acts at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Seat {
    /// 受理地: the office that accepted the application.
    Accepting,
    /// 审核/决定地: the competent authority.
    Competent,
}

impl Seat {
    pub fn as_str(self) -> &'static str {
        match self {
            Seat::Accepting => "accepting",
            Seat::Competent => "competent",
        }
    }

    pub fn parse(s: &str) -> Option<Seat> {
        match s {
            "accepting" => Some(Seat::Accepting),
            "competent" => Some(Seat::Competent),
            _ => None,
        }
    }
}

/// What happens when a `Wait` step's period ends without intervention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimerOutcome {
    /// Move on to the next step (公示期满无异议).
    Advance,
    /// The application is deemed withdrawn (离婚冷静期届满后三十日内未申请发证).
    DeemWithdrawn,
}

impl TimerOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            TimerOutcome::Advance => "advance",
            TimerOutcome::DeemWithdrawn => "deem_withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<TimerOutcome> {
        match s {
            "advance" => Some(TimerOutcome::Advance),
            "deem_withdrawn" => Some(TimerOutcome::DeemWithdrawn),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timer {
    pub after: Limit,
    pub outcome: TimerOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepDef {
    /// A stable identifier within the procedure (`accept`, `township_review`, `publicity`).
    pub id: String,
    /// The name shown to people (受理, 乡镇初审, 公示).
    pub name: String,
    pub kind: StepKind,
    /// The role that acts. Required for every step but a `Wait` step, where it is optional and
    /// names the role that may record an intervening act (an objection during 公示).
    pub role: Option<Role>,
    pub seat: Seat,
    /// The level of the division tree at which the act is done, counted on the seat's division
    /// (e.g. a 低保 confirmation is at `County` of the applicant's township); `None` = the seat's
    /// own division. A delegation (下放) can move it lower.
    pub level: Option<Level>,
    pub limit: Option<Limit>,
    /// Required on a `Wait` step (its period, `Advance` or `DeemWithdrawn` at the end). Allowed on
    /// an acting step only with `DeemWithdrawn`: a window within which the applicant must act
    /// (离婚登记: both parties appear within 30 days after the cooling-off period, 民法典第1077条).
    pub timer: Option<Timer>,
    /// The step after this one; `None` = the next in the list (the last step's end closes the case).
    pub next: Option<String>,
    /// Where a review's 退回 sends the matter.
    pub on_return: Option<String>,
    /// Named domain guards checked before the step's completing act.
    pub guards: Vec<String>,
    /// Named domain effects applied when the step completes.
    pub effects: Vec<String>,
    /// Notices produced when the step completes (受理通知书…), by template name.
    pub notices: Vec<String>,
    /// The situations (情形) for which this step does not apply and is passed over: e.g. no
    /// 公示 for a minor applying for 特困 support. Each names a situation of the item.
    pub skip_situations: Vec<String>,
    /// The step's period is the parties' time, not the office's (离婚冷静期 and the 30 days to
    /// ask for the certificate: 民法典第一千零七十七条 gives both to the parties): the days the
    /// case spends in it are not counted in the whole matter's limit nor in the service metrics
    /// (a `PartyTime` entry of the pause ledger). Only on a step with a timer.
    pub party_time: bool,
    /// What the office calls the act that completes this step, where the generic name (审核…)
    /// would mislead: e.g. 申请发给离婚证 for both parties asking for the certificate.
    pub act_name: Option<String>,
}

/// Reasons the clock may stop. 行政许可法 Art. 45 (hearing, inspection, testing, expert review
/// not counted, applicant told in writing); 政府信息公开条例 Art. 30 and 33 (correction restarts,
/// consultation not counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PauseKind {
    /// 补正: from the one-time notice to the day the supplement arrives.
    Supplement,
    /// 特别程序: hearing, inspection, testing, expert review.
    Special,
    /// 中止.
    Suspend,
    /// The parties' own period (a `party_time` step): never a status, never in a procedure's
    /// `pauses`; recorded in the ledger so the office's time leaves it out.
    PartyTime,
}

impl PauseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PauseKind::Supplement => "supplement",
            PauseKind::Special => "special",
            PauseKind::Suspend => "suspend",
            PauseKind::PartyTime => "party_time",
        }
    }

    pub fn parse(s: &str) -> Option<PauseKind> {
        match s {
            "supplement" => Some(PauseKind::Supplement),
            "special" => Some(PauseKind::Special),
            "suspend" => Some(PauseKind::Suspend),
            "party_time" => Some(PauseKind::PartyTime),
            _ => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            PauseKind::Supplement => "补正",
            PauseKind::Special => "特别程序",
            PauseKind::Suspend => "中止",
            PauseKind::PartyTime => "当事人期间",
        }
    }
}

/// An extension the law allows (行政许可法 Art. 42: 20 working days, extendable by 10 with the
/// head's approval).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionRule {
    pub max: Limit,
    /// The role that approves (本行政机关负责人).
    pub approver: Role,
}

/// A matter whose period runs from the day the application is received, fixed by how it came
/// ([`crate::engine::receipt`]), not from the acceptance act (`[procedure.receipt]`). E.g.
/// 《政府信息公开条例》第三十一条 (the day of receipt by channel) with 第三十三条第二款 (答复
/// within 20 working days 自收到申请之日起).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRule {
    /// The law that fixes the day of receipt.
    pub basis: String,
    /// Where the law restarts the period from the day the corrected application arrives: the
    /// law's article (《政府信息公开条例》第三十条: 答复期限自行政机关收到补正的申请之日起计算).
    /// The correction is the one-time notice (`NotifyMissing`) and the supplement; while it is
    /// awaited no period runs. `None`: the supplement only pauses the clock.
    pub correction_restarts: Option<String>,
}

/// The correction's own period and what its lapse means (`[procedure] correction`), where the law
/// has the notice set a period to correct and treats a correction not made in it as the end of
/// the application: 《政府信息公开条例》第三十条 (一次性告知申请人作出补正，说明需要补正的事项和
/// 合理的补正期限; 申请人无正当理由逾期不补正的，视为放弃申请).
///
/// The one-time notice (`NotifyMissing`) sets the period's last day: the day it states (`until`),
/// never earlier than `period` counted from the day of the notice (the declared period is the
/// bureau's measure of a reasonable one: a notice may give more time, not less), else that day.
/// While the correction is awaited the case has a timer ending at 00:00 Asia/Shanghai after that
/// day (民法典第二百零三条); when it runs out the case is closed with `lapse_outcome`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionRule {
    /// The period to correct, with its basis.
    pub period: Limit,
    /// The key of the item's outcome (`[[outcomes]]`, one that does not grant) a lapse records.
    pub lapse_outcome: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureDef {
    pub steps: Vec<StepDef>,
    /// The pauses this procedure allows.
    pub pauses: Vec<PauseKind>,
    pub extension: Option<ExtensionRule>,
    /// The period within which a refusal (不予批准) is notified in writing with reasons, counted
    /// from the decision (低保: 3 个工作日).
    pub refusal_notice: Option<Limit>,
    /// Whether the matter may end in a refusal (不予受理, 不予批准). `false` for a filing the law
    /// answers with a receipt or with guidance to complete it and never with a refusal
    /// (`refusable = false` in the item's `[procedure]`; e.g. 《养老机构管理办法》 第十二条: 材料
    /// 不齐全的，应当指导补正): the engine then refuses 不予受理 and every negative decision, so
    /// no button offers them and no request can make them.
    pub refusable: bool,
    /// The period runs from the day of receipt (`[procedure.receipt]`); `None`: from the
    /// acceptance act.
    pub receipt: Option<ReceiptRule>,
    /// The time a third party has to give its opinion, where the law has the office consult one
    /// before deciding and leaves the consultation out of the period (`consultation = { … }`;
    /// 《政府信息公开条例》第三十二条: 第三方应当自收到征求意见书之日起15个工作日内提出意见;
    /// 第三十三条第三款: 征求第三方意见所需时间不计算在前款规定的期限内). The consultation is
    /// the special procedure [`crate::engine::action::SpecialKind::Consultation`]; the procedure
    /// must list the `special` pause.
    pub consultation: Option<Limit>,
    /// Acts may state the day they were done (`dated_acts = "<basis>"`, [`crate::engine::dated`]):
    /// where the law counts from the day a thing happened, not the day it was entered. `None`:
    /// every act is dated when it is entered.
    pub dated_acts: Option<String>,
    /// The correction's own period and its lapse ([`CorrectionRule`]); `None`: the one-time
    /// notice sets no period and the case waits for the supplement.
    pub correction: Option<CorrectionRule>,
}

impl ProcedureDef {
    pub fn step(&self, id: &str) -> Option<&StepDef> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The step that follows `id` (its `next`, else the next in the list); None at the end.
    pub fn next_of(&self, id: &str) -> Option<&StepDef> {
        let index = self.steps.iter().position(|s| s.id == id)?;
        match &self.steps[index].next {
            Some(next) => self.step(next),
            None => self.steps.get(index + 1),
        }
    }

    pub fn first(&self) -> Option<&StepDef> {
        self.steps.first()
    }

    /// Who takes in an application at the window: a 窗口受理人员, and the role that accepts it
    /// at the procedure's acceptance step. An office that accepts an item is a window for it: a
    /// 低保 application is made to the 乡镇人民政府（街道办事处）, whose officer takes it in
    /// (《社会救助暂行办法》第十一条第一项); 行政许可法第三十二条 has the office the application is
    /// made to accept it or refuse it.
    pub fn window_roles(&self) -> Vec<Role> {
        let mut roles = vec![Role::Clerk];
        let accepting = self.steps.iter().filter(|s| s.kind == StepKind::Accept).filter_map(|s| s.role);
        for role in accepting {
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        roles
    }
}
