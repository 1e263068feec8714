//! The staff pages of 重大行政决策和规范性文件: the year's decision catalogue (目录) with the form
//! that opens a decision, each decision's page with its five procedures (what is done, what is
//! missing, the dates) and the forms that record the next act, the register of normative
//! documents with the registration form, and each document's page with 备案 and 废止/宣布失效.
//! Forms go through the same parsers as the JSON API (`StepInput`, `DocumentInput`); a refused
//! act re-renders the page with the article that refuses it.

use std::future::Future;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::access::Permission;
use domain::verticals::rule_making::decision::{
    EvaluationTrigger, Meeting, Outcome, Procedure, ProcedureState, Step, StepInput,
};
use domain::verticals::rule_making::document::{DocumentInput, DocumentState};
use domain::verticals::rule_making::hearing::Selection;
use service::verticals::rule_making::{DecisionInput, DecisionView, DocumentLine};
use service::{ErrorKind, ServiceError};

use crate::error::AppError;
use crate::extract::{AuthUser, PagePath, PagePost, PageUser};
use crate::views::{date_zh, render_status, Layout};
use crate::AppState;

pub(super) fn query_param(query: &Option<String>, name: &str) -> String {
    query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_default()
}

pub(super) fn problems(err: &ServiceError) -> Vec<String> {
    if err.problems.is_empty() {
        vec![err.message.clone()]
    } else {
        err.problems.iter().map(|p| p.message.clone()).collect()
    }
}

pub(super) fn may(state: &AppState, user: &AuthUser, permission: Permission, division: &str) -> bool {
    domain::division::DivisionCode::parse(division).is_ok_and(|d| user.actor.may(permission, &d, state.app.divisions()))
}

fn organ_picker(state: &AppState, user: &AuthUser, value: &str) -> crate::pickers::DivisionPicker {
    let field = crate::pickers::DivisionField::new("division", "决策机关（民政局）所在地")
        .required()
        .down_to(domain::division::Level::County);
    crate::pickers::DivisionPicker::new(state.app.divisions(), &user.actor, &field, value)
}

fn refused_status(err: &ServiceError) -> StatusCode {
    if err.kind == ErrorKind::Conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

pub(super) fn stale() -> ServiceError {
    ServiceError::new(ErrorKind::Invalid, "expected_revision_required", "页面已过期，请刷新后重新操作")
        .with_field("expected_revision")
}

/// What a page form answers after its service call (the one shape of every form of the area):
/// on success a redirect to `to` of what the call returned; a refusal (invalid, or a conflict:
/// 422 or 409) draws the page again with its problems (`redraw`); any other error as its page.
pub(super) async fn after_post<T, P: Template, F: Future<Output = Result<P, ServiceError>>>(
    user: &AuthUser,
    result: Result<T, ServiceError>,
    to: impl FnOnce(T) -> String,
    redraw: impl FnOnce(Vec<String>) -> F,
) -> Response {
    match result {
        Ok(value) => Redirect::to(&to(value)).into_response(),
        Err(err) if matches!(err.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            match redraw(problems(&err)).await {
                Ok(page) => render_status(refused_status(&err), &page),
                Err(other) => AppError::from(other).into_html_for(user),
            }
        }
        Err(err) => AppError::from(err).into_html_for(user),
    }
}

// ---------------------------------------------------------------------------------------------
// The catalogue

pub struct CatalogueLine {
    pub id: i64,
    pub title: String,
    pub organ: String,
    pub opened: String,
    /// Each procedure's name, its state and the state's badge, in the order of 第九条.
    pub states: Vec<(&'static str, &'static str, &'static str)>,
    pub completeness: &'static str,
}

#[derive(Default, Clone)]
pub struct DecisionValues {
    pub division: String,
    pub year: String,
    pub title: String,
    pub organ: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "verticals/rule_making/catalogue.html")]
pub struct CataloguePage {
    pub layout: Layout,
    pub year: i32,
    pub lines: Vec<CatalogueLine>,
    pub may_manage: bool,
    pub csrf_token: String,
    pub v: DecisionValues,
    pub organ: crate::pickers::DivisionPicker,
    pub errors: Vec<String>,
}

fn state_class(state: ProcedureState) -> &'static str {
    match state {
        ProcedureState::Pending => "grey",
        ProcedureState::InProgress => "yellow",
        ProcedureState::Done => "green",
        ProcedureState::Omitted => "blue",
    }
}

fn catalogue_line(v: &DecisionView) -> CatalogueLine {
    let d = &v.full.decision;
    CatalogueLine {
        id: d.id,
        title: d.title.clone(),
        organ: d.organ.clone(),
        opened: date_zh(d.opened_on),
        states: v.states.iter().map(|(p, s)| (p.name_zh(), s.name_zh(), state_class(*s))).collect(),
        completeness: v.completeness.name_zh(),
    }
}

