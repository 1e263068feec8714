//! 重大行政决策和规范性文件 through the real database: a decision through its five procedures,
//! each gate refused (and the refusal recorded) before it is passed; the register of normative
//! documents with a document lapsing on its date with nobody acting, an amendment, a filing, a
//! superior law's change flagging its citing documents, and a clean-up campaign end to end.

use chrono::{NaiveDate, TimeZone, Utc};
use domain::verticals::rule_making::decision::{Completeness, Procedure, ProcedureState, StepInput};
use domain::verticals::rule_making::document::{DocumentInput, DocumentState};
use domain::verticals::rule_making::{decision_stream, document_stream};
use service::verticals::rule_making::DecisionInput;
use test_support::{on_both, Db};

use crate::{acts, test_app};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// 09:00 Asia/Shanghai on `day`.
fn morning(day: &str) -> chrono::DateTime<Utc> {
    let day = d(day);
    Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0).unwrap())
}

fn step(kind: &str, on: &str) -> StepInput {
    StepInput { kind: kind.into(), on: on.into(), ..Default::default() }
}

async fn a_decision_passes_its_gates_in_order(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let clerk = t.staff("rm_clerk", "clerk", "511700").await;
    let legal = t.staff("rm_legal", "legal_reviewer", "511700").await;
    let head = t.staff("rm_head", "decider", "511700").await;
    let outsider = t.staff("rm_other", "clerk", "510100").await;
    let input = DecisionInput {
        division: "511700".into(),
        year: "2021".into(),
        title: "达州市城乡特困人员供养标准调整".into(),
        organ: "达州市民政局".into(),
        summary: "调整城乡特困人员基本生活标准".into(),
    };
    let bad = app.rule_decision_open(&clerk, &DecisionInput { year: "2018".into(), ..input.clone() }).await;
    assert_eq!(bad.unwrap_err().code, "bad_year");
    assert_eq!(app.rule_decision_open(&outsider, &input).await.unwrap_err().code, "forbidden");
    let id = app.rule_decision_open(&clerk, &input).await.unwrap();
    let mut revision = 0;

    // ① A comment period of 19 days without its reason is refused, and the refusal recorded.
    let short = StepInput { until: "2021-06-20".into(), ..step("comment_opened", "2021-06-01") };
    let err = app.rule_decision_step(&clerk, id, revision, &short).await.unwrap_err();
    assert_eq!(err.code, "comment_period_short");
    assert!(err.message.contains("第十五条"), "{}", err.message);
    assert_eq!(acts(app, &decision_stream(id)).await, ["rule_making.decision_opened", "rule_making.decision_refused"]);
    assert!(app.rule_decision(&clerk, id).await.unwrap().full.steps.is_empty());
    // 2021-06-01 + 30 日 = 2021-07-01, a Thursday.
    let open = StepInput { until: "2021-07-01".into(), ..step("comment_opened", "2021-06-01") };
    let view = app.rule_decision_step(&clerk, id, revision, &open).await.unwrap();
    revision += 1;
    assert_eq!(view.states[0], (Procedure::PublicParticipation, ProcedureState::InProgress));
    // A stale revision is a conflict, not a second act.
    assert_eq!(app.rule_decision_step(&clerk, id, 0, &open).await.unwrap_err().code, "rule_conflict");

    t.clock.set(morning("2021-07-02")).unwrap();
    let summary = StepInput {
        received: "14".into(),
        adopted: "6".into(),
        text: "关于分档标准的意见予以采纳；关于取消资格审核的意见不予采纳，理由是与社会救助暂行办法不符".into(),
        ..step("comment_summary", "2021-07-02")
    };
    app.rule_decision_step(&clerk, id, revision, &summary).await.unwrap();
    revision += 1;
    let omit = StepInput {
        procedure: "expert_argument".into(),
        text: "标准按上年度城乡居民人均消费支出的比例计算，不属于专业性、技术性较强的事项".into(),
        ..step("omitted", "2021-07-02")
    };
    app.rule_decision_step(&clerk, id, revision, &omit).await.unwrap();
    revision += 1;
    let risk = StepInput {
        text: "社会稳定风险评估报告：低风险".into(),
        text2: "提前公告、逐户告知".into(),
        controllable: "true".into(),
        ..step("risk_report", "2021-07-02")
    };
    app.rule_decision_step(&clerk, id, revision, &risk).await.unwrap();
    revision += 1;

    // ⑤ before ④: refused with 第二十五条, recorded.
    let meeting = StepInput {
        meeting: "standing".into(),
        text: "局长办公会议纪要〔2021〕7号".into(),
        head_spoke_last: "true".into(),
        majority_agrees: "true".into(),
        text2: "一名副局长建议分两年到位".into(),
        outcome: "adopted".into(),
        ..step("discussion", "2021-07-02")
    };
    let err = app.rule_decision_step(&head, id, revision, &meeting).await.unwrap_err();
    assert_eq!(err.code, "legality_not_passed");
    assert!(err.message.contains("第二十五条"));
    // Publication before discussion: refused with 第三十二条.
    let publish = StepInput { text: "达州市人民政府网站".into(), ..step("published", "2021-07-02") };
    let err = app.rule_decision_step(&clerk, id, revision, &publish).await.unwrap_err();
    assert_eq!(err.code, "not_discussed");

    // ④ sent 2021-07-02 (Fri): 7 working days end 2021-07-13.
    let request =
        StepInput { until: "2021-07-12".into(), name: "法规科".into(), ..step("legality_requested", "2021-07-02") };
    assert_eq!(app.rule_decision_step(&clerk, id, revision, &request).await.unwrap_err().code, "review_time_short");
    let request = StepInput { until: "2021-07-13".into(), ..request };
    app.rule_decision_step(&clerk, id, revision, &request).await.unwrap();
    revision += 1;
    t.clock.set(morning("2021-07-09")).unwrap();
    let opinion = StepInput {
        passed: "true".into(),
        text: "主体、权限、程序、内容合法".into(),
        ..step("legality_opinion", "2021-07-09")
    };
    assert_eq!(app.rule_decision_step(&clerk, id, revision, &opinion).await.unwrap_err().code, "forbidden");
    app.rule_decision_step(&legal, id, revision, &opinion).await.unwrap();
    revision += 1;
    let meeting = StepInput { on: "2021-07-09".into(), ..meeting };
    assert_eq!(app.rule_decision_step(&clerk, id, revision, &meeting).await.unwrap_err().code, "forbidden");
    let view = app.rule_decision_step(&head, id, revision, &meeting).await.unwrap();
    revision += 1;
    assert_eq!(view.completeness, Completeness::Adopted);
    let publish = StepInput { on: "2021-07-09".into(), ..publish };
    let view = app.rule_decision_step(&clerk, id, revision, &publish).await.unwrap();
    assert_eq!(view.completeness, Completeness::Published);
    assert!(view.states.iter().all(|(_, s)| s.resolved()), "{:?}", view.states);
    let refused = acts(app, &decision_stream(id)).await.iter().filter(|a| *a == "rule_making.decision_refused").count();
    assert_eq!(refused, 4, "every refusal of a gate is on the record");

    let catalogue = app.rule_catalogue(&clerk, 2021).await.unwrap();
    assert_eq!(catalogue.len(), 1);
    assert!(app.rule_catalogue(&clerk, 2022).await.unwrap().is_empty());
    assert_eq!(app.rule_catalogue(&outsider, 2021).await.unwrap().len(), 0);
    let stats = app.rule_stats(&clerk, 2021).await.unwrap();
    assert_eq!((stats.decisions_published, stats.decisions_in_progress, stats.decisions_with_omission), (1, 0, 1));
}
on_both!(a_decision_passes_its_gates_in_order, a_decision_passes_its_gates_in_order);

