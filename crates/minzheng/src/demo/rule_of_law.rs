//! The demo year of 法治政府建设台账 at the city bureau: what the Dazhou 2021 report
//! (法治政府建设年度报告) states and no case records, entered by the bureau's legal office through
//! the service on (or after) the day it happened — the leading group, the two study sessions of
//! the documents the report names, the 6月1日 and 12月4日 普法 events as the report describes them,
//! and the 3 villages of the 8th batch of 全国民主法治示范村(社区).
//!
//! What the report does not state is left out (no names of the group's members, no training,
//! exam, adviser or 村务公开 records: the report names none for 2021); the 10 staff holding
//! enforcement credentials are the enforcement area's officers' register, not copied here. Dates
//! the report does not give are inferred and marked so below. The villages' own codes are not in
//! the platform's division table: each is entered at its township (街道).

use domain::access::Actor;
use domain::verticals::rule_of_law::{RecordInput, Register};
use service::App;

const CITY: &str = "511700";
const BUREAU: &str = "达州市民政局";
const GROUP: &str = "达州市民政局普法依法治理工作领导小组";
const BATCH: &str = "第八批全国民主法治示范村（社区）";
const NAMED_BY: &str = "司法部、民政部";

/// (day entered and dated, register, values).
type Row = (&'static str, Register, &'static [(&'static str, &'static str)]);

const ROWS: &[Row] = &[
    // 报告一(一): 成立了以党组书记、局长为组长，班子成员为副组长，各科室主要负责人为成员的
    // 普法依法治理工作领导小组. The day it was set up is not stated: the year's first working day
    // (inferred).
    (
        "2021-01-04",
        Register::LeadingGroup,
        &[("group", GROUP), ("role", "leader"), ("post", "党组书记、局长"), ("division", CITY), ("from", "2021-01-04")],
    ),
    (
        "2021-01-04",
        Register::LeadingGroup,
        &[("group", GROUP), ("role", "deputy"), ("post", "局领导班子成员"), ("division", CITY), ("from", "2021-01-04")],
    ),
    (
        "2021-01-04",
        Register::LeadingGroup,
        &[("group", GROUP), ("role", "member"), ("post", "各科室主要负责人"), ("division", CITY), ("from", "2021-01-04")],
    ),
    // 报告一(五): the 8th batch, published by 司法部、民政部 by early March 2021 (the day of the
    // decision is not in the report: the day it was reported, inferred). Villages at their
    // township: 通川区磐石镇, 开江县长岭镇, 渠县渠南街道.
    (
        "2021-03-04",
        Register::Village,
        &[("batch", BATCH), ("name", "通川区磐石镇盐井坝村"), ("division", "511702109"), ("date", "2021-03-04"), ("organ", NAMED_BY)],
    ),
    (
        "2021-03-04",
        Register::Village,
        &[("batch", BATCH), ("name", "开江县长岭镇中山坪村"), ("division", "511723109"), ("date", "2021-03-04"), ("organ", NAMED_BY)],
    ),
    (
        "2021-03-04",
        Register::Village,
        &[("batch", BATCH), ("name", "渠县渠南街道大山社区"), ("division", "511725002"), ("date", "2021-03-04"), ("organ", NAMED_BY)],
    ),
    // 报告一(三): 6月1日，与市检察院联合举行“合力保护 关爱成长”《未成年人保护法》《预防未成年人
    // 犯罪法》主题宣传活动启动仪式 (the place is not stated).
    (
        "2021-06-01",
        Register::Publicity,
        &[
            ("date", "2021-06-01"),
            ("theme", "“合力保护 关爱成长”《未成年人保护法》《预防未成年人犯罪法》主题宣传活动启动仪式"),
            ("partners", "达州市人民检察院"),
            ("materials", "宣传展板、宣传资料"),
            ("unit", BUREAU),
            ("division", CITY),
        ],
    ),
    // 报告一(四): 学习《习近平法治思想学习纲要》… in the 党组中心组 and 局长办公会 (the days are
    // not stated: inferred, after the 纲要 of 2021—2025 was issued in August).
    (
        "2021-09-07",
        Register::Study,
        &[
            ("date", "2021-09-07"),
            ("kind", "party_group"),
            ("topic", "《习近平法治思想学习纲要》《习近平法治思想学习问答》《法治中国建设规划（2020—2025年）》《法治社会建设实施纲要（2020—2025年）》"),
            ("division", CITY),
        ],
    ),
    (
        "2021-09-13",
        Register::Study,
        &[
            ("date", "2021-09-13"),
            ("kind", "office_meeting"),
            ("topic", "《法治政府建设实施纲要（2021—2025年）》《法治四川建设规划（2021—2025年）》《四川省法治社会建设实施纲要（2021—2025年）》"),
            ("division", CITY),
        ],
    ),
    // 报告一(三): 12月4日，我局会同市农业农村局在开江县讲治镇开展“12·4”国家宪法日宣传进社区活动.
    // A Saturday: entered on the next working day.
    (
        "2021-12-04",
        Register::Publicity,
        &[
            ("date", "2021-12-04"),
            ("theme", "“12·4”国家宪法日宣传进社区活动"),
            ("place", "开江县讲治镇"),
            ("partners", "达州市农业农村局"),
            ("unit", BUREAU),
            ("division", "511723105"),
        ],
    ),
];

/// How far the year's records have been entered.
#[derive(Default)]
pub struct Year {
    entered: usize,
}

impl Year {
    /// Enters every record dated on or before today not entered yet, as the legal office.
    pub async fn day(&mut self, app: &App, legal: &Actor) -> anyhow::Result<()> {
        let today = app.today().to_string();
        while let Some((day, register, values)) = ROWS.get(self.entered) {
            if *day > today.as_str() {
                break;
            }
            let input: RecordInput = values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            app.rule_of_law_add(legal, *register, &input)
                .await
                .map_err(|e| anyhow::anyhow!("法治政府建设台账 {day}: {}", e.message))?;
            self.entered += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses_and_rows_are_in_date_order() {
        for (day, register, values) in ROWS {
            let input: RecordInput = values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            let entry = domain::verticals::rule_of_law::parse(*register, &input).expect("a valid demo row");
            assert_eq!(entry.date.to_string(), *day);
        }
        assert!(ROWS.windows(2).all(|w| w[0].0 <= w[1].0));
    }
}
