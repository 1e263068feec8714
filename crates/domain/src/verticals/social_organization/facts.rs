//! The facts of an application as the item's form (`[[form]]`) typed them, read into the area's
//! terms. The form's own parser checked each value; here only what the area needs is picked.

use chrono::NaiveDate;

use super::conditions::RegistrationFacts;
use super::kind::{DirectCategory, Level, OrgType};
use crate::engine::refusal::Refusal;
use crate::form::{FactValue, Facts};

fn text(facts: &Facts, id: &str) -> Option<String> {
    match facts.get(id) {
        Some(FactValue::Text(s) | FactValue::Choice(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

fn int(facts: &Facts, id: &str) -> u32 {
    match facts.get(id) {
        Some(FactValue::Int(n)) => u32::try_from(*n).unwrap_or(0),
        _ => 0,
    }
}

fn money(facts: &Facts, ids: &[&str]) -> i64 {
    ids.iter()
        .find_map(|id| match facts.get(id) {
            Some(FactValue::Money(fen)) => Some(*fen),
            _ => None,
        })
        .unwrap_or(0)
}

/// A date fact.
pub fn date(facts: &Facts, id: &str) -> Option<NaiveDate> {
    match facts.get(id) {
        Some(FactValue::Date(d)) => Some(*d),
        _ => None,
    }
}

/// The registration facts of an application for `org_type`. The level defaults to the city's
/// own (市级: the items are the city's), the funds are `activity_funds` (社会团体) or
/// `starting_funds` (民办非企业单位).
pub fn registration(org_type: OrgType, facts: &Facts) -> Result<RegistrationFacts, Refusal> {
    let category = match text(facts, "category") {
        Some(c) => Some(DirectCategory::parse(&c).ok_or_else(|| {
            Refusal::new(
                "social_org_category_unknown",
                "直接登记的类别不在行业协会商会类、科技类、公益慈善类、城乡社区服务类之中",
            )
        })?),
        None => None,
    };
    let level = text(facts, "level").and_then(|l| Level::parse(&l)).unwrap_or(Level::Prefecture);
    Ok(RegistrationFacts {
        org_type,
        level,
        individual_members: int(facts, "individual_members"),
        unit_members: int(facts, "unit_members"),
        funds_fen: money(facts, &["activity_funds", "starting_funds"]),
        sponsor: text(facts, "sponsor"),
        category,
    })
}

/// The name and address an application states.
pub fn name_and_address(facts: &Facts) -> (Option<String>, Option<String>) {
    (text(facts, "name"), text(facts, "address"))
}

/// A deregistration comes after liquidation (社团条例第二十一条; 民非条例第十七条): the day
/// liquidation ended is on or before the day of the application.
pub fn check_liquidated(liquidation_ended_on: Option<NaiveDate>, filed_on: NaiveDate) -> Result<(), Refusal> {
    match liquidation_ended_on {
        Some(day) if day <= filed_on => Ok(()),
        Some(_) => Err(Refusal::new("social_org_not_liquidated", "清算尚未结束：应当在清算结束后申请注销登记")
            .with_basis("《社会团体登记管理条例》第二十一条")),
        None => Err(Refusal::new("social_org_not_liquidated", "未填写清算结束日期：应当先清算，再申请注销登记")
            .with_basis("《社会团体登记管理条例》第二十一条")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn facts(pairs: &[(&str, FactValue)]) -> Facts {
        Facts(pairs.iter().cloned().map(|(k, v)| (k.to_string(), v)).collect::<BTreeMap<_, _>>())
    }

    #[test]
    fn reads_the_form() {
        let f = facts(&[
            ("individual_members", FactValue::Int(55)),
            ("activity_funds", FactValue::Money(3_000_000)),
            ("category", FactValue::Choice("science".into())),
            ("sponsor", FactValue::Text(" ".into())),
        ]);
        let r = registration(OrgType::SocialGroup, &f).unwrap();
        assert_eq!((r.individual_members, r.unit_members, r.funds_fen), (55, 0, 3_000_000));
        assert_eq!(r.category, Some(DirectCategory::Science));
        assert_eq!(r.sponsor, None);
        assert_eq!(r.level, Level::Prefecture);
        let bad = facts(&[("category", FactValue::Choice("sports".into()))]);
        assert_eq!(registration(OrgType::SocialGroup, &bad).unwrap_err().code, "social_org_category_unknown");
        let pne = facts(&[("starting_funds", FactValue::Money(500))]);
        assert_eq!(registration(OrgType::PrivateNonEnterprise, &pne).unwrap().funds_fen, 500);
    }

    #[test]
    fn liquidation_first() {
        let d = |day| NaiveDate::from_ymd_opt(2021, 6, day).unwrap();
        assert!(check_liquidated(Some(d(1)), d(1)).is_ok());
        assert!(check_liquidated(Some(d(2)), d(1)).is_err());
        assert!(check_liquidated(None, d(1)).is_err());
    }
}
