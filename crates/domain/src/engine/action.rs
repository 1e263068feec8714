//! The acts a case undergoes (design: docs/designs/engine.md, "The engine"). Each act is one
//! POST, one [`apply`](super::apply::apply), one revision and at least one recorded event.

/// A review's verdict (审核意见).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// 通过: on to the next step.
    Approve,
    /// 退回: back to the step's `on_return`.
    Return,
    /// 不予通过: the matter is closed as denied.
    Reject,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Approve, Verdict::Return, Verdict::Reject];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Approve => "approve",
            Verdict::Return => "return",
            Verdict::Reject => "reject",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Verdict::Approve => "通过",
            Verdict::Return => "退回",
            Verdict::Reject => "不予通过",
        }
    }
}

/// The special procedures whose time is not counted (行政许可法 Art. 45: 听证、检验、检测、
/// 检疫、鉴定和专家评审; the applicant is told in writing how long they take).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpecialKind {
    /// 听证
    Hearing,
    /// 检验检测（检验、检测、检疫、鉴定）
    Inspection,
    /// 专家评审
    ExpertReview,
    /// 征求第三方意见: only where the item declares the third party's time
    /// ([`crate::procedure::ProcedureDef::consultation`]; 《政府信息公开条例》第三十二条、第三十三条
    /// 第三款). The day the request for the opinion is sent is a day the office worked on the
    /// matter and counts; the pause runs from the next day to the day the opinion (or the end of
    /// the third party's time) is recorded [interpretation: 第三十三条第三款 says only that the
    /// time 所需时间 is not counted].
    Consultation,
}

impl SpecialKind {
    pub const ALL: [SpecialKind; 4] =
        [SpecialKind::Hearing, SpecialKind::Inspection, SpecialKind::ExpertReview, SpecialKind::Consultation];

    pub fn as_str(self) -> &'static str {
        match self {
            SpecialKind::Hearing => "hearing",
            SpecialKind::Inspection => "inspection",
            SpecialKind::ExpertReview => "expert_review",
            SpecialKind::Consultation => "consultation",
        }
    }

    pub fn parse(s: &str) -> Option<SpecialKind> {
        SpecialKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            SpecialKind::Hearing => "听证",
            SpecialKind::Inspection => "检验检测",
            SpecialKind::ExpertReview => "专家评审",
            SpecialKind::Consultation => "征求第三方意见",
        }
    }
}

/// How the result reaches the applicant (送达方式). The catalog's `result.delivery` names the
/// same methods, with `window` for [`DeliveryMethod::OnSite`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryMethod {
    /// 窗口（当场）领取
    OnSite,
    /// 邮寄送达 (with a tracking number)
    Post,
    /// 电子送达
    Electronic,
}

impl DeliveryMethod {
    pub const ALL: [DeliveryMethod; 3] = [DeliveryMethod::OnSite, DeliveryMethod::Post, DeliveryMethod::Electronic];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryMethod::OnSite => "on_site",
            DeliveryMethod::Post => "post",
            DeliveryMethod::Electronic => "electronic",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryMethod> {
        DeliveryMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The name of the method in the catalog files (`result.delivery`).
    pub fn catalog_name(self) -> &'static str {
        match self {
            DeliveryMethod::OnSite => "window",
            DeliveryMethod::Post => "post",
            DeliveryMethod::Electronic => "electronic",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            DeliveryMethod::OnSite => "窗口领取",
            DeliveryMethod::Post => "邮寄送达",
            DeliveryMethod::Electronic => "电子送达",
        }
    }
}