fn document(number: &str, title: &str, published: &str, until: &str, basis: &str) -> DocumentInput {
    DocumentInput {
        number: number.into(),
        title: title.into(),
        organ: "达州市民政局".into(),
        published_on: published.into(),
        effective_on: published.into(),
        valid_until: until.into(),
        review_submitted_on: "2021-03-01".into(),
        review_opinion_on: "2021-03-05".into(),
        review_opinion: "经审核，合法".into(),
        basis: basis.into(),
        ..Default::default()
    }
}

async fn the_register_lapses_amends_files_flags_and_cleans_up(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    let clerk = t.staff("rm_clerk", "clerk", "511700").await;
    let plan = app
        .rule_document_register(
            &clerk,
            "511700",
            &document(
                "达市民发〔2021〕12号",
                "2021年达州市民政系统普法依法治理工作要点",
                "2021-03-15",
                "2021-12-31",
                "中华人民共和国宪法",
            ),
        )
        .await
        .unwrap();
    let rules = app
        .rule_document_register(
            &clerk,
            "511700",
            &document(
                "达市民发〔2021〕20号",
                "达州市民政局行政执法公示工作规程（试行）",
                "2021-04-01",
                "2023-03-31",
                "中华人民共和国行政处罚法\n四川省行政执法公示办法",
            ),
        )
        .await
        .unwrap();
    // The same 文号 twice, and a provisional document valid longer than 2 years, are refused.
    let again = document("达市民发〔2021〕20号", "另一文件", "2021-04-01", "2022-03-31", "");
    assert_eq!(app.rule_document_register(&clerk, "511700", &again).await.unwrap_err().code, "rule_document_number");
    let long = document("达市民发〔2021〕21号", "某某办法（暂行）", "2021-04-01", "2023-04-01", "");
    assert_eq!(app.rule_document_register(&clerk, "511700", &long).await.unwrap_err().code, "validity_too_long");

    // Published 2021-03-15, not filed: 15 日 end 2021-03-30; on 2021-06-01 filing is overdue.
    let line = app.rule_document(&clerk, plan).await.unwrap();
    assert_eq!(line.state, DocumentState::InForce);
    assert_eq!(line.filing_due, Some(d("2021-03-30")));
    assert!(line.filing_overdue);
    let line =
        app.rule_document_file(&clerk, plan, line.row.revision, "川达备〔2021〕3号", "2021-05-31").await.unwrap();
    assert!(!line.filing_overdue);
    assert_eq!(line.row.filing_number.as_deref(), Some("川达备〔2021〕3号"));

    // A superior law changes: the document citing it is flagged, the other is not.
    let flagged = app.rule_flag_citing(&clerk, "行政处罚法").await.unwrap();
    assert_eq!(flagged, [rules]);
    assert_eq!(acts(app, &document_stream(rules)).await.last().unwrap(), "rule_making.documents_flagged");

    // An amending document: the old one shows 已修改 from the new one's 施行日.
    let amended = DocumentInput {
        amends: "达市民发〔2021〕20号".into(),
        ..document(
            "达市民发〔2021〕30号",
            "达州市民政局行政执法公示工作规程",
            "2021-05-20",
            "2026-05-19",
            "中华人民共和国行政处罚法",
        )
    };
    let new_rules = app.rule_document_register(&clerk, "511700", &amended).await.unwrap();
    assert_eq!(app.rule_document(&clerk, rules).await.unwrap().state, DocumentState::Amended);
    let in_force = |lines: Vec<service::verticals::rule_making::DocumentLine>| {
        let mut ids: Vec<i64> = lines.into_iter().map(|l| l.row.id).collect();
        ids.sort();
        ids
    };
    assert_eq!(in_force(app.rule_public_register(Some(d("2021-05-19"))).await.unwrap()), [plan, rules]);
    assert_eq!(in_force(app.rule_public_register(Some(d("2021-05-20"))).await.unwrap()), [plan, new_rules]);

    // 有效期至 2021-12-31: in force that day, lapsed on 2022-01-01 with nobody acting.
    assert!(in_force(app.rule_public_register(Some(d("2021-12-31"))).await.unwrap()).contains(&plan));
    assert!(!in_force(app.rule_public_register(Some(d("2022-01-01"))).await.unwrap()).contains(&plan));
    t.clock.set(morning("2021-12-31")).unwrap();
    let line = app.rule_document(&clerk, plan).await.unwrap();
    assert_eq!(line.state, DocumentState::InForce);
    assert!(line.expiring);
    t.clock.set(morning("2022-01-01")).unwrap();
    assert_eq!(app.rule_document(&clerk, plan).await.unwrap().state, DocumentState::Lapsed);
    let stats = app.rule_stats(&clerk, 2021).await.unwrap();
    assert_eq!((stats.documents_issued, stats.documents_filed, stats.documents_lapsed), (3, 1, 0));
    assert_eq!(app.rule_stats(&clerk, 2022).await.unwrap().documents_lapsed, 1);

    // 清理 in 2022: the documents in force today, each with a verdict and reason, then published.
    t.clock.set(morning("2022-03-01")).unwrap();
    let plan2 = app
        .rule_document_register(
            &clerk,
            "511700",
            &DocumentInput {
                review_submitted_on: "2022-01-04".into(),
                review_opinion_on: "2022-01-10".into(),
                ..document(
                    "达市民发〔2022〕2号",
                    "达州市民政局重大行政决策合法性审查办法",
                    "2022-01-20",
                    "2027-01-19",
                    "重大行政决策程序暂行条例",
                )
            },
        )
        .await
        .unwrap();
    let cleanup = app.rule_cleanup_open(&clerk, "511700", "2022年规范性文件清理").await.unwrap();
    let full = app.rule_cleanup(&clerk, cleanup).await.unwrap();
    let mut items: Vec<i64> = full.items.iter().map(|i| i.document_id).collect();
    items.sort();
    assert_eq!(items, [new_rules, plan2], "only the documents in force today");
    let err = app.rule_cleanup_publish(&clerk, cleanup, full.revision).await.unwrap_err();
    assert_eq!(err.code, "cleanup_incomplete");
    let err = app.rule_cleanup_verdict(&clerk, cleanup, full.revision, new_rules, "repeal", " ").await.unwrap_err();
    assert_eq!(err.field.as_deref(), Some("reason"));
    let err = app.rule_cleanup_verdict(&clerk, cleanup, full.revision, plan, "keep", "x").await.unwrap_err();
    assert_eq!(err.code, "not_in_cleanup");
    let full = app
        .rule_cleanup_verdict(&clerk, cleanup, full.revision, new_rules, "repeal", "已被省级规程替代")
        .await
        .unwrap();
    let full = app.rule_cleanup_verdict(&clerk, cleanup, full.revision, plan2, "keep", "符合上位法").await.unwrap();
    let full = app.rule_cleanup_publish(&clerk, cleanup, full.revision).await.unwrap();
    assert_eq!(full.published_on, Some(d("2022-03-01")));
    assert_eq!(app.rule_document(&clerk, new_rules).await.unwrap().state, DocumentState::Repealed);
    assert_eq!(app.rule_document(&clerk, plan2).await.unwrap().state, DocumentState::InForce);
    assert_eq!(in_force(app.rule_public_register(None).await.unwrap()), [plan2]);
    assert_eq!(app.rule_cleanup_publish(&clerk, cleanup, full.revision).await.unwrap_err().code, "cleanup_published");
    let stats = app.rule_stats(&clerk, 2022).await.unwrap();
    assert_eq!((stats.documents_cleaned_up, stats.documents_repealed, stats.documents_issued), (2, 1, 1));
}
on_both!(the_register_lapses_amends_files_flags_and_cleans_up, the_register_lapses_amends_files_flags_and_cleans_up);

