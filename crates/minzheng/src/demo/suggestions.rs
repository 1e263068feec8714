//! The demo year of 建议提案办理 at the city bureau (达州市民政局), as the 2021 report has it:
//! "办理人大代表建议17件，均已按时按质办结，代表满意率达到100%". The 17 suggestions are assigned
//! after the congress in March, handled through the service as staff would — co-handling
//! opinions, contact with the deputy (面商), the reply drafted, approved by the 局长 and sent to
//! each deputy (one merged suggestion of two deputies; one difficult, due in six months) — and
//! every form comes back 满意. A 政务开放日 in November receives three suggestions from the
//! public; one is registered and is still being handled at the year's end.

use domain::access::Actor;
use domain::verticals::suggestions::{ActInput, OpenDayInput, OpenDayInputInput, SuggestionInput};
use service::App;

const SESSION: &str = "达州市第四届人民代表大会第六次会议";
const LEAD: &str = "达州市民政局";

/// (subject, deputies, co-handling units, difficult)
const SUGGESTIONS: [(&str, &str, &str, bool); 17] = [
    ("关于加强农村留守老人关爱服务的建议", "王建国", "达州市卫生健康委员会", false),
    ("关于提高城乡低保标准的建议", "李秀英", "达州市财政局", false),
    ("关于加快建设社区养老服务中心的建议", "张志强、刘芳", "达州市自然资源和规划局", true),
    ("关于规范殡葬服务收费的建议", "陈明", "达州市发展和改革委员会", false),
    ("关于完善困境儿童保障机制的建议", "杨丽", "", false),
    ("关于加强社会组织登记管理的建议", "赵勇", "", false),
    ("关于推进婚姻登记“跨省通办”的建议", "黄静", "", false),
    ("关于提高残疾人两项补贴标准的建议", "周伟", "达州市残疾人联合会", false),
    ("关于加强养老护理员队伍建设的建议", "吴敏", "达州市人力资源和社会保障局", false),
    ("关于完善临时救助制度的建议", "徐军", "", false),
    ("关于规范地名标志设置的建议", "孙丽娟", "达州市公安局", false),
    ("关于加强城乡社区治理的建议", "马超", "", false),
    ("关于推进公益性公墓建设的建议", "朱红", "达州市自然资源和规划局", false),
    ("关于支持慈善事业发展的建议", "胡斌", "", false),
    ("关于加强未成年人保护工作的建议", "郭晓燕", "达州市教育局", false),
    ("关于提升敬老院服务水平的建议", "何平", "", false),
    ("关于加强流浪乞讨人员救助管理的建议", "林涛", "达州市公安局", false),
];

struct Open {
    id: i64,
    index: usize,
    revision: i64,
    proposers: Vec<String>,
    has_co: bool,
}

/// The demo's suggestions, day by day.
#[derive(Default)]
pub struct Year {
    day: u64,
    /// Working days since 交办.
    age: u32,
    open: Vec<Open>,
}

