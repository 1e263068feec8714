//! The documents of a 行政处罚 case as the bureau issues them, on the generic document machinery
//! ([`crate::document::Document`], `notice.html`: the organ, the 文号, the body, the 落款 with the
//! date in Chinese numerals, a seal area, a print stylesheet and the QR code of the public
//! verification page, which rebuilds the document from the record and compares its SM3 digest):
//!
//! - 立案审批表 (行政处罚法 第五十四条第二款; the limitation of 第三十六条, the officers of 第四十二条);
//! - 行政处罚事先告知书 (第四十四条, 第四十五条; the hearing right of 第六十三条、第六十四条);
//! - 听证通知书 (第六十四条第二项 to 第五项);
//! - 听证笔录 (第六十四条第八项: the record of the hearing, checked and signed by the party, or
//!   his refusal with the chair's note; the decision rests on it, 第六十五条);
//! - 行政处罚决定书 (第五十九条, its six items; payment by 第六十七条, surcharge by 第七十二条;
//!   the remedies of 行政复议法 and 行政诉讼法);
//! - 送达回证 (第六十一条: service under the 民事诉讼法).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use domain::division::{DivisionCode, Divisions};
use domain::verticals::enforcement::{penalty_text, periods, Act, CaseFile, PenaltyKind, Settings, REMEDIES};
use service::verticals::enforcement::{case_number, CaseView, OfficerRow, Party};

use crate::document::{authority_name, date_cn, document_number, Document};
use crate::error::AppError;
use crate::extract::{AppPath, AppQuery, AuthUser};
use crate::routes::notices::{
    constant_time_eq, not_found_page, public_base, verification_input, verified, NoticePage, VerifyPage, VerifyQuery,
};
use crate::views::{date_zh, render, yuan};
use crate::AppState;

const LAW: &str = "《中华人民共和国行政处罚法》";

/// The documents of a case, by their path segment, in the order of the procedure.
pub const NOTICES: [(&str, &str); 6] = [
    ("filing", "立案审批表"),
    ("notify", "行政处罚事先告知书"),
    ("hearing", "听证通知书"),
    ("hearing_record", "听证笔录"),
    ("decision", "行政处罚决定书"),
    ("service", "送达回证"),
];

/// Whether a case has reached the document of `kind`.
pub fn reached(kind: &str, file: &CaseFile) -> bool {
    match kind {
        "filing" => true,
        "notify" => file.notified().is_some(),
        "hearing" => file.acts.iter().any(|a| matches!(a, Act::HearingNotice { .. })),
        "hearing_record" => file.acts.iter().any(|a| matches!(a, Act::Hearing { .. })),
        "decision" => file.decision().is_some(),
        "service" => file.acts.iter().any(|a| matches!(a, Act::Serve { .. })),
        _ => false,
    }
}

fn mark(kind: &str) -> &'static str {
    match kind {
        "filing" => "执立",
        "notify" => "罚告",
        "hearing" => "听通",
        "hearing_record" => "听录",
        "decision" => "罚决",
        _ => "送",
    }
}

