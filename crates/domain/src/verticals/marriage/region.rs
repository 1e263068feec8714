//! The cross-region classification of a registration, for the statistics (the 2021 report
//! counted 20 跨省, 30 跨地市 and 556 跨区县 registrations for 达州).
//!
//! Rule (stated here beside the statistic): a registration is compared with
//! both parties' 户籍地 (the declared household registration, else the ID number's region code).
//! It is local (本地) when either party's 户籍 is in the office's county; otherwise it takes the
//! classification of the nearer party: 跨区县 (same prefecture), 跨地市 (same province), 跨省.
//! The distances are [`classify`]'s (国办发〔2020〕35号 terms); a place outside the platform's
//! division table counts as another province.

use crate::division::{DivisionCode, Divisions};
use crate::engine::case::CrossRegion;
use crate::engine::jurisdiction::classify;

/// The class of a registration made at `office` for parties with these 户籍地.
pub fn classify_registration(office: &DivisionCode, hukou: [&DivisionCode; 2], divisions: &Divisions) -> CrossRegion {
    hukou.iter().map(|h| classify(office, h, divisions)).min().unwrap_or(CrossRegion::Province)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    #[test]
    fn by_the_nearer_party() {
        let d = Divisions::builtin();
        let office = code("511702");
        // Local: either party in the county (a township counts as its county).
        assert_eq!(classify_registration(&office, [&code("110101"), &code("511702001")], d), CrossRegion::None);
        // 跨区县: the nearer is 达川区 (same prefecture), the other 成都.
        assert_eq!(classify_registration(&office, [&code("510104"), &code("511703")], d), CrossRegion::County);
        // 跨地市: 成都 and 重庆.
        assert_eq!(classify_registration(&office, [&code("500101"), &code("510104")], d), CrossRegion::Prefecture);
        // 跨省: 重庆 and a place outside the table.
        assert_eq!(classify_registration(&office, [&code("500101"), &code("110101")], d), CrossRegion::Province);
    }
}
