//! The staff workbench: 待办 (`/work`), the case page with its acts (`/cases/{id}`, `POST
//! /cases/{id}/act`) and the search by case number, ID number or name (`/cases?q=`, recorded). Pages authenticate with
//! the session cookie; an act is a form post carrying the session's CSRF token. Every rule is the
//! service's and the engine's: a refusal is shown on the case page in Chinese, with its basis.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::applicant::ApplicantKind;
use domain::catalog::ServiceItem;
use domain::engine::action::{ActionKind, DeliveryMethod, SpecialKind, Verdict};
use domain::engine::deadline::Deadline;
use service::cases::CaseView;
use service::search::SearchKind;

use crate::case_dto::ActionRequest;
use crate::error::AppError;
use crate::extract::{AuthUser, PagePath, PagePost, PageUser};
use crate::verticals::PartyChoice;
use crate::views::{date_zh, datetime_zh, render, render_status, Layout};
use crate::AppState;

pub(crate) fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// "剩 3 个工作日" / "今日到期" / "超期 2 个工作日"; a natural-day period (公示 7 天) in
/// natural days: "剩 3 天".
fn days_left(d: &Deadline) -> String {
    if let Some(days) = d.remaining_days {
        return match days {
            n if n > 0 => format!("剩 {n} 天"),
            0 => "今日到期".to_string(),
            n => format!("超期 {} 天", -n),
        };
    }
    match d.remaining_workdays {
        n if n > 0 => format!("剩 {n} 个工作日"),
        0 => "今日到期".to_string(),
        n => format!("超期 {} 个工作日", -n),
    }
}

/// The deadline that drives the to-do order: the step's when it has one, else the matter's.
fn urgent(view: &CaseView) -> &Deadline {
    if view.step_deadline.due.is_some() {
        &view.step_deadline
    } else {
        &view.deadline
    }
}

fn applicant_text(view: &CaseView) -> String {
    view.applicant
        .as_ref()
        .map(|a| {
            let mismatch = match (a.name_mismatch, a.kind) {
                (false, _) => "",
                (true, ApplicantKind::Person) => "；申请时填写的姓名与人员记录不一致",
                (true, ApplicantKind::Organization) => "；申请时填写的名称与组织记录不一致",
            };
            let agent = match view.applicant_relation {
                Some(r) => format!("；网上代为申请：申请人是申请账户实名人的{}", r.name_zh()),
                None => String::new(),
            };
            // A person's ID number masked; an organization's code whole, named as such.
            let identifier = match a.kind {
                ApplicantKind::Person => a.id_number_masked.clone(),
                ApplicantKind::Organization => format!("{} {}", a.identifier_label(), a.id_number_masked),
            };
            format!("{}（{identifier}{mismatch}{agent}）", a.name_masked)
        })
        .unwrap_or_default()
}

pub struct WorkRow {
    pub id: i64,
    pub number: String,
    pub item_name: String,
    pub step_name: String,
    pub applicant: String,
    pub warning: &'static str,
    pub warning_name: &'static str,
    pub due: String,
    pub provisional: bool,
    pub left: String,
}

#[derive(Template)]
#[template(path = "work.html")]
pub struct WorkPage {
    pub layout: Layout,
    pub rows: Vec<WorkRow>,
}

#[utoipa::path(
    get,
    path = "/work",
    tag = "pages",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "待办：等待本人办理的办件，最紧急者在前", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
    )
)]
pub async fn work(State(state): State<AppState>, PageUser(user): PageUser) -> Response {
    let views = match state.app.cases_awaiting(&user.actor).await {
        Ok(views) => views,
        Err(err) => return AppError::from(err).into_html_for(&user),
    };
    let rows = views
        .iter()
        .map(|v| {
            let d = urgent(v);
            WorkRow {
                id: v.case.id,
                number: v.case.number.clone(),
                item_name: v.item_name.clone(),
                step_name: v.step_name.clone().unwrap_or_default(),
                applicant: applicant_text(v),
                warning: d.warning.as_str(),
                warning_name: d.warning.name_zh(),
                due: d.due.map(date_zh).unwrap_or_else(|| "未起算".to_string()),
                provisional: d.provisional,
                left: if d.due.is_some() { days_left(d) } else { String::new() },
            }
        })
        .collect();
    render(&WorkPage { layout: Layout::for_user("我的待办", &user), rows })
}

// ---------------------------------------------------------------------------------------------
// The case page

pub struct DeadlineView {
    pub label: &'static str,
    pub due: Option<String>,
    pub provisional: bool,
    pub warning: &'static str,
    pub warning_name: &'static str,
    pub left: String,
    pub explanation: String,
}

impl DeadlineView {
    fn new(label: &'static str, d: &Deadline) -> DeadlineView {
        DeadlineView {
            label,
            due: d.due.map(date_zh),
            provisional: d.provisional,
            warning: d.warning.as_str(),
            warning_name: d.warning.name_zh(),
            left: days_left(d),
            explanation: d.explanation.clone(),
        }
    }
}

pub struct CaseFacts {
    pub id: i64,
    pub number: String,
    pub revision: u64,
    pub item_name: String,
    pub status: String,
    pub step: String,
    /// Who can move the case next (the office and role), or why nobody can.
    pub holder: Option<String>,
    pub applicant: String,
    pub accepting: String,
    pub competent: String,
    pub situation: Option<String>,
    pub submitted: String,
    pub accepted: Option<String>,
    /// 办结时间, once closed (the deadlines are then history, not a countdown).
    pub closed: Option<String>,
    pub deadlines: Vec<DeadlineView>,
    pub materials: Vec<String>,
    pub missing: Vec<String>,
    /// The 查询码 for tracking the case without an account (`/track`).
    pub check_code: String,
    /// The facts the application stated, drawn from the item's form (`facts_panel.html`).
    pub fact_rows: Vec<domain::form::FactRow>,
    /// 办理结果: the label of the item's outcome the case ended with (予以公开, 准予…).
    pub outcome: Option<String>,
    /// What the decision stated by its outcome's own form.
    pub decided_rows: Vec<domain::form::FactRow>,
}

