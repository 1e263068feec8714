//! The demo year of 行政执法 at the city bureau: the 10 credentialed officers of the Dazhou 2021
//! report (one with the 法律职业资格, who reviews), and about a case a month against social
//! organizations — most for missing the annual inspection (a warning or a fine), one for an
//! unapproved branch, one heard (a large fine), one major case whose first 法制审核 sends it back —
//! each carried through the service act by act, as the officers would, to 公示 and 结案; and the
//! year's 双随机 draw of the organizations the bureau registered (one officer recused from one of
//! them), whose results the officers publish a few weeks later.

use domain::access::Actor;
use domain::division::Level;
use domain::organization::{check_character, org_check_character, OrganizationInput};
use domain::verticals::enforcement::draw::minimum_count;
use domain::verticals::enforcement::procedure::REVIEW_CHECKLIST;
use domain::verticals::enforcement::{Act, OfficerInput, Penalty, PenaltyKind, RecordSignature};
use service::verticals::enforcement::draws::{ConflictForm, DrawForm, ResultForm};
use service::verticals::enforcement::FileInput;
use service::App;

const CITY: &str = "511700";

const NAMES: [&str; 10] = ["王建国", "李志强", "张伟", "刘军", "陈磊", "杨洋", "赵敏", "黄静", "周芳", "吴婷"];

/// The bureau's staff who act in the demo (city accounts).
pub struct Staff {
    pub leader: Actor,
    pub officer: Actor,
    pub reviewer: Actor,
    pub decider: Actor,
}

#[derive(Debug, Clone, Copy)]
struct Plan {
    violation: &'static str,
    penalty: Penalty,
    major: bool,
    hearing: bool,
    statement: bool,
    send_back: bool,
}

const fn fine(yuan: i64) -> Penalty {
    Penalty { kind: PenaltyKind::Fine, amount_fen: yuan * 100 }
}

const WARNING: Penalty = Penalty { kind: PenaltyKind::Warning, amount_fen: 0 };
const INSPECTION: &str = "未按规定参加2020年度检查";

const PLANS: [Plan; 6] = [
    Plan { violation: INSPECTION, penalty: WARNING, major: false, hearing: false, statement: true, send_back: false },
    Plan {
        violation: INSPECTION,
        penalty: fine(2000),
        major: false,
        hearing: false,
        statement: false,
        send_back: false,
    },
    Plan {
        violation: "未经批准设立分支机构",
        penalty: fine(10_000),
        major: true,
        hearing: false,
        statement: true,
        send_back: true,
    },
    Plan { violation: INSPECTION, penalty: WARNING, major: false, hearing: false, statement: false, send_back: false },
    Plan {
        violation: "超出章程规定的宗旨和业务范围进行活动",
        penalty: fine(60_000),
        major: false,
        hearing: true,
        statement: false,
        send_back: false,
    },
    Plan {
        violation: INSPECTION,
        penalty: fine(1000),
        major: false,
        hearing: false,
        statement: true,
        send_back: false,
    },
];

struct Open {
    id: i64,
    plan: Plan,
    pair: [i64; 2],
    age: u32,
}

/// The demo's cases, day by day.
#[derive(Default)]
pub struct Year {
    officers: Vec<i64>,
    day: u64,
    filed: usize,
    open: Vec<Open>,
    draw: Option<i64>,
}

