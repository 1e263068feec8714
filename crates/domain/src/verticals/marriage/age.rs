//! The legal age for marriage and the checks on the pair of parties.

use chrono::NaiveDate;

use crate::engine::refusal::Refusal;
use crate::idcard::{age_on, Sex};
use crate::marriage::basis;

/// 法定婚龄 (民法典 Art. 1047): 男 22, 女 20 周岁.
pub fn legal_marriage_age(sex: Sex) -> u32 {
    match sex {
        Sex::Male => 22,
        Sex::Female => 20,
    }
}

/// Whether a party born on `birth` has reached the legal age on `on`, the day of the act.
///
/// The age is [`age_on`]: 民法典 Art. 200–202, a period in years ends on the corresponding day,
/// so a person is N 周岁 **on** the Nth birthday itself (民法典婚姻家庭编; 婚姻登记条例: "the person reaches the
/// age on the birthday itself"); a 29 February birthday is reached on 28 February in a common
/// year (Art. 202: no corresponding day → the last day of the month). Legal age: 民法典
/// Art. 1047.
pub fn check_marriage_age(sex: Sex, birth: NaiveDate, on: NaiveDate) -> Result<(), Refusal> {
    let required = legal_marriage_age(sex);
    let age = age_on(birth, on);
    if age >= required {
        return Ok(());
    }
    Err(Refusal::new(
        "under_marriage_age",
        format!("{}方未达法定婚龄：登记之日{}周岁，须年满{}周岁", sex.name_zh(), age, required),
    )
    .with_basis(basis::MARRIAGE_AGE))
}

/// The pair itself: two different persons, a man and a woman (民法典 Art. 1049: "要求结婚的男女
/// 双方"). `a`/`b` are person ids, with the sex each ID number says.
pub fn check_parties(a: (i64, Sex), b: (i64, Sex)) -> Result<(), Refusal> {
    if a.0 == b.0 {
        return Err(Refusal::new("same_person", "双方当事人不能是同一人").with_basis(basis::MARRIAGE_IN_PERSON));
    }
    if a.1 == b.1 {
        return Err(Refusal::new("same_sex", "结婚登记须由男女双方申请").with_basis(basis::MARRIAGE_IN_PERSON));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn man_the_day_before_of_and_after_his_22nd_birthday() {
        let birth = date(1999, 7, 15);
        let refused = check_marriage_age(Sex::Male, birth, date(2021, 7, 14)).unwrap_err();
        assert_eq!(refused.code, "under_marriage_age");
        assert_eq!(refused.basis.as_deref(), Some(basis::MARRIAGE_AGE));
        assert!(refused.message.contains("21周岁"), "{}", refused.message);
        assert!(check_marriage_age(Sex::Male, birth, date(2021, 7, 15)).is_ok());
        assert!(check_marriage_age(Sex::Male, birth, date(2021, 7, 16)).is_ok());
    }

    #[test]
    fn woman_the_day_before_of_and_after_her_20th_birthday() {
        let birth = date(2001, 7, 15);
        assert!(check_marriage_age(Sex::Female, birth, date(2021, 7, 14)).is_err());
        assert!(check_marriage_age(Sex::Female, birth, date(2021, 7, 15)).is_ok());
        assert!(check_marriage_age(Sex::Female, birth, date(2021, 7, 16)).is_ok());
        // A woman of 21 is old enough; a man of 21 is not.
        assert!(check_marriage_age(Sex::Male, birth, date(2022, 7, 15)).is_err());
    }

    #[test]
    fn a_29_february_birthday_is_reached_on_28_february_of_a_common_year() {
        // Born 2000-02-29: 20 周岁 on 2020-02-29 (leap), 22 周岁 on 2022-02-28 (common year).
        let birth = date(2000, 2, 29);
        assert!(check_marriage_age(Sex::Female, birth, date(2020, 2, 28)).is_err());
        assert!(check_marriage_age(Sex::Female, birth, date(2020, 2, 29)).is_ok());
        assert!(check_marriage_age(Sex::Male, birth, date(2022, 2, 27)).is_err());
        assert!(check_marriage_age(Sex::Male, birth, date(2022, 2, 28)).is_ok());
        assert!(check_marriage_age(Sex::Male, birth, date(2022, 3, 1)).is_ok());
    }

    #[test]
    fn the_pair() {
        assert_eq!(check_parties((1, Sex::Male), (1, Sex::Female)).unwrap_err().code, "same_person");
        assert_eq!(check_parties((1, Sex::Male), (2, Sex::Male)).unwrap_err().code, "same_sex");
        assert!(check_parties((1, Sex::Male), (2, Sex::Female)).is_ok());
    }
}