/// One field of an act's form. `kind`: textarea, select, checkboxes, or an input type.
pub struct Field {
    pub kind: &'static str,
    pub name: &'static str,
    pub id: String,
    pub label: &'static str,
    pub options: Vec<(String, String)>,
    /// The options ticked to start (checkboxes): what the system knows.
    pub checked: Vec<String>,
}

pub struct ActForm {
    pub action: &'static str,
    /// Tells two forms of one act apart (the decision's 准予 and 不予): their ids and keys.
    pub variant: &'static str,
    /// What the office calls the act at the current step (申请发给离婚证), else its generic name.
    pub name: String,
    pub fields: Vec<Field>,
    /// An act that ends the matter against the applicant or cannot be undone (不予受理, 撤回, 终止,
    /// 当场不予): drawn apart and confirmed before it is sent.
    pub destructive: bool,
    /// A decision's outcomes that declare their own form: (the outcome's label, its fields,
    /// posted as `data.<outcome>.<field>`); only the chosen outcome's are sent on.
    pub outcome_forms: Vec<(String, Vec<crate::routes::apply::FactField>)>,
}

pub struct TimelineEntry {
    pub at: String,
    pub act: String,
    /// What the act said: a review's verdict and opinion, a decision's reasons.
    pub note: Option<String>,
    pub actor: String,
}

#[derive(Template)]
#[template(path = "case.html")]
pub struct CasePage {
    pub layout: Layout,
    pub c: CaseFacts,
    pub acts: Vec<ActForm>,
    /// The case's documents as (address, name).
    pub notices: Vec<(String, String)>,
    pub timeline: Vec<TimelineEntry>,
    pub csrf_token: String,
    pub done: Option<String>,
    pub error: Option<String>,
    pub basis: Option<String>,
    /// The sections the case's area adds (`verticals::case_panels`), in order.
    pub panels: Vec<crate::verticals::Panel>,
    /// The case's attachments, with the upload form for who may add.
    pub attachments: crate::routes::attachments::AttachmentsPanel,
    /// A fresh idempotency key per page drawn: a double click or a resent form acts once.
    pub act_key: String,
    /// What the current step needs on record before it can pass: (what, where to fill it in).
    pub step_missing: Vec<(String, String)>,
    /// A matter handed to another node: where it is and whose clock runs.
    pub whereabouts: Option<NodeWhere>,
}

/// Where a matter this node handed to another node is, in words (see `App::case_whereabouts`).
pub struct NodeWhere {
    pub holder: String,
    pub stage: String,
    pub clock: String,
    /// The other node's copy: `重庆市节点办件 500101001-2021-000003；办理中：受理地告知申请人；2021年12月5日报告`.
    pub counterpart: Option<String>,
}

impl NodeWhere {
    pub fn of(w: &service::nodes::Whereabouts) -> NodeWhere {
        use service::nodes::WhereStage;
        let (node, office) = (&w.node_name, &w.competent_name);
        let counterpart = w
            .counterpart
            .as_ref()
            .map(|c| format!("{}节点办件 {}；{}；{}报告", c.node_name, c.number, c.status, date_zh(c.as_of)));
        let mut shown = match &w.stage {
            WhereStage::HeldHere { accepting_name } => NodeWhere {
                holder: format!("本节点（{office}）"),
                stage: format!("由{accepting_name}受理并推送，本机关审核认定，结果返回受理地告知申请人。"),
                clock: "由本节点按本地工作日计时，见“办理期限”。".into(),
                counterpart: None,
            },
            WhereStage::Unsent { since } => NodeWhere {
                holder: "本节点（待发送）".into(),
                stage: format!(
                    "{}已推送至{node}节点（{office}），消息尚待发送，消息服务恢复后自动发送。",
                    date_zh(*since)
                ),
                clock: "户籍地的审核认定时限自其接收之日起算，尚未开始；推送环节的期限见“办理期限”。".into(),
                counterpart: None,
            },
            WhereStage::Remote { sent_on, limit, due_if_received_then } => NodeWhere {
                holder: format!("{node}节点（{office}）"),
                stage: format!("{}已送达{node}节点，由户籍地审核认定。", date_zh(*sent_on)),
                clock: match (limit, due_if_received_then) {
                    (Some((days, basis)), Some(due)) => format!(
                        "户籍地的审核认定时限为{days}个工作日（{basis}），自其接收之日起由{node}节点计时，至{}。",
                        date_zh(*due)
                    ),
                    (Some((days, basis)), None) => {
                        format!("户籍地的审核认定时限为{days}个工作日（{basis}），自其接收之日起由{node}节点计时。")
                    }
                    _ => format!("由{node}节点按该事项的时限计时。"),
                },
                counterpart: None,
            },
            WhereStage::Back { on, granted, reason, due, limit } => NodeWhere {
                holder: "本机关（受理地）".into(),
                stage: format!(
                    "{}户籍地（{office}）已作出{}，结果已返回本机关。",
                    date_zh(*on),
                    match (granted, reason) {
                        (Some(true), _) => "准予的决定".to_string(),
                        (Some(false), Some(r)) => format!("不予准予的决定（{r}）"),
                        (Some(false), None) => "不予准予的决定".to_string(),
                        (None, _) => "决定".to_string(),
                    }
                ),
                clock: match (limit, due) {
                    (Some((days, basis)), Some(due)) => {
                        format!("由本机关计时：告知申请人时限为{days}个工作日（{basis}），至{}。", date_zh(*due))
                    }
                    _ => "由本机关计时：告知申请人。".into(),
                },
                counterpart: None,
            },
            WhereStage::Returned { on, reason } => NodeWhere {
                holder: "本机关（受理地）".into(),
                stage: format!(
                    "{}户籍地（{office}）退回本机关，理由：{}。",
                    date_zh(*on),
                    reason.trim_end_matches('。')
                ),
                clock: "由本机关计时，见“办理期限”；重新推送后，户籍地的审核认定时限自其重新接收之日起算。".into(),
                counterpart: None,
            },
            WhereStage::ReturnedThere { on, reason, accepting_name } => NodeWhere {
                holder: format!("受理地（{accepting_name}）"),
                stage: format!(
                    "{}本机关已退回受理地，理由：{}。受理地处理后重新推送，本机关重新接收。",
                    date_zh(*on),
                    reason.trim_end_matches('。')
                ),
                clock: "本机关的审核认定时限自重新接收之日起算。".into(),
                counterpart: None,
            },
        };
        shown.counterpart = counterpart;
        shown
    }
}

