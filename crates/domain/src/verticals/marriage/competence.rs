//! Which 婚姻登记机关 may register a marriage or a divorce, by the date of the act (so a case dated 2021
//! follows the 2021 rules):
//!
//! - before 2021-06-01: the office of either party's 户籍地 (常住户口所在地) —
//!   [`basis::OFFICE_2003`];
//! - from 2021-06-01, for an office in a pilot province (辽宁 21、山东 37、广东 44、重庆 50、四川 51,
//!   the first batch): also the office of either party's habitual residence, proved by a
//!   居住证 issued there — [`basis::OFFICE_PILOT_2021`] (the 2023 extension to further
//!   provinces is not modelled: its list is not in the sources consulted [unconfirmed]);
//! - from 2025-05-10: any office in the mainland (全国通办) — [`basis::OFFICE_2025`].
//!
//! "The office of a place" is compared at county level (区、县、县级市): registries are county
//! 民政 offices (条例 Art. 2), and a township office stands in its county.

use chrono::NaiveDate;

use crate::division::{DivisionCode, Divisions, Level};
use crate::engine::jurisdiction::ancestor_at;
use crate::engine::refusal::Refusal;
use crate::marriage::basis;

/// The first day of the 2021 跨省通办 pilot.
pub fn pilot_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 6, 1).unwrap_or(NaiveDate::MIN)
}

/// The first day of the revised 条例 (国务院令第804号): any office.
pub fn nationwide_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 5, 10).unwrap_or(NaiveDate::MIN)
}

/// The provinces of the first pilot batch (2021-06-01), by their 2-digit code.
pub const PILOT_PROVINCES_2021: [&str; 5] = ["21", "37", "44", "50", "51"];

/// One party's places: the 户籍地 (the declared household registration, else the ID number's
/// region code) and the place of a 居住证, if one was shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub hukou: DivisionCode,
    pub residence_permit: Option<DivisionCode>,
}

/// Which registration the office is asked for: the rule of place is the same for both (2003 条例
/// 第四条 and 第十条; the 2021 pilot covered both), the refusal names the one asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationKind {
    Marriage,
    Divorce,
}

impl RegistrationKind {
    pub fn name_zh(self) -> &'static str {
        match self {
            RegistrationKind::Marriage => "结婚登记",
            RegistrationKind::Divorce => "离婚登记",
        }
    }
}

/// Why the office is competent; recorded with the registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompetenceGround {
    /// The office of party `0` (first) or `1` (second)'s 户籍地.
    Hukou(usize),
    /// The office of the place where party `0`/`1` holds a 居住证 (2021 pilot).
    ResidencePermit(usize),
    /// Any office (from 2025-05-10).
    Nationwide,
}

impl CompetenceGround {
    pub fn name_zh(self) -> &'static str {
        match self {
            CompetenceGround::Hukou(_) => "一方当事人户籍地婚姻登记机关",
            CompetenceGround::ResidencePermit(_) => "一方当事人经常居住地（居住证）婚姻登记机关",
            CompetenceGround::Nationwide => "全国通办",
        }
    }
}

/// The county-level code a place stands in: its county in the tree, else (a place outside the
/// platform's table, e.g. another province's ID region) its first six digits.
fn county(code: &DivisionCode, divisions: &Divisions) -> String {
    match ancestor_at(divisions, code, Level::County) {
        Some(county) => county.code.to_string(),
        None => code.as_str().chars().take(6).collect(),
    }
}

