//! The facts of an application as the item's form (`[[form]]`) typed them, read into the area's
//! terms. The form's own parser checked each value; here only what the area needs is picked.

use chrono::NaiveDate;

use super::conditions::RegistrationFacts;
use super::foundation::{FoundationFacts, FoundationKind};
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

fn flag(facts: &Facts, id: &str) -> bool {
    matches!(facts.get(id), Some(FactValue::Bool(true)))
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

/// The registration facts of an application for `org_type`, decided by an office of level
/// `decided_at` (the item's deciding step). The level is the form's `level` when it has one (a
/// social group states its own, 社团条例第七条), else the deciding office's; a foundation's is always
/// the deciding office's (基金会管理条例第六条 names its registrar). The funds are
/// `activity_funds` (社会团体), `starting_funds` (民办非企业单位) or `original_fund` (基金会).
pub fn registration(org_type: OrgType, facts: &Facts, decided_at: Level) -> Result<RegistrationFacts, Refusal> {
    let category = match text(facts, "category") {
        Some(c) => Some(DirectCategory::parse(&c).ok_or_else(|| {
            Refusal::new(
                "social_org_category_unknown",
                "直接登记的类别不在行业协会商会类、科技类、公益慈善类、城乡社区服务类之中",
            )
        })?),
        None => None,
    };
    let foundation = match org_type {
        OrgType::Foundation => {
            let kind = text(facts, "foundation_kind").and_then(|k| FoundationKind::parse(&k)).ok_or_else(|| {
                Refusal::new(
                    "foundation_kind_unknown",
                    "基金会的类型应为全国性公募基金会、地方性公募基金会或者非公募基金会",
                )
                .with_basis("《基金会管理条例》第三条")
            })?;
            Some(FoundationFacts {
                kind,
                non_mainland_rep: flag(facts, "non_mainland_representative"),
                in_money: flag(facts, "original_fund_in_money"),
            })
        }
        OrgType::SocialGroup | OrgType::PrivateNonEnterprise => None,
    };
    let level = match org_type {
        OrgType::Foundation => decided_at,
        _ => text(facts, "level").and_then(|l| Level::parse(&l)).unwrap_or(decided_at),
    };
    Ok(RegistrationFacts {
        org_type,
        level,
        individual_members: int(facts, "individual_members"),
        unit_members: int(facts, "unit_members"),
        funds_fen: money(facts, &["activity_funds", "starting_funds", "original_fund"]),
        sponsor: text(facts, "sponsor"),
        category,
        foundation,
    })
}

/// The name and address an application states.
pub fn name_and_address(facts: &Facts) -> (Option<String>, Option<String>) {
    (text(facts, "name"), text(facts, "address"))
}

/// A deregistration comes after liquidation (社团条例第二十一条; 民非条例第十七条; 基金会管理条例
/// 第十八条): the day liquidation ended is on or before the day of the application. The refusal
/// cites the article of the organization's own regulation (the social group's when unknown).
pub fn check_liquidated(
    org_type: Option<OrgType>,
    liquidation_ended_on: Option<NaiveDate>,
    filed_on: NaiveDate,
) -> Result<(), Refusal> {
    let basis = match org_type {
        Some(OrgType::PrivateNonEnterprise) => "《民办非企业单位登记管理暂行条例》第十七条",
        Some(OrgType::Foundation) => "《基金会管理条例》第十八条",
        Some(OrgType::SocialGroup) | None => "《社会团体登记管理条例》第二十一条",
    };
    match liquidation_ended_on {
        Some(day) if day <= filed_on => Ok(()),
        Some(_) => {
            Err(Refusal::new("social_org_not_liquidated", "清算尚未结束：应当在清算结束后申请注销登记")
                .with_basis(basis))
        }
        None => Err(Refusal::new("social_org_not_liquidated", "未填写清算结束日期：应当先清算，再申请注销登记")
            .with_basis(basis)),
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
        let r = registration(OrgType::SocialGroup, &f, Level::Prefecture).unwrap();
        assert_eq!((r.individual_members, r.unit_members, r.funds_fen), (55, 0, 3_000_000));
        assert_eq!(r.category, Some(DirectCategory::Science));
        assert_eq!(r.sponsor, None);
        assert_eq!(r.level, Level::Prefecture);
        let bad = facts(&[("category", FactValue::Choice("sports".into()))]);
        assert_eq!(
            registration(OrgType::SocialGroup, &bad, Level::Prefecture).unwrap_err().code,
            "social_org_category_unknown"
        );
        let pne = facts(&[("starting_funds", FactValue::Money(500))]);
        let read = registration(OrgType::PrivateNonEnterprise, &pne, Level::County).unwrap();
        assert_eq!((read.funds_fen, read.level), (500, Level::County), "no level on the form: the deciding office's");
    }

    #[test]
    fn reads_a_foundation() {
        let f = facts(&[
            ("foundation_kind", FactValue::Choice("local_public".into())),
            ("original_fund", FactValue::Money(400_000_000)),
            ("original_fund_in_money", FactValue::Bool(true)),
            // A level on the form does not move a foundation's registrar.
            ("level", FactValue::Choice("prefecture".into())),
        ]);
        let r = registration(OrgType::Foundation, &f, Level::Provincial).unwrap();
        assert_eq!((r.level, r.funds_fen), (Level::Provincial, 400_000_000));
        assert_eq!(
            r.foundation,
            Some(FoundationFacts { kind: FoundationKind::LocalPublic, non_mainland_rep: false, in_money: true })
        );
        let no_kind = facts(&[("original_fund", FactValue::Money(400_000_000))]);
        assert_eq!(
            registration(OrgType::Foundation, &no_kind, Level::Provincial).unwrap_err().code,
            "foundation_kind_unknown"
        );
    }

    #[test]
    fn liquidation_first() {
        let d = |day| NaiveDate::from_ymd_opt(2021, 6, day).unwrap();
        let group = Some(OrgType::SocialGroup);
        assert!(check_liquidated(group, Some(d(1)), d(1)).is_ok());
        let basis = |t| check_liquidated(t, Some(d(2)), d(1)).unwrap_err().basis;
        assert_eq!(basis(group).as_deref(), Some("《社会团体登记管理条例》第二十一条"));
        assert_eq!(basis(Some(OrgType::Foundation)).as_deref(), Some("《基金会管理条例》第十八条"));
        assert_eq!(
            basis(Some(OrgType::PrivateNonEnterprise)).as_deref(),
            Some("《民办非企业单位登记管理暂行条例》第十七条")
        );
        assert!(check_liquidated(None, None, d(1)).is_err());
    }
}