/// The code of the last SMS sent (the 6 digits after 验证码).
async fn last_code(app: &service::App) -> (String, String) {
    let sms = app.store.rule_sms_sent(1).await.unwrap();
    let sms = sms.first().expect("an SMS recorded as sent");
    let code: String = sms.message.split("验证码").nth(1).expect("a code").chars().take(6).collect();
    (code, sms.phone_masked.clone())
}

/// A comment from a mobile verified by a one-time SMS code: a fixed line cannot get one; a wrong
/// code is refused and counted; the right one records the comment (the phone masked) and spends
/// the code; a code expires after its minutes and is spent by too many wrong tries, whoever
/// tries; sending is throttled per phone; the period bounds it all.
async fn a_comment_from_a_verified_phone(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning("2021-09-01")).unwrap();
    let clerk = t.staff("rm_phone_clerk", "clerk", "511700").await;
    let input = DecisionInput {
        division: "511700".into(),
        year: "2021".into(),
        title: "达州市殡葬设施布局规划".into(),
        organ: "达州市民政局".into(),
        summary: "规划草案及说明".into(),
    };
    let id = app.rule_decision_open(&clerk, &input).await.unwrap();
    // Before the period opens there is nothing to comment on.
    assert_eq!(app.rule_phone_code_send("c1", id, "13912345678").await.unwrap_err().code, "not_found");
    let open = StepInput { until: "2021-10-08".into(), ..step("comment_opened", "2021-09-01") };
    app.rule_decision_step(&clerk, id, 0, &open).await.unwrap();

    assert_eq!(app.rule_phone_code_send("c1", id, "0818-2123456").await.unwrap_err().code, "not_mobile");
    assert_eq!(app.rule_phone_code_send("c1", id, "1391234567").await.unwrap_err().code, "invalid_phone");
    assert!(app.store.rule_sms_sent(10).await.unwrap().is_empty(), "nothing sent for a refused number");
    let (ticket, masked) = app.rule_phone_code_send("c1", id, "139 1234 5678").await.unwrap();
    assert_eq!(masked, "139****5678");
    let (code, sms_masked) = last_code(app).await;
    assert_eq!(sms_masked, "139****5678");
    assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()), "{code}");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let ticket = ticket.to_string();
    let comment = "建议在规划中为偏远乡镇预留公益性公墓用地。";

    // Bad input names its field; a wrong code says how many tries are left and writes nothing.
    let err = app.rule_comment_by_phone("c1", id, &ticket, "12", "", "好").await.unwrap_err();
    let fields: Vec<_> = err.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["code", "name", "content"], "{err:?}");
    let err = app.rule_comment_by_phone("c1", id, &ticket, wrong, "王五", comment).await.unwrap_err();
    assert_eq!((err.code, err.message.as_str()), ("phone_code_wrong", "验证码不正确，还可再试4次"));
    assert!(app.store.rule_comments(id).await.unwrap().is_empty());
    // The right code: the comment with the phone masked; the code is then spent.
    let cid = app.rule_comment_by_phone("c1", id, &ticket, &code, "王五", comment).await.unwrap();
    let comments = app.store.rule_comments(id).await.unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!((comments[0].id, comments[0].phone_masked.as_deref()), (cid, Some("139****5678")));
    assert_eq!(comments[0].person_id, None);
    let again = app.rule_comment_by_phone("c1", id, &ticket, &code, "王五", "同一验证码的第二条意见。").await;
    assert_eq!(again.unwrap_err().code, "phone_code_missing");
    // A code for another draft, or no ticket, is no code.
    assert_eq!(
        app.rule_comment_by_phone("c1", id, "abc", &code, "王五", comment).await.unwrap_err().code,
        "phone_code_missing"
    );
    assert_eq!(
        acts(app, &decision_stream(id)).await[2..],
        ["rule_making.phone_code_sent", "rule_making.comment_received"]
    );

    // A code lapses after 10 minutes.
    let (ticket, _) = app.rule_phone_code_send("c2", id, "13912345678").await.unwrap();
    let (code, _) = last_code(app).await;
    t.clock.set(morning("2021-09-01") + chrono::Duration::minutes(11)).unwrap();
    let late = app.rule_comment_by_phone("c2", id, &ticket.to_string(), &code, "王五", comment).await;
    assert_eq!(late.unwrap_err().code, "phone_code_missing");

    // Five wrong tries spend a code, even from five clients; the right code is then refused.
    let (ticket, _) = app.rule_phone_code_send("c3", id, "13912345678").await.unwrap();
    let (code, _) = last_code(app).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let ticket = ticket.to_string();
    for n in 0..4 {
        let err = app.rule_comment_by_phone(&format!("g{n}"), id, &ticket, wrong, "王五", comment).await.unwrap_err();
        assert_eq!(err.code, "phone_code_wrong");
    }
    let err = app.rule_comment_by_phone("g4", id, &ticket, wrong, "王五", comment).await.unwrap_err();
    assert_eq!(err.code, "phone_code_spent");
    let err = app.rule_comment_by_phone("g5", id, &ticket, &code, "王五", comment).await.unwrap_err();
    assert_eq!(err.code, "phone_code_missing");
    assert_eq!(app.store.rule_comments(id).await.unwrap().len(), 1);

    // Five codes to one phone in 15 minutes, from any client; the sixth is refused.
    for n in 0..2 {
        app.rule_phone_code_send(&format!("s{n}"), id, "13912345678").await.unwrap();
    }
    let flood = app.rule_phone_code_send("s9", id, "13912345678").await.unwrap_err();
    assert_eq!(flood.code, "too_many_attempts");
    assert!(app.rule_phone_code_send("s9", id, "13712345678").await.is_ok(), "another phone is not held up");

    // After the period's last day, neither codes nor comments.
    t.clock.set(morning("2021-10-09")).unwrap();
    assert_eq!(app.rule_phone_code_send("c1", id, "13612345678").await.unwrap_err().code, "consultation_closed");
    let (code, _) = last_code(app).await;
    let closed = app.rule_comment_by_phone("c1", id, "1", &code, "王五", comment).await;
    assert_eq!(closed.unwrap_err().code, "consultation_closed");

    // Staff who manage rules in the division read the SMS log; others do not see its SMS.
    let outsider = t.staff("rm_phone_other", "clerk", "510100").await;
    assert_eq!(app.rule_sms_sent(&clerk).await.unwrap().len(), 6);
    assert!(app.rule_sms_sent(&outsider).await.unwrap().is_empty());
    let legal = t.staff("rm_phone_legal", "legal_reviewer", "511700").await;
    assert_eq!(app.rule_sms_sent(&legal).await.unwrap_err().code, "forbidden");
}