/// One act on a case, with what the actor supplies. Free texts are trimmed by the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// 提交申请: the applicant (online) or a clerk (at the window) submits the draft.
    Submit,
    /// 受理 (行政许可法 Art. 32(5)); for a 即办件 also the decision and the delivery, on the spot
    /// (Art. 34 para. 2).
    Accept,
    /// 一次性告知 (Art. 32(4)): every missing required material, at once. `until`: the last day
    /// to correct, for an item that declares the correction's own period
    /// ([`crate::procedure::CorrectionRule`]); `None`: the declared period from the notice's day.
    NotifyMissing { missing: Vec<String>, until: Option<chrono::NaiveDate> },
    /// 补正: the applicant brings what the notice listed.
    Supplement { materials: Vec<String> },
    /// 不予受理 (Art. 32(2), with reasons: Art. 72(7)).
    RefuseAcceptance { reasons: String },
    /// 分派承办人.
    Assign { account: i64 },
    /// 审核.
    Review { verdict: Verdict, opinion: String },
    /// 启动特别程序 (Art. 45): the clock stops.
    SpecialStart { kind: SpecialKind, reason: String },
    /// 特别程序结束: the clock runs again.
    SpecialEnd,
    /// 延长期限 (Art. 42), once, approved by the head of the authority.
    Extend { workdays: u32, reason: String },
    /// 中止.
    Suspend { reason: String },
    /// 恢复办理.
    Resume,
    /// 作出决定: grant, or deny with reasons and basis (Art. 38). The outcome recorded is the
    /// item's default of that side ([`crate::catalog::Outcomes::default_for`]).
    Decide { grant: bool, reasons: String, basis: String },
    /// 作出决定 naming one of the item's declared outcomes (`[[outcomes]]`: 予以公开, 部分公开,
    /// 信息不存在…); whether it grants is the outcome's. The same act as [`Action::Decide`]
    /// ([`ActionKind::Decide`]).
    /// `facts`: what the outcome's own form asks (`form` of the outcome), as typed; parsed by
    /// the service with [`crate::form::FormSpec::parse`] before the act is applied.
    DecideOutcome { outcome: String, reasons: String, basis: String, facts: crate::form::FormValues },
    /// 制证 / 出具结果.
    Produce,
    /// 颁发.
    Issue,
    /// 送达.
    Deliver { method: DeliveryMethod, tracking: Option<String> },
    /// 撤回申请 (before the decision). `party`: which party withdraws, when the item has two
    /// (a divorce: either party during the cooling-off period, 民法典第一千零七十七条); the
    /// item's guard registry checks it.
    Withdraw { reason: String, party: Option<i64> },
    /// 终止办理.
    Terminate { reason: String },
    /// 跨区域推送 (国办发〔2020〕35号: 异地代收代办).
    Forward,
    /// 跨区域接收.
    Receive,
    /// 结果返回受理地.
    ReturnResult,
    /// 期满处理: the system, when a wait step's period has run out.
    TimerExpired,
}

impl Action {
    /// The act as an area's code reads it (its guards, checks and effects match on
    /// [`Action::Decide`]): a [`Action::DecideOutcome`] is the `Decide` of its outcome's side.
    /// An unknown key is left as it is (the engine refuses it).
    pub fn of_side(&self, outcomes: &crate::catalog::Outcomes) -> std::borrow::Cow<'_, Action> {
        use std::borrow::Cow;
        match self {
            Action::DecideOutcome { outcome, reasons, basis, .. } => match outcomes.get(outcome.trim()) {
                Some(def) => {
                    Cow::Owned(Action::Decide { grant: def.grants, reasons: reasons.clone(), basis: basis.clone() })
                }
                None => Cow::Borrowed(self),
            },
            _ => Cow::Borrowed(self),
        }
    }

    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Submit => ActionKind::Submit,
            Action::Accept => ActionKind::Accept,
            Action::NotifyMissing { .. } => ActionKind::NotifyMissing,
            Action::Supplement { .. } => ActionKind::Supplement,
            Action::RefuseAcceptance { .. } => ActionKind::RefuseAcceptance,
            Action::Assign { .. } => ActionKind::Assign,
            Action::Review { .. } => ActionKind::Review,
            Action::SpecialStart { .. } => ActionKind::SpecialStart,
            Action::SpecialEnd => ActionKind::SpecialEnd,
            Action::Extend { .. } => ActionKind::Extend,
            Action::Suspend { .. } => ActionKind::Suspend,
            Action::Resume => ActionKind::Resume,
            Action::Decide { .. } | Action::DecideOutcome { .. } => ActionKind::Decide,
            Action::Produce => ActionKind::Produce,
            Action::Issue => ActionKind::Issue,
            Action::Deliver { .. } => ActionKind::Deliver,
            Action::Withdraw { .. } => ActionKind::Withdraw,
            Action::Terminate { .. } => ActionKind::Terminate,
            Action::Forward => ActionKind::Forward,
            Action::Receive => ActionKind::Receive,
            Action::ReturnResult => ActionKind::ReturnResult,
            Action::TimerExpired => ActionKind::TimerExpired,
        }
    }
}

