//! The annual report's figures of 建议提案办理: the deputies' suggestions assigned in the year
//! (代表法 第五十一条: answered within three months of assignment), how many were handled on
//! time, and the deputies' satisfaction with the answers, from the suggestions' records.

use chrono::Datelike;
use domain::access::Actor;
use domain::annual_report::{CountedRecord, Indicator};
use domain::verticals::suggestions::Kind;

use crate::{App, ServiceResult};

pub(crate) async fn indicators(app: &App, leader: &Actor, year: i32) -> ServiceResult<Vec<Indicator>> {
    let views = app.suggestion_list(leader, Some(year)).await?;
    let deputies = views.iter().filter(|v| {
        let s = &v.full.row.suggestion;
        s.kind == Kind::Deputy && s.assigned_on.year() == year
    });
    let stats = app.suggestion_stats(leader, year).await?;
    let deputy = stats.by_kind.iter().find(|(k, _)| *k == Kind::Deputy).map(|(_, s)| *s).unwrap_or_default();
    let records: Vec<CountedRecord> = deputies
        .map(|v| CountedRecord {
            label: format!("{}（{}）", v.full.row.suggestion.subject, v.full.row.suggestion.number),
            date: v.full.row.suggestion.assigned_on.to_string(),
            href: format!("/suggestions/items/{}", v.full.row.id),
            division: v.full.row.division.clone(),
        })
        .collect();
    Ok(vec![
        Indicator::count(
            "suggestions:deputy_assigned",
            "办理人大代表建议件数",
            &format!("{year}年交办本机关（主办）的人大代表建议件数（含退回改办的），取自建议提案办理记录。"),
            records,
        )
        .at("/suggestions"),
        Indicator::rate(
            "suggestions:deputy_on_time",
            "人大代表建议按时办结率",
            &format!(
                "{year}年交办的人大代表建议中，每位领衔代表都在办理期限内（交办之日起三个月，代表法 第五十一条）得到答复的件数 ÷ 已办结件数。"
            ),
            i64::from(deputy.on_time),
            i64::from(deputy.handled),
        )
        .at("/suggestions"),
        Indicator::rate(
            "suggestions:deputy_satisfaction",
            "代表满意率",
            &format!(
                "{year}年交办的人大代表建议中，代表征询意见表为\"满意\"或\"基本满意\"的份数 ÷ 收回的征询意见表份数。"
            ),
            i64::from(deputy.satisfied + deputy.basic),
            i64::from(deputy.forms()),
        )
        .at("/suggestions"),
    ])
}
