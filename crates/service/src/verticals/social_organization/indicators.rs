//! The annual report's figures of 社会组织: the 行业协会商会 whose 脱钩 from their former organ
//! was complete by the year's end (《行业协会商会与行政机关脱钩总体方案》 中办发〔2015〕39号: the
//! five separations of organ, functions, assets, staff and party affairs), from the register.

use chrono::NaiveDate;
use domain::access::Actor;
use domain::annual_report::{CountedRecord, Indicator};
use domain::verticals::social_organization::decoupling::DecouplingStatus;

use crate::{App, ServiceResult};

pub(crate) async fn indicators(app: &App, leader: &Actor, year: i32) -> ServiceResult<Vec<Indicator>> {
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let records: Vec<CountedRecord> = app
        .social_org_decoupling(leader)
        .await?
        .into_iter()
        .filter_map(|line| match line.status {
            DecouplingStatus::Completed { on } if on <= last => Some(CountedRecord {
                label: line.org.name.clone(),
                date: on.to_string(),
                href: format!("/organizations/{}", line.org.id),
                division: line.org.premises_division.clone(),
            }),
            _ => None,
        })
        .collect();
    Ok(vec![Indicator::count(
        "social_organization:decoupled",
        "完成脱钩的行业协会商会",
        &format!(
            "本机关登记管理的行业协会商会中，机构、职能、资产财务、人员管理、党建外事五项分离全部完成、最后一项完成日不晚于{year}年12月31日的个数。"
        ),
        records,
    )
    .at("/organizations/decoupling")])
}