fn material_name(item: Option<&ServiceItem>, id: &str) -> String {
    item.and_then(|i| i.materials.iter().find(|m| m.id == id)).map(|m| m.name.clone()).unwrap_or_else(|| id.to_string())
}

/// `parties`: the applicants a withdrawal may name, where the case's area has more than one.
/// `handlers`: the accounts the case may be assigned to (account id, name and office); `case`:
/// what the system knows of the materials (the 一次性告知 comes ticked with what is missing).
fn act_form(
    kind: ActionKind,
    item: Option<&ServiceItem>,
    step: Option<&domain::procedure::StepDef>,
    parties: Option<&PartyChoice>,
    handlers: &[(i64, String)],
    case: Option<&domain::engine::case::Case>,
) -> ActForm {
    let action = kind.as_str();
    let field = |kind: &'static str, name: &'static str, label: &'static str, options: Vec<(String, String)>| Field {
        kind,
        name,
        id: format!("{action}-{name}"),
        label,
        options,
        checked: Vec::new(),
    };
    let text = |name, label| field("textarea", name, label, Vec::new());
    let on_the_spot = kind == ActionKind::Decide && step.is_some_and(|s| s.kind == domain::procedure::StepKind::Accept);
    let materials = || -> Vec<(String, String)> {
        item.map(|i| i.materials.iter().map(|m| (m.id.clone(), m.name.clone())).collect()).unwrap_or_default()
    };
    let mut fields = match kind {
        // 行政许可法第三十二条第一款第四项: every missing required material, at once; those the
        // case lacks come ticked (the engine still checks the list).
        ActionKind::NotifyMissing => {
            let mut f = field("checkboxes", "missing", "需要补正的材料（一次告知全部）", materials());
            f.checked = match (item, case) {
                (Some(item), Some(case)) => {
                    domain::engine::materials::missing_required(item, case).iter().map(|m| m.id.clone()).collect()
                }
                _ => Vec::new(),
            };
            // 《政府信息公开条例》第三十条 and the like: the notice states a reasonable period to
            // correct, where the item declares one.
            if item.is_some_and(|i| i.procedure.correction.is_some()) {
                vec![f, field("date", "until", "补正期限的最后一日（不填则按本事项规定的补正期限计算）", Vec::new())]
            } else {
                vec![f]
            }
        }
        // The supplement: what the notice asked for comes ticked.
        ActionKind::Supplement => {
            let mut f = field("checkboxes", "materials", "补正的材料", materials());
            f.checked = case.map(|c| c.missing.clone()).unwrap_or_default();
            vec![f]
        }
        ActionKind::RefuseAcceptance => vec![text("reasons", "不予受理的理由")],
        ActionKind::Assign => vec![field(
            "select",
            "account",
            "承办人",
            handlers.iter().map(|(id, label)| (id.to_string(), label.clone())).collect(),
        )],
        ActionKind::Review => vec![
            field(
                "select",
                "verdict",
                "审核意见",
                Verdict::ALL.into_iter().map(|v| (v.as_str().to_string(), v.name_zh().to_string())).collect(),
            ),
            text("opinion", "意见说明"),
        ],
        ActionKind::SpecialStart => vec![
            field(
                "select",
                "kind",
                "特别程序",
                SpecialKind::ALL
                    .into_iter()
                    // A consultation of a third party only where the item declares its time.
                    .filter(|k| {
                        *k != SpecialKind::Consultation || item.is_some_and(|i| i.procedure.consultation.is_some())
                    })
                    .map(|k| (k.as_str().to_string(), k.name_zh().to_string()))
                    .collect(),
            ),
            text("reason", "理由"),
        ],
        ActionKind::Extend => vec![field("number", "workdays", "延长的工作日数", Vec::new()), text("reason", "理由")],
        ActionKind::Suspend | ActionKind::Terminate => vec![text("reason", "理由")],
        ActionKind::Withdraw if parties.is_some() => vec![
            field(
                "select",
                "party",
                parties.map(|p| p.label).unwrap_or_default(),
                parties
                    .map(|p| p.parties.iter().map(|(id, label)| (id.to_string(), label.clone())).collect())
                    .unwrap_or_default(),
            ),
            text("reason", "理由"),
        ],
        ActionKind::Withdraw => vec![text("reason", "理由")],
        // At the window of a 即办件: only the refusal on the spot (a grant is the acceptance).
        ActionKind::Decide if on_the_spot => vec![
            field("select", "grant", "决定", vec![("false".into(), "不予".into())]),
            text("reasons", "理由（将写入决定书，告知当事人）"),
            field("text", "basis", "依据", Vec::new()),
        ],
        ActionKind::Decide => vec![
            field("hidden", "grant", "决定", vec![("true".into(), "准予".into())]),
            text("reasons", "理由"),
            field("text", "basis", "依据", Vec::new()),
        ],
        ActionKind::Deliver => vec![
            field(
                "select",
                "method",
                "送达方式",
                DeliveryMethod::ALL.into_iter().map(|m| (m.as_str().to_string(), m.name_zh().to_string())).collect(),
            ),
            field("text", "tracking", "邮寄单号（如有）", Vec::new()),
        ],
        _ => Vec::new(),
    };
    // Where the law dates an act as it happened (`[procedure] dated_acts`), the day it was done.
    if item.is_some_and(|i| i.procedure.dated_acts.is_some()) {
        fields.push(field("date", "on", "实际办理日期（不填为今天）", Vec::new()));
    }
    let name = if on_the_spot {
        // 行政许可法 第三十八条第二款: a refusal states its reasons; a registration item (…登记)
        // names it 不予登记, as registration regulations do.
        let registration = item.is_some_and(|i| i.name.contains("登记"));
        if registration { "不予登记（说明理由）" } else { "当场不予办理（说明理由）" }.to_string()
    } else {
        kind.name_at(step)
    };
    let destructive =
        on_the_spot || matches!(kind, ActionKind::RefuseAcceptance | ActionKind::Withdraw | ActionKind::Terminate);
    ActForm { action, variant: "", name, fields, destructive, outcome_forms: Vec::new() }
}

