//! The demo year of 重大行政决策和规范性文件 at 达州市民政局: the documents the bureau's 2021 report
//! names, registered on their publication days (their 文号 and dates are the demo's, not the
//! originals') and filed; the 行政处罚法 revision in force 2021-07-15 flagging the enforcement
//! rules that cite it; one decision through all five procedures and published, one stopped at
//! its legality review; and a clean-up in November. Each act goes through the service's gates.

use chrono::NaiveDate;
use domain::access::Actor;
use domain::verticals::rule_making::decision::StepInput;
use domain::verticals::rule_making::document::DocumentInput;
use domain::verticals::rule_making::period::comment_min_end;
use service::verticals::rule_making::DecisionInput;
use service::App;

const ORGAN: &str = "达州市民政局";
const CITY: &str = "511700";

/// (文号, title, published, 有效期至, cited law)
const DOCUMENTS: [(&str, &str, &str, &str, &str); 6] = [
    (
        "达市民规〔2021〕1号",
        "达州市民政局重大行政决策合法性审查办法",
        "2021-02-22",
        "2026-02-21",
        "重大行政决策程序暂行条例",
    ),
    (
        "达市民发〔2021〕6号",
        "2021年达州市民政系统普法依法治理工作要点",
        "2021-03-15",
        "2021-12-31",
        "中华人民共和国宪法",
    ),
    (
        "达市民规〔2021〕2号",
        "达州市民政局行政执法公示工作规程（试行）",
        "2021-04-12",
        "2023-04-11",
        "中华人民共和国行政处罚法",
    ),
    (
        "达市民规〔2021〕3号",
        "达州市民政局行政执法全过程记录工作规程（试行）",
        "2021-04-12",
        "2023-04-11",
        "中华人民共和国行政处罚法",
    ),
    (
        "达市民规〔2021〕4号",
        "达州市民政局重大行政执法决定法制审核工作规程（试行）",
        "2021-04-12",
        "2023-04-11",
        "中华人民共和国行政处罚法",
    ),
    (
        "达市民规〔2021〕5号",
        "达州市民政局所属事业单位重大事项请示报告制度",
        "2021-05-10",
        "2026-05-09",
        "事业单位人事管理条例",
    ),
];

const DECISIONS: [(&str, &str); 2] = [
    ("达州市城乡特困人员基本生活标准调整", "按上年度城乡居民人均消费支出的比例调整特困人员基本生活标准"),
    ("达州市殡葬服务设施布局规划（2021—2035年）", "规划全市公益性公墓、殡仪服务站的布局"),
];

