//! The marital-status registry (婚姻状况), a pure fold over the registrations on record (and
//! imported historical ones): unmarried → married (to whom, since when) → divorced / widowed →
//! married again. The store keeps the registrations; the status is always derived, never stored.
//!
//! Rules: a marriage needs both parties without a spouse (民法典 Art. 1042 para. 2, 1051:
//! bigamy is prohibited and void — [`basis::NO_BIGAMY`]); a divorce needs the parties married
//! to each other (民法典 Art. 1076, [`basis::DIVORCE_BY_AGREEMENT`]); a recorded death ends the
//! marriage and leaves the spouse widowed (民法典 Art. 1042; the death itself is recorded by
//! other authorities and only imported here).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::engine::refusal::Refusal;
use crate::marriage::basis;

/// A person record's id (`persons.id`).
pub type PersonId = i64;

/// One registration on record, in the order of its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryEntry {
    Marriage {
        a: PersonId,
        b: PersonId,
        on: NaiveDate,
    },
    Divorce {
        a: PersonId,
        b: PersonId,
        on: NaiveDate,
    },
    /// A death recorded (imported): the spouse, if any, is widowed.
    Death {
        person: PersonId,
        on: NaiveDate,
    },
}

impl RegistryEntry {
    pub fn date(&self) -> NaiveDate {
        match self {
            RegistryEntry::Marriage { on, .. }
            | RegistryEntry::Divorce { on, .. }
            | RegistryEntry::Death { on, .. } => *on,
        }
    }
}

/// One person's current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaritalStatus {
    /// 未婚 (no registration on record).
    Unmarried,
    /// 已婚.
    Married { spouse: PersonId, since: NaiveDate },
    /// 离婚.
    Divorced { former: PersonId, since: NaiveDate },
    /// 丧偶.
    Widowed { former: PersonId, since: NaiveDate },
    /// 死亡 (recorded).
    Deceased { on: NaiveDate },
}

impl MaritalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MaritalStatus::Unmarried => "unmarried",
            MaritalStatus::Married { .. } => "married",
            MaritalStatus::Divorced { .. } => "divorced",
            MaritalStatus::Widowed { .. } => "widowed",
            MaritalStatus::Deceased { .. } => "deceased",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            MaritalStatus::Unmarried => "未婚",
            MaritalStatus::Married { .. } => "已婚",
            MaritalStatus::Divorced { .. } => "离婚",
            MaritalStatus::Widowed { .. } => "丧偶",
            MaritalStatus::Deceased { .. } => "已死亡",
        }
    }

    /// Whether the person has a spouse now.
    pub fn spouse(self) -> Option<PersonId> {
        match self {
            MaritalStatus::Married { spouse, .. } => Some(spouse),
            _ => None,
        }
    }
}

/// An entry the fold could not apply: its position in the input and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryError {
    pub index: usize,
    pub refusal: Refusal,
}

/// Every person's status and history, folded from the registrations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaritalRegistry {
    status: BTreeMap<PersonId, MaritalStatus>,
    history: BTreeMap<PersonId, Vec<RegistryEntry>>,
}

impl MaritalRegistry {
    /// Folds `entries` in date order (entries of the same date keep their input order). The
    /// first entry that breaks a rule stops the fold, naming its index in `entries`.
    pub fn fold(entries: &[RegistryEntry]) -> Result<MaritalRegistry, RegistryError> {
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by_key(|&i| entries.get(i).map(RegistryEntry::date));
        let mut registry = MaritalRegistry::default();
        for index in order {
            if let Some(entry) = entries.get(index) {
                registry.record(entry.clone()).map_err(|refusal| RegistryError { index, refusal })?;
            }
        }
        Ok(registry)
    }

    /// The current status of `person` (未婚 when nothing is on record).
    pub fn status(&self, person: PersonId) -> MaritalStatus {
        self.status.get(&person).copied().unwrap_or(MaritalStatus::Unmarried)
    }

