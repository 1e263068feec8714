//! The annual report's figures of 行政执法: the staff holding a valid enforcement credential
//! (行政处罚法 第四十二条: 执法人员应当具有行政执法资格), from the officers' register.

use chrono::NaiveDate;
use domain::access::Actor;
use domain::annual_report::{CountedRecord, Indicator};
use domain::division::DivisionCode;

use crate::{App, ServiceResult};

pub(crate) async fn indicators(
    app: &App,
    leader: &Actor,
    organ: &DivisionCode,
    year: i32,
) -> ServiceResult<Vec<Indicator>> {
    let on = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default().min(app.today());
    let officers: Vec<CountedRecord> = app
        .enforcement_officers(leader)
        .await?
        .into_iter()
        .filter(|r| r.division == organ.as_str() && r.officer.credential_valid(on))
        .map(|r| CountedRecord {
            label: format!("{}（执法证号 {}）", r.officer.name, r.officer.certificate_no),
            date: r.officer.valid_from.to_string(),
            href: format!("/enforcement/public/{}", r.division),
            division: r.division.clone(),
        })
        .collect();
    Ok(vec![Indicator::count(
        "enforcement:credentialed",
        "取得行政执法资格的干部职工",
        &format!("本机关（局机关）执法人员名录中，{on}行政执法证件有效（未暂扣、收回，在有效期内）的人数。"),
        officers,
    )
    .at(&format!("/enforcement/public/{organ}"))])
}