/// The forms of an act: one, but a decision is two — 准予, and 不予 drawn apart as an act that
/// ends the matter against the applicant (行政许可法第三十八条: reasons and the right to review
/// or sue are given in writing).
fn act_forms(
    kind: ActionKind,
    item: Option<&ServiceItem>,
    step: Option<&domain::procedure::StepDef>,
    parties: Option<&PartyChoice>,
    handlers: &[(i64, String)],
    case: Option<&domain::engine::case::Case>,
) -> Vec<ActForm> {
    let form = act_form(kind, item, step, parties, handlers, case);
    if kind != ActionKind::Decide || form.destructive {
        return vec![form];
    }
    let refuse = ActForm {
        action: form.action,
        variant: "refuse",
        name: "不予许可（说明理由）".into(),
        fields: form
            .fields
            .iter()
            .map(|f| Field {
                kind: f.kind,
                name: f.name,
                id: format!("{}-refuse", f.id),
                label: if f.name == "reasons" {
                    "不予许可的理由（将写入决定书，告知当事人）"
                } else {
                    f.label
                },
                options: if f.name == "grant" { vec![("false".into(), "不予".into())] } else { f.options.clone() },
                checked: f.checked.clone(),
            })
            .collect(),
        destructive: true,
        outcome_forms: Vec::new(),
    };
    let grant = ActForm { name: "准予".into(), ..form };
    vec![grant, refuse]
}

/// A decision's forms for an item that declares its outcomes (`[[outcomes]]`): the grant's
/// form chooses among the outcomes that grant (予以公开, 部分公开…), the refusal's among those
/// that do not (信息不存在, 不予公开…), each by its Chinese label, never a typed key; a side
/// with no outcome at this step has no form. `outcomes` empty (an item declaring none): the
/// forms as they are, 准予 and 不予.
///
/// `step` names the act on a button of several outcomes (its `act_name`, else its own name: 答复).
fn outcome_forms(
    forms: Vec<ActForm>,
    outcomes: &[domain::catalog::OutcomeDef],
    step: Option<&domain::procedure::StepDef>,
    picking: crate::routes::apply::Picking<'_>,
) -> Vec<ActForm> {
    if outcomes.is_empty() {
        return forms;
    }
    forms
        .into_iter()
        .filter_map(|form| {
            if form.action != ActionKind::Decide.as_str() {
                return Some(form);
            }
            // The refusal's form is the destructive one (drawn apart).
            let grants = !form.destructive;
            let side: Vec<&domain::catalog::OutcomeDef> = outcomes.iter().filter(|o| o.grants == grants).collect();
            if side.is_empty() {
                return None;
            }
            // One outcome: the button names it (予以备案). Several: the select names the one chosen
            // and the button the act (答复), not every outcome at once.
            let act = match side.as_slice() {
                [one] => one.label.clone(),
                _ => step.map_or_else(
                    || ActionKind::Decide.name_zh().to_string(),
                    |s| s.act_name.clone().unwrap_or_else(|| s.name.clone()),
                ),
            };
            let name = if grants { act } else { format!("{act}（说明理由）") };
            let fields = form
                .fields
                .into_iter()
                .map(|f| {
                    if f.name != "grant" {
                        // Not 不予许可: an outcome that does not grant is an answer of its own
                        // kind (经检索没有, 不属于本机关负责公开), its reasons told to the applicant.
                        let label = match f.name {
                            "basis" if !grants => "依据（不填则为所选结果的依据）",
                            "reasons" if !grants => "理由（告知申请人）",
                            _ => f.label,
                        };
                        return Field { label, ..f };
                    }
                    Field {
                        kind: "select",
                        name: "outcome",
                        id: f.id.replace("grant", "outcome"),
                        label: "办理结果",
                        options: side.iter().map(|o| (o.key.clone(), o.label.clone())).collect(),
                        checked: Vec::new(),
                    }
                })
                .collect();
            // Each outcome's own form, grouped under its label (no script: the server keeps the
            // chosen outcome's fields). Its required fields are marked, but the browser does not
            // insist on them: only the chosen outcome's are required.
            let outcome_forms = side
                .iter()
                .filter(|o| !o.form.is_empty())
                .map(|o| {
                    let mut fields = crate::routes::apply::form_fields(
                        &o.form,
                        &format!("data.{}.", o.key),
                        &format!("outcome-{}-", o.key),
                        &[],
                        &[],
                        picking,
                    );
                    for field in &mut fields {
                        field.conditional = true;
                        for part in &mut field.parts {
                            part.required = false;
                            part.picker.iter_mut().for_each(|p| p.required = false);
                        }
                        field.picker.iter_mut().for_each(|p| p.required = false);
                    }
                    (o.label.clone(), fields)
                })
                .collect();
            Some(ActForm { name, fields, outcome_forms, ..form })
        })
        .collect()
}

/// "case.accept" → 受理, "case.rate" → 办事评价: the one label of each event kind.
fn act_name(act: &str) -> String {
    domain::event_label::event_label(act).to_string()
}