impl Year {
    /// One working day: 交办 on 15 March, each suggestion's acts on its days, the open day on
    /// 25 November. `staff` handles, `leader` approves.
    pub async fn day(&mut self, app: &App, staff: &Actor, leader: &Actor) -> anyhow::Result<()> {
        self.day += 1;
        let today = app.today();
        let text = today.to_string();
        if today == chrono::NaiveDate::from_ymd_opt(2021, 3, 15).unwrap_or_default() {
            for (n, (subject, proposers, co, difficult)) in SUGGESTIONS.iter().enumerate() {
                let input = SuggestionInput {
                    kind: "deputy".into(),
                    session: SESSION.into(),
                    number: format!("第{:04}号", 12 + n * 7),
                    proposers: (*proposers).into(),
                    subject: (*subject).into(),
                    lead_unit: LEAD.into(),
                    co_units: (*co).into(),
                    difficult: difficult.to_string(),
                    assigned_on: text.clone(),
                };
                let id = app.suggestion_create(staff, "511700", &input, None).await?;
                self.open.push(Open {
                    id,
                    index: n,
                    revision: 0,
                    proposers: proposers.split('、').map(str::to_string).collect(),
                    has_co: !co.is_empty(),
                });
            }
            self.age = 0;
            return Ok(());
        }
        if today == chrono::NaiveDate::from_ymd_opt(2021, 11, 25).unwrap_or_default() {
            self.open_day(app, staff, &text).await?;
        }
        if self.open.is_empty() {
            return Ok(());
        }
        self.age += 1;
        let age = self.age;
        let act = |kind: &str, proposer: &str, unit: &str, result: &str, note: &str| ActInput {
            kind: kind.into(),
            on: text.clone(),
            proposer: proposer.into(),
            unit: unit.into(),
            result: result.into(),
            note: note.into(),
        };
        for open in &mut self.open {
            // Each suggestion's days, staggered by its place in the list; a difficult one later.
            let (subject, _, co, difficult) = SUGGESTIONS[open.index];
            let base = open.index as u32 + if difficult { 60 } else { 0 };
            let mut acts: Vec<(ActInput, bool)> = Vec::new();
            if open.has_co && age == 5 + open.index as u32 / 3 {
                acts.push((act("co_opinion", "", co, "", "同意主办单位的办理意见，将在职责范围内配合落实。"), false));
            }
            if age == 8 + base {
                for p in &open.proposers {
                    acts.push((act("contact", p, "", "", "面商：听取代表对办理工作的意见，介绍办理思路。"), false));
                }
            }
            if age == 20 + base {
                let reply = format!(
                    "一、关于“{}”所提问题，我局已会同有关单位开展调研，纳入2021年度重点工作。\n二、下一步，我局将加强督促检查，确保各项措施落实到位。",
                    subject.trim_start_matches("关于").trim_end_matches("的建议")
                );
                acts.push((act("draft", "", "", "", &reply), false));
            }
            if age == 22 + base {
                acts.push((act("approve", "", "", "", ""), true));
            }
            if age == 24 + base {
                for p in &open.proposers {
                    acts.push((act("send", p, "", "", ""), false));
                }
            }
            if age == 34 + base {
                for p in &open.proposers {
                    acts.push((act("feedback", p, "", "satisfied", ""), false));
                }
            }
            for (input, by_leader) in acts {
                let who = if by_leader { leader } else { staff };
                match app.suggestion_act(who, open.id, open.revision, &input).await {
                    Ok(view) => open.revision = view.full.row.revision,
                    Err(err) => tracing::debug!(code = err.code, "demo suggestion act skipped"),
                }
            }
        }
        Ok(())
    }

    /// The 政务开放日: three suggestions from the public, one registered for handling.
    async fn open_day(&mut self, app: &App, staff: &Actor, today: &str) -> anyhow::Result<()> {
        let input = OpenDayInput {
            held_on: today.into(),
            place: "达州市社会福利院".into(),
            theme: "走进民政·共话养老服务".into(),
            invited_deputies: "王建国、李秀英、张志强".into(),
            invited_citizens: "市民代表二十名".into(),
        };
        let id = app.open_day_create(staff, "511700", &input).await?;
        let said = [
            ("市民代表（通川区）", "建议在老旧小区增设社区养老服务站点。"),
            ("市民代表（达川区）", "建议公开养老机构收费标准和服务项目。"),
            ("市民代表（宣汉县）", "建议简化高龄津贴申领手续。"),
        ];
        let mut first = None;
        for (from, content) in said {
            let full = app
                .open_day_add_input(staff, id, &OpenDayInputInput { from_name: from.into(), content: content.into() })
                .await?;
            first = first.or_else(|| full.inputs.first().map(|i| i.id));
        }
        if let Some(input_id) = first {
            let s = SuggestionInput {
                kind: "public".into(),
                session: "政务开放日".into(),
                number: "开放日2021-01".into(),
                proposers: "市民代表（通川区）".into(),
                subject: "关于在老旧小区增设社区养老服务站点的建议".into(),
                lead_unit: LEAD.into(),
                co_units: String::new(),
                difficult: String::new(),
                assigned_on: today.into(),
            };
            app.suggestion_create(staff, "511700", &s, Some(input_id)).await?;
        }
        Ok(())
    }
}