fn officers_text(register: &[OfficerRow], ids: &[i64]) -> String {
    ids.iter()
        .map(|id| {
            register
                .iter()
                .find(|r| r.officer.id == *id)
                .map(|r| format!("{}（执法证号{}）", r.officer.name, r.officer.certificate_no))
                .unwrap_or_default()
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

/// The party as a document names it: an organization by its name and 统一社会信用代码, a
/// person by name (the document is the party's own; the ID number stays in the persons store).
fn party_rows(party: &Party) -> (String, Vec<(String, String)>) {
    match party {
        Party::Organization { name, uscc } => {
            (name.clone(), vec![("当事人".into(), name.clone()), ("统一社会信用代码".into(), uscc.clone())])
        }
        Party::Person { name, .. } => (name.clone(), vec![("当事人".into(), name.clone())]),
    }
}

fn last<T>(file: &CaseFile, f: impl Fn(&Act) -> Option<T>) -> Option<T> {
    file.acts.iter().rev().find_map(f)
}

/// The document of `kind` for a case, or None when the case has not reached it. The same
/// function builds the printed document and, on the public page, the content whose digest the
/// QR code must match.
pub fn build(
    kind: &str,
    view: &CaseView,
    register: &[OfficerRow],
    calendar: &domain::calendar::WorkCalendar,
) -> Option<Document> {
    let (kind, _) = NOTICES.iter().find(|(k, _)| *k == kind)?;
    if !reached(kind, &view.file) {
        return None;
    }
    let c = &view.full.case;
    let divisions = Divisions::builtin();
    let office = DivisionCode::parse(&c.division).ok()?;
    let authority = authority_name(divisions, &office);
    let number = case_number(c);
    let filing = &c.filing;
    let (addressee, mut rows) = party_rows(&c.party);
    let filed = date_zh(filing.filed_on);
    let violation = &c.violation;
    let mut remedies = String::new();
    let mut lists: Vec<(String, Vec<String>)> = Vec::new();
    let settings = Settings::default();
    let large =
        if filing.party_is_person { settings.large_amount_person_fen } else { settings.large_amount_organization_fen };
    let (title, date, body) = match *kind {
        "filing" => {
            rows.push(("案由".into(), violation.clone()));
            rows.push(("违法行为发生（终了）日期".into(), date_zh(filing.act_ended_on)));
            if let Some(end) = periods::limitation_end(filing.act_ended_on, filing.harmful) {
                rows.push((
                    "追责时效届满日".into(),
                    format!("{}（{LAW}第三十六条，{}年）", date_zh(end), if filing.harmful { 5 } else { 2 }),
                ));
            }
            rows.push(("立案日期".into(), filed.clone()));
            rows.push(("承办执法人员".into(), officers_text(register, &filing.officers)));
            rows.push((
                "重大执法决定".into(),
                if filing.major {
                    "是：作出决定前应当进行法制审核并集体讨论".into()
                } else {
                    "否".into()
                },
            ));
            let body = vec![
                format!("当事人{addressee}涉嫌{violation}。经初步核查，有违法事实，属于本机关管辖，且在追责时效内，符合立案条件。"),
                format!("依据{LAW}第五十四条第二款，予以立案调查，指定下列执法人员承办（不少于两人，{LAW}第四十二条）。"),
            ];
            lists.push(("审批意见".into(), vec!["承办人意见：建议立案。".into(), "负责人意见：同意立案。".into()]));
            ("立案审批表", filing.filed_on, body)
        }
        "notify" => {
            let (on, penalty) = view.file.notified()?;
            let officers = last(&view.file, |a| match a {
                Act::Notify { officers, .. } => Some(officers.clone()),
                _ => None,
            })
            .unwrap_or_default();
            rows.push(("案由".into(), violation.clone()));
            rows.push(("拟作出的行政处罚".into(), penalty_text(&penalty)));
            rows.push(("告知执法人员".into(), officers_text(register, &officers)));
            let mut body = vec![
                format!("本机关于{filed}立案调查的你（单位）{violation}一案，经调查，认定违法事实清楚，证据确实充分。"),
                format!("根据{LAW}第四十四条，本机关拟对你（单位）作出如下行政处罚：{}。", penalty_text(&penalty)),
                format!(
                    "你（单位）有权进行陈述和申辩；本机关不因你（单位）陈述、申辩而给予更重的处罚（{LAW}第四十五条）。"
                ),
            ];
            if penalty.hearing_right(large) {
                let due = periods::hearing_request_due(calendar, on).ok();
                body.push(format!(
                    "依据{LAW}第六十三条、第六十四条，你（单位）有权要求听证。要求听证的，应当在告知后五日内提出{}；逾期未提出的，视为放弃听证权利。",
                    due.map(|d| format!("（即{}前）", date_zh(d))).unwrap_or_default()
                ));
            }
            ("行政处罚事先告知书", on, body)
        }
        "hearing" => {
            let (on, hearing_on, chair) = last(&view.file, |a| match a {
                Act::HearingNotice { on, hearing_on, chair } => Some((*on, *hearing_on, *chair)),
                _ => None,
            })?;
            rows.push(("案由".into(), violation.clone()));
            rows.push(("听证日期".into(), date_zh(hearing_on)));
            rows.push(("听证主持人".into(), officers_text(register, &[chair])));
            let body = vec![
                format!("你（单位）要求就本机关拟作出的行政处罚举行听证。依据{LAW}第六十四条，本机关定于{}举行听证，听证公开举行（除涉及国家秘密、商业秘密或者个人隐私依法予以保密外）。", date_zh(hearing_on)),
                "听证由本机关指定的非本案调查人员主持；你（单位）认为主持人与本案有直接利害关系的，有权申请回避。你（单位）可以亲自参加听证，也可以委托一至二人代理。".into(),
                "你（单位）无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，本机关终止听证。".into(),
            ];
            ("听证通知书", on, body)
        }
        "hearing_record" => {
            let (on, summary, signature) = last(&view.file, |a| match a {
                Act::Hearing { on, summary, signature } => Some((*on, summary.clone(), signature.clone())),
                _ => None,
            })?;
            let chair = last(&view.file, |a| match a {
                Act::HearingNotice { chair, .. } => Some(*chair),
                _ => None,
            });
            rows.push(("案由".into(), violation.clone()));
            rows.push(("听证日期".into(), date_zh(on)));
            rows.push(("听证方式".into(), "公开举行".into()));
            if let Some(chair) = chair {
                rows.push(("听证主持人".into(), officers_text(register, &[chair])));
            }
            rows.push(("案件调查人员".into(), officers_text(register, &view.file.investigators())));
            rows.push(("听证记录".into(), if summary.is_empty() { "（未记录）".into() } else { summary }));
            rows.push((
                "当事人或者其代理人核对意见及签名（盖章）".into(),
                signature.map_or_else(|| "　".repeat(12), |s| s.text_zh()),
            ));
            rows.push(("听证主持人签名".into(), "　".repeat(12)));
            let body = vec![
                format!("本机关于{filed}立案调查的{addressee}{violation}一案，应当事人要求，依据{LAW}第六十三条、第六十四条举行听证。"),
                "听证中，案件调查人员提出当事人违法的事实、证据和行政处罚建议，当事人进行申辩和质证。".into(),
                format!("本笔录交当事人或者其代理人核对无误后签字或者盖章（{LAW}第六十四条第八项）；听证结束后，本机关根据本笔录作出决定（{LAW}第六十五条）。"),
            ];
            ("听证笔录", on, body)
        }
        "decision" => {
            let (on, penalty, facts, basis) = last(&view.file, |a| match a {
                Act::Decide { on, penalty, facts, basis } => Some((*on, *penalty, facts.clone(), basis.clone())),
                _ => None,
            })?;
            // 第五十九条: the six items.
            rows.push(("违法事实和证据".into(), facts));
            rows.push(("行政处罚的种类".into(), penalty_text(&penalty)));
            rows.push(("行政处罚的依据".into(), basis));
            let performance = match penalty.kind {
                PenaltyKind::Fine | PenaltyKind::Confiscation => format!(
                    "自收到本决定书之日起十五日内，持本决定书到指定银行缴纳{}元（{LAW}第六十七条第三款）；到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（{LAW}第七十二条第一项）。",
                    yuan(penalty.amount_fen)
                ),
                PenaltyKind::Warning => "本决定自送达之日起生效。".into(),
                // 社会团体登记管理条例 第三十三条 (numbering of the 2016 revision; the sealing and the
                // collection confirmed in a translation of the current text, not in the official one).
                PenaltyKind::Suspension => {
                    "自收到本决定书之日起在规定期限内停止活动，由登记管理机关封存登记证书、印章和财务凭证（《社会团体登记管理条例》第三十三条）。".into()
                }
                PenaltyKind::Revocation => {
                    "自收到本决定书之日起执行，由登记管理机关收缴登记证书和印章（《社会团体登记管理条例》第三十三条）。".into()
                }
            };
            rows.push(("履行方式和期限".into(), performance));
            remedies = REMEDIES.to_string();
            let body = vec![format!(
                "本机关于{filed}对你（单位）{violation}一案立案调查。经调查，依据{LAW}第五十七条、第五十九条，决定如下。"
            )];
            ("行政处罚决定书", on, body)
        }
        _ => {
            let (on, officers) = last(&view.file, |a| match a {
                Act::Serve { on, officers } => Some((*on, officers.clone())),
                _ => None,
            })?;
            let decided = view.file.decision().map(|(d, _)| d).unwrap_or(on);
            rows.push((
                "送达文书".into(),
                format!("行政处罚决定书（{}）", document_number(divisions, &office, mark("decision"), &number)),
            ));
            rows.push(("决定日期".into(), date_zh(decided)));
            rows.push(("送达日期".into(), date_zh(on)));
            rows.push(("送达方式".into(), "直接送达".into()));
            rows.push(("送达人".into(), officers_text(register, &officers)));
            rows.push(("受送达人签名或者盖章".into(), "　".repeat(12)));
            let body = vec![format!(
                "依据{LAW}第六十一条，依照《中华人民共和国民事诉讼法》的有关规定，将下列文书送达受送达人。送达日期：{}。",
                date_cn(on)
            )];
            ("送达回证", on, body)
        }
    };
    Some(Document {
        kind,
        title: title.into(),
        number: document_number(divisions, &office, mark(kind), &number),
        case_number: number,
        authority,
        addressee,
        body,
        rows,
        lists,
        remedies,
        date,
    })
}

fn verify_url(state: &AppState, headers: &HeaderMap, doc: &Document) -> String {
    format!(
        "{}/enforcement/verify/{}?c={}&k={}&d={}",
        public_base(state, headers),
        doc.case_number,
        state.app.enforcement_check_code(&doc.case_number),
        doc.kind,
        doc.digest()
    )
}

#[derive(Debug, serde::Deserialize)]
pub struct NoticePath {
    id: i64,
    kind: String,
}

/// A document of a case, printable, with its QR verification.
#[utoipa::path(
    get,
    path = "/enforcement/cases/{id}/notices/{kind}",
    tag = "pages",
    security(("bearer" = []), ("cookie" = [])),
    params(
        ("id" = i64, Path, description = "案件编号"),
        ("kind" = String, Path, description = "filing 立案审批表 | notify 行政处罚事先告知书 | hearing 听证通知书 | hearing_record 听证笔录 | decision 行政处罚决定书 | service 送达回证"),
    ),
    responses(
        (status = 200, description = "可打印的执法文书：执法机关、文号、当事人、正文及法律依据、落款、盖章处和核验二维码", content_type = "text/html", body = String),
        (status = 400, description = "编号格式错误", content_type = "text/html", body = String),
        (status = 401, description = "未登录", content_type = "text/html", body = String),
        (status = 403, description = "不在管辖范围内", content_type = "text/html", body = String),
        (status = 404, description = "案件不存在，或尚无此文书", content_type = "text/html", body = String),
    )
)]
pub async fn notice(
    State(state): State<AppState>,
    user: Result<AuthUser, AppError>,
    headers: HeaderMap,
    path: Result<AppPath<NoticePath>, AppError>,
) -> Response {
    let user = match user {
        Ok(user) => user,
        Err(err) => return err.into_html(),
    };
    let AppPath(NoticePath { id, kind }) = match path {
        Ok(path) => path,
        Err(err) => return err.into_html(),
    };
    let view = match state.app.enforcement_case(&user.actor, id).await {
        Ok(view) => view,
        Err(err) => return AppError::from(err).into_html(),
    };
    if !NOTICES.iter().any(|(k, _)| *k == kind) {
        return not_found_page("没有这种文书；可选：filing、notify、hearing、hearing_record、decision、service");
    }
    let register = match state.app.enforcement_register(&user.actor, id).await {
        Ok(register) => register,
        Err(err) => return AppError::from(err).into_html(),
    };
    let Some(doc) = build(&kind, &view, &register, &state.app.calendar()) else {
        return not_found_page("该案件尚无此文书");
    };
    let url = verify_url(&state, &headers, &doc);
    let page = NoticePage::new(
        format!("/enforcement/cases/{id}"),
        state.app.enforcement_check_code(&doc.case_number),
        url,
        doc,
    );
    render(&page)
}

/// The public verification of an enforcement document: the number and its check code, and
/// (from the QR code) the kind and digest, which must match the document rebuilt from the record.
#[utoipa::path(
    get,
    path = "/enforcement/verify/{number}",
    tag = "pages",
    params(
        ("number" = String, Path, description = "案件编号，如 511702-2021-000001"),
        ("c" = String, Query, description = "文书上印制的核验码"),
        ("k" = Option<String>, Query, description = "文书种类（二维码中）：filing | notify | hearing | hearing_record | decision | service"),
        ("d" = Option<String>, Query, description = "文书内容的 SM3 摘要（二维码中，64 位十六进制）"),
    ),
    responses(
        (status = 200, description = "公开核验页：文书、文号、执法机关、日期、内容摘要，以及案由和办理阶段（当事人为公民的，姓名脱敏）", content_type = "text/html", body = String),
        (status = 400, description = "查询参数格式错误", content_type = "text/html", body = String),
        (status = 404, description = "编号或核验码不符，或文书内容与记录不符", content_type = "text/html", body = String),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    number: Result<AppPath<String>, AppError>,
    query: Result<AppQuery<VerifyQuery>, AppError>,
) -> Response {
    const NOT_FOUND: &str = "未找到与编号和核验码相符的执法文书";
    const ALTERED: &str = "文书内容与记录不符：该文书可能被改动或伪造，请向执法机关核实";
    let (number, query) = match verification_input(number, query, NOT_FOUND) {
        Ok(input) => input,
        Err(page) => return page,
    };
    let (view, register) = match verified(state.app.enforcement_verify(&number, &query.c).await, NOT_FOUND) {
        Ok(found) => found,
        Err(page) => return page,
    };
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut intro = "该编号的行政处罚案件信息如下（仅显示必要的脱敏信息）：".to_string();
    if !query.k.is_empty() || !query.d.is_empty() {
        let doc = build(&query.k, &view, &register, &state.app.calendar());
        let matches =
            doc.as_ref().is_some_and(|doc| constant_time_eq(&doc.digest(), &query.d.trim().to_ascii_lowercase()));
        let Some(doc) = doc.filter(|_| matches) else {
            return not_found_page(ALTERED);
        };
        intro = "该文书与执法机关的记录相符。文书和案件信息如下（仅显示必要的脱敏信息）：".to_string();
        rows.push(("文书".into(), doc.title.clone()));
        rows.push(("文号".into(), doc.number.clone()));
        rows.push(("执法机关".into(), doc.authority.clone()));
        rows.push(("成文日期".into(), doc.date_cn()));
        rows.push(("内容摘要（SM3）".into(), doc.short_digest()));
    }
    let c = &view.full.case;
    rows.push(("案件编号".into(), case_number(c)));
    rows.push((
        "当事人".into(),
        match &c.party {
            Party::Organization { name, .. } => name.clone(),
            Party::Person { name, .. } => domain::person::mask_name(name),
        },
    ));
    rows.push(("案由".into(), c.violation.clone()));
    rows.push(("立案日期".into(), date_zh(c.filing.filed_on)));
    rows.push(("办理阶段".into(), view.stage.name_zh().to_string()));
    render(&VerifyPage { title: "执法文书核验".into(), back: None, intro, rows })
}
