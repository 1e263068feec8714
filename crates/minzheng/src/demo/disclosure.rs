//! The demo year of 政府信息公开 依申请公开 at 通川区: a request about every sixth working day (at
//! the window, by post, online), handled through the service as staff would — most answered
//! within the period, some after the one correction notice (one abandoned), some after a
//! third-party consultation, one extended — with 行政复议 against refusals, so that the
//! list shows deadlines in every state and the 2021 report has figures in its rows.

use domain::access::Actor;
use domain::verticals::disclosure::{AnswerInput, AnswerKind, RemedyInput, RequestInput, StepInput};
use service::App;

/// How a request of the demo is meant to go.
#[derive(Debug, Clone, Copy)]
enum Plan {
    /// Answered on its `at`-th working day.
    Answer { at: u32, kind: AnswerKind },
    /// A correction notice on day 2; corrected on day 5 and answered on day 9, or abandoned.
    Correct { abandon: bool },
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
    revision: i64,
}

/// The demo's requests, day by day.
#[derive(Default)]
pub struct Year {
    dice: u64,
    day: u64,
    open: Vec<Open>,
    /// Refusals (id, revision) that may be taken to 行政复议.
    answered: Vec<(i64, i64)>,
}

const KINDS: [AnswerKind; 8] = [
    AnswerKind::Disclosed,
    AnswerKind::Disclosed,
    AnswerKind::AlreadyPublic,
    AnswerKind::Withheld,
    AnswerKind::NotExisting,
    AnswerKind::NotThisOrgan,
    AnswerKind::Petition,
    AnswerKind::Repeat,
];

const TOPICS: [&str; 6] = [
    "2021年本区城乡低保标准调整的文件",
    "本区养老机构名单及床位数",
    "2020年临时救助资金使用情况",
    "某社区居委会换届选举的备案材料",
    "本区殡葬设施规划",
    "某社会组织年度检查结论",
];

