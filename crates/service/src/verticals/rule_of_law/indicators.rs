//! The annual report's figures from the 法治政府建设台账: the villages and communities named
//! 民主法治示范村(社区) in the year (民政部、司法部《全国民主法治示范村（社区）建设指导标准》), the
//! 普法 activities held (谁执法谁普法, 中办发〔2017〕31号) and the 学法 sessions, each counted from
//! its register.

use domain::access::Actor;
use domain::annual_report::{CountedRecord, Indicator};
use domain::verticals::rule_of_law::Register;

use crate::{App, ServiceResult};

pub(crate) async fn indicators(app: &App, leader: &Actor, year: i32) -> ServiceResult<Vec<Indicator>> {
    let registers = app.rule_of_law_year(leader, year).await?;
    let counted = |register: Register| -> Vec<CountedRecord> {
        registers
            .records(register)
            .iter()
            .map(|r| CountedRecord {
                label: r.label.clone(),
                date: r.date.to_string(),
                href: r.href.clone(),
                division: r.division.clone(),
            })
            .collect()
    };
    let at = |register: Register| format!("/rule-of-law/{}?year={year}", register.as_str());
    Ok(vec![
        Indicator::count(
            "rule_of_law:villages",
            "命名的民主法治示范村（社区）",
            &format!("民主法治示范村（社区）登记簿中，命名日期在{year}年的村（社区）个数。"),
            counted(Register::Village),
        )
        .at(&at(Register::Village)),
        Indicator::count(
            "rule_of_law:publicity",
            "开展的普法活动",
            &format!("普法活动登记簿中，活动日期在{year}年的普法活动次数。"),
            counted(Register::Publicity),
        )
        .at(&at(Register::Publicity)),
        Indicator::count(
            "rule_of_law:study",
            "学法次数",
            &format!("学法记录登记簿中，日期在{year}年的党组中心组学法和局长办公会会前学法次数。"),
            counted(Register::Study),
        )
        .at(&at(Register::Study)),
    ])
}