/// The kinds of act, without their data: what [`allowed_actions`](super::apply::allowed_actions)
/// returns and the buttons show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActionKind {
    Submit,
    Accept,
    NotifyMissing,
    Supplement,
    RefuseAcceptance,
    Assign,
    Review,
    SpecialStart,
    SpecialEnd,
    Extend,
    Suspend,
    Resume,
    Decide,
    Produce,
    Issue,
    Deliver,
    Withdraw,
    Terminate,
    Forward,
    Receive,
    ReturnResult,
    TimerExpired,
}

impl ActionKind {
    /// The name of this act at `step`: the step's own name for the act that completes it
    /// (`act_name`, e.g. 申请发给离婚证), else the generic one.
    pub fn name_at(self, step: Option<&crate::procedure::StepDef>) -> String {
        step.filter(|s| self.completes(s.kind))
            .and_then(|s| s.act_name.clone())
            .unwrap_or_else(|| self.name_zh().to_string())
    }

    /// Whether this is the act that completes a step of `kind` (a wait step has none).
    pub fn completes(self, kind: crate::procedure::StepKind) -> bool {
        use crate::procedure::StepKind as S;
        matches!(
            (kind, self),
            (S::Accept, ActionKind::Accept)
                | (S::Review, ActionKind::Review)
                | (S::Decide, ActionKind::Decide)
                | (S::Produce, ActionKind::Produce)
                | (S::Issue, ActionKind::Issue)
                | (S::Deliver, ActionKind::Deliver)
                | (S::Forward, ActionKind::Forward)
                | (S::Receive, ActionKind::Receive)
                | (S::ReturnResult, ActionKind::ReturnResult)
        )
    }