    /// The entries concerning `person`, oldest first.
    pub fn history(&self, person: PersonId) -> &[RegistryEntry] {
        self.history.get(&person).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether `a` and `b` may marry now, as far as the registry can tell: two persons, neither
    /// married nor deceased.
    pub fn check_marriage(&self, a: PersonId, b: PersonId) -> Result<(), Refusal> {
        if a == b {
            return Err(Refusal::new("same_person", "双方当事人不能是同一人").with_basis(basis::MARRIAGE_IN_PERSON));
        }
        for (who, person) in [("一方当事人", a), ("另一方当事人", b)] {
            match self.status(person) {
                MaritalStatus::Married { since, .. } => {
                    return Err(Refusal::new(
                        "already_married",
                        format!("{who}自 {since} 起已有配偶（婚姻登记信息记录），不予结婚登记"),
                    )
                    .with_basis(basis::NO_BIGAMY));
                }
                MaritalStatus::Deceased { on } => {
                    return Err(Refusal::new("party_deceased", format!("{who}已于 {on} 死亡（记录）"))
                        .with_basis(basis::MARRIAGE_IN_PERSON));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether `a` and `b` may divorce: they are married to each other.
    pub fn check_divorce(&self, a: PersonId, b: PersonId) -> Result<(), Refusal> {
        if a != b && self.status(a).spouse() == Some(b) && self.status(b).spouse() == Some(a) {
            return Ok(());
        }
        Err(Refusal::new("not_married_to_each_other", "婚姻登记信息记录显示双方不是夫妻，不能办理离婚登记")
            .with_basis(basis::DIVORCE_BY_AGREEMENT))
    }

    /// Applies one entry, or refuses it and leaves the registry as it was.
    pub fn record(&mut self, entry: RegistryEntry) -> Result<(), Refusal> {
        match entry {
            RegistryEntry::Marriage { a, b, on } => {
                self.check_marriage(a, b)?;
                self.set(a, MaritalStatus::Married { spouse: b, since: on }, &entry);
                self.set(b, MaritalStatus::Married { spouse: a, since: on }, &entry);
            }
            RegistryEntry::Divorce { a, b, on } => {
                self.check_divorce(a, b)?;
                self.set(a, MaritalStatus::Divorced { former: b, since: on }, &entry);
                self.set(b, MaritalStatus::Divorced { former: a, since: on }, &entry);
            }
            RegistryEntry::Death { person, on } => {
                if let Some(spouse) = self.status(person).spouse() {
                    self.set(spouse, MaritalStatus::Widowed { former: person, since: on }, &entry);
                }
                self.set(person, MaritalStatus::Deceased { on }, &entry);
            }
        }
        Ok(())
    }

    fn set(&mut self, person: PersonId, status: MaritalStatus, entry: &RegistryEntry) {
        self.status.insert(person, status);
        self.history.entry(person).or_default().push(entry.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn unmarried_married_divorced_married_again() {
        let mut r = MaritalRegistry::default();
        assert_eq!(r.status(1), MaritalStatus::Unmarried);
        r.record(RegistryEntry::Marriage { a: 1, b: 2, on: date(2021, 7, 15) }).unwrap();
        assert_eq!(r.status(1), MaritalStatus::Married { spouse: 2, since: date(2021, 7, 15) });
        assert_eq!(r.status(2).spouse(), Some(1));
        // A second marriage while married: refused, nothing changed.
        let refused = r.record(RegistryEntry::Marriage { a: 1, b: 3, on: date(2022, 1, 4) }).unwrap_err();
        assert_eq!(refused.code, "already_married");
        assert_eq!(refused.basis.as_deref(), Some(basis::NO_BIGAMY));
        let refused = r.check_marriage(3, 2).unwrap_err();
        assert_eq!(refused.code, "already_married");
        assert_eq!(r.status(3), MaritalStatus::Unmarried);
        // Divorced, then free to marry.
        r.record(RegistryEntry::Divorce { a: 2, b: 1, on: date(2023, 3, 1) }).unwrap();
        assert_eq!(r.status(1), MaritalStatus::Divorced { former: 2, since: date(2023, 3, 1) });
        r.record(RegistryEntry::Marriage { a: 1, b: 3, on: date(2023, 6, 1) }).unwrap();
        assert_eq!(r.status(1).spouse(), Some(3));
        assert_eq!(r.history(1).len(), 3);
        assert_eq!(r.history(2).len(), 2);
    }

    #[test]
    fn a_divorce_of_people_not_married_to_each_other_is_refused() {
        let mut r = MaritalRegistry::default();
        assert_eq!(r.check_divorce(1, 2).unwrap_err().code, "not_married_to_each_other");
        r.record(RegistryEntry::Marriage { a: 1, b: 2, on: date(2021, 7, 15) }).unwrap();
        r.record(RegistryEntry::Marriage { a: 3, b: 4, on: date(2021, 7, 15) }).unwrap();
        let refused = r.record(RegistryEntry::Divorce { a: 1, b: 3, on: date(2022, 1, 4) }).unwrap_err();
        assert_eq!(refused.code, "not_married_to_each_other");
        assert_eq!(refused.basis.as_deref(), Some(basis::DIVORCE_BY_AGREEMENT));
        assert_eq!(r.check_divorce(1, 1).unwrap_err().code, "not_married_to_each_other");
        assert!(r.check_divorce(2, 1).is_ok());
    }

    #[test]
    fn same_person_and_deceased() {
        let mut r = MaritalRegistry::default();
        assert_eq!(r.check_marriage(5, 5).unwrap_err().code, "same_person");
        r.record(RegistryEntry::Marriage { a: 1, b: 2, on: date(2000, 1, 1) }).unwrap();
        r.record(RegistryEntry::Death { person: 2, on: date(2020, 5, 1) }).unwrap();
        assert_eq!(r.status(1), MaritalStatus::Widowed { former: 2, since: date(2020, 5, 1) });
        assert_eq!(r.status(2).name_zh(), "已死亡");
        assert!(r.check_marriage(1, 3).is_ok());
        assert_eq!(r.check_marriage(3, 2).unwrap_err().code, "party_deceased");
    }

    #[test]
    fn the_fold_orders_by_date_and_names_the_bad_entry() {
        let entries = vec![
            RegistryEntry::Marriage { a: 1, b: 3, on: date(2023, 6, 1) },
            RegistryEntry::Marriage { a: 1, b: 2, on: date(2021, 7, 15) },
            RegistryEntry::Divorce { a: 1, b: 2, on: date(2023, 3, 1) },
        ];
        let r = MaritalRegistry::fold(&entries).unwrap();
        assert_eq!(r.status(1).spouse(), Some(3));
        assert_eq!(r.status(2).as_str(), "divorced");
        let bad = vec![
            RegistryEntry::Marriage { a: 1, b: 2, on: date(2021, 7, 15) },
            RegistryEntry::Marriage { a: 2, b: 3, on: date(2022, 7, 15) },
        ];
        let err = MaritalRegistry::fold(&bad).unwrap_err();
        assert_eq!(err.index, 1);
        assert_eq!(err.refusal.code, "already_married");
    }
}
