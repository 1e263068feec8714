//! The annual report's figures of 社会救助 and 残疾人两项补贴: the townships the confirmation power
//! was delegated to (社会救助暂行办法 第十一条; 民发〔2021〕 审核确认权限下放, from the delegations
//! register), and the applications received from other provinces (跨省通办 of the two subsidies,
//! from 2021-04-22, 国办发〔2020〕35号) by result.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::access::Actor;
use domain::annual_report::{CountedRecord, Indicator};
use domain::assistance::Program;
use domain::division::{DivisionCode, Level};

use super::returns::ReceivedResult;
use crate::{App, ServiceResult};

pub(crate) async fn indicators(
    app: &App,
    leader: &Actor,
    organ: &DivisionCode,
    year: i32,
) -> ServiceResult<Vec<Indicator>> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let divisions = app.divisions();
    // The townships holding a delegated power of an assistance item some day of the year.
    let mut townships: BTreeMap<String, CountedRecord> = BTreeMap::new();
    for row in app.store.all_delegations(None).await? {
        let in_year = row.valid_from <= last && row.valid_until.is_none_or(|u| u >= first);
        let Ok(code) = DivisionCode::parse(&row.division) else { continue };
        if !in_year || Program::for_item(&row.item_slug).is_empty() || !divisions.is_within(&code, organ) {
            continue;
        }
        let name = divisions.full_name(&code).unwrap_or_else(|| row.division.clone());
        townships.entry(row.division.clone()).or_insert(CountedRecord {
            label: format!("{name}（{}）", row.document),
            date: row.valid_from.to_string(),
            href: String::new(),
            division: row.division.clone(),
        });
    }
    // The received cases, each listed under the figures it counts in (the received figure lists
    // them all; completed and returned, theirs).
    let mut received: Vec<(ReceivedResult, CountedRecord)> = Vec::new();
    let counties: Vec<DivisionCode> = std::iter::once(organ.clone())
        .chain(divisions.descendants(organ).into_iter().map(|d| d.code.clone()))
        .filter(|c| divisions.get(c).is_some_and(|d| d.level == Level::County))
        .collect();
    for county in counties {
        let counts =
            app.received_from_other_provinces(leader, county.as_str(), &first.to_string(), &last.to_string()).await?;
        for case in counts.cases {
            let result = match case.result {
                ReceivedResult::Completed => "已办结",
                ReceivedResult::Returned => "说明情况后退回受理地",
                ReceivedResult::Open => "在办",
                ReceivedResult::Other => "已终结",
            };
            let office = DivisionCode::parse(&case.competent_division)
                .ok()
                .and_then(|c| divisions.full_name(&c))
                .unwrap_or_else(|| case.competent_division.clone());
            received.push((
                case.result,
                CountedRecord {
                    label: format!("{}（{office}接收，{result}）", case.number),
                    date: case.received_on.to_string(),
                    href: format!("/cases/{}", case.id),
                    division: case.competent_division,
                },
            ));
        }
    }
    let of = |wanted: Option<ReceivedResult>| -> Vec<CountedRecord> {
        received.iter().filter(|(r, _)| wanted.is_none_or(|w| w == *r)).map(|(_, c)| c.clone()).collect()
    };
    let cross = |what: &str| {
        format!(
            "{year}年提交、在外省受理、由本机关辖区内县级民政部门审核的社会救助和残疾人两项补贴申请（跨省通办，两项补贴自2021年4月22日起）中，{what}的件数；按受理地推送、户籍地接收的办件记录统计。"
        )
    };
    Ok(vec![
        Indicator::count(
            "assistance:delegated_townships",
            "社会救助审核确认权限下放的乡镇（街道）",
            &format!(
                "{year}年内任一日持有社会救助事项（低保、特困、临时救助）下放权限的乡镇（街道）个数，取自下放登记（每个乡镇计一次）。"
            ),
            townships.into_values().collect(),
        ),
        Indicator::count(
            "assistance:cross_province_received",
            "受理外省推送的跨省通办申请",
            &cross("户籍地已接收"),
            of(None),
        ),
        Indicator::count(
            "assistance:cross_province_completed",
            "跨省通办申请已办结",
            &cross("已作出决定"),
            of(Some(ReceivedResult::Completed)),
        ),
        Indicator::count(
            "assistance:cross_province_returned",
            "跨省通办申请说明情况后退回",
            &cross("不符合政策、说明理由后退回受理地"),
            of(Some(ReceivedResult::Returned)),
        ),
    ])
}