/// What a review or a decision said, for the timeline: "通过：经调查属实", "不予：收入超标".
fn act_note(act: &str, payload: &str) -> Option<String> {
    let payload: serde_json::Value = serde_json::from_str(payload).ok()?;
    let text = |key: &str| payload.get(key).and_then(|v| v.as_str()).map(str::trim).filter(|t| !t.is_empty());
    match act {
        "case.review" => {
            let verdict = text("verdict").and_then(Verdict::parse).map(Verdict::name_zh)?;
            Some(match text("opinion") {
                Some(opinion) => format!("{verdict}：{opinion}"),
                None => verdict.to_string(),
            })
        }
        "case.decide" => {
            let granted = payload.get("granted").and_then(|v| v.as_bool())?;
            // The item's outcome when recorded (予以公开, 信息不存在…), else the side.
            let word = text("decision_outcome_label").unwrap_or(if granted { "准予" } else { "不予" });
            Some(match text("reasons") {
                Some(reasons) => format!("{word}：{reasons}"),
                None => word.to_string(),
            })
        }
        _ => None,
    }
}

/// What a case page shows besides the case: a message after an act, or a refusal.
#[derive(Default)]
struct Outcome {
    done: Option<String>,
    error: Option<String>,
    basis: Option<String>,
    /// A refused upload, shown next to the file field.
    attachment_error: Option<String>,
    /// Just submitted online: the page opens as the confirmation (number and 查询码).
    submitted: bool,
}

async fn case_page(state: &AppState, user: &AuthUser, id: i64, status: StatusCode, outcome: Outcome) -> Response {
    let view = match state.app.case(&user.actor, id).await {
        Ok(view) => view,
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let events = match state.app.case_events(&user.actor, id).await {
        Ok(events) => events,
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let divisions = state.app.divisions();
    let case = &view.case;
    let item = state.app.case_item(case);
    let status_text = crate::views::case_status_zh(&view);
    let situation = case.situation.as_ref().map(|s| {
        item.and_then(|i| i.situations.iter().find(|x| &x.id == s)).map(|x| x.name.clone()).unwrap_or_else(|| s.clone())
    });
    let parties = match crate::verticals::withdrawing_parties(state, user, &view).await {
        Ok(parties) => parties,
        Err(err) => return err.into_html_for(user),
    };
    let mut deadlines = vec![DeadlineView::new("办结期限", &view.deadline)];
    if let Some(correction) = &view.correction_deadline {
        deadlines.push(DeadlineView::new("补正期限", correction));
    }
    if view.step_deadline.due.is_some() && view.step_deadline.due != view.deadline.due {
        deadlines.push(DeadlineView::new("本环节期限", &view.step_deadline));
    }
    // While a third party is consulted, its own time (the matter's clock stands still).
    let consulting = case.open_pause().and_then(|p| p.special) == Some(SpecialKind::Consultation);
    if let Some(third) = view.consultation_deadline.as_ref().filter(|_| consulting) {
        deadlines.push(DeadlineView::new("第三方提出意见期限", third));
    }
    let facts = CaseFacts {
        id: case.id,
        number: case.number.clone(),
        revision: case.revision,
        item_name: view.item_name.clone(),
        status: status_text,
        step: view.step_name.clone().unwrap_or_else(|| "—".to_string()),
        holder: view.holder.clone(),
        applicant: applicant_text(&view),
        accepting: divisions.full_name(&case.accepting).unwrap_or_default(),
        competent: divisions.full_name(&case.competent).unwrap_or_default(),
        situation,
        submitted: case.submitted_at.map(datetime_zh).unwrap_or_default(),
        accepted: case.accepted_at.map(datetime_zh),
        closed: case.closed_at.filter(|_| case.is_closed()).map(datetime_zh),
        deadlines,
        materials: case.materials.iter().map(|m| material_name(item, m)).collect(),
        missing: case.missing.iter().map(|m| material_name(item, m)).collect(),
        check_code: state.app.case_check_code(&case.number),
        fact_rows: view.fact_rows.clone(),
        outcome: view.outcome.as_ref().map(|o| o.label.clone()),
        decided_rows: view.decided_rows.clone(),
    };
    let notices = crate::routes::notices::available(item.and_then(|i| i.vertical), &view, &events);
    if crate::routes::citizen_case::only_citizen(user) {
        let shown = crate::routes::citizen_case::Shown {
            view: &view,
            notices,
            missing: facts.missing,
            attachment_error: outcome.attachment_error,
            done: outcome.done,
            error: outcome.error,
            submitted: outcome.submitted,
        };
        return crate::routes::citizen_case::page(state, user, status, shown).await;
    }
    let panels = match crate::verticals::case_panels(state, user, &view).await {
        Ok(panels) => panels,
        Err(err) => return err.into_html_for(user),
    };
    let step_missing = match state.app.step_missing(&view).await {
        Ok(missing) => missing.into_iter().map(|m| (m.what, m.fill_at)).collect(),
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let attachments = match crate::routes::attachments::panel(state, user, case.id, outcome.attachment_error).await {
        Ok(panel) => panel,
        Err(err) => return err.into_html_for(user),
    };
    // An act that completed a step with a name of its own is shown by that name.
    let step_of = |payload: &str| -> Option<&domain::procedure::StepDef> {
        let payload: serde_json::Value = serde_json::from_str(payload).ok()?;
        let id = payload.get("completed")?.get("step")?.as_str()?;
        item?.procedure.step(id)
    };
    let actors: Vec<&str> = events.iter().map(|e| e.actor.as_str()).collect();
    let labels = state.app.actor_labels(&actors).await;
    let timeline = events
        .iter()
        .map(|e| TimelineEntry {
            at: chrono::DateTime::from_timestamp_millis(e.at_ms).map(datetime_zh).unwrap_or_default(),
            act: match (e.act.strip_prefix("case.").and_then(ActionKind::parse), step_of(&e.payload)) {
                (Some(kind), Some(step)) => kind.name_at(Some(step)),
                _ => act_name(&e.act),
            },
            note: act_note(&e.act, &e.payload),
            actor: labels.get(&e.actor).cloned().unwrap_or_default(),
        })
        .collect();
    let step = case.step.as_deref().and_then(|s| item.and_then(|i| i.procedure.step(s)));
    // The assign act chooses among those who may work the case, never a typed account number.
    let handlers = if view.allowed.contains(&ActionKind::Assign) {
        match state.app.case_handlers(&user.actor, case.id).await {
            Ok(found) => found.into_iter().map(|h| (h.account_id, format!("{}（{}）", h.name, h.office))).collect(),
            Err(err) => return AppError::from(err).into_html_for(user),
        }
    } else {
        Vec::new()
    };
    let whereabouts = match state.app.case_whereabouts(&view).await {
        Ok(w) => w.as_ref().map(NodeWhere::of),
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let page = CasePage {
        layout: Layout::for_user(format!("办件 {}", case.number), user),
        acts: view
            .allowed
            .iter()
            .flat_map(|k| {
                outcome_forms(
                    act_forms(*k, item, step, parties.as_ref(), &handlers, Some(case)),
                    &view.decide_outcomes,
                    step,
                    crate::routes::apply::Picking { divisions, actor: &user.actor },
                )
            })
            .collect(),
        c: facts,
        notices,
        timeline,
        csrf_token: user.csrf_token.clone(),
        done: outcome.done,
        error: outcome.error,
        basis: outcome.basis,
        panels,
        attachments,
        act_key: crate::routes::apply::fresh_key(),
        step_missing,
        whereabouts,
    };
    render_status(status, &page)
}

/// The case page with a refusal shown above it (a form of another page posted to this case).
pub(crate) async fn refused_page(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    status: StatusCode,
    error: String,
) -> Response {
    case_page(state, user, id, status, Outcome { error: Some(error), ..Outcome::default() }).await
}

/// The case page with a refused upload's message next to its file field.
pub(crate) async fn attachment_refused_page(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    status: StatusCode,
    error: String,
) -> Response {
    case_page(state, user, id, status, Outcome { attachment_error: Some(error), ..Outcome::default() }).await
}

#[utoipa::path(
    get,
    path = "/cases/{id}",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号（id）")),
    responses(
        (status = 200, description = "办件页：申请人（脱敏）、状态、期限及其说明、办理过程、可办理的操作、文书；办事群众查看本人办件时，为通俗的状态、下一步与办结期限、需补正的材料及补正方式、文书、办结后的评价", content_type = "text/html", body = String),
        (status = 303, description = "未登录：转到 /login"),
        (status = 400, description = "编号格式错误", content_type = "text/html", body = String),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "办件不存在", content_type = "text/html", body = String),
    )
)]
pub async fn case(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageUser(user): PageUser,
    RawQuery(query): RawQuery,
) -> Response {
    let submitted = query
        .as_deref()
        .is_some_and(|q| form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "submitted" && v == "1"));
    let done = query.as_deref().and_then(|q| {
        form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "done").and_then(|(_, v)| {
            crate::verticals::done_message(&v)
                .map(str::to_string)
                .or_else(|| (v == "attachment").then(|| "已上传附件".to_string()))
                .or_else(|| ActionKind::parse(&v).map(|k| format!("已办理：{}", k.name_zh())))
        })
    });
    case_page(&state, &user, id, StatusCode::OK, Outcome { done, submitted, ..Outcome::default() }).await
}

