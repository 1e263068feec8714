//! The demo year of the 12345 hotline: a ticket from the platform about every third working day
//! (received by the city's platform account, dispatched to a county), handled through the
//! service as staff would — most replied in time and called back satisfied, some late, some
//! sent back and dispatched again, one extended, some unsatisfied and handled again, and a few
//! never signed so that the queue shows 催办, 督办 and 通报 — and the 差评 of the generic year's
//! ratings called back, verified and fixed or explained, the latest still open.

use domain::access::Actor;
use domain::verticals::hotline::{ActInput, RectInput, RectStage, TicketInput, TicketKind};
use service::App;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    OnTime,
    Late,
    Redo,
    Extend,
    Return,
    Unsigned,
}

const PLANS: [Plan; 12] = [
    Plan::OnTime,
    Plan::OnTime,
    Plan::OnTime,
    Plan::OnTime,
    Plan::OnTime,
    Plan::OnTime,
    Plan::Late,
    Plan::Redo,
    Plan::Extend,
    Plan::Return,
    Plan::OnTime,
    Plan::Unsigned,
];

const TOPICS: [&str; 6] =
    ["低保申请进度", "养老服务补贴发放", "婚姻登记预约", "临时救助申请", "社区养老服务站开放时间", "殡葬服务收费"];

/// A few callers call more than once (repeat tickets).
const PHONES: [&str; 8] = [
    "13980001111",
    "13980002222",
    "13980003333",
    "13980004444",
    "13980005555",
    "13980006666",
    "0818-2123456",
    "13980001111",
];

struct Open {
    id: i64,
    plan: Plan,
    unit: String,
    limit: u32,
    age: u32,
}

/// The city's staff who act: the platform's account (a clerk), the bureau's dispatcher, the
/// approver of extensions; and per county, its clerk (the unit).
pub struct Year {
    platform: Actor,
    bureau: Actor,
    approver: Actor,
    units: Vec<(String, Actor)>,
    dice: u64,
    day: u64,
    received: u64,
    open: Vec<Open>,
}

impl Year {
    pub fn new(platform: Actor, bureau: Actor, approver: Actor, units: Vec<(String, Actor)>) -> Year {
        Year { platform, bureau, approver, units, dice: 18, day: 0, received: 0, open: Vec::new() }
    }

