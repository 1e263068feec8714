//! The marriage registration statistics: counts by type, office and month, each split by the
//! cross-region class of [`classify_registration`](crate::marriage::classify_registration).

use std::collections::BTreeMap;

/// The definition printed beside the figures (the rule is documented beside the
/// statistic).
pub const DEFINITION: &str = "按登记类型、登记机关和登记月份统计登记件数（含补发）。跨区域分类以双方户籍地（申报的户籍地，否则为身份证地址码）与登记机关比较：任一方户籍在登记机关所在县（市、区）的为本地；否则取较近的一方：同市为跨区县，同省为跨地市，其余为跨省。";

/// One registration as the statistics see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationFact {
    /// `marriage` | `divorce` | `marriage_reissue` | `divorce_reissue`.
    pub kind: String,
    pub office: String,
    /// ISO date.
    pub date: String,
    /// `none` | `county` | `prefecture` | `province`.
    pub cross_region: String,
}

/// The counts of one (kind, office, month).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: u64,
    /// 本地.
    pub local: u64,
    /// 跨区县.
    pub cross_county: u64,
    /// 跨地市.
    pub cross_prefecture: u64,
    /// 跨省.
    pub cross_province: u64,
}

impl Counts {
    fn add(&mut self, cross_region: &str) {
        self.total += 1;
        match cross_region {
            "none" => self.local += 1,
            "county" => self.cross_county += 1,
            "prefecture" => self.cross_prefecture += 1,
            _ => self.cross_province += 1,
        }
    }
}

/// Counts per (kind, office, month `YYYY-MM`), in key order, and the total.
pub fn tally(facts: &[RegistrationFact]) -> (BTreeMap<(String, String, String), Counts>, Counts) {
    let mut rows: BTreeMap<(String, String, String), Counts> = BTreeMap::new();
    let mut total = Counts::default();
    for fact in facts {
        let month: String = fact.date.chars().take(7).collect();
        rows.entry((fact.kind.clone(), fact.office.clone(), month)).or_default().add(&fact.cross_region);
        total.add(&fact.cross_region);
    }
    (rows, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(kind: &str, office: &str, date: &str, cross: &str) -> RegistrationFact {
        RegistrationFact { kind: kind.into(), office: office.into(), date: date.into(), cross_region: cross.into() }
    }

    #[test]
    fn counts_by_kind_office_and_month_with_the_cross_region_split() {
        let facts = [
            fact("marriage", "511702", "2021-07-01", "none"),
            fact("marriage", "511702", "2021-07-31", "province"),
            fact("marriage", "511702", "2021-08-01", "prefecture"),
            fact("divorce", "511702", "2021-07-15", "county"),
            fact("marriage", "511703", "2021-07-02", "none"),
        ];
        let (rows, total) = tally(&facts);
        assert_eq!(rows.len(), 4);
        let july = &rows[&("marriage".to_string(), "511702".to_string(), "2021-07".to_string())];
        assert_eq!((july.total, july.local, july.cross_province), (2, 1, 1));
        assert_eq!(total.total, 5);
        assert_eq!((total.local, total.cross_county, total.cross_prefecture, total.cross_province), (2, 1, 1, 1));
        assert!(DEFINITION.contains("较近的一方"));
    }
}