/// The `data.<outcome>.<field>` pairs of a decide form for the outcome chosen, as the API's
/// `data` object (several values of one key as an array); `None` when there are none. Each
/// outcome's fields carry its key, so the fields of the outcomes not chosen are left out.
fn outcome_data(fields: &[(String, String)], outcome: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let prefix = format!("data.{outcome}.");
    let mut data = serde_json::Map::new();
    for (key, value) in fields {
        let Some(key) = key.strip_prefix(prefix.as_str()) else { continue };
        let value = serde_json::Value::String(value.trim().to_string());
        match data.get_mut(key) {
            Some(serde_json::Value::Array(items)) => items.push(value),
            Some(first) => *first = serde_json::Value::Array(vec![first.clone(), value]),
            None => {
                data.insert(key.to_string(), value);
            }
        }
    }
    (!data.is_empty()).then_some(data)
}

/// The act form's fields as an [`ActionRequest`]: only the fields the act uses are taken, and
/// empty ones are left out, so the engine's own messages say what is missing.
fn action_request(fields: &[(String, String)]) -> Result<(ActionRequest, i64, String), String> {
    let one = |name: &str| {
        fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty())
    };
    let all = |name: &str| -> Vec<String> {
        fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty()).collect()
    };
    let csrf = one("csrf_token").unwrap_or_default();
    let action = one("action").unwrap_or_default();
    let kind = ActionKind::parse(&action);
    // The revision the page was drawn at (a hidden field): required, so an act is never applied
    // to a case that moved since the page was shown.
    let expected = match one("expected_revision") {
        None => return Err("缺少办件版本号（expected_revision），请刷新页面后重试".to_string()),
        Some(v) => v.parse::<i64>().map_err(|_| "办件版本号格式不正确，请刷新页面后重试".to_string())?,
    };
    let uses = |names: &[&str], name: &str| names.contains(&name);
    let used: &[&str] = match kind {
        Some(ActionKind::NotifyMissing) => &["missing", "until"],
        Some(ActionKind::Supplement) => &["materials"],
        Some(ActionKind::RefuseAcceptance) => &["reasons"],
        Some(ActionKind::Assign) => &["account"],
        Some(ActionKind::Review) => &["verdict", "opinion"],
        Some(ActionKind::SpecialStart) => &["kind", "reason"],
        Some(ActionKind::Extend) => &["workdays", "reason"],
        Some(ActionKind::Suspend | ActionKind::Terminate) => &["reason"],
        Some(ActionKind::Withdraw) => &["reason", "party"],
        Some(ActionKind::Decide) => &["grant", "reasons", "basis", "outcome"],
        Some(ActionKind::Deliver) => &["method", "tracking"],
        _ => &[],
    };
    let take = |name: &str| if uses(used, name) { one(name) } else { None };
    let list = |name: &str| if uses(used, name) { Some(all(name)).filter(|v| !v.is_empty()) } else { None };
    let account = match take("account") {
        None => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| "请选择承办人".to_string())?),
    };
    let workdays = match take("workdays") {
        None => None,
        Some(v) => Some(v.parse::<u32>().map_err(|_| "延长的工作日数应为正整数".to_string())?),
    };
    let party = match take("party") {
        None => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| "请选择撤回申请的当事人".to_string())?),
    };
    let grant = match take("grant").as_deref() {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => return Err("决定须为准予或不予".to_string()),
    };
    let request = ActionRequest {
        action,
        expected_revision: Some(expected),
        missing: list("missing"),
        materials: list("materials"),
        reasons: take("reasons"),
        account,
        verdict: take("verdict"),
        opinion: take("opinion"),
        kind: take("kind"),
        reason: take("reason"),
        workdays,
        grant,
        basis: take("basis"),
        method: take("method"),
        tracking: take("tracking"),
        party,
        outcome: take("outcome"),
        until: take("until"),
        // A decision's outcome form (`data.<field>`), when the outcome was chosen.
        data: take("outcome").and_then(|outcome| outcome_data(fields, &outcome)),
        // Any act of an item that dates its acts (the engine refuses it elsewhere).
        on: one("on"),
    };
    Ok((request, expected, csrf))
}