async fn catalogue_page(
    state: &AppState,
    user: &AuthUser,
    year: i32,
    v: DecisionValues,
    errors: Vec<String>,
) -> Result<CataloguePage, ServiceError> {
    let views = state.app.rule_catalogue(&user.actor, year).await?;
    Ok(CataloguePage {
        layout: Layout::for_user("重大行政决策目录", user),
        year,
        lines: views.iter().map(catalogue_line).collect(),
        may_manage: user.actor.may_somewhere(Permission::ManageRules),
        csrf_token: user.csrf_token.clone(),
        organ: organ_picker(state, user, &v.division),
        v,
        errors,
    })
}

/// The year's catalogue of major decisions with each one's five procedures, and the form that
/// enters a decision in it.
#[utoipa::path(
    get,
    path = "/rule-making",
    tag = "pages",
    security(("cookie" = [])),
    params(("year" = Option<i32>, Query, description = "目录年度（默认本年度）")),
    responses(
        (status = 200, description = "重大行政决策目录，各决策五项法定程序的进展", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    )
)]
pub async fn catalogue(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let year = query_param(&query, "year")
        .parse::<i32>()
        .ok()
        .filter(|y| (2019..=2100).contains(y))
        .unwrap_or_else(|| state.app.rule_year());
    let v = DecisionValues { year: year.to_string(), ..DecisionValues::default() };
    match catalogue_page(&state, &user, year, v, vec![]).await {
        Ok(page) => render_status(StatusCode::OK, &page),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

/// Enters a decision in the catalogue (立项); on success to its page.
#[utoipa::path(
    post,
    path = "/rule-making/decisions",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, division, year, title, organ, summary"),
    responses(
        (status = 303, description = "已列入目录：转到决策页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 422, description = "表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn open_decision(State(state): State<AppState>, post: PagePost) -> Response {
    let v = DecisionValues {
        division: post.one("division"),
        year: post.one("year"),
        title: post.one("title"),
        organ: post.one("organ"),
        summary: post.one("summary"),
    };
    let user = &post.user;
    let input = DecisionInput {
        division: v.division.clone(),
        year: v.year.clone(),
        title: v.title.clone(),
        organ: v.organ.clone(),
        summary: v.summary.clone(),
    };
    let result = state.app.rule_decision_open(&user.actor, &input).await;
    let to = |id| format!("/rule-making/decisions/{id}?done=opened");
    let state = &state;
    after_post(user, result, to, |problems| async move {
        let year = v.year.trim().parse::<i32>().ok().filter(|y| (2019..=2100).contains(y));
        let year = year.unwrap_or_else(|| state.app.rule_year());
        catalogue_page(state, user, year, v, problems).await
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// A decision's page

pub struct ProcedureLine {
    pub name: &'static str,
    pub state: &'static str,
    pub class: &'static str,
    /// The dated acts of the procedure: (date, what).
    pub acts: Vec<(String, String)>,
    /// What is missing, with its article, when not resolved.
    pub missing: String,
}

/// The forms the page offers: (kind, title, the fields it shows).
pub struct StepForm {
    pub kind: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
}

pub struct CommentLine {
    pub id: i64,
    pub revision: i64,
    pub submitted: String,
    pub name: String,
    pub content: String,
    pub status: &'static str,
    pub answer: String,
    pub open: bool,
}

/// An application to a hearing, as staff see it.
pub struct ApplicationLine {
    pub id: i64,
    pub revision: i64,
    pub applied: String,
    pub name: String,
    pub side: &'static str,
    pub statement: String,
    pub status: &'static str,
    pub reason: String,
    /// Undecided, its hearing's list not yet published: the selection form.
    pub open: bool,
}

#[derive(Template)]
#[template(path = "verticals/rule_making/decision.html")]
pub struct DecisionPage {
    pub layout: Layout,
    pub id: i64,
    pub revision: i64,
    pub title: String,
    pub facts: Vec<(&'static str, String)>,
    pub procedures: Vec<ProcedureLine>,
    pub timeline: Vec<(String, &'static str, String)>,
    pub forms: Vec<StepForm>,
    pub omittable: Vec<(&'static str, &'static str)>,
    pub meetings: Vec<(&'static str, &'static str)>,
    pub outcomes: Vec<(&'static str, &'static str)>,
    /// The grounds of a post-evaluation (第三十六条).
    pub triggers: Vec<(&'static str, &'static str)>,
    pub today: String,
    pub csrf_token: String,
    pub done: Option<String>,
    pub errors: Vec<String>,
    pub comments: Vec<CommentLine>,
    pub applications: Vec<ApplicationLine>,
    /// The applicants selected for the hearing whose list is not yet published, to prefill it.
    pub selected: String,
    pub may_answer: bool,
    pub consultation_open: bool,
    pub opinion_link: Option<String>,
}

fn yes(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

fn short(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        out.push('…');
    }
    out
}

/// One act as a line of the page.
pub(super) fn step_detail(step: &Step) -> String {
    match step {
        Step::CommentOpened { until, shortened_reason, .. } => {
            let mut s = format!("征求意见至{}", date_zh(*until));
            if !shortened_reason.is_empty() {
                s.push_str(&format!("（期限少于30日的理由：{}）", short(shortened_reason, 60)));
            }
            s
        }
        Step::HearingAnnounced { held_on, place, selection, .. } => {
            format!("听证会定于{}在{}举行；参加人遴选办法：{}", date_zh(*held_on), place, short(selection, 60))
        }
        Step::HearingParticipants { participants, .. } => format!("听证参加人：{}", short(participants, 80)),
        Step::Hearing { materials_sent_on, participants, record, record_confirmed, .. } => {
            let mut s = format!("听证材料于{}送达；参加人：{}", date_zh(*materials_sent_on), short(participants, 60));
            if !record.is_empty() {
                s.push_str(&format!(
                    "；听证笔录{}：{}",
                    if *record_confirmed { "经参加人确认" } else { "" },
                    short(record, 60)
                ));
            }
            s
        }
        Step::CommentSummary { received, adopted, reasons, .. } => {
            format!("收到意见{received}条，采纳{adopted}条。{}", short(reasons, 80))
        }
        Step::ExpertOpinion { expert, signed, interested, .. } => {
            format!("专家：{expert}；书面意见署名：{}；与决策事项有直接利害关系：{}", yes(*signed), yes(*interested))
        }
        Step::RiskReport { controllable, measures, .. } => {
            format!("风险{}；防范化解措施：{}", if *controllable { "可控" } else { "不可控" }, short(measures, 60))
        }
        Step::LegalityRequested { due, reviewer, .. } => {
            format!("送{reviewer}审查，请于{}前提出意见", date_zh(*due))
        }
        Step::LegalityOpinion { passed, opinion, .. } => {
            format!("{}。{}", if *passed { "审查通过" } else { "审查未通过" }, short(opinion, 80))
        }
        Step::Discussion { meeting, outcome, head_spoke_last, dissent, .. } => {
            let mut s = format!(
                "{}：{}；行政首长最后发表意见：{}",
                meeting.name_zh(),
                outcome.name_zh(),
                yes(*head_spoke_last)
            );
            if !dissent.is_empty() {
                s.push_str(&format!("；不同意见：{}", short(dissent, 60)));
            }
            s
        }
        Step::Published { channel, .. } => format!("公布途径：{}", short(channel, 60)),
        Step::Omitted { procedure, reason, .. } => format!("{}依法不适用：{}", procedure.name_zh(), short(reason, 80)),
        Step::PostEvaluation { trigger, findings, conclusion, .. } => {
            let mut s = format!("评估情形：{}；评估情况：{}", trigger.name_zh(), short(findings, 60));
            if !conclusion.is_empty() {
                s.push_str(&format!("；结论：{}", short(conclusion, 60)));
            }
            s
        }
    }
}

/// What a procedure still needs, with the article that requires it.
fn missing(view: &DecisionView, procedure: Procedure, state: ProcedureState) -> String {
    let steps: Vec<&Step> =
        view.full.steps.iter().map(|(s, _)| s).filter(|s| s.procedure() == Some(procedure)).collect();
    match (procedure, state) {
        (_, ProcedureState::Done | ProcedureState::Omitted) => String::new(),
        (Procedure::PublicParticipation, ProcedureState::InProgress) => {
            if steps.iter().any(|s| matches!(s, Step::HearingAnnounced { .. })) {
                "征求意见期满、听证会召开后归纳意见，研究听证笔录中的意见，说明采纳情况（第十七条、第十八条）".into()
            } else {
                "征求意见期满后归纳意见、说明采纳情况（第十八条）".into()
            }
        }
        (Procedure::PublicParticipation, _) => {
            "公布决策草案及其说明，征求意见期限不少于30日（第十五条）；依法不予公开的，记录不适用的理由（第十四条）"
                .into()
        }
        (Procedure::ExpertArgument, _) => {
            "专家书面论证意见（第十九条、第二十条）；非专业性、技术性较强的，记录不适用的理由".into()
        }
        (Procedure::RiskAssessment, ProcedureState::InProgress) => {
            "风险评估认为风险不可控的，应调整方案、采取措施后重新评估（第二十四条）".into()
        }
        (Procedure::RiskAssessment, _) => {
            "风险评估报告及防范化解措施（第二十二条、第二十三条）；不致造成不利影响的，记录不适用的理由".into()
        }
        (Procedure::LegalityReview, ProcedureState::InProgress) => {
            if steps.iter().any(|s| matches!(s, Step::LegalityOpinion { passed: false, .. })) {
                "审查未通过：修改后重新送请合法性审查（第二十八条）".into()
            } else {
                "等待合法性审查意见（第二十七条：审查时间一般不少于7个工作日）".into()
            }
        }
        (Procedure::LegalityReview, _) => {
            "前三项程序完成或依法不适用后，送请合法性审查（第二十五条、第二十六条）；不得以征求意见等方式代替".into()
        }
        (Procedure::CollectiveDiscussion, ProcedureState::InProgress) => "修改后再次提交集体讨论（第三十条）".into(),
        (Procedure::CollectiveDiscussion, _) => "合法性审查通过后，提交常务会议或全体会议讨论（第三十条）".into(),
    }
}

const STEP_FORMS: [StepForm; 13] = [
    StepForm {
        kind: "comment_opened",
        title: "公开征求意见",
        hint: "第十五条：期限自公布次日起不少于30日；少于30日的须说明理由",
    },
    StepForm {
        kind: "hearing_announced",
        title: "公布听证会信息",
        hint: "第十六条：提前公布决策草案及说明、听证时间和地点、听证参加人遴选办法",
    },
    StepForm {
        kind: "hearing_participants",
        title: "公布听证参加人名单",
        hint: "第十六条：公平公开遴选，保证相关各方都有代表参加；名单在听证会前向社会公布",
    },
    StepForm {
        kind: "hearing",
        title: "召开听证会",
        hint: "第十六条、第十七条：按公布的日期召开；听证材料至少在7日前送达参加人；听证笔录经参加人确认",
    },
    StepForm {
        kind: "comment_summary",
        title: "意见归纳和采纳情况",
        hint: "第十八条：归纳整理意见，说明采纳情况及理由；征求意见期满后方可记录",
    },
    StepForm {
        kind: "expert_opinion",
        title: "专家论证意见",
        hint: "第十九条、第二十条：书面意见须署名；与决策事项有直接利害关系的专家不得参加",
    },
    StepForm {
        kind: "risk_report", title: "风险评估报告", hint: "第二十三条、第二十四条：评估报告及防范化解措施"
    },
    StepForm {
        kind: "legality_requested",
        title: "送请合法性审查",
        hint: "第二十六条、第二十七条：审查时间一般不少于7个工作日",
    },
    StepForm {
        kind: "legality_opinion",
        title: "合法性审查意见",
        hint: "第二十八条：由司法行政部门或法制机构提出（本页限法制审核人员记录）",
    },
    StepForm {
        kind: "discussion",
        title: "集体讨论决定",
        hint: "第三十条：行政首长最后发表意见；与多数人意见不一致的须说明理由",
    },
    StepForm { kind: "published", title: "公布决策", hint: "第三十二条：集体讨论通过后及时公布" },
    StepForm {
        kind: "omitted",
        title: "记录依法不适用的程序",
        hint: "仅公众参与（第十四条）、专家论证（第十九条）、风险评估（第二十二条）可依法不适用，须在开展前记录理由",
    },
    StepForm {
        kind: "post_evaluation",
        title: "决策后评估",
        hint: "第三十六条：决策实施后明显未达到预期效果、公众提出较多意见或决策机关认为有必要的，组织决策后评估",
    },
];

fn done_text(code: &str) -> Option<String> {
    Some(
        match code {
            "opened" => "已列入目录。依次开展五项法定程序，每一步都会记录日期。",
            "step" => "已记录。",
            "answered" => "已答复该条意见。",
            "selected" => "已记录遴选结果。全部报名作出遴选决定后，公布听证参加人名单。",
            _ => return None,
        }
        .to_string(),
    )
}

pub(super) async fn decision_page(
    state: &AppState,
    user: &AuthUser,
    view: &DecisionView,
    done: Option<String>,
    errors: Vec<String>,
) -> Result<DecisionPage, ServiceError> {
    let d = &view.full.decision;
    let published = view.full.steps.iter().any(|(s, _)| matches!(s, Step::Published { .. }));
    let procedures = view
        .states
        .iter()
        .map(|(p, s)| ProcedureLine {
            name: p.name_zh(),
            state: s.name_zh(),
            class: state_class(*s),
            acts: view
                .full
                .steps
                .iter()
                .filter(|(st, _)| st.procedure() == Some(*p))
                .map(|(st, _)| (date_zh(st.on()), st.name_zh().to_string()))
                .collect(),
            missing: missing(view, *p, *s),
        })
        .collect();
    let timeline =
        view.full.steps.iter().map(|(s, _)| (date_zh(s.on()), s.name_zh(), step_detail(s))).collect::<Vec<_>>();
    // Once published, only the post-evaluation (第三十六条) may follow.
    let forms: Vec<StepForm> = STEP_FORMS
        .into_iter()
        .filter(|f| (f.kind == "post_evaluation") == published)
        .filter(|f| {
            let permission = match f.kind {
                "legality_opinion" => Permission::ReviewRuleLegality,
                "discussion" => Permission::DecideRules,
                _ => Permission::ManageRules,
            };
            may(state, user, permission, &d.division)
        })
        .collect();
    let comments = state.app.rule_comments(&user.actor, d.id).await?;
    let unlisted = view.hearing_unlisted().map(|(at, _)| at as i64);
    let applications = state.app.rule_hearing_applications(&user.actor, d.id).await?;
    let selected = applications
        .iter()
        .filter(|a| Some(a.hearing_at) == unlisted && a.status == Selection::Selected)
        .map(|a| format!("{}（{}）", a.name, a.side.name_zh()))
        .collect::<Vec<_>>()
        .join("、");
    let applications = applications
        .into_iter()
        .map(|a| ApplicationLine {
            id: a.id,
            revision: a.revision,
            applied: date_zh(a.applied_on),
            name: format!("{}（实名认证）", a.name),
            side: a.side.name_zh(),
            statement: a.statement,
            status: a.status.name_zh(),
            reason: a.reason,
            open: a.status == Selection::Applied && Some(a.hearing_at) == unlisted,
        })
        .collect();
    let consultation_open =
        state.app.rule_consultation_period(view).is_some_and(|(_, until)| state.app.today() <= until);
    let opinion_link = view
        .full
        .steps
        .iter()
        .rposition(|(s, _)| matches!(s, Step::LegalityOpinion { .. }))
        .map(|i| format!("/rule-making/decisions/{}/legality-opinion/{}", d.id, i + 1));
    Ok(DecisionPage {
        layout: Layout::for_user("重大行政决策", user),
        id: d.id,
        revision: d.revision,
        title: d.title.clone(),
        facts: vec![
            ("决策事项", d.title.clone()),
            ("决策机关", d.organ.clone()),
            ("目录年度", format!("{}年", d.year)),
            ("列入目录日期", date_zh(d.opened_on)),
            ("决策草案说明", d.summary.clone()),
            ("完成情况", view.completeness.name_zh().to_string()),
        ],
        procedures,
        timeline,
        forms,
        omittable: Procedure::ALL
            .into_iter()
            .filter(|p| p.omission_basis().is_some())
            .map(|p| (p.as_str(), p.name_zh()))
            .collect(),
        meetings: [Meeting::Standing, Meeting::Plenary]
            .into_iter()
            .map(|m| (if m == Meeting::Standing { "standing" } else { "plenary" }, m.name_zh()))
            .collect(),
        triggers: EvaluationTrigger::ALL.into_iter().map(|t| (t.as_str(), t.name_zh())).collect(),
        outcomes: [("adopted", Outcome::Adopted), ("deferred", Outcome::Deferred), ("rejected", Outcome::Rejected)]
            .into_iter()
            .map(|(k, o)| (k, o.name_zh()))
            .collect(),
        today: state.app.today().to_string(),
        csrf_token: user.csrf_token.clone(),
        done,
        errors,
        applications,
        selected,
        may_answer: may(state, user, Permission::ManageRules, &d.division),
        comments: comments
            .into_iter()
            .map(|c| CommentLine {
                id: c.id,
                revision: c.revision,
                submitted: date_zh(c.submitted_on),
                name: match (&c.person_id, &c.phone_masked) {
                    (Some(_), _) => format!("{}（实名认证）", c.name),
                    (None, Some(phone)) => format!("{}（手机{phone}已验证）", c.name),
                    (None, None) => c.name,
                },
                content: c.content,
                status: c.status.name_zh(),
                answer: c.answer,
                open: c.answered_on.is_none(),
            })
            .collect(),
        consultation_open,
        opinion_link,
    })
}

/// A decision's page: its five procedures with what is done and missing, the dated acts, the
/// public comments received, and the forms for the next act.
#[utoipa::path(
    get,
    path = "/rule-making/decisions/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "决策编号")),
    responses(
        (status = 200, description = "决策页：五项法定程序、办理过程、公众意见", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "决策不存在", content_type = "text/html", body = String),
    )
)]
pub async fn decision(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    let view = match state.app.rule_decision(&user.actor, id).await {
        Ok(view) => view,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    match decision_page(&state, &user, &view, done_text(&query_param(&query, "done")), vec![]).await {
        Ok(page) => render_status(StatusCode::OK, &page),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

/// Records an act of the decision's procedures; a refusal re-renders the page with its article.
#[utoipa::path(
    post,
    path = "/rule-making/decisions/{id}/steps",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "决策编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, kind, on, until, materials_sent_on, text, text2, name, received, adopted, signed, interested, controllable, passed, head_spoke_last, majority_agrees, meeting, outcome, procedure, departure_reason"),
    responses(
        (status = 303, description = "已记录：转回决策页"),
        (status = 403, description = "CSRF 令牌不符，不在管辖范围内，或该程序不由本角色记录", content_type = "text/html", body = String),
        (status = 404, description = "决策不存在", content_type = "text/html", body = String),
        (status = 409, description = "决策已变化：页面显示当前情况", content_type = "text/html", body = String),
        (status = 422, description = "不符合法定程序：决策页与所依据的条款", content_type = "text/html", body = String),
    )
)]
pub async fn step(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    let input = StepInput {
        kind: post.one("kind"),
        on: post.one("on"),
        until: post.one("until"),
        materials_sent_on: post.one("materials_sent_on"),
        text: post.one("text"),
        text2: post.one("text2"),
        name: post.one("name"),
        received: post.one("received"),
        adopted: post.one("adopted"),
        signed: post.one("signed"),
        interested: post.one("interested"),
        controllable: post.one("controllable"),
        passed: post.one("passed"),
        head_spoke_last: post.one("head_spoke_last"),
        majority_agrees: post.one("majority_agrees"),
        meeting: post.one("meeting"),
        outcome: post.one("outcome"),
        procedure: post.one("procedure"),
        departure_reason: post.one("departure_reason"),
        trigger: post.one("trigger"),
    };
    let result = match post.one("expected_revision").parse::<i64>() {
        Ok(rev) => state.app.rule_decision_step(&user.actor, id, rev, &input).await.map(|_| ()),
        Err(_) => Err(stale()),
    };
    after_decision_post(&state, user, id, result, "step").await
}

/// A decision's page form after its service call: back to the decision, or its page again with
/// the refusal.
pub(super) async fn after_decision_post(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    result: Result<(), ServiceError>,
    done: &str,
) -> Response {
    let to = |()| format!("/rule-making/decisions/{id}?done={done}");
    after_post(user, result, to, |problems| async move {
        let view = state.app.rule_decision(&user.actor, id).await?;
        decision_page(state, user, &view, None, problems).await
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// The register of normative documents

pub struct DocLine {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub organ: String,
    pub published: String,
    pub valid_until: String,
    pub state: &'static str,
    /// (colour, text) warnings derived from the dates.
    pub badges: Vec<(&'static str, String)>,
}

fn badges(l: &DocumentLine) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if l.expiring {
        out.push(("yellow", format!("{}有效期届满", date_zh(l.row.document.valid_until))));
    }
    if l.filing_overdue {
        out.push(("red", "逾期未备案".to_string()));
    } else if l.row.filed_on.is_none() {
        if let Some(due) = l.filing_due {
            out.push(("yellow", format!("应于{}前备案", date_zh(due))));
        }
    }
    if l.review_late {
        out.push(("red", "合法性审核超过时限".to_string()));
    }
    if let Some(law) = &l.row.flagged_law {
        out.push(("red", format!("上位法《{law}》已变化，待审查")));
    }
    out
}

fn doc_line(l: &DocumentLine) -> DocLine {
    let d = &l.row.document;
    DocLine {
        id: l.row.id,
        number: d.number.clone(),
        title: d.title.clone(),
        organ: d.organ.clone(),
        published: date_zh(d.published_on),
        valid_until: date_zh(d.valid_until),
        state: l.state.name_zh(),
        badges: badges(l),
    }
}

#[derive(Template)]
#[template(path = "verticals/rule_making/documents.html")]
pub struct DocumentsPage {
    pub layout: Layout,
    pub lines: Vec<DocLine>,
    pub may_manage: bool,
}

/// The register of the jurisdiction's normative documents, each state and warning derived from
/// its dates today.
#[utoipa::path(
    get,
    path = "/rule-making/documents",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "规范性文件登记簿（状态、到期、备案、合法性审核时限）", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "无查阅权限", content_type = "text/html", body = String),
    )
)]
pub async fn documents(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    match state.app.rule_register(&user.actor).await {
        Ok(lines) => render_status(
            StatusCode::OK,
            &DocumentsPage {
                layout: Layout::for_user("规范性文件登记簿", &user),
                lines: lines.iter().map(doc_line).collect(),
                may_manage: user.actor.may_somewhere(Permission::ManageRules),
            },
        ),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

#[derive(Template)]
#[template(path = "verticals/rule_making/document_form.html")]
pub struct DocumentFormPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub v: DocumentInput,
    pub business: bool,
    pub organ: crate::pickers::DivisionPicker,
    pub errors: Vec<String>,
}

fn document_form(
    state: &AppState,
    user: &AuthUser,
    division: &str,
    v: DocumentInput,
    errors: Vec<String>,
) -> DocumentFormPage {
    let field = crate::pickers::DivisionField::new("division", "制定机关所在地")
        .required()
        .down_to(domain::division::Level::County);
    DocumentFormPage {
        layout: Layout::for_user("登记规范性文件", user),
        csrf_token: user.csrf_token.clone(),
        business: matches!(v.affects_business.as_str(), "true" | "on"),
        v,
        organ: crate::pickers::DivisionPicker::new(state.app.divisions(), &user.actor, &field, division),
        errors,
    }
}

/// The registration form of a published normative document.
#[utoipa::path(
    get,
    path = "/rule-making/documents/new",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "登记表单", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
    )
)]
pub async fn document_new(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    let today = state.app.today().to_string();
    let v = DocumentInput { published_on: today.clone(), effective_on: today, ..DocumentInput::default() };
    render_status(StatusCode::OK, &document_form(&state, &user, "", v, vec![]))
}

/// Registers the document; on success to its page.
#[utoipa::path(
    post,
    path = "/rule-making/documents/new",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, division, number, title, organ, published_on, effective_on, valid_until, affects_business, comment_opened_on, comment_until, comment_short_reason, review_submitted_on, review_opinion_on, review_opinion, basis, amends"),
    responses(
        (status = 303, description = "已登记：转到文件页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 409, description = "同一制定机关的文号已登记", content_type = "text/html", body = String),
        (status = 422, description = "表单与逐项提示", content_type = "text/html", body = String),
    )
)]
pub async fn document_create(State(state): State<AppState>, post: PagePost) -> Response {
    let division = post.one("division");
    let v = DocumentInput {
        number: post.one("number"),
        title: post.one("title"),
        organ: post.one("organ"),
        published_on: post.one("published_on"),
        effective_on: post.one("effective_on"),
        valid_until: post.one("valid_until"),
        affects_business: post.one("affects_business"),
        comment_opened_on: post.one("comment_opened_on"),
        comment_until: post.one("comment_until"),
        comment_short_reason: post.one("comment_short_reason"),
        review_submitted_on: post.one("review_submitted_on"),
        review_opinion_on: post.one("review_opinion_on"),
        review_opinion: post.one("review_opinion"),
        basis: post.one("basis"),
        amends: post.one("amends"),
    };
    let user = &post.user;
    let result = state.app.rule_document_register(&user.actor, &division, &v).await;
    let to = |id| format!("/rule-making/documents/{id}?done=registered");
    let (state, division) = (&state, &division);
    after_post(user, result, to, |problems| async move { Ok(document_form(state, user, division, v, problems)) }).await
}

#[derive(Template)]
#[template(path = "verticals/rule_making/document.html")]
pub struct DocumentPage {
    pub layout: Layout,
    pub id: i64,
    pub revision: i64,
    pub title: String,
    pub state: &'static str,
    pub facts: Vec<(&'static str, String)>,
    pub badges: Vec<(&'static str, String)>,
    pub acts: Vec<(String, &'static str, String)>,
    pub may_file: bool,
    pub may_act: bool,
    pub today: String,
    pub csrf_token: String,
    pub done: Option<String>,
    pub errors: Vec<String>,
}

fn document_page(
    state: &AppState,
    user: &AuthUser,
    l: &DocumentLine,
    done: Option<String>,
    errors: Vec<String>,
) -> DocumentPage {
    let d = &l.row.document;
    let mut facts = vec![
        ("文号", d.number.clone()),
        ("名称", d.title.clone()),
        ("制定机关", d.organ.clone()),
        ("发布日期", date_zh(d.published_on)),
        ("施行日期", date_zh(d.effective_on)),
        ("有效期至", date_zh(d.valid_until)),
    ];
    if let Some((opened, until, reason)) = &d.comment {
        let mut text = format!("{}至{}", date_zh(*opened), date_zh(*until));
        if !reason.is_empty() {
            text.push_str(&format!("（少于30日的理由：{reason}）"));
        }
        facts.push(("公开征求意见", text));
    }
    facts.push((
        "合法性审核",
        format!(
            "{}送审，{}出具意见{}",
            date_zh(d.review_submitted_on),
            date_zh(d.review_opinion_on),
            l.review_due.map(|due| format!("（审核时限至{}）", date_zh(due))).unwrap_or_default()
        ),
    ));
    facts.push(("合法性审核意见", d.review_opinion.clone()));
    if !d.basis.is_empty() {
        facts.push(("依据的上位法", d.basis.join("；")));
    }
    facts.push((
        "备案",
        match (&l.row.filing_number, l.row.filed_on) {
            (Some(n), Some(on)) => format!("{}备案，备案号{n}", date_zh(on)),
            _ => l
                .filing_due
                .map(|due| format!("未备案（应于{}前报送备案）", date_zh(due)))
                .unwrap_or_else(|| "未备案".into()),
        },
    ));
    let writable = may(state, user, Permission::ManageRules, &l.row.division);
    DocumentPage {
        layout: Layout::for_user("规范性文件", user),
        id: l.row.id,
        revision: l.row.revision,
        title: d.title.clone(),
        state: l.state.name_zh(),
        facts,
        badges: badges(l),
        acts: l.row.acts.iter().map(|a| (date_zh(a.on), a.kind.name_zh(), a.reason.clone())).collect(),
        may_file: writable && l.row.filed_on.is_none(),
        may_act: writable && matches!(l.state, DocumentState::InForce | DocumentState::NotYetInForce),
        today: state.app.today().to_string(),
        csrf_token: user.csrf_token.clone(),
        done,
        errors,
    }
}

/// A normative document's page: its facts, state and warnings, its acts, 备案 and 废止 forms.
#[utoipa::path(
    get,
    path = "/rule-making/documents/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "文件编号")),
    responses(
        (status = 200, description = "规范性文件页", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "文件不存在", content_type = "text/html", body = String),
    )
)]
pub async fn document(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    let done = match query_param(&query, "done").as_str() {
        "registered" => Some("已登记。状态、备案期限和到期提醒按日期自动计算。".to_string()),
        "filed" => Some("已记录备案。".to_string()),
        "act" => Some("已记录，自所填日期起生效。".to_string()),
        _ => None,
    };
    match state.app.rule_document(&user.actor, id).await {
        Ok(l) => render_status(StatusCode::OK, &document_page(&state, &user, &l, done, vec![])),
        Err(err) => AppError::from(err).into_html_for(&user),
    }
}

/// A document's page form after its service call: back to the document, or its page again with
/// the refusal.
async fn after_document_post(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    result: Result<DocumentLine, ServiceError>,
    done: &str,
) -> Response {
    let to = |_| format!("/rule-making/documents/{id}?done={done}");
    after_post(user, result, to, |problems| async move {
        let line = state.app.rule_document(&user.actor, id).await?;
        Ok(document_page(state, user, &line, None, problems))
    })
    .await
}

/// 备案 from the document's page.
#[utoipa::path(
    post,
    path = "/rule-making/documents/{id}/filing",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "文件编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, filing_number, filed_on"),
    responses(
        (status = 303, description = "已记录：转回文件页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "文件不存在", content_type = "text/html", body = String),
        (status = 409, description = "已变化或已备案", content_type = "text/html", body = String),
        (status = 422, description = "文件页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn document_file(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    let result = match post.one("expected_revision").parse::<i64>() {
        Ok(rev) => {
            state.app.rule_document_file(&user.actor, id, rev, &post.one("filing_number"), &post.one("filed_on")).await
        }
        Err(_) => Err(stale()),
    };
    after_document_post(&state, user, id, result, "filed").await
}

/// 废止 or 宣布失效 from the document's page.
#[utoipa::path(
    post,
    path = "/rule-making/documents/{id}/acts",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "文件编号")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, expected_revision, kind, on, reason"),
    responses(
        (status = 303, description = "已记录：转回文件页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "文件不存在", content_type = "text/html", body = String),
        (status = 409, description = "已变化", content_type = "text/html", body = String),
        (status = 422, description = "文件页与提示", content_type = "text/html", body = String),
    )
)]
pub async fn document_act(State(state): State<AppState>, PagePath(id): PagePath<i64>, post: PagePost) -> Response {
    let user = &post.user;
    let result = match post.one("expected_revision").parse::<i64>() {
        Ok(rev) => {
            state
                .app
                .rule_document_act(&user.actor, id, rev, &post.one("kind"), &post.one("on"), &post.one("reason"))
                .await
        }
        Err(_) => Err(stale()),
    };
    after_document_post(&state, user, id, result, "act").await
}
