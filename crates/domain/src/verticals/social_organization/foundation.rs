//! Foundations (基金会): who registers them and the 原始基金 they need (《基金会管理条例》, 国务院令
//! 第400号, 2004).
//!
//! - 第六条: the registration authorities of foundations are the 国务院民政部门 and the 民政 of a
//!   province, autonomous region or municipality; a prefecture's or county's 民政 registers none.
//!   The ministry registers (第二款) a 全国性公募基金会, a foundation whose legal representative
//!   would not be a mainland resident, and a 非公募基金会 with more than 2000万元 of 原始基金 whose
//!   founders apply to it; the province (第三款) the 地方性公募基金会 and the other 非公募基金会.
//!   The item `foundation-registration` is decided by the province; its guard
//!   (`social_org_conditions`) checks this article against the level of the deciding office
//!   ([`check_registrar`]).
//! - 第八条第二项: the 原始基金 is at least 800万元 for a 全国性公募基金会, 400万元 for a 地方性公募
//!   基金会, 200万元 for a 非公募基金会, and must be 到账货币资金.
//! - 第九条第五项: the application carries the 业务主管单位's consent (the sponsor's step of the
//!   item; the 公益慈善类 registers directly, like a social group).
//! - 第十一条: the decision within 60 日 of receiving all valid documents; for a foundation set up
//!   as a 慈善组织, 《中华人民共和国慈善法》第十条第一款 gives 三十日 from acceptance, and the item
//!   keeps that, the shorter (see its file).

use super::kind::Level;
use crate::engine::refusal::Refusal;

pub const BASIS_AUTHORITY: &str = "《基金会管理条例》第六条";
pub const BASIS_ORIGINAL_FUND: &str = "《基金会管理条例》第八条第二项";
pub const BASIS_SPONSOR: &str = "《基金会管理条例》第九条第五项";

/// 第六条第二款第三项: a 非公募基金会 with more than this 原始基金 (fen) may apply to the ministry.
pub const MINISTRY_NON_PUBLIC_ABOVE_FEN: i64 = 2_000_000_000;

/// What an application to set up a foundation states besides its 原始基金.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundationFacts {
    pub kind: FoundationKind,
    /// 第六条第二款第二项: the legal representative would not be a mainland resident (非内地居民).
    pub non_mainland_rep: bool,
    /// 第八条第二项: the 原始基金 is 到账货币资金.
    pub in_money: bool,
}

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

    pub fn as_str(self) -> &'static str {
        match self {
            FoundationKind::NationalPublic => "national_public",
            FoundationKind::LocalPublic => "local_public",
            FoundationKind::NonPublic => "non_public",
        }
    }

    pub fn parse(s: &str) -> Option<FoundationKind> {
        FoundationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

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

/// 第六条第二款、第三款: is the 民政 of `authority` the registration authority of this foundation?
/// The ministry registers a 全国性公募基金会, one with a legal representative who is not a mainland
/// resident, and a 非公募基金会 of more than 2000万元 whose founders apply to it; a province the
/// 地方性公募基金会 and every other 非公募基金会; a prefecture or county none (第一款).
pub fn check_registrar(facts: &FoundationFacts, original_fund_fen: i64, authority: Level) -> Result<(), Refusal> {
    check_authority(authority)?;
    let refuse = |message: String| Err(Refusal::new("foundation_authority", message).with_basis(BASIS_AUTHORITY));
    let kind = facts.kind;
    match authority {
        Level::National => {
            let ministry = kind == FoundationKind::NationalPublic
                || facts.non_mainland_rep
                || (kind == FoundationKind::NonPublic && original_fund_fen > MINISTRY_NON_PUBLIC_ABOVE_FEN);
            if ministry {
                Ok(())
            } else {
                refuse(format!("{}由省、自治区、直辖市人民政府民政部门登记", kind.name_zh()))
            }
        }
        _ if kind == FoundationKind::NationalPublic => refuse("全国性公募基金会由国务院民政部门登记".into()),
        _ if facts.non_mainland_rep => refuse("拟由非内地居民担任法定代表人的基金会由国务院民政部门登记".into()),
        _ => Ok(()),
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

    fn facts(kind: FoundationKind, non_mainland_rep: bool) -> FoundationFacts {
        FoundationFacts { kind, non_mainland_rep, in_money: true }
    }

    #[test]
    fn the_ministry_and_the_province_each_register_their_own() {
        use FoundationKind::*;
        let wan = |n: i64| n * 1_000_000;
        // The province: local public and non-public ones, whatever the fund.
        for kind in [LocalPublic, NonPublic] {
            assert!(check_registrar(&facts(kind, false), wan(5000), Level::Provincial).is_ok(), "{kind:?}");
        }
        let national = check_registrar(&facts(NationalPublic, false), wan(800), Level::Provincial).unwrap_err();
        assert_eq!((national.code, national.basis.as_deref()), ("foundation_authority", Some(BASIS_AUTHORITY)));
        assert!(national.message.contains("国务院民政部门"), "{}", national.message);
        let abroad = check_registrar(&facts(LocalPublic, true), wan(400), Level::Provincial).unwrap_err();
        assert!(abroad.message.contains("非内地居民"), "{}", abroad.message);
        // The ministry: a non-public one only above 2000万 (exactly 2000万 is not above).
        assert!(check_registrar(&facts(NationalPublic, false), wan(800), Level::National).is_ok());
        assert!(check_registrar(&facts(NonPublic, true), wan(200), Level::National).is_ok());
        assert!(check_registrar(&facts(NonPublic, false), wan(2000) + 1, Level::National).is_ok());
        assert!(check_registrar(&facts(NonPublic, false), wan(2000), Level::National).is_err());
        assert!(check_registrar(&facts(LocalPublic, false), wan(5000), Level::National).is_err());
        // A prefecture or county: none.
        for level in [Level::Prefecture, Level::County] {
            let refused = check_registrar(&facts(NonPublic, false), wan(200), level).unwrap_err();
            assert!(refused.message.contains("市、县民政部门不受理"), "{}", refused.message);
        }
        for kind in FoundationKind::ALL {
            assert_eq!(FoundationKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(FoundationKind::parse("public"), None);
    }
}