#[utoipa::path(
    post,
    path = "/cases/{id}/act",
    tag = "pages",
    security(("cookie" = [])),
    params(("id" = i64, Path, description = "办件编号（id）")),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, action, expected_revision 及该操作所需的字段（见 /api/v1/cases/{id}/actions）"),
    responses(
        (status = 303, description = "已办理：转回办件页"),
        (status = 403, description = "CSRF 令牌不符，或不在管辖范围内", content_type = "text/html", body = String),
        (status = 409, description = "办件已被他人办理：办件页显示当前状态", content_type = "text/html", body = String),
        (status = 422, description = "引擎拒绝：办件页显示中文理由与依据", content_type = "text/html", body = String),
    )
)]
pub async fn act(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PagePost { user, fields }: PagePost,
) -> Response {
    let refused = |status: StatusCode, error: String, basis: Option<String>| {
        let outcome = Outcome { error: Some(error), basis, ..Outcome::default() };
        case_page(&state, &user, id, status, outcome)
    };
    let (request, expected, _) = match action_request(&fields) {
        Ok(parsed) => parsed,
        Err(message) => return refused(StatusCode::UNPROCESSABLE_ENTITY, message, None).await,
    };
    let (action, on) = match request.to_action().and_then(|action| Ok((action, request.on()?))) {
        Ok(parsed) => parsed,
        Err(err) => return refused(err.status, err.message, None).await,
    };
    let key = fields.iter().find(|(k, _)| k == "idempotency_key").map(|(_, v)| v.as_str());
    match state.app.act_on_case_dated(&user.actor, id, expected, key, &action, on).await {
        Ok(_) => redirect(&format!("/cases/{id}?done={}", request.action.trim())),
        Err(err) => {
            let err = AppError::from(err);
            if matches!(err.status, StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT) {
                let basis = err.extra.as_ref().and_then(|e| e.basis.clone());
                // A refusal field by field (an outcome's form): every problem, not the first.
                let message = if err.problems.len() > 1 {
                    err.problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("；")
                } else {
                    err.message
                };
                refused(err.status, message, basis).await
            } else {
                err.into_html_for(&user)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Search by case number, ID number or name

pub struct Found {
    pub id: i64,
    pub number: String,
    pub item_name: String,
    pub applicant: String,
    pub status: String,
    pub submitted: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub layout: Layout,
    pub csrf_token: String,
    pub q: String,
    pub message: Option<String>,
    /// What the query was taken to be, once searched.
    pub kind: Option<&'static str>,
    /// The figure of the dashboard listed (`宁南县 超期`), when the page lists one.
    pub listing: Option<String>,
    pub found: Vec<Found>,
}

impl Found {
    fn of(v: &CaseView) -> Found {
        Found {
            id: v.case.id,
            number: v.case.number.clone(),
            item_name: v.item_name.clone(),
            applicant: applicant_text(v),
            status: crate::views::case_status_zh(v),
            submitted: v.case.submitted_at.map(datetime_zh).unwrap_or_default(),
        }
    }
}

#[utoipa::path(
    get,
    path = "/cases",
    tag = "pages",
    security(("cookie" = [])),
    params(
        ("q" = Option<String>, Query, description = "办件编号（例如 511700-2021-000001）、18位公民身份号码或申请人姓名"),
        ("number" = Option<String>, Query, description = "同 q（旧参数名）"),
        ("figure" = Option<String>, Query, description = "领导驾驶舱的数字所计的办件：open（未办结）、due_soon（临期）、overdue（超期）；与 group 同用"),
        ("group" = Option<String>, Query, description = "与 figure 同用：驾驶舱表中的区划代码"),
        ("division" = Option<String>, Query, description = "与 figure 同用：驾驶舱的统计区划（空：本人管辖范围）"),
    ),
    responses(
        (status = 200, description = "查询表单与结果（仅限管辖范围内的办件；每次查询均记入全过程记录）", content_type = "text/html", body = String),
        (status = 303, description = "按办件编号找到：转到办件页；未登录：转到 /login"),
        (status = 403, description = "无查询办件的角色", content_type = "text/html", body = String),
        (status = 404, description = "没有该编号的办件（管辖范围外的编号亦同）：表单与提示", content_type = "text/html", body = String),
        (status = 422, description = "查询内容不是编号、身份证号或姓名", content_type = "text/html", body = String),
    )
)]
pub async fn search(State(state): State<AppState>, PageUser(user): PageUser, RawQuery(query): RawQuery) -> Response {
    let param = |name: &str| {
        query.as_deref().and_then(|q| {
            form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string())
        })
    };
    if let Some(figure) = param("figure") {
        let group = param("group").unwrap_or_default();
        let division = param("division").filter(|d| !d.is_empty());
        return figure_page(&state, &user, &figure, &group, division).await;
    }
    let q = param("q").filter(|q| !q.is_empty()).or_else(|| param("number")).unwrap_or_default();
    search_page(&state, &user, q).await
}

/// The cases behind one figure of the dashboard's division table (`/dashboard` links here):
/// as many rows as the figure counts, within the caller's jurisdiction.
async fn figure_page(
    state: &AppState,
    user: &AuthUser,
    figure: &str,
    group: &str,
    division: Option<String>,
) -> Response {
    let Some(figure) = service::dashboard::OpenFigure::parse(figure) else {
        return AppError::from(
            service::ServiceError::new(
                service::ErrorKind::Invalid,
                "unknown_figure",
                "“figure”须为 open（未办结）、due_soon（临期）或 overdue（超期）",
            )
            .with_field("figure"),
        )
        .into_html_for(user);
    };
    let query = service::stats::StatsQuery { from: None, to: None, division };
    let views = match state.app.dashboard_cases(&user.actor, &query, group, figure).await {
        Ok(views) => views,
        Err(err) => return AppError::from(err).into_html_for(user),
    };
    let place = domain::division::DivisionCode::parse(group)
        .ok()
        .and_then(|code| state.app.divisions().full_name(&code))
        .unwrap_or_default();
    render(&SearchPage {
        layout: Layout::for_user("查询办件", user),
        csrf_token: user.csrf_token.clone(),
        q: String::new(),
        message: None,
        kind: None,
        listing: Some(format!("{place}{}的办件", figure.name_zh())),
        found: views.iter().map(Found::of).collect(),
    })
}

#[utoipa::path(
    post,
    path = "/cases",
    tag = "pages",
    security(("cookie" = [])),
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "csrf_token, q（办件编号、公民身份号码或申请人姓名）"),
    responses(
        (status = 200, description = "查询结果（同 GET /cases；表单提交使身份证号不出现在网址中）", content_type = "text/html", body = String),
        (status = 303, description = "按办件编号找到：转到办件页；未登录：转到 /login"),
        (status = 403, description = "CSRF 令牌不符，或无查询办件的角色", content_type = "text/html", body = String),
        (status = 404, description = "没有该编号的办件（管辖范围外的编号亦同）", content_type = "text/html", body = String),
        (status = 422, description = "查询内容不是编号、身份证号或姓名", content_type = "text/html", body = String),
    )
)]
pub async fn search_post(State(state): State<AppState>, post: PagePost) -> Response {
    search_page(&state, &post.user, post.one("q")).await
}

