//! The demo delegation list of the 2021 Dazhou pilot (`data/assistance_delegations_2021.toml`): the
//! confirmation power for 低保, 特困 and small 临时救助 delegated to 46 townships from a date by a
//! document. The count is the 2021 report's; the list and the document number are [unconfirmed]
//! (real township codes chosen for the demo).

use chrono::NaiveDate;
use serde::Deserialize;

use crate::division::DivisionCode;

const BUILTIN_TOML: &str = include_str!("../../../data/assistance_delegations_2021.toml");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegationPilot {
    pub document: String,
    pub from: NaiveDate,
    /// (item slug, step id)
    pub steps: Vec<(String, String)>,
    pub townships: Vec<DivisionCode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Dto {
    document: String,
    from: String,
    steps: Vec<[String; 2]>,
    townships: Vec<String>,
}

impl DelegationPilot {
    pub fn from_toml(text: &str) -> Result<DelegationPilot, String> {
        let dto: Dto = toml::from_str(text).map_err(|e| format!("下放名单格式错误：{e}"))?;
        let from =
            NaiveDate::parse_from_str(&dto.from, "%Y-%m-%d").map_err(|_| format!("下放日期“{}”无效", dto.from))?;
        let townships = dto
            .townships
            .iter()
            .map(|c| DivisionCode::parse(c).map_err(|_| format!("区划代码“{c}”无效")))
            .collect::<Result<Vec<_>, _>>()?;
        let steps = dto.steps.into_iter().map(|[item, step]| (item, step)).collect();
        Ok(DelegationPilot { document: dto.document, from, steps, townships })
    }

    /// The shipped list.
    pub fn dazhou_2021() -> Result<DelegationPilot, String> {
        DelegationPilot::from_toml(BUILTIN_TOML)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::division::{Divisions, Level};

    #[test]
    fn the_list_has_46_distinct_dazhou_townships() {
        let pilot = DelegationPilot::dazhou_2021().unwrap();
        let divisions = Divisions::builtin();
        let dazhou = DivisionCode::parse("511700").unwrap();
        assert_eq!(pilot.townships.len(), 46);
        let mut unique = pilot.townships.clone();
        unique.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        unique.dedup();
        assert_eq!(unique.len(), 46);
        for t in &pilot.townships {
            let d = divisions.get(t).unwrap_or_else(|| panic!("{t:?} is not in the division data"));
            assert_eq!(d.level, Level::Township);
            assert!(divisions.is_within(t, &dazhou));
        }
        assert_eq!(pilot.steps.len(), 3);
        assert!(!pilot.document.is_empty());
    }
}