impl Year {
    fn next(&mut self, n: u64) -> u64 {
        self.dice = self.dice.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.dice >> 33) % n.max(1)
    }

    /// One working day: maybe a new request, then each open request's step of the day.
    pub async fn day(&mut self, app: &App, clerk: &Actor) -> anyhow::Result<()> {
        self.day += 1;
        if self.day % 6 == 1 {
            self.receive(app, clerk).await?;
        }
        let today = app.today().to_string();
        let mut still_open = Vec::new();
        for mut open in std::mem::take(&mut self.open) {
            open.age += 1;
            let step = |kind: &str, note: &str| StepInput {
                kind: kind.into(),
                on: today.clone(),
                note: note.into(),
                ..StepInput::default()
            };
            let act = match (open.plan, open.age) {
                (Plan::Answer { at, kind }, age) if age == at => Act::Answer(kind),
                (Plan::Correct { .. }, 2) => {
                    let until = app.calendar().add_days(app.today(), 10).unwrap_or(app.today()).to_string();
                    Act::Step(StepInput {
                        until, ..step("correction_notice", "请写明所需信息的年份和文件名称")
                    })
                }
                (Plan::Correct { abandon: false }, 5) => Act::Step(step("corrected", "")),
                (Plan::Correct { abandon: false }, 9) => Act::Answer(AnswerKind::Disclosed),
                (Plan::Correct { abandon: true }, 12) => Act::Answer(AnswerKind::Abandoned),
                (Plan::Consult, 3) => Act::Step(step("consultation_start", "信息涉及的某养老服务有限公司")),
                (Plan::Consult, 10) => Act::Step(step("consultation_end", "")),
                (Plan::Consult, 12) => Act::Answer(AnswerKind::Partial),
                (Plan::Extend, 18) => Act::Step(StepInput {
                    workdays: "10".into(),
                    ..step("extension", "经局政府信息公开工作机构负责人同意：需调取档案")
                }),
                (Plan::Extend, 24) => Act::Answer(AnswerKind::Disclosed),
                _ => Act::Wait,
            };
            let done = match act {
                Act::Wait => {
                    still_open.push(open);
                    continue;
                }
                Act::Step(input) => app.disclosure_step(clerk, open.id, open.revision, &input).await.map(|_| false),
                Act::Answer(kind) => {
                    app.disclosure_answer(clerk, open.id, open.revision, &answer(kind, &today)).await.map(|_| true)
                }
            };
            match done {
                Ok(true) => {
                    if matches!(kind_of(open.plan), AnswerKind::Withheld | AnswerKind::Partial) {
                        self.answered.push((open.id, open.revision + 1));
                    }
                }
                Ok(false) => {
                    open.revision += 1;
                    still_open.push(open);
                }
                Err(err) => tracing::debug!(code = err.code, "demo disclosure step skipped"),
            }
        }
        self.open = still_open;
        // Every fifth working day, the oldest refusal not yet challenged is taken to 行政复议.
        if self.day.is_multiple_of(5) && !self.answered.is_empty() {
            let (id, revision) = self.answered.remove(0);
            let input =
                RemedyInput { kind: "review".into(), result: "upheld".into(), filed_on: today, note: String::new() };
            if let Err(err) = app.disclosure_remedy(clerk, id, revision, None, &input).await {
                tracing::debug!(code = err.code, "demo disclosure remedy skipped");
            }
        }
        Ok(())
    }

    async fn receive(&mut self, app: &App, clerk: &Actor) -> anyhow::Result<()> {
        let today = app.today();
        let n = self.next(1000);
        let (channel, submitted_on, signed_on, confirmed_on) = match n % 3 {
            0 => ("in_person", today, String::new(), String::new()),
            1 => ("post", today.pred_opt().unwrap_or(today), today.to_string(), String::new()),
            _ => ("online", today, String::new(), today.to_string()),
        };
        let kind =
            ["natural_person", "natural_person", "natural_person", "business", "legal_service", "public_interest"]
                [self.next(6) as usize];
        let input = RequestInput {
            applicant_kind: kind.into(),
            applicant_name: if kind == "natural_person" { "王建国".into() } else { "达州某某事务所".into() },
            identity: crate::demo::id_number("511702", chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(today), n),
            contact: format!("138{:08}", n * 7919),
            address: "达州市通川区".into(),
            description: TOPICS[self.next(TOPICS.len() as u64) as usize].into(),
            form: ["paper", "electronic", "inspection"][self.next(3) as usize].into(),
            channel: channel.into(),
            submitted_on: submitted_on.to_string(),
            signed_on,
            confirmed_on,
        };
        let id = app.disclosure_create(clerk, "511702", &input).await?;
        let plan = match self.next(10) {
            0 => Plan::Correct { abandon: self.next(3) == 0 },
            1 => Plan::Consult,
            2 if self.day % 4 == 1 => Plan::Extend,
            _ => Plan::Answer { at: 3 + self.next(14) as u32, kind: KINDS[self.next(KINDS.len() as u64) as usize] },
        };
        self.open.push(Open { id, plan, age: 0, revision: 0 });
        Ok(())
    }
}

enum Act {
    Wait,
    Step(StepInput),
    Answer(AnswerKind),
}

fn kind_of(plan: Plan) -> AnswerKind {
    match plan {
        Plan::Answer { kind, .. } => kind,
        Plan::Consult => AnswerKind::Partial,
        Plan::Correct { abandon: true } => AnswerKind::Abandoned,
        Plan::Correct { abandon: false } | Plan::Extend => AnswerKind::Disclosed,
    }
}

fn answer(kind: AnswerKind, today: &str) -> AnswerInput {
    let (reason, details) = match kind {
        AnswerKind::Withheld => ("process_information", "所申请信息为讨论记录、请示报告等过程性信息"),
        AnswerKind::Partial => ("third_party_rights", "提供可以公开的部分；涉及第三方商业秘密的部分不予公开"),
        AnswerKind::Disclosed => ("", "于答复之日起5个工作日内邮寄纸质文本"),
        AnswerKind::AlreadyPublic => ("", "已在达州市通川区人民政府门户网站“政府信息公开”栏目公开"),
        AnswerKind::NotThisOrgan => ("", "请向达州市通川区住房和城乡建设局申请"),
        AnswerKind::Petition => ("", "请通过信访渠道提出：达州市通川区信访局"),
        _ => ("", ""),
    };
    AnswerInput {
        kind: kind.as_str().into(),
        withhold_reason: reason.into(),
        details: details.into(),
        answered_on: today.into(),
        fee_charged: String::new(),
    }
}