/// The search page for `q`: the form alone when empty, the case page for a number found, the
/// results for an ID number or a name.
async fn search_page(state: &AppState, user: &AuthUser, q: String) -> Response {
    let page = |status: StatusCode, message: Option<String>, kind: Option<&'static str>, found: Vec<Found>| {
        render_status(
            status,
            &SearchPage {
                layout: Layout::for_user("查询办件", user),
                csrf_token: user.csrf_token.clone(),
                q: q.clone(),
                message,
                kind,
                listing: None,
                found,
            },
        )
    };
    if q.is_empty() {
        return page(StatusCode::OK, None, None, Vec::new());
    }
    let (kind, views) = match state.app.search_cases(&user.actor, &q).await {
        Ok(found) => found,
        Err(err) => {
            let err = AppError::from(err);
            return match err.status {
                StatusCode::UNPROCESSABLE_ENTITY => page(err.status, Some(err.message), None, Vec::new()),
                _ => err.into_html_for(user),
            };
        }
    };
    if kind == SearchKind::Number {
        return match views.first() {
            Some(view) => redirect(&format!("/cases/{}", view.case.id)),
            None => page(StatusCode::NOT_FOUND, Some(format!("没有编号为“{q}”的办件")), None, Vec::new()),
        };
    }
    let found = views.iter().map(Found::of).collect();
    page(StatusCode::OK, None, Some(kind.name_zh()), found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No act asks an account or a person by a typed number: the assign act chooses among the
    /// handlers given, a withdrawal among the parties its area names.
    #[test]
    fn no_act_form_asks_an_account_or_person_number_typed() {
        let handlers = [(7, "张审核（四川省达州市 审核人员）".to_string())];
        let parties = PartyChoice { label: "撤回的当事人", parties: vec![(3, "王*".to_string())] };
        for kind in ActionKind::ALL {
            let form = act_form(kind, None, None, Some(&parties), &handlers, None);
            for f in &form.fields {
                if ["account", "party"].contains(&f.name) {
                    assert_eq!(f.kind, "select", "{}: {}", form.action, f.name);
                    assert!(!f.options.is_empty(), "{}: {}", form.action, f.name);
                }
                assert!(!f.label.contains("编号"), "{}: {}", form.action, f.label);
            }
        }
        let assign = act_form(ActionKind::Assign, None, None, None, &handlers, None);
        assert_eq!(assign.fields[0].options, [("7".to_string(), handlers[0].1.clone())]);
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn act_forms_become_requests_with_their_fields_only() {
        let (request, expected, csrf) = action_request(&fields(&[
            ("csrf_token", "t"),
            ("action", "notify_missing"),
            ("expected_revision", "3"),
            ("missing", "application"),
            ("missing", "certificate"),
            ("reason", "ignored"),
        ]))
        .expect("parsed");
        assert_eq!((expected, csrf.as_str()), (3, "t"));
        assert_eq!(request.missing, Some(vec!["application".to_string(), "certificate".to_string()]));
        assert_eq!(request.reason, None, "a field the act does not use is dropped");
        assert!(request.to_action().is_ok());
        let err = action_request(&fields(&[("action", "extend"), ("expected_revision", "3"), ("workdays", "十")]))
            .expect_err("not a number");
        assert!(err.contains("正整数"));
        let (decide, _, _) = action_request(&fields(&[
            ("action", "decide"),
            ("expected_revision", "3"),
            ("grant", "false"),
            ("reasons", "不符合条件"),
        ]))
        .expect("parsed");
        assert_eq!(decide.grant, Some(false));
    }

    #[test]
    fn timeline_names_are_chinese() {
        assert_eq!(act_name("case.accept"), ActionKind::Accept.name_zh());
    }
}
