//! The demo year of 政府信息公开 依申请公开 at 通川区: a request about every sixth working day (at
//! the window, by post, by fax), each a case of the item `government-information-request`
//! handled through the engine's acts as staff would — most answered within the period, some after
//! the one correction notice (a few never corrected, closed by the sweep as abandoned), some after
//! a third-party consultation, one extended — and
//! delivered, with 行政复议 against refusals, so that the case lists show deadlines in every state
//! and the 2021 report has figures in its rows.

use chrono::NaiveDate;
use domain::access::Actor;
use domain::engine::action::{Action, DeliveryMethod, SpecialKind};
use domain::form::FormValues;
use domain::person::PersonInput;
use domain::verticals::disclosure::{outcomes, AnswerKind, RemedyInput};
use serde_json::json;
use service::cases::{ApplicantRef, SubmitCase};
use service::App;

/// The item whose cases are requests.
const ITEM: &str = service::verticals::disclosure::cases::ITEM_SLUG;

/// How a request of the demo is meant to go (working days since receipt).
#[derive(Debug, Clone, Copy)]
enum Plan {
    /// Answered on its `at`-th working day.
    Answer { at: u32, kind: AnswerKind },
    /// Registered without a usable description: a correction notice on day 2, corrected on day 5,
    /// answered on day 9.
    Correct,
    /// A correction notice on day 2 and no correction: the sweep closes it as abandoned at the end
    /// of the notice's period (第三十条).
    Abandon,
    /// A third party consulted from day 3 to day 10, then a partial disclosure on day 12.
    Consult,
    /// Extended by 10 working days on day 18, answered on day 24.
    Extend,
}

struct Open {
    id: i64,
    plan: Plan,
    /// Working days since receipt.
    age: u32,
    /// Answered: delivered the next working day.
    answered: Option<AnswerKind>,
}

/// The demo's requests, day by day.
#[derive(Default)]
pub struct Year {
    dice: u64,
    day: u64,
    open: Vec<Open>,
    /// Refusals (case ids) that may be taken to 行政复议.
    refused: Vec<i64>,
}

const KINDS: [AnswerKind; 9] = [
    AnswerKind::Disclosed,
    AnswerKind::Disclosed,
    AnswerKind::AlreadyPublic,
    AnswerKind::Withheld,
    AnswerKind::NotExisting,
    AnswerKind::NotThisOrgan,
    AnswerKind::Petition,
    AnswerKind::Repeat,
    AnswerKind::FeeUnpaid,
];

const TOPICS: [&str; 6] = [
    "2021年本区城乡低保标准调整的文件",
    "本区养老机构名单及床位数",
    "2020年临时救助资金使用情况",
    "某社区居委会换届选举的备案材料",
    "本区殡葬设施规划",
    "某社会组织年度检查结论",
];

/// The reasons a decision states (a refusal must state them), by answer type.
fn reasons(kind: AnswerKind) -> &'static str {
    match kind {
        AnswerKind::Withheld => "所申请信息为讨论记录、请示报告等过程性信息",
        AnswerKind::Partial => "提供可以公开的部分；涉及第三方商业秘密的部分不予公开",
        AnswerKind::Disclosed => "于答复之日起5个工作日内提供",
        AnswerKind::AlreadyPublic => "已在达州市通川区人民政府门户网站“政府信息公开”栏目公开",
        AnswerKind::NotThisOrgan => "请向达州市通川区住房和城乡建设局申请",
        AnswerKind::Petition => "请通过信访渠道提出：达州市通川区信访局",
        AnswerKind::NotExisting => "经检索，本机关未制作、获取该信息",
        AnswerKind::Repeat => "本机关已于此前答复同一申请",
        AnswerKind::FeeUnpaid => "申请人未在收费通知要求的期限内缴纳信息处理费",
        _ => "依法处理",
    }
}

/// What the decide act states by the answer's own form: the reason of a withholding (the reasons
/// above: a process record, a third party's trade secret) and, for information provided, its form
/// on paper and no fee (第四十二条).
fn answer_facts(kind: AnswerKind) -> FormValues {
    let reason = match kind {
        AnswerKind::Withheld => Some("process_information"),
        AnswerKind::Partial => Some("third_party_rights"),
        _ => None,
    };
    let mut pairs: Vec<(&str, &str)> = reason.map(|r| (outcomes::REASON_FIELD, r)).into_iter().collect();
    if outcomes::provides(kind) {
        pairs.push((outcomes::PROVISION_FIELD, "paper"));
    }
    FormValues::from_pairs(pairs, "")
}