/// A 统一社会信用代码 of a 社会团体 registered by the Dazhou 民政 (GB 32100-2015).
fn uscc(n: usize) -> String {
    let body = format!("MJ{n:06}");
    let org = format!("{body}{}", org_check_character(&body).unwrap_or('0'));
    let first17 = format!("51{CITY}{org}");
    let check = check_character(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

impl Year {
    /// The register: ten officers, the last with the 法律职业资格 (the reviewer).
    pub async fn prepare(&mut self, app: &App, staff: &Staff) -> anyhow::Result<()> {
        for (i, name) in NAMES.iter().enumerate() {
            let input = OfficerInput {
                name: (*name).into(),
                certificate_no: format!("51170021{:04}", i + 1),
                area: "达州市".into(),
                issued_by: "四川省人民政府".into(),
                valid_from: "2019-07-01".into(),
                valid_until: "2024-06-30".into(),
                training_hours: format!("{}", 40 + i * 4),
                legal_qualification: i == NAMES.len() - 1,
            };
            let duties =
                if i == NAMES.len() - 1 { "重大执法决定法制审核" } else { "社会组织执法监察" };
            self.officers.push(app.enforcement_add_officer(&staff.leader, CITY, &input, duties).await?);
        }
        Ok(())
    }

    /// One working day: a new case about every twentieth working day, then each open case's act.
    pub async fn day(&mut self, app: &App, staff: &Staff) -> anyhow::Result<()> {
        self.day += 1;
        if self.officers.len() < 10 {
            return Ok(());
        }
        if self.day % 20 == 5 && self.filed < 12 {
            self.file(app, staff).await?;
        }
        if self.day == 60 {
            self.draw(app, staff).await?;
        }
        if self.day == 75 {
            self.results(app, staff).await?;
        }
        let mut still_open = Vec::new();
        for mut open in std::mem::take(&mut self.open) {
            open.age += 1;
            if !self.step(app, staff, &open).await? {
                still_open.push(open);
            }
        }
        self.open = still_open;
        Ok(())
    }

    /// The year's regular draw (定期抽查) from the organizations the bureau registered, at the
    /// ratio of a city body (4%), after one officer's declared conflict.
    async fn draw(&mut self, app: &App, staff: &Staff) -> anyhow::Result<()> {
        let list = app.enforcement_inspection_list(&staff.leader, CITY).await?;
        let Some(first) = list.first() else { return Ok(()) };
        let conflict = ConflictForm {
            officer: self.officers[0].to_string(),
            credit_code: first.credit_code.clone(),
            reason: "近三年内曾任该组织理事".into(),
        };
        app.enforcement_declare_conflict(&staff.leader, &conflict).await?;
        let count = minimum_count(list.len(), Level::Prefecture).max(1);
        let form = DrawForm { division: CITY.into(), kind: "regular".into(), count: count.to_string() };
        self.draw = Some(app.enforcement_draw(&staff.leader, &form).await?);
        Ok(())
    }

    /// The inspectors publish each drawn organization's result (one told to put things right).
    async fn results(&self, app: &App, staff: &Staff) -> anyhow::Result<()> {
        let Some(id) = self.draw else { return Ok(()) };
        let draws = app.enforcement_draws(&staff.officer).await?;
        let Some(view) = draws.into_iter().find(|d| d.row.id == id) else { return Ok(()) };
        for line in &view.row.lines {
            let (finding, note) = if line.position == 0 {
                ("rectify", "年度工作报告未按章程经理事会审议，已责令三十日内改正")
            } else {
                ("clean", "")
            };
            let form = ResultForm {
                position: line.position.to_string(),
                checked_on: app.today().to_string(),
                finding: finding.into(),
                note: note.into(),
            };
            app.enforcement_record_result(&staff.officer, id, &form).await?;
        }
        Ok(())
    }

    async fn file(&mut self, app: &App, staff: &Staff) -> anyhow::Result<()> {
        let n = self.filed;
        let plan = PLANS[n % PLANS.len()];
        let pair = [self.officers[(2 * n) % 8], self.officers[(2 * n + 1) % 8]];
        let act_ended_on = app.today() - chrono::Days::new(40);
        let input = FileInput {
            division: CITY.into(),
            organization: Some(OrganizationInput {
                name: format!(
                    "达州市{}协会",
                    ["书法", "摄影", "养生", "登山", "茶文化", "收藏", "围棋", "民俗"][n % 8]
                ),
                credit_code: uscc(n + 1),
                representative: None,
                division: CITY.into(),
            }),
            violation: plan.violation.into(),
            act_ended_on: act_ended_on.to_string(),
            major: plan.major,
            officers: pair.to_vec(),
            ..FileInput::default()
        };
        let id = app.enforcement_file(&staff.officer, &input).await?;
        self.filed += 1;
        self.open.push(Open { id, plan, pair, age: 0 });
        Ok(())
    }

    /// The case's next act, if its day has come; `true` once the case is closed.
    async fn step(&self, app: &App, staff: &Staff, open: &Open) -> anyhow::Result<bool> {
        let view = app.enforcement_case(&staff.officer, open.id).await?;
        let file = &view.file;
        let today = app.today();
        let has = |kind: &str| file.acts.iter().any(|a| a.kind() == kind);
        let plan = open.plan;
        let heard = has("hearing");
        let (act, by) = if !has("record") {
            let title = "现场检查笔录（出示执法证件）".to_string();
            (
                Act::Record { on: today, officers: open.pair.to_vec(), on_site: true, title, evidence_sm3: None },
                &staff.officer,
            )
        } else if file.notified().is_none() {
            if open.age < 3 {
                return Ok(false);
            }
            (Act::Notify { on: today, officers: vec![open.pair[0]], penalty: plan.penalty }, &staff.officer)
        } else if plan.hearing && !has("hearing_request") {
            (Act::HearingRequest { on: today }, &staff.officer)
        } else if plan.hearing && !has("hearing_notice") {
            let hearing_on = app.calendar().add_workdays(today, 8)?;
            (Act::HearingNotice { on: today, hearing_on, chair: self.officers[8] }, &staff.officer)
        } else if plan.hearing && !heard {
            let due = file.acts.iter().find_map(|a| match a {
                Act::HearingNotice { hearing_on, .. } => Some(*hearing_on),
                _ => None,
            });
            if due.is_some_and(|d| today < d) {
                return Ok(false);
            }
            (
                Act::Hearing {
                    on: today,
                    summary: "调查人员陈述了违法事实、证据和处罚建议；当事人的代理人对罚款数额提出异议，称已于听证前补报年度工作报告，请求从轻处罚，并对证据进行了质证。".into(),
                    signature: Some(RecordSignature::Signed),
                },
                &staff.officer,
            )
        } else if plan.statement && !has("statement") {
            (Act::Statement { on: today, summary: "当事人称已着手整改，请求从轻处罚".into() }, &staff.officer)
        } else if (plan.major || heard) && !file.review_passed() {
            if open.age < 7 {
                return Ok(false);
            }
            let mut checklist = vec![true; REVIEW_CHECKLIST.len()];
            if plan.send_back && file.reviews() == (0, 0) {
                checklist[2] = false;
            }
            let note =
                if checklist.iter().all(|ok| *ok) { "审核通过" } else { "证据不足，退回补充调查" };
            let reviewer = self.officers[9];
            (Act::Review { on: today, reviewer, checklist, note: note.into() }, &staff.reviewer)
        } else if (plan.major || heard) && !has("discussion") {
            let minutes = "局务会集体讨论，同意法制审核意见".to_string();
            (Act::Discussion { on: today, minutes, dissent: String::new() }, &staff.decider)
        } else if file.decision().is_none() {
            if open.age < 8 {
                return Ok(false);
            }
            let facts = format!("经查，当事人{}，有现场检查笔录等证据为证", plan.violation);
            let basis = "《社会团体登记管理条例》第三十条".to_string();
            (Act::Decide { on: today, penalty: plan.penalty, facts, basis }, &staff.decider)
        } else if !has("serve") {
            (Act::Serve { on: today, officers: open.pair.to_vec() }, &staff.officer)
        } else if !has("publish") {
            (Act::Publish { on: today }, &staff.officer)
        } else if plan.penalty.amount_fen > 0 && !has("pay") {
            if open.age < 14 {
                return Ok(false);
            }
            (Act::Pay { on: today, amount_fen: plan.penalty.amount_fen }, &staff.officer)
        } else {
            (Act::Close { on: today }, &staff.officer)
        };
        let closing = matches!(act, Act::Close { .. });
        app.enforcement_act(by, open.id, view.full.case.revision, act, None).await?;
        Ok(closing)
    }
}
