//! The annual report's figures of 婚姻登记: the registrations across regions (跨省通办 and
//! 全市通办, the Sichuan pilot from June 2021 under 民政部 《关于开展婚姻登记"跨省通办"试点工作的通知》
//! 民函〔2021〕20号), by class, counted from the registrations recorded at the organ's offices.

use chrono::NaiveDate;
use domain::access::Actor;
use domain::annual_report::{CountedRecord, Indicator};
use domain::division::DivisionCode;
use store::persons::Scope;

use crate::{App, ServiceResult};

pub(crate) async fn indicators(
    app: &App,
    _leader: &Actor,
    organ: &DivisionCode,
    year: i32,
) -> ServiceResult<Vec<Indicator>> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let rows = app
        .store
        .marital_registrations_between(&from.to_string(), &to.to_string(), &Scope(vec![organ.to_string()]))
        .await?;
    let of = |class: &str| -> Vec<CountedRecord> {
        rows.iter()
            .filter(|r| r.cross_region == class)
            .map(|r| CountedRecord {
                label: format!("{}（{}）", super::kind_name(&r.kind), app.office_name(&r.office)),
                date: r.on_date.clone(),
                href: "/marriage/stats".into(),
                division: r.office.clone(),
            })
            .collect()
    };
    let definition = |what: &str| {
        format!(
            "{year}年全年在本机关辖区婚姻登记机关办理的婚姻登记（结婚、离婚、补领）中，{what}的件数（按登记时当事人常住户口所在地与登记机关的关系分类，民政部婚姻登记\"跨省通办\"试点口径）。"
        )
    };
    Ok(vec![
        Indicator::count(
            "marriage:cross_province",
            "婚姻登记\"跨省通办\"登记件数",
            &definition("双方或一方户籍在外省、凭居住证办理（跨省）"),
            of("province"),
        )
        .at("/marriage/stats"),
        Indicator::count(
            "marriage:cross_prefecture",
            "婚姻登记跨地市登记件数",
            &definition("户籍在本省其他市州（跨地市）"),
            of("prefecture"),
        )
        .at("/marriage/stats"),
        Indicator::count(
            "marriage:cross_county",
            "婚姻登记跨区县登记件数",
            &definition("户籍在本市其他县（市、区）（跨区县）"),
            of("county"),
        )
        .at("/marriage/stats"),
    ])
}
