//! Foundations (基金会): who registers them and the 原始基金 they need (《基金会管理条例》, 国务院令
//! 第400号, 2004).
//!
//! - 第六条: the registration authorities of foundations are the 国务院民政部门 and the 民政 of a
//!   province, autonomous region or municipality; a prefecture's or county's 民政 registers none.
//!   So the bureau's items register no foundation; the register holds foundations entered from the
//!   province's records, and the annual inspection lists them.
//! - 第八条第二项: the 原始基金 is at least 800万元 for a 全国性公募基金会, 400万元 for a 地方性公募
//!   基金会, 200万元 for a 非公募基金会, and must be 到账货币资金.

use super::kind::Level;
use crate::engine::refusal::Refusal;

pub const BASIS_AUTHORITY: &str = "《基金会管理条例》第六条";
pub const BASIS_ORIGINAL_FUND: &str = "《基金会管理条例》第八条第二项";

/// A foundation's kind by its fundraising (第三条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FoundationKind {
    /// 全国性公募基金会.
    NationalPublic,
    /// 地方性公募基金会.
    LocalPublic,
    /// 非公募基金会.
    NonPublic,
}

impl FoundationKind {
    pub const ALL: [FoundationKind; 3] =
        [FoundationKind::NationalPublic, FoundationKind::LocalPublic, FoundationKind::NonPublic];

    pub fn name_zh(self) -> &'static str {
        match self {
            FoundationKind::NationalPublic => "全国性公募基金会",
            FoundationKind::LocalPublic => "地方性公募基金会",
            FoundationKind::NonPublic => "非公募基金会",
        }
    }

    /// The least 原始基金, in fen (第八条第二项).
    pub fn min_original_fund_fen(self) -> i64 {
        match self {
            FoundationKind::NationalPublic => 800_000_000,
            FoundationKind::LocalPublic => 400_000_000,
            FoundationKind::NonPublic => 200_000_000,
        }
    }
}

/// 第六条: may the 民政 of `authority` register a foundation? Only the national and provincial
/// ones.
pub fn check_authority(authority: Level) -> Result<(), Refusal> {
    match authority {
        Level::National | Level::Provincial => Ok(()),
        Level::Prefecture | Level::County => Err(Refusal::new(
            "foundation_authority",
            "基金会由国务院民政部门或者省、自治区、直辖市人民政府民政部门登记，市、县民政部门不受理基金会登记",
        )
        .with_basis(BASIS_AUTHORITY)),
    }
}

/// 第八条第二项: the 原始基金 of a foundation of `kind`, in fen, received in money (`in_money`:
/// 到账货币资金).
pub fn check_original_fund(kind: FoundationKind, fund_fen: i64, in_money: bool) -> Result<(), Refusal> {
    let min = kind.min_original_fund_fen();
    let yuan = |fen: i64| crate::assistance::format_yuan(fen);
    if !in_money {
        return Err(
            Refusal::new("social_org_funds_insufficient", "原始基金必须为到账货币资金").with_basis(BASIS_ORIGINAL_FUND)
        );
    }
    if fund_fen < min {
        return Err(Refusal::new(
            "social_org_funds_insufficient",
            format!("原始基金{}元，{}的原始基金不低于{}元", yuan(fund_fen), kind.name_zh(), yuan(min)),
        )
        .with_basis(BASIS_ORIGINAL_FUND));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_ministry_and_a_province_register_foundations() {
        assert!(check_authority(Level::National).is_ok());
        assert!(check_authority(Level::Provincial).is_ok());
        for level in [Level::Prefecture, Level::County] {
            let refusal = check_authority(level).unwrap_err();
            assert_eq!(refusal.code, "foundation_authority");
            assert_eq!(refusal.basis.as_deref(), Some(BASIS_AUTHORITY));
        }
    }

    #[test]
    fn the_original_fund_at_and_below_each_minimum() {
        for (kind, yuan) in [
            (FoundationKind::NationalPublic, 8_000_000),
            (FoundationKind::LocalPublic, 4_000_000),
            (FoundationKind::NonPublic, 2_000_000),
        ] {
            assert!(check_original_fund(kind, yuan * 100, true).is_ok(), "{kind:?} at its minimum");
            let short = check_original_fund(kind, yuan * 100 - 1, true).unwrap_err();
            assert_eq!(short.code, "social_org_funds_insufficient");
            assert!(short.message.contains(kind.name_zh()), "{}", short.message);
            assert_eq!(short.basis.as_deref(), Some(BASIS_ORIGINAL_FUND));
        }
        // 400万 is enough for a local public foundation, not for a national one.
        assert!(check_original_fund(FoundationKind::LocalPublic, 400_000_000, true).is_ok());
        assert!(check_original_fund(FoundationKind::NationalPublic, 400_000_000, true).is_err());
        // A pledge is no 原始基金, whatever its amount.
        let pledged = check_original_fund(FoundationKind::NonPublic, 900_000_000, false).unwrap_err();
        assert!(pledged.message.contains("到账货币资金"), "{}", pledged.message);
    }
}