#[derive(Debug, Clone, Copy)]
enum Act {
    Register(usize),
    File(usize),
    Open(usize),
    Step(usize, &'static str),
    /// A comment on the decision's draft from a mobile verified by an SMS code (the SMS in the
    /// log staff read at /rule-making/sms).
    PhoneComment(usize),
    Flag,
    Cleanup,
    Verdicts,
    Publish,
}

const PLAN: [(&str, Act); 36] = [
    ("2021-02-22", Act::Register(0)),
    ("2021-03-04", Act::File(0)),
    ("2021-03-15", Act::Register(1)),
    ("2021-03-25", Act::File(1)),
    ("2021-04-12", Act::Register(2)),
    ("2021-04-12", Act::Register(3)),
    ("2021-04-12", Act::Register(4)),
    ("2021-04-22", Act::File(2)),
    ("2021-04-22", Act::File(3)),
    ("2021-04-22", Act::File(4)),
    ("2021-05-06", Act::Open(0)),
    ("2021-05-06", Act::Step(0, "comment_opened")),
    ("2021-05-10", Act::Register(5)),
    ("2021-05-20", Act::File(5)),
    ("2021-06-08", Act::Step(0, "comment_summary")),
    ("2021-06-08", Act::Step(0, "omit_experts")),
    ("2021-06-08", Act::Step(0, "risk_report")),
    ("2021-06-08", Act::Step(0, "legality_requested")),
    ("2021-06-17", Act::Step(0, "legality_opinion")),
    ("2021-06-22", Act::Step(0, "discussion")),
    ("2021-06-25", Act::Step(0, "published")),
    ("2021-07-15", Act::Flag),
    ("2021-09-01", Act::Open(1)),
    ("2021-09-01", Act::Step(1, "comment_opened")),
    ("2021-09-06", Act::Step(1, "hearing_announced")),
    ("2021-09-10", Act::PhoneComment(1)),
    ("2021-09-15", Act::Step(1, "expert_opinion")),
    ("2021-09-17", Act::Step(1, "hearing_participants")),
    ("2021-09-28", Act::Step(1, "hearing")),
    ("2021-10-08", Act::Step(1, "comment_summary")),
    ("2021-10-11", Act::Step(1, "risk_report")),
    ("2021-10-11", Act::Step(1, "legality_requested")),
    ("2021-10-25", Act::Step(1, "legality_not_passed")),
    ("2021-11-15", Act::Cleanup),
    ("2021-11-16", Act::Verdicts),
    ("2021-11-22", Act::Publish),
];

/// Who works the area: the bureau's reviewer (staff), its legal office, its deciding head.
pub struct Staff {
    pub staff: Actor,
    pub legal: Actor,
    pub head: Actor,
}

#[derive(Default)]
pub struct Year {
    next: usize,
    documents: Vec<Option<i64>>,
    decisions: Vec<(i64, i64)>,
    cleanup: Option<i64>,
}

fn date(text: &str) -> anyhow::Result<NaiveDate> {
    Ok(text.parse()?)
}

fn step(app: &App, kind: &str, on: &str) -> anyhow::Result<StepInput> {
    let at = |k: &str| StepInput { kind: k.into(), on: on.into(), ..StepInput::default() };
    Ok(match kind {
        "comment_opened" => StepInput {
            until: comment_min_end(&app.calendar(), date(on)?)?.to_string(),
            ..at(kind)
        },
        "comment_summary" => StepInput {
            received: "23".into(),
            adopted: "9".into(),
            text: "关于标准分档和发放时间的意见予以采纳；关于扩大供养范围的意见不予采纳，理由是供养范围由《社会救助暂行办法》规定".into(),
            ..at(kind)
        },
        "omit_experts" => StepInput {
            procedure: "expert_argument".into(),
            text: "标准按统计部门公布的人均消费支出计算，不属于专业性、技术性较强的事项".into(),
            ..at("omitted")
        },
        "risk_report" => StepInput {
            text: "社会稳定风险评估报告：风险等级低".into(),
            text2: "调整前公告，逐户告知，开通咨询电话".into(),
            controllable: "true".into(),
            ..at(kind)
        },
        "expert_opinion" => StepInput {
            name: "四川文理学院 王教授".into(),
            text: "布局总体可行，建议预留城市发展用地".into(),
            signed: "true".into(),
            ..at(kind)
        },
        "hearing_announced" => StepInput {
            until: "2021-09-28".into(),
            name: "达州市民政局五楼会议室".into(),
            text: "公开报名，按居民代表、殡葬服务单位、社会组织三方分组，报名多于名额的抽签确定".into(),
            ..at(kind)
        },
        "hearing_participants" => StepInput {
            text2: "居民代表5人、殡葬服务单位代表2人、社会组织代表1人、人大代表1人".into(),
            ..at(kind)
        },
        "hearing" => StepInput {
            materials_sent_on: "2021-09-17".into(),
            text2: "居民代表5人、殡葬服务单位代表2人、社会组织代表1人、人大代表1人".into(),
            text: "承办科室介绍规划草案和依据；听证参加人就公墓选址、祭扫交通陈述意见，进行询问和辩论；笔录经参加人签字确认".into(),
            signed: "true".into(),
            ..at(kind)
        },
        "legality_requested" => StepInput {
            until: app.calendar().add_workdays(date(on)?, 7)?.to_string(),
            name: "市民政局政策法规科".into(),
            ..at(kind)
        },
        "legality_opinion" => {
            StepInput { passed: "true".into(), text: "主体适格，权限、程序合法，内容不违反上位法".into(), ..at(kind) }
        }
        "legality_not_passed" => StepInput {
            passed: "false".into(),
            text: "规划涉及的部分用地未取得自然资源部门意见，建议补充后重新送审".into(),
            ..at("legality_opinion")
        },
        "discussion" => StepInput {
            meeting: "standing".into(),
            text: "局长办公会议纪要〔2021〕9号".into(),
            head_spoke_last: "true".into(),
            majority_agrees: "true".into(),
            text2: "一名参会人员建议分两年调整到位".into(),
            outcome: "adopted".into(),
            ..at(kind)
        },
        _ => StepInput { text: "达州市人民政府网站、达州日报".into(), ..at(kind) },
    })
}

impl Year {
    /// The area's acts due by today.
    pub async fn day(&mut self, app: &App, people: &Staff) -> anyhow::Result<()> {
        let today = app.today();
        while let Some((on, act)) = PLAN.get(self.next) {
            if date(on)? > today {
                break;
            }
            self.run(app, people, on, *act).await?;
            self.next += 1;
        }
        Ok(())
    }

