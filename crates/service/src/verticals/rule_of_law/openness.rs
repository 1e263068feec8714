//! What the rule-of-law registers add to the bureau's 法治政府建设 column: their public parts,
//! the 普法 activities (谁执法谁普法: 《关于实行国家机关“谁执法谁普法”普法责任制的意见》) and the
//! 民主法治示范村（社区） named, each public from the day it was entered in the register.

use domain::verticals::rule_of_law::register::Register;

use crate::openness::{day_of_ms, Column, OpenEntry};
use crate::{App, ServiceResult};

pub(crate) async fn open_entries(app: &App) -> ServiceResult<Vec<OpenEntry>> {
    let scope = app.whole_tree();
    let mut out = Vec::new();
    const REGISTERS: [(Register, &str, &str); 2] = [
        (Register::Publicity, "普法活动", "《关于实行国家机关“谁执法谁普法”普法责任制的意见》（中办发〔2017〕31号）"),
        (Register::Village, "民主法治示范村（社区）", "司法部、民政部命名的全国民主法治示范村（社区）"),
    ];
    for (register, category, basis) in REGISTERS {
        for row in app.store.rule_of_law_records(Some(register), &scope).await? {
            out.push(OpenEntry {
                column: Column::RuleOfLaw,
                category,
                basis,
                title: row.entry.label(),
                division: row.entry.division.to_string(),
                formed: row.entry.date,
                published: day_of_ms(row.created_at_ms),
                href: None,
                own_limit: None,
            });
        }
    }
    Ok(out)
}
