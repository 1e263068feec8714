//! The public 行政执法公示 page of a body (`/enforcement/public/{code}`): the 事前公示 of
//! 国办发〔2018〕118号 (officers with a valid credential, powers and their basis, procedure,
//! remedies) and the 事后公示 of 行政处罚法 第四十八条 (decisions published and not withdrawn; an
//! organization by its name, a person masked).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::division::DivisionCode;
use domain::verticals::enforcement::draw::{Finding, YearAccount};
use domain::verticals::enforcement::{penalty_text, POWERS, REMEDIES};

use crate::error::AppError;
use crate::extract::AppPath;
use crate::views::{date_zh, render, Layout};
use crate::AppState;

#[derive(Template)]
#[template(path = "verticals/enforcement/public.html")]
pub struct PublicPage {
    pub layout: Layout,
    /// Name, 证号, area, duties.
    pub officers: Vec<(String, String, String, String)>,
    pub powers: Vec<(&'static str, &'static str)>,
    pub remedies: &'static str,
    /// Party, violation, penalty, decided, published.
    pub decisions: Vec<(String, String, String, String, String)>,
    /// 双随机、一公开: the draws with their seed, lists and results.
    pub draws: Vec<PublicDraw>,
    pub method: &'static str,
    pub code: String,
    /// The body's random inspections year by year, against the share of 第五条.
    pub accounts: Vec<AccountRow>,
}

/// One year of a body's random inspections on the public page.
pub struct AccountRow {
    pub year: i32,
    /// The regular draw against its share, in words.
    pub regular: String,
    pub status: &'static str,
    pub special: usize,
    pub inspected: usize,
    pub problems: usize,
    pub late: usize,
}

fn account_row(a: YearAccount) -> AccountRow {
    let regular = if a.regular_draws == 0 {
        "未开展".to_string()
    } else {
        format!("抽取{}家（检查对象名录{}家，按比例至少{}家）", a.regular_drawn, a.listed, a.minimum)
    };
    let status = if a.share_met() {
        "达到规定比例"
    } else if a.regular_draws == 0 {
        "本年度尚未开展定期抽查"
    } else {
        "未达到规定比例"
    };
    AccountRow {
        year: a.year,
        regular,
        status,
        special: a.special_drawn,
        inspected: a.inspected,
        problems: a.problems,
        late: a.late,
    }
}

/// A draw on the public page.
pub struct PublicDraw {
    pub title: String,
    pub seed: String,
    pub input_sm3: String,
    pub lists: String,
    /// Organization (name and code), inspectors, result.
    pub lines: Vec<(String, String, String, String)>,
}

#[utoipa::path(
    get,
    path = "/enforcement/public/{code}",
    tag = "pages",
    params(("code" = String, Path, description = "执法机关所在行政区划代码")),
    responses(
        (status = 200, description = "行政执法公示：事前公示（执法人员、权限、程序、救济）和事后公示（行政处罚决定）", content_type = "text/html", body = String),
        (status = 422, description = "行政区划代码不正确", content_type = "text/html", body = String),
    )
)]
pub async fn page(State(state): State<AppState>, AppPath(code): AppPath<String>) -> Result<Response, AppError> {
    // A page answers with a page: a malformed division code is 400, in words.
    if crate::routes::divisions::parse_code("code", &code).is_err() {
        let status = axum::http::StatusCode::BAD_REQUEST;
        return Ok((status, crate::routes::pages::error_page(status, "行政区划代码格式不正确")).into_response());
    }
    let officers = state
        .app
        .enforcement_public_officers(&code)
        .await?
        .into_iter()
        .map(|r| (r.officer.name, r.officer.certificate_no, r.officer.area, r.duties))
        .collect();
    let decisions = state
        .app
        .enforcement_publications(&code)
        .await?
        .into_iter()
        .map(|p| (p.party, p.violation, penalty_text(&p.penalty), date_zh(p.decided_on), date_zh(p.published_on)))
        .collect();
    // A body's page lists the draws of the bodies below it too: each titled with its place.
    let place = |division: &str| {
        DivisionCode::parse(division)
            .ok()
            .and_then(|d| state.app.divisions().get(&d).map(|x| x.name.clone()))
            .unwrap_or_default()
    };
    let draws = state
        .app
        .enforcement_public_draws(&code)
        .await?
        .into_iter()
        .map(|v| {
            let inspector = |id: i64| {
                v.input
                    .inspectors
                    .iter()
                    .find(|i| i.id == id)
                    .map(|i| format!("{}（{}）", i.name, i.certificate_no))
                    .unwrap_or_default()
            };
            PublicDraw {
                title: format!("{}{}（{}）", place(&v.row.division), v.kind.name_zh(), date_zh(v.row.drawn_on)),
                seed: v.row.seed.clone(),
                input_sm3: v.row.input_sm3.clone(),
                lists: format!(
                    "检查对象名录{}家、执法检查人员{}名、登记回避{}项，抽取{}家",
                    v.input.targets.len(),
                    v.input.inspectors.len(),
                    v.input.conflicts.len(),
                    v.input.count
                ),
                lines: v
                    .row
                    .lines
                    .iter()
                    .map(|l| {
                        let result = match (l.finding.as_deref().and_then(Finding::parse), l.published_on) {
                            (Some(f), Some(p)) => format!("{}（{}公示）", f.name_zh(), date_zh(p)),
                            _ => "检查中".to_string(),
                        };
                        (
                            format!("{}（{}）", l.name, l.credit_code),
                            l.credit_code.clone(),
                            l.inspectors.iter().map(|i| inspector(*i)).collect::<Vec<_>>().join("、"),
                            result,
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let accounts = state.app.enforcement_year_accounts(&code).await?.into_iter().map(account_row).collect();
    Ok(render(&PublicPage {
        layout: Layout::public("行政执法公示"),
        officers,
        powers: POWERS.to_vec(),
        remedies: REMEDIES,
        decisions,
        draws,
        method: super::inspections::METHOD,
        code: code.clone(),
        accounts,
    }))
}