    fn next(&mut self, n: u64) -> u64 {
        self.dice = self.dice.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.dice >> 33) % n.max(1)
    }

    async fn act(&self, app: &App, who: &Actor, id: i64, input: ActInput) -> anyhow::Result<()> {
        app.hotline_act(who, id, None, &input).await.map_err(|e| anyhow::anyhow!("hotline {}: {e}", input.kind))?;
        Ok(())
    }

    /// One working day (09:00): maybe a new ticket, each open ticket's step, each open 差评's step.
    pub async fn day(&mut self, app: &App) -> anyhow::Result<()> {
        self.day += 1;
        if self.day % 3 == 1 && !self.units.is_empty() {
            self.receive(app).await?;
        }
        for mut open in std::mem::take(&mut self.open) {
            open.age += 1;
            if self.step(app, &open).await? {
                self.open.push(open);
            }
        }
        self.rectify(app).await
    }

    async fn receive(&mut self, app: &App) -> anyhow::Result<()> {
        self.received += 1;
        let kind = TicketKind::ALL[self.next(4) as usize];
        let pick = self.next(self.units.len() as u64) as usize;
        let unit = self.units[pick].0.clone();
        let now = app.now().with_timezone(&domain::calendar::shanghai_offset());
        let input = TicketInput {
            platform_number: format!("SC12345-2021-{:05}", self.received),
            kind: kind.as_str().into(),
            caller_name: ["张女士", "李先生", "王先生", "刘女士"][self.next(4) as usize].into(),
            caller_phone: PHONES[self.next(PHONES.len() as u64) as usize].into(),
            subject: TOPICS[self.next(TOPICS.len() as u64) as usize].into(),
            content: "来电反映相关事项，请核实处理并答复。".into(),
            division: unit.clone(),
            received_at: (now - chrono::Duration::minutes(30)).format("%Y-%m-%d %H:%M").to_string(),
        };
        let (id, _) = app.hotline_receive(&self.platform, &input).await.map_err(|e| anyhow::anyhow!("receive: {e}"))?;
        let dispatch = ActInput { kind: "dispatch".into(), unit: unit.clone(), ..ActInput::default() };
        self.act(app, &self.bureau, id, dispatch).await?;
        let plan = PLANS[self.next(PLANS.len() as u64) as usize];
        let limit = service::verticals::hotline::RULES.limit(kind);
        self.open.push(Open { id, plan, unit, limit, age: 0 });
        Ok(())
    }

    /// The ticket's step of the day; `false` once it is done with.
    async fn step(&self, app: &App, open: &Open) -> anyhow::Result<bool> {
        let Some((_, unit)) = self.units.iter().find(|(code, _)| *code == open.unit) else { return Ok(false) };
        let plain = |kind: &str, text: &str| ActInput { kind: kind.into(), text: text.into(), ..ActInput::default() };
        let yes = |kind: &str, yes: bool, text: &str| ActInput {
            yes: if yes { "yes" } else { "no" }.into(),
            ..plain(kind, text)
        };
        let reply_on = match open.plan {
            Plan::OnTime => open.limit.saturating_sub(1).max(2),
            Plan::Late => open.limit + 2,
            Plan::Redo => 2,
            Plan::Extend => open.limit + 3,
            Plan::Return => 4,
            Plan::Unsigned => return Ok(open.age < 400),
        };
        let age = open.age;
        match (open.plan, age) {
            (Plan::Return, 1) => self.act(app, unit, open.id, plain("return", "不属本单位职责，请重新派单")).await?,
            (Plan::Return, 2) => {
                let again = ActInput { kind: "dispatch".into(), unit: open.unit.clone(), ..ActInput::default() };
                self.act(app, &self.bureau, open.id, again).await?
            }
            (Plan::Return, 3) | (_, 1) => self.act(app, unit, open.id, plain("sign", "")).await?,
            (Plan::Extend, 2) => {
                let ask =
                    ActInput { workdays: "5".into(), ..plain("extension_request", "需现场核查，申请延期") };
                self.act(app, unit, open.id, ask).await?;
                self.act(app, &self.approver, open.id, yes("extension_decision", true, "同意延期5个工作日")).await?
            }
            (_, a) if a == reply_on => {
                self.act(app, unit, open.id, plain("reply", "已核实处理，并电话告知来电人办理结果。")).await?
            }
            (Plan::Redo, 3) => {
                self.act(app, &self.bureau, open.id, yes("callback", false, "来电人称问题未解决")).await?
            }
            (Plan::Redo, 5) => self.act(app, unit, open.id, plain("reply", "已重新办理，问题已解决。")).await?,
            (Plan::Redo, 6) => {
                self.act(app, &self.bureau, open.id, yes("callback", true, "")).await?;
                return Ok(false);
            }
            (plan, a) if plan != Plan::Redo && a == reply_on + 1 => {
                self.act(app, &self.bureau, open.id, yes("callback", true, "")).await?;
                return Ok(false);
            }
            _ => {}
        }
        Ok(true)
    }

    /// Each open 差评 moves one step a day, most of them; a few wait (and run late).
    async fn rectify(&mut self, app: &App) -> anyhow::Result<()> {
        let year = chrono::Datelike::year(&app.today());
        let views = app.hotline_rectifications(&self.bureau, year).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        for view in views.into_iter().filter(|v| v.state.stage != RectStage::Closed) {
            if self.next(4) == 0 {
                continue;
            }
            let input = match view.state.stage {
                RectStage::AwaitingCallBack => RectInput {
                    kind: "callback".into(),
                    text: "专人电话回访评价人，了解不满意的原因".into(),
                    yes: String::new(),
                },
                RectStage::AwaitingVerification => {
                    let founded = self.next(3) != 0;
                    RectInput {
                        kind: "verify".into(),
                        text: if founded {
                            "经核实，窗口一次性告知不到位"
                        } else {
                            "经核实，办理符合规定"
                        }
                        .into(),
                        yes: if founded { "yes" } else { "no" }.into(),
                    }
                }
                RectStage::AwaitingResolution if view.state.founded == Some(true) => {
                    RectInput {
                        kind: "fix".into(), text: "已补充告知并对窗口人员进行培训".into(), yes: String::new()
                    }
                }
                RectStage::AwaitingResolution => RectInput {
                    kind: "explain".into(),
                    text: "已向评价人解释办理依据和时限".into(),
                    yes: String::new(),
                },
                RectStage::Closed => continue,
            };
            app.hotline_rectify(&self.bureau, view.rating.case_id, None, &input)
                .await
                .map_err(|e| anyhow::anyhow!("rectify {}: {e}", input.kind))?;
        }
        Ok(())
    }
}