impl Year {
    fn next(&mut self, n: u64) -> u64 {
        self.dice = self.dice.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.dice >> 33) % n.max(1)
    }

    /// One working day: maybe a new request, then each open request's act of the day.
    pub async fn day(&mut self, app: &App, clerk: &Actor, decider: &Actor) -> anyhow::Result<()> {
        self.day += 1;
        if self.day % 6 == 1 {
            self.receive(app, clerk).await?;
        }
        let mut still_open = Vec::new();
        for mut open in std::mem::take(&mut self.open) {
            open.age += 1;
            let (actor, action) = match self.act_of(&open) {
                Some(act) => act,
                // An abandoned request is the sweep's to close; the demo stops following it.
                None if matches!(open.plan, Plan::Abandon) && open.age > 30 => continue,
                None => {
                    still_open.push(open);
                    continue;
                }
            };
            let actor = if actor { decider } else { clerk };
            match app.act_on_case(actor, open.id, None, &action).await {
                Ok(_) => match (&action, open.answered) {
                    (Action::Deliver { .. }, Some(kind)) => {
                        if matches!(kind, AnswerKind::Withheld | AnswerKind::Partial) {
                            self.refused.push(open.id);
                        }
                    }
                    (Action::DecideOutcome { outcome, .. }, _) => {
                        open.answered = AnswerKind::parse(outcome);
                        still_open.push(open);
                    }
                    _ => still_open.push(open),
                },
                Err(err) => tracing::debug!(code = err.code, "demo disclosure act skipped"),
            }
        }
        self.open = still_open;
        // Every fifth working day, the oldest refusal not yet challenged is taken to 行政复议.
        if self.day.is_multiple_of(5) && !self.refused.is_empty() {
            let id = self.refused.remove(0);
            let input = RemedyInput {
                kind: "review".into(),
                result: "upheld".into(),
                filed_on: app.today().to_string(),
                note: String::new(),
            };
            if let Err(err) = app.disclosure_case_remedy(clerk, id, None, &input).await {
                tracing::debug!(code = err.code, "demo disclosure remedy skipped");
            }
        }
        Ok(())
    }

    /// The act of the day for a request, and whether the decider does it (else the clerk).
    fn act_of(&self, open: &Open) -> Option<(bool, Action)> {
        let decide = |kind: AnswerKind| {
            Some((
                true,
                Action::DecideOutcome {
                    outcome: kind.as_str().into(),
                    reasons: reasons(kind).into(),
                    basis: String::new(),
                    facts: answer_facts(kind),
                },
            ))
        };
        if open.answered.is_some() {
            return Some((
                false,
                Action::Deliver { method: DeliveryMethod::Post, tracking: Some(format!("1100{:09}", open.id)) },
            ));
        }
        match (open.plan, open.age) {
            (Plan::Answer { at, kind }, age) if age == at => decide(kind),
            (Plan::Correct | Plan::Abandon, 2) => {
                Some((false, Action::NotifyMissing { missing: vec!["request".into()], until: None }))
            }
            (Plan::Correct, 5) => Some((false, Action::Supplement { materials: vec!["request".into()] })),
            (Plan::Correct, 6) => Some((false, Action::Accept)),
            (Plan::Correct, 9) | (Plan::Extend, 24) => decide(AnswerKind::Disclosed),
            (Plan::Consult, 3) => Some((
                true,
                Action::SpecialStart {
                    kind: SpecialKind::Consultation,
                    reason: "信息涉及某养老服务有限公司的商业秘密，书面征求其意见".into(),
                },
            )),
            (Plan::Consult, 10) => Some((true, Action::SpecialEnd)),
            (Plan::Consult, 12) => decide(AnswerKind::Partial),
            (Plan::Extend, 18) => Some((
                true,
                Action::Extend {
                    workdays: 10, reason: "需要调取档案，经政府信息公开工作机构负责人同意".into()
                },
            )),
            _ => None,
        }
    }

    async fn receive(&mut self, app: &App, clerk: &Actor) -> anyhow::Result<()> {
        let today = app.today();
        let n = self.next(1000);
        let receipt = match n % 3 {
            0 => json!({"channel": "in_person", "submitted_on": today.to_string()}),
            1 => json!({"channel": "post", "submitted_on": today.pred_opt().unwrap_or(today).to_string(),
                        "signed_on": today.to_string()}),
            _ => json!({"channel": "fax", "submitted_on": today.to_string(), "confirmed_on": today.to_string()}),
        };
        let kind =
            ["natural_person", "natural_person", "natural_person", "business", "legal_service", "public_interest"]
                [self.next(6) as usize];
        let plan = match self.next(10) {
            0 if self.next(3) == 0 => Plan::Abandon,
            0 => Plan::Correct,
            1 => Plan::Consult,
            2 if self.day % 4 == 1 => Plan::Extend,
            _ => Plan::Answer { at: 3 + self.next(14) as u32, kind: KINDS[self.next(KINDS.len() as u64) as usize] },
        };
        let complete = !matches!(plan, Plan::Correct | Plan::Abandon);
        let birth = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(today);
        let description = TOPICS[self.next(TOPICS.len() as u64) as usize];
        let provision_form = ["paper", "electronic", "inspection"][self.next(3) as usize];
        let receive_by = ["pickup", "post", "email"][self.next(3) as usize];
        let input = SubmitCase {
            item: ITEM.into(),
            channel: "window".into(),
            applicant: ApplicantRef::New(PersonInput {
                name: "王建国".into(),
                id_number: crate::demo::id_number("511702", birth, n),
                phone: Some(format!("138{:08}", n * 7919)),
                address: Some("达州市通川区".into()),
                division: "511702".into(),
            }),
            accepting_division: "511702".into(),
            situation: Some("ordinary".into()),
            materials: if complete { vec!["request".into()] } else { Vec::new() },
            data: json!({"receipt": receipt, "facts": {
                "applicant_kind": kind,
                "description": description,
                "provision_form": provision_form,
                "receive_by": receive_by,
                "address": "达州市通川区"
            }}),
            idempotency_key: None,
        };
        let id = app.submit_case(clerk, &input).await?.view.case.id;
        if complete {
            app.act_on_case(clerk, id, None, &Action::Accept).await?;
        }
        self.open.push(Open { id, plan, age: 0, answered: None });
        Ok(())
    }
}
