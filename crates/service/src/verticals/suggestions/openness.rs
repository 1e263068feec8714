//! What suggestions add to the bureau's 政务公开 column: the results of the suggestions and
//! proposals handled (《全国人民代表大会和地方各级人民代表大会代表法》第五十一条: the handling is
//! made public), each formed on the day its last proposer was answered and public from then on
//! the results page (which reads the record as it is written).

use chrono::Datelike;

use crate::openness::{Column, OpenEntry};
use crate::{App, ServiceResult};

pub(crate) async fn open_entries(app: &App) -> ServiceResult<Vec<OpenEntry>> {
    let today = app.today();
    let mut out = Vec::new();
    let first = app.calendar().years().iter().next().copied().unwrap_or(today.year());
    for year in first..=today.year() {
        let Ok((views, _)) = app.suggestion_results(year).await else { continue };
        for v in views {
            let answered = v.progress.proposers.iter().map(|p| p.first_reply).collect::<Option<Vec<_>>>();
            let Some(formed) = answered.and_then(|days| days.into_iter().max()) else { continue };
            let s = &v.full.row.suggestion;
            out.push(OpenEntry {
                column: Column::Proactive,
                category: "建议提案办理结果",
                basis: "《全国人民代表大会和地方各级人民代表大会代表法》第五十一条",
                title: s.subject.clone(),
                division: v.full.row.division.clone(),
                formed,
                published: Some(formed),
                href: Some(format!("/suggestions/results?year={year}")),
                own_limit: None,
            });
        }
    }
    Ok(out)
}