/// Whether `office` may make the registration `kind` of `parties` on `on` (the Shanghai date of
/// the act), and on which ground. The refusal names the registration, the condition and the rule
/// in force that day.
pub fn competent_office(
    kind: RegistrationKind,
    office: &DivisionCode,
    parties: [&Party; 2],
    on: NaiveDate,
    divisions: &Divisions,
) -> Result<CompetenceGround, Refusal> {
    if on >= nationwide_from() {
        return Ok(CompetenceGround::Nationwide);
    }
    let office_county = county(office, divisions);
    if let Some(i) = parties.iter().position(|p| county(&p.hukou, divisions) == office_county) {
        return Ok(CompetenceGround::Hukou(i));
    }
    let in_pilot = PILOT_PROVINCES_2021.iter().any(|p| office.as_str().starts_with(p));
    if on >= pilot_from() && in_pilot {
        let holds_permit_here =
            |p: &&Party| p.residence_permit.as_ref().is_some_and(|r| county(r, divisions) == office_county);
        if let Some(i) = parties.iter().position(holds_permit_here) {
            return Ok(CompetenceGround::ResidencePermit(i));
        }
        return Err(Refusal::new(
            "office_not_competent",
            format!(
                "{on} 本登记机关仅受理一方户籍地在本辖区，或一方持本辖区居住证的当事人{}；双方均不符合",
                kind.name_zh()
            ),
        )
        .with_basis(basis::OFFICE_PILOT_2021));
    }
    let basis = match kind {
        RegistrationKind::Marriage => basis::OFFICE_2003,
        RegistrationKind::Divorce => basis::OFFICE_2003_DIVORCE,
    };
    Err(Refusal::new(
        "office_not_competent",
        format!("{on} {}须在一方当事人常住户口所在地的婚姻登记机关办理；双方户籍均不在本辖区", kind.name_zh()),
    )
    .with_basis(basis))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const DAZHOU_TONGCHUAN: &str = "511702";

    /// Neither 户籍 in 达州 (one in 成都 锦江区, one in 重庆); one holds a 居住证 of 通川区.
    fn couple(permit: Option<&str>) -> (Party, Party) {
        let a = Party { hukou: code("510104"), residence_permit: permit.map(code) };
        let b = Party { hukou: code("500101"), residence_permit: None };
        (a, b)
    }

    #[test]
    fn refused_in_march_2021_without_a_local_hukou() {
        let (a, b) = couple(Some(DAZHOU_TONGCHUAN));
        let refused = competent_office(
            RegistrationKind::Marriage,
            &code(DAZHOU_TONGCHUAN),
            [&a, &b],
            date(2021, 3, 15),
            Divisions::builtin(),
        )
        .unwrap_err();
        assert_eq!(refused.code, "office_not_competent");
        assert_eq!(refused.basis.as_deref(), Some(basis::OFFICE_2003));
        // The day before the pilot: still the 2003 rule.
        assert!(competent_office(
            RegistrationKind::Marriage,
            &code(DAZHOU_TONGCHUAN),
            [&a, &b],
            date(2021, 5, 31),
            Divisions::builtin()
        )
        .is_err());
    }

    #[test]
    fn accepted_in_july_2021_with_a_dazhou_residence_permit() {
        let (a, b) = couple(Some(DAZHOU_TONGCHUAN));
        let ground = competent_office(
            RegistrationKind::Marriage,
            &code(DAZHOU_TONGCHUAN),
            [&a, &b],
            date(2021, 7, 15),
            Divisions::builtin(),
        )
        .unwrap();
        assert_eq!(ground, CompetenceGround::ResidencePermit(0));
        assert!(competent_office(
            RegistrationKind::Marriage,
            &code(DAZHOU_TONGCHUAN),
            [&a, &b],
            date(2021, 6, 1),
            Divisions::builtin()
        )
        .is_ok());
        // A township office of 通川区 stands in its county.
        assert!(competent_office(
            RegistrationKind::Marriage,
            &code("511702001"),
            [&a, &b],
            date(2021, 7, 15),
            Divisions::builtin()
        )
        .is_ok());
        // Without the permit, or with one of another county: refused under the pilot rule.
        let (a, b) = couple(None);
        let refused = competent_office(
            RegistrationKind::Marriage,
            &code(DAZHOU_TONGCHUAN),
            [&a, &b],
            date(2021, 7, 15),
            Divisions::builtin(),
        )
        .unwrap_err();
        assert_eq!(refused.basis.as_deref(), Some(basis::OFFICE_PILOT_2021));
        let (a, b) = couple(Some("511703"));
        assert!(competent_office(
            RegistrationKind::Marriage,
            &code(DAZHOU_TONGCHUAN),
            [&a, &b],
            date(2021, 7, 15),
            Divisions::builtin()
        )
        .is_err());
    }

    #[test]
    fn accepted_in_june_2025_without_a_permit() {
        let (a, b) = couple(None);
        let on = date(2025, 6, 15);
        let ground =
            competent_office(RegistrationKind::Marriage, &code(DAZHOU_TONGCHUAN), [&a, &b], on, Divisions::builtin())
                .unwrap();
        assert_eq!(ground, CompetenceGround::Nationwide);
        assert!(competent_office(
            RegistrationKind::Marriage,
            &code(DAZHOU_TONGCHUAN),
            [&a, &b],
            date(2025, 5, 9),
            Divisions::builtin()
        )
        .is_err());
        assert!(competent_office(
            RegistrationKind::Marriage,
            &code(DAZHOU_TONGCHUAN),
            [&a, &b],
            date(2025, 5, 10),
            Divisions::builtin()
        )
        .is_ok());
    }

    #[test]
    fn either_partys_hukou_office_is_always_competent() {
        let a = Party { hukou: code("511702001"), residence_permit: None };
        let b = Party { hukou: code("110101"), residence_permit: None };
        let ground = competent_office(
            RegistrationKind::Marriage,
            &code(DAZHOU_TONGCHUAN),
            [&b, &a],
            date(2021, 3, 15),
            Divisions::builtin(),
        )
        .unwrap();
        assert_eq!(ground, CompetenceGround::Hukou(1));
    }
}

#[cfg(test)]
mod divorce_tests {
    use super::*;

    /// A divorce refused for the office's competence speaks of 离婚登记 and its own article
    /// (2003 条例第十条), not of 结婚登记.
    #[test]
    fn a_divorce_refusal_speaks_of_divorce() {
        let a = Party { hukou: DivisionCode::parse("510104").unwrap(), residence_permit: None };
        let b = Party { hukou: DivisionCode::parse("500101").unwrap(), residence_permit: None };
        let office = DivisionCode::parse("511702").unwrap();
        for on in [NaiveDate::from_ymd_opt(2021, 3, 15).unwrap(), NaiveDate::from_ymd_opt(2021, 7, 15).unwrap()] {
            let refused =
                competent_office(RegistrationKind::Divorce, &office, [&a, &b], on, Divisions::builtin()).unwrap_err();
            assert!(refused.message.contains("离婚登记"), "{}", refused.message);
            assert!(!refused.message.contains("结婚登记"), "{}", refused.message);
        }
        let refused = competent_office(
            RegistrationKind::Divorce,
            &office,
            [&a, &b],
            NaiveDate::from_ymd_opt(2021, 3, 15).unwrap(),
            Divisions::builtin(),
        )
        .unwrap_err();
        assert_eq!(refused.basis.as_deref(), Some(basis::OFFICE_2003_DIVORCE));
    }
}