on_both!(a_comment_from_a_verified_phone, a_comment_from_a_verified_phone);

/// 听证报名 online (第十六条): a 实名认证 citizen applies to the hearing announced, once; staff
/// decide each application with how; the list of participants is refused (and the refusal
/// recorded) while one is undecided; applications close with the list; the hearing held is
/// considered only through a summary made on or after its day (第十八条).
async fn a_hearing_takes_applications_and_selects_its_participants(db: Db) {
    let t = test_app(db).await;
    let app = &t.app;
    t.clock.set(morning("2021-09-01")).unwrap();
    let clerk = t.staff("rm_h_clerk", "clerk", "511700").await;
    let input = DecisionInput {
        division: "511700".into(),
        year: "2021".into(),
        title: "达州市城区公益性公墓迁建".into(),
        organ: "达州市民政局".into(),
        summary: "迁建方案及说明".into(),
    };
    let id = app.rule_decision_open(&clerk, &input).await.unwrap();
    let open = StepInput { until: "2021-10-08".into(), ..step("comment_opened", "2021-09-01") };
    app.rule_decision_step(&clerk, id, 0, &open).await.unwrap();
    let zhang = t
        .citizen(
            "rm_h_zhang",
            "511702",
            &crate::person_input("张三", &crate::id_number("511702", "19800101", 61), None, "511702"),
        )
        .await;
    let li = t
        .citizen(
            "rm_h_li",
            "511702",
            &crate::person_input("李四", &crate::id_number("511702", "19800101", 62), None, "511702"),
        )
        .await;
    let unverified = t.staff("rm_h_unbound", "citizen", "511702").await;
    let statement = "我家在迁建地块旁，希望说明对出行和环境的影响。";

    // No hearing announced: nothing to apply to.
    let err = app.rule_hearing_apply(&zhang, id, "affected", statement).await.unwrap_err();
    assert_eq!(err.code, "hearing_registration_closed");
    t.clock.set(morning("2021-09-02")).unwrap();
    let announced = StepInput {
        until: "2021-10-11".into(),
        name: "市民政局三楼会议室".into(),
        text: "自愿报名，按利益相关方分组抽签确定".into(),
        ..step("hearing_announced", "2021-09-02")
    };
    app.rule_decision_step(&clerk, id, 1, &announced).await.unwrap();

    assert_eq!(app.rule_hearing_apply(&clerk, id, "public", statement).await.unwrap_err().code, "forbidden");
    let err = app.rule_hearing_apply(&unverified, id, "public", statement).await.unwrap_err();
    assert_eq!(err.code, "identity_unverified");
    let err = app.rule_hearing_apply(&zhang, id, "landlord", "好").await.unwrap_err();
    let fields: Vec<_> = err.problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
    assert_eq!(fields, [("side", "bad_choice"), ("statement", "too_short")]);
    let first = app.rule_hearing_apply(&zhang, id, "affected", statement).await.unwrap();
    let err = app.rule_hearing_apply(&zhang, id, "public", "再报一次名，换一方。").await.unwrap_err();
    assert_eq!(err.code, "hearing_already_applied");
    let second = app.rule_hearing_apply(&li, id, "business", "本公司承办殡葬服务，希望说明经营安排。").await.unwrap();
    let applications = app.rule_hearing_applications(&clerk, id).await.unwrap();
    assert_eq!(
        applications.iter().map(|a| (a.id, a.name.as_str())).collect::<Vec<_>>(),
        [(first, "测试rm_h_zhang"), (second, "测试rm_h_li")]
    );

    // The list waits for every application; the refusal is recorded with its article.
    let list = StepInput { text2: "张三（居民）".into(), ..step("hearing_participants", "2021-09-02") };
    let err = app.rule_decision_step(&clerk, id, 2, &list).await.unwrap_err();
    assert_eq!(err.code, "hearing_applications_undecided");
    assert!(err.message.contains("2份") && err.message.contains("第十六条"), "{}", err.message);
    assert_eq!(acts(app, &decision_stream(id)).await.last().unwrap(), "rule_making.decision_refused");
    let err = app.rule_hearing_select(&clerk, id, first, 0, "selected", " ").await.unwrap_err();
    assert_eq!(err.problems[0].field, "reason");
    let picked = app.rule_hearing_select(&clerk, id, first, 0, "selected", "利害关系人组抽签选定").await.unwrap();
    assert_eq!(picked.status, domain::verticals::rule_making::hearing::Selection::Selected);
    let again = app.rule_hearing_select(&clerk, id, first, 1, "not_selected", "改变主意").await.unwrap_err();
    assert_eq!(again.code, "application_decided");
    let stale = app.rule_hearing_select(&clerk, id, second, 5, "not_selected", "企业组名额已满").await.unwrap_err();
    assert_eq!(stale.code, "rule_conflict");
    app.rule_hearing_select(&clerk, id, second, 0, "not_selected", "企业组名额已满，抽签未中").await.unwrap();
    app.rule_decision_step(&clerk, id, 2, &list).await.unwrap();
    // With the list published, applications close.
    let late = t
        .citizen(
            "rm_h_wang",
            "511702",
            &crate::person_input("王五", &crate::id_number("511702", "19800101", 63), None, "511702"),
        )
        .await;
    assert_eq!(
        app.rule_hearing_apply(&late, id, "public", statement).await.unwrap_err().code,
        "hearing_registration_closed"
    );

    // The hearing held after the summary: ① waits for a summary that considers it (第十八条).
    t.clock.set(morning("2021-10-08")).unwrap();
    let summary = StepInput {
        received: "3".into(),
        adopted: "1".into(),
        text: "关于绿化的意见予以采纳".into(),
        ..step("comment_summary", "2021-10-08")
    };
    app.rule_decision_step(&clerk, id, 3, &summary).await.unwrap();
    t.clock.set(morning("2021-10-11")).unwrap();
    let held = StepInput {
        materials_sent_on: "2021-09-30".into(),
        text2: "张三".into(),
        text: "听证笔录：承办单位介绍方案，听证参加人陈述意见并辩论。".into(),
        signed: "true".into(),
        ..step("hearing", "2021-10-11")
    };
    let view = app.rule_decision_step(&clerk, id, 4, &held).await.unwrap();
    assert_eq!(view.states[0], (Procedure::PublicParticipation, ProcedureState::InProgress));
    let after =
        StepInput { text: "听证会意见已研究，关于交通的意见予以采纳".into(), ..summary.clone() };
    let after = StepInput { on: "2021-10-11".into(), ..after };
    let view = app.rule_decision_step(&clerk, id, 5, &after).await.unwrap();
    assert_eq!(view.states[0], (Procedure::PublicParticipation, ProcedureState::Done));
}

on_both!(
    a_hearing_takes_applications_and_selects_its_participants,
    a_hearing_takes_applications_and_selects_its_participants
);