    async fn run(&mut self, app: &App, people: &Staff, on: &str, act: Act) -> anyhow::Result<()> {
        let fail = |e: service::ServiceError| anyhow::anyhow!("rule_making demo {on}: {}", e.message);
        match act {
            Act::Register(i) => {
                let (number, title, published, until, basis) = DOCUMENTS[i];
                let published_on = date(published)?;
                let input = DocumentInput {
                    number: number.into(),
                    title: title.into(),
                    organ: ORGAN.into(),
                    published_on: published.into(),
                    effective_on: published.into(),
                    valid_until: until.into(),
                    review_submitted_on: app
                        .calendar()
                        .add_workdays(published_on - chrono::Days::new(14), 0)?
                        .to_string(),
                    review_opinion_on: (published_on - chrono::Days::new(5)).to_string(),
                    review_opinion: "经合法性审核，制定主体适格，内容不违反法律、法规、规章".into(),
                    basis: basis.into(),
                    ..DocumentInput::default()
                };
                let id = app.rule_document_register(&people.staff, CITY, &input).await.map_err(fail)?;
                self.documents.resize(DOCUMENTS.len(), None);
                self.documents[i] = Some(id);
            }
            Act::File(i) => {
                let id = self.documents.get(i).copied().flatten().ok_or_else(|| anyhow::anyhow!("document {i}"))?;
                let line = app.rule_document(&people.staff, id).await.map_err(fail)?;
                let number = format!("达府法备〔2021〕{}号", 10 + i);
                app.rule_document_file(&people.staff, id, line.row.revision, &number, on).await.map_err(fail)?;
            }
            Act::Open(i) => {
                let (title, summary) = DECISIONS[i];
                let input = DecisionInput {
                    division: CITY.into(),
                    year: "2021".into(),
                    title: title.into(),
                    organ: ORGAN.into(),
                    summary: summary.into(),
                };
                let id = app.rule_decision_open(&people.staff, &input).await.map_err(fail)?;
                self.decisions.push((id, 0));
            }
            Act::Step(i, kind) => {
                let (id, revision) = self.decisions[i];
                let actor = match kind {
                    "legality_opinion" | "legality_not_passed" => &people.legal,
                    "discussion" => &people.head,
                    _ => &people.staff,
                };
                let input = step(app, kind, on)?;
                let view = app.rule_decision_step(actor, id, revision, &input).await.map_err(fail)?;
                self.decisions[i].1 = view.full.decision.revision;
            }
            Act::PhoneComment(i) => {
                let (id, _) = self.decisions[i];
                let (ticket, _) = app.rule_phone_code_send("demo", id, "13908180001").await.map_err(fail)?;
                let sms = app.rule_sms_sent(&people.staff).await.map_err(fail)?;
                let code: String = sms
                    .first()
                    .and_then(|s| s.message.split("验证码").nth(1))
                    .map(|rest| rest.chars().take(6).collect())
                    .ok_or_else(|| anyhow::anyhow!("rule_making demo {on}: no SMS recorded"))?;
                let content = "建议在规划中为县城周边乡镇各预留一处公益性公墓用地，并配套建设祭扫停车场。";
                app.rule_comment_by_phone("demo", id, &ticket.to_string(), &code, "达州市民", content)
                    .await
                    .map_err(fail)?;
            }
            Act::Flag => {
                app.rule_flag_citing(&people.staff, "行政处罚法").await.map_err(fail)?;
            }
            Act::Cleanup => {
                let id = app.rule_cleanup_open(&people.staff, CITY, "2021年度规范性文件清理").await.map_err(fail)?;
                self.cleanup = Some(id);
            }
            Act::Verdicts => {
                let id = self.cleanup.ok_or_else(|| anyhow::anyhow!("no clean-up"))?;
                let mut full = app.rule_cleanup(&people.staff, id).await.map_err(fail)?;
                for item in full.items.clone() {
                    let (verdict, reason) = if item.title.contains("工作要点") {
                        ("declare_lapsed", "年度工作要点所列任务已完成，宣布失效")
                    } else if item.title.contains("行政执法") {
                        ("amend", "《中华人民共和国行政处罚法》2021年修订，相关条款需相应修改")
                    } else {
                        ("keep", "符合现行法律法规，继续有效")
                    };
                    full = app
                        .rule_cleanup_verdict(&people.staff, id, full.revision, item.document_id, verdict, reason)
                        .await
                        .map_err(fail)?;
                }
            }
            Act::Publish => {
                let id = self.cleanup.ok_or_else(|| anyhow::anyhow!("no clean-up"))?;
                let full = app.rule_cleanup(&people.staff, id).await.map_err(fail)?;
                app.rule_cleanup_publish(&people.staff, id, full.revision).await.map_err(fail)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use domain::verticals::rule_making::decision::{Completeness, Procedure, ProcedureState};
    use domain::verticals::rule_making::document::DocumentState;

    /// The demo's plan passes every gate: run day by day from the test's start to the demo's end.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_plan_passes_the_gates() {
        let t = test_support::TestApp::new(test_support::Db::Sqlite).await.expect("test app");
        let people = Staff {
            staff: t.staff("rm_demo_staff", "reviewer", CITY).await,
            legal: t.staff("rm_demo_legal", "legal_reviewer", CITY).await,
            head: t.staff("rm_demo_head", "decider", CITY).await,
        };
        let mut year = Year::default();
        let mut day = t.app.today();
        while day <= date("2021-12-20").unwrap() {
            t.clock.set(Utc.from_utc_datetime(&day.and_hms_opt(2, 0, 0).unwrap())).unwrap();
            year.day(&t.app, &people).await.unwrap();
            day = day.succ_opt().unwrap();
        }
        assert_eq!(year.next, PLAN.len());
        let first = t.app.rule_decision(&people.staff, year.decisions[0].0).await.unwrap();
        assert_eq!(first.completeness, Completeness::Published);
        let second = t.app.rule_decision(&people.staff, year.decisions[1].0).await.unwrap();
        assert!(second.states.contains(&(Procedure::LegalityReview, ProcedureState::InProgress)));
        // The hearing held on 28 September is considered by the summary of 8 October.
        assert!(second.states.contains(&(Procedure::PublicParticipation, ProcedureState::Done)));
        let comments = t.app.rule_comments(&people.staff, year.decisions[1].0).await.unwrap();
        assert_eq!(comments.iter().filter_map(|c| c.phone_masked.as_deref()).collect::<Vec<_>>(), ["139****0001"]);
        assert_eq!(t.app.rule_sms_sent(&people.staff).await.unwrap().len(), 1);
        let plan = t.app.rule_document(&people.staff, year.documents[1].unwrap()).await.unwrap();
        assert_eq!(plan.state, DocumentState::Lapsed);
        let stats = t.app.rule_stats(&people.staff, 2021).await.unwrap();
        assert_eq!((stats.documents_issued, stats.documents_filed, stats.documents_cleaned_up), (6, 6, 6));
        let flagged = t.app.rule_register(&people.staff).await.unwrap();
        assert_eq!(flagged.iter().filter(|l| l.row.flagged_law.is_some()).count(), 3);
    }
}
