//! The public pages of 建议提案办理: the results made public (代表法 第五十一条: the handling
//! is made public) with the year's figures, and the verification of a printed reply letter
//! (`/suggestions/verify/{number}`, the target of the letter's QR code). The reply's text is not
//! shown; the proposers are named as in their suggestions (a citizen's name is masked).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use domain::person::mask_name;
use domain::verticals::suggestions::Kind;
use service::ErrorKind;

use super::pages::{letter, query_param, stats_lines, StatsLine};
use crate::error::AppError;
use crate::extract::{AppPath, AppQuery};
use crate::routes::notices::{constant_time_eq, not_found_page, verification_input, verified, VerifyPage, VerifyQuery};
use crate::views::{date_zh, render, render_status, Layout};
use crate::AppState;

pub struct ResultLine {
    pub organ: String,
    pub kind: &'static str,
    pub number: String,
    pub subject: String,
    pub proposers: String,
    pub lead_unit: String,
    pub result: String,
}

#[derive(Template)]
#[template(path = "verticals/suggestions/results.html")]
pub struct ResultsPage {
    pub layout: Layout,
    pub year: i32,
    pub message: Option<String>,
    pub lines: Vec<ResultLine>,
    pub stats: Vec<StatsLine>,
}

fn proposers_shown(kind: Kind, names: &[String]) -> String {
    match kind {
        Kind::Deputy | Kind::Member => names.join("、"),
        Kind::Public => names.iter().map(|n| mask_name(n)).collect::<Vec<_>>().join("、"),
    }
}

/// The results of a year's suggestions and proposals, every bureau's, with the figures.
#[utoipa::path(
    get,
    path = "/suggestions/results",
    tag = "pages",
    params(("year" = Option<i32>, Query, description = "交办年度，默认上一年")),
    responses(
        (status = 200, description = "建议提案办理结果公开", content_type = "text/html", body = String),
        (status = 422, description = "年度无效", content_type = "text/html", body = String),
    )
)]
pub async fn results(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let last = state.app.today().year() - 1;
    let text = query_param(&query, "year");
    let page = |status, year, message, lines, stats| {
        render_status(
            status,
            &ResultsPage { layout: Layout::public("建议提案办理结果公开"), year, message, lines, stats },
        )
    };
    let year = if text.is_empty() {
        last
    } else {
        match text.parse::<i32>() {
            Ok(y) => y,
            Err(_) => {
                return page(StatusCode::UNPROCESSABLE_ENTITY, last, Some("年度应为四位数字".into()), vec![], vec![])
            }
        }
    };
    match state.app.suggestion_results(year).await {
        Ok((views, stats)) => {
            let lines = views
                .iter()
                .map(|v| {
                    let s = &v.full.row.suggestion;
                    let organ = domain::division::DivisionCode::parse(&v.full.row.division)
                        .map(|c| crate::document::authority_name(state.app.divisions(), &c))
                        .unwrap_or_default();
                    let p = &v.progress;
                    let result = if p.sent_back.is_some() {
                        "交办不当，已退回交办机关".to_string()
                    } else {
                        let replied =
                            p.proposers.iter().filter_map(|x| x.first_reply).max().map(date_zh).unwrap_or_default();
                        let forms: Vec<&str> =
                            p.proposers.iter().filter_map(|x| x.last_feedback).map(|f| f.name_zh()).collect();
                        if forms.is_empty() {
                            format!("{replied}已答复，待反馈意见")
                        } else {
                            format!("{replied}已答复，{}：{}", s.kind.proposer_zh(), forms.join("、"))
                        }
                    };
                    ResultLine {
                        organ,
                        kind: s.kind.name_zh(),
                        number: s.number.clone(),
                        subject: s.subject.clone(),
                        proposers: proposers_shown(s.kind, &s.proposers),
                        lead_unit: s.lead_unit.clone(),
                        result,
                    }
                })
                .collect();
            page(StatusCode::OK, year, None, lines, stats_lines(&stats))
        }
        Err(err) if err.kind == ErrorKind::Invalid => {
            page(StatusCode::UNPROCESSABLE_ENTITY, last, Some(err.message.clone()), vec![], vec![])
        }
        Err(err) => AppError::from(err).into_html(),
    }
}

/// The public verification of a printed reply letter.
#[utoipa::path(
    get,
    path = "/suggestions/verify/{number}",
    tag = "pages",
    params(
        ("number" = String, Path, description = "建议提案编号，如 JY-511700-2021-000001"),
        ("c" = String, Query, description = "答复函上印制的核验码"),
        ("k" = Option<String>, Query, description = "文书种类（二维码中）：reply"),
        ("d" = Option<String>, Query, description = "文书内容的 SM3 摘要（二维码中，64 位十六进制）"),
    ),
    responses(
        (status = 200, description = "公开核验页：文书名称、文号、发文机关、成文日期、内容摘要", content_type = "text/html", body = String),
        (status = 404, description = "编号或核验码不符，或文书内容与记录不符", content_type = "text/html", body = String),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    number: Result<AppPath<String>, AppError>,
    query: Result<AppQuery<VerifyQuery>, AppError>,
) -> Response {
    const NOT_FOUND: &str = "未找到与编号和核验码相符的答复函";
    const ALTERED: &str = "文书内容与记录不符：该文书可能被改动或伪造，请向发文机关核实";
    let (number, query) = match verification_input(number, query, NOT_FOUND) {
        Ok(input) => input,
        Err(page) => return page,
    };
    let view = match verified(state.app.suggestion_verify(&number, &query.c).await, NOT_FOUND) {
        Ok(view) => view,
        Err(page) => return page,
    };
    let digest = query.d.trim().to_ascii_lowercase();
    // The letter is found by its digest among the replies sent (one per proposer and round).
    let doc = (query.k == "reply")
        .then(|| {
            view.full
                .acts
                .iter()
                .filter_map(|a| letter(&state, &view, a.id))
                .find(|doc| constant_time_eq(&doc.digest(), &digest))
        })
        .flatten();
    let Some(doc) = doc else {
        return not_found_page(ALTERED);
    };
    let rows = vec![
        ("文书".to_string(), doc.title.clone()),
        ("文号".to_string(), doc.number.clone()),
        ("发文机关".to_string(), doc.authority.clone()),
        ("成文日期".to_string(), doc.date_cn()),
        ("内容摘要（SM3）".to_string(), doc.short_digest()),
        ("编号".to_string(), doc.case_number.clone()),
        ("收件人".to_string(), doc.addressee.clone()),
    ];
    render(&VerifyPage {
        title: "答复函核验".into(),
        back: None,
        intro: "该答复函与发文机关的记录相符。文书信息如下：".into(),
        rows,
    })
}