    pub const ALL: [ActionKind; 22] = [
        ActionKind::Submit,
        ActionKind::Accept,
        ActionKind::NotifyMissing,
        ActionKind::Supplement,
        ActionKind::RefuseAcceptance,
        ActionKind::Assign,
        ActionKind::Review,
        ActionKind::SpecialStart,
        ActionKind::SpecialEnd,
        ActionKind::Extend,
        ActionKind::Suspend,
        ActionKind::Resume,
        ActionKind::Decide,
        ActionKind::Produce,
        ActionKind::Issue,
        ActionKind::Deliver,
        ActionKind::Withdraw,
        ActionKind::Terminate,
        ActionKind::Forward,
        ActionKind::Receive,
        ActionKind::ReturnResult,
        ActionKind::TimerExpired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Submit => "submit",
            ActionKind::Accept => "accept",
            ActionKind::NotifyMissing => "notify_missing",
            ActionKind::Supplement => "supplement",
            ActionKind::RefuseAcceptance => "refuse_acceptance",
            ActionKind::Assign => "assign",
            ActionKind::Review => "review",
            ActionKind::SpecialStart => "special_start",
            ActionKind::SpecialEnd => "special_end",
            ActionKind::Extend => "extend",
            ActionKind::Suspend => "suspend",
            ActionKind::Resume => "resume",
            ActionKind::Decide => "decide",
            ActionKind::Produce => "produce",
            ActionKind::Issue => "issue",
            ActionKind::Deliver => "deliver",
            ActionKind::Withdraw => "withdraw",
            ActionKind::Terminate => "terminate",
            ActionKind::Forward => "forward",
            ActionKind::Receive => "receive",
            ActionKind::ReturnResult => "return_result",
            ActionKind::TimerExpired => "timer_expired",
        }
    }

    pub fn parse(s: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The name on the button and in the record.
    pub fn name_zh(self) -> &'static str {
        match self {
            ActionKind::Submit => "提交申请",
            ActionKind::Accept => "受理",
            ActionKind::NotifyMissing => "一次性告知补正",
            ActionKind::Supplement => "补正材料",
            ActionKind::RefuseAcceptance => "不予受理",
            ActionKind::Assign => "分派承办人",
            ActionKind::Review => "审核",
            ActionKind::SpecialStart => "启动特别程序",
            ActionKind::SpecialEnd => "结束特别程序",
            ActionKind::Extend => "延长办理期限",
            ActionKind::Suspend => "中止办理",
            ActionKind::Resume => "恢复办理",
            ActionKind::Decide => "作出决定",
            ActionKind::Produce => "制作结果",
            ActionKind::Issue => "颁发",
            ActionKind::Deliver => "送达",
            ActionKind::Withdraw => "撤回申请",
            ActionKind::Terminate => "终止办理",
            ActionKind::Forward => "跨区域推送",
            ActionKind::Receive => "跨区域接收",
            ActionKind::ReturnResult => "结果返回受理地",
            ActionKind::TimerExpired => "期满处理",
        }
    }

    /// The `act` of the event this kind of act records (`case.accept`).
    pub fn event_act(self) -> &'static str {
        match self {
            ActionKind::Submit => "case.submit",
            ActionKind::Accept => "case.accept",
            ActionKind::NotifyMissing => "case.notify_missing",
            ActionKind::Supplement => "case.supplement",
            ActionKind::RefuseAcceptance => "case.refuse_acceptance",
            ActionKind::Assign => "case.assign",
            ActionKind::Review => "case.review",
            ActionKind::SpecialStart => "case.special_start",
            ActionKind::SpecialEnd => "case.special_end",
            ActionKind::Extend => "case.extend",
            ActionKind::Suspend => "case.suspend",
            ActionKind::Resume => "case.resume",
            ActionKind::Decide => "case.decide",
            ActionKind::Produce => "case.produce",
            ActionKind::Issue => "case.issue",
            ActionKind::Deliver => "case.deliver",
            ActionKind::Withdraw => "case.withdraw",
            ActionKind::Terminate => "case.terminate",
            ActionKind::Forward => "case.forward",
            ActionKind::Receive => "case.receive",
            ActionKind::ReturnResult => "case.return_result",
            ActionKind::TimerExpired => "case.timer_expired",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in ActionKind::ALL {
            assert_eq!(ActionKind::parse(kind.as_str()), Some(kind));
            assert_eq!(kind.event_act(), format!("case.{}", kind.as_str()));
            assert!(!kind.name_zh().is_empty());
        }
        assert_eq!(ActionKind::parse("approve"), None);
        for verdict in Verdict::ALL {
            assert_eq!(Verdict::parse(verdict.as_str()), Some(verdict));
        }
        for kind in SpecialKind::ALL {
            assert_eq!(SpecialKind::parse(kind.as_str()), Some(kind));
        }
        for method in DeliveryMethod::ALL {
            assert_eq!(DeliveryMethod::parse(method.as_str()), Some(method));
        }
        assert_eq!(SpecialKind::ExpertReview.name_zh(), "专家评审");
        assert_eq!(DeliveryMethod::OnSite.catalog_name(), "window");
    }

    #[test]
    fn every_action_has_its_kind() {
        let actions = [
            Action::Submit,
            Action::Accept,
            Action::NotifyMissing { missing: vec![], until: None },
            Action::Supplement { materials: vec![] },
            Action::RefuseAcceptance { reasons: String::new() },
            Action::Assign { account: 1 },
            Action::Review { verdict: Verdict::Approve, opinion: String::new() },
            Action::SpecialStart { kind: SpecialKind::Hearing, reason: String::new() },
            Action::SpecialEnd,
            Action::Extend { workdays: 1, reason: String::new() },
            Action::Suspend { reason: String::new() },
            Action::Resume,
            Action::Decide { grant: true, reasons: String::new(), basis: String::new() },
            Action::Produce,
            Action::Issue,
            Action::Deliver { method: DeliveryMethod::Post, tracking: None },
            Action::Withdraw { reason: String::new(), party: None },
            Action::Terminate { reason: String::new() },
            Action::Forward,
            Action::Receive,
            Action::ReturnResult,
            Action::TimerExpired,
        ];
        let kinds: Vec<ActionKind> = actions.iter().map(Action::kind).collect();
        assert_eq!(kinds, ActionKind::ALL);
        let named = Action::DecideOutcome {
            outcome: "denied".into(),
            reasons: "理由".into(),
            basis: String::new(),
            facts: Default::default(),
        };
        assert_eq!(named.kind(), ActionKind::Decide);
        // An area reads it as the Decide of its side.
        let outcomes = crate::catalog::Outcomes::implicit(true);
        let side = Action::Decide { grant: false, reasons: "理由".into(), basis: String::new() };
        assert_eq!(*named.of_side(&outcomes), side);
        let unknown = Action::DecideOutcome {
            outcome: "nope".into(),
            reasons: String::new(),
            basis: String::new(),
            facts: Default::default(),
        };
        assert_eq!(*unknown.of_side(&outcomes), unknown);
    }
}
