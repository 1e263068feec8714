//! The conditions of a registration, checked before it is granted, each refusal with its reason
//! and article: the members and the funds (《社会团体登记管理条例》第十条), the sponsor's consent
//! or a direct-registration category (第九条; 《民办非企业单位登记管理暂行条例》第八条).

use super::foundation::{self, FoundationFacts, FoundationKind};
use super::kind::{DirectCategory, Level, OrgType};
use crate::engine::refusal::Refusal;

/// Art 10 (一): 50 individual members, or 30 unit members, or 50 in all when mixed.
pub const MIN_INDIVIDUAL_MEMBERS: u32 = 50;
pub const MIN_UNIT_MEMBERS: u32 = 30;
pub const MIN_MIXED_MEMBERS: u32 = 50;
/// Art 10 (五), in fen: 10万元 for a national social group, 3万元 for a local or cross-region one.
pub const MIN_FUNDS_NATIONAL_FEN: i64 = 10_000_000;
pub const MIN_FUNDS_LOCAL_FEN: i64 = 3_000_000;

pub const BASIS_MEMBERS: &str = "《社会团体登记管理条例》第十条第一项";
pub const BASIS_FUNDS: &str = "《社会团体登记管理条例》第十条第五项";
pub const BASIS_SPONSOR_GROUP: &str = "《社会团体登记管理条例》第九条";
pub const BASIS_SPONSOR_PNE: &str = "《民办非企业单位登记管理暂行条例》第八条第一项";
pub const BASIS_FUNDS_PNE: &str = "《民办非企业单位登记管理暂行条例》第八条第四项";
pub const BASIS_DIRECT: &str =
    "中共中央办公厅、国务院办公厅《关于改革社会组织管理制度促进社会组织健康有序发展的意见》（2016年）";

/// What an application for registration states, as its form parsed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationFacts {
    pub org_type: OrgType,
    pub level: Level,
    pub individual_members: u32,
    pub unit_members: u32,
    /// 活动资金 / 开办资金, fen.
    pub funds_fen: i64,
    /// The 业务主管单位 named, if any.
    pub sponsor: Option<String>,
    /// The direct-registration category claimed, if any.
    pub category: Option<DirectCategory>,
    /// A foundation's kind and what 基金会管理条例第六条、第八条 ask besides its fund; `None` for
    /// the other types.
    pub foundation: Option<FoundationFacts>,
}

impl RegistrationFacts {
    /// Registers without a sponsor: a category of the direct list was chosen.
    pub fn is_direct(&self) -> bool {
        self.category.is_some()
    }
}

/// The members of a social group (社团条例第十条第一项): at least 50 individual members, or at
/// least 30 unit members; mixed, at least 50 in all. A 民办非企业单位 has no members.
pub fn check_members(facts: &RegistrationFacts) -> Result<(), Refusal> {
    if facts.org_type != OrgType::SocialGroup {
        return Ok(());
    }
    let (individual, unit) = (facts.individual_members, facts.unit_members);
    let ok = match (individual, unit) {
        (i, 0) => i >= MIN_INDIVIDUAL_MEMBERS,
        (0, u) => u >= MIN_UNIT_MEMBERS,
        (i, u) => i + u >= MIN_MIXED_MEMBERS,
    };
    if ok {
        return Ok(());
    }
    let message = if individual > 0 && unit > 0 {
        format!("个人会员{individual}个、单位会员{unit}个混合组成，会员总数不足{MIN_MIXED_MEMBERS}个")
    } else {
        format!(
            "个人会员{individual}个、单位会员{unit}个，应有{MIN_INDIVIDUAL_MEMBERS}个以上的个人会员或者{MIN_UNIT_MEMBERS}个以上的单位会员"
        )
    };
    Err(Refusal::new("social_org_members_insufficient", message).with_basis(BASIS_MEMBERS))
}

/// The funds (社团条例第十条第五项): 10万元 for a national social group, 3万元 for a local or
/// cross-region one. A 民办非企业单位 needs 合法财产 fitting its activity with no amount in the
/// 条例 (第八条第四项): only a positive amount is required.
pub fn check_funds(facts: &RegistrationFacts) -> Result<(), Refusal> {
    let yuan = |fen: i64| crate::assistance::format_yuan(fen);
    match facts.org_type {
        OrgType::SocialGroup => {
            let (min, what) = match facts.level {
                Level::National => (MIN_FUNDS_NATIONAL_FEN, "全国性的社会团体"),
                _ => (MIN_FUNDS_LOCAL_FEN, "地方性的社会团体和跨行政区域的社会团体"),
            };
            if facts.funds_fen >= min {
                Ok(())
            } else {
                Err(Refusal::new(
                    "social_org_funds_insufficient",
                    format!("活动资金{}元，{what}应有{}元以上活动资金", yuan(facts.funds_fen), yuan(min)),
                )
                .with_basis(BASIS_FUNDS))
            }
        }
        // 基金会管理条例第八条第二项: the least 原始基金 of the foundation's kind (a foundation entered
        // without its kind is held to a 非公募基金会's, the lowest).
        OrgType::Foundation => {
            let (kind, in_money) = facts.foundation.map_or((FoundationKind::NonPublic, true), |f| (f.kind, f.in_money));
            foundation::check_original_fund(kind, facts.funds_fen, in_money)
        }
        OrgType::PrivateNonEnterprise => {
            if facts.funds_fen > 0 {
                Ok(())
            } else {
                Err(Refusal::new(
                    "social_org_funds_insufficient",
                    "开办资金应当为与其业务活动相适应的合法财产，不能为零",
                )
                .with_basis(BASIS_FUNDS_PNE))
            }
        }
    }
}

/// The registration authority (基金会管理条例第六条): a foundation is registered by the ministry or
/// a province as its kind says, `facts.level` being the deciding office's level. The other types
/// register at their own level (社团条例第七条), which the form states.
pub fn check_registrar(facts: &RegistrationFacts) -> Result<(), Refusal> {
    match (facts.org_type, &facts.foundation) {
        (OrgType::Foundation, Some(f)) => foundation::check_registrar(f, facts.funds_fen, facts.level),
        (OrgType::Foundation, None) => foundation::check_authority(facts.level),
        _ => Ok(()),
    }
}

/// Every condition, every reason at once (a refusal states all its reasons: 行政许可法第三十八条).
pub fn check_conditions(facts: &RegistrationFacts) -> Result<(), Refusal> {
    let failed: Vec<Refusal> = [check_members(facts), check_funds(facts), check_registrar(facts)]
        .into_iter()
        .filter_map(Result::err)
        .collect();
    match failed.as_slice() {
        [] => Ok(()),
        [one] => Err(one.clone()),
        many => {
            let message = many.iter().map(|r| r.message.as_str()).collect::<Vec<_>>().join("；");
            let basis = many.iter().filter_map(|r| r.basis.as_deref()).collect::<Vec<_>>().join("；");
            Err(Refusal::new("social_org_conditions_not_met", message).with_basis(&basis))
        }
    }
}

/// The sponsor's consent (社团条例第九条; 民非条例第八条第一项): a sponsored organization names its
/// 业务主管单位; only a direct-registration category may go without.
pub fn check_sponsor(facts: &RegistrationFacts) -> Result<(), Refusal> {
    if facts.is_direct() || facts.sponsor.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        return Ok(());
    }
    let basis = match facts.org_type {
        OrgType::PrivateNonEnterprise => BASIS_SPONSOR_PNE,
        OrgType::SocialGroup => BASIS_SPONSOR_GROUP,
        OrgType::Foundation => foundation::BASIS_SPONSOR,
    };
    Err(Refusal::new(
        "social_org_sponsor_required",
        "未经业务主管单位审查同意；行业协会商会类、科技类、公益慈善类、城乡社区服务类以外的社会组织不能直接登记",
    )
    .with_basis(basis))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(individual: u32, unit: u32, funds_yuan: i64) -> RegistrationFacts {
        RegistrationFacts {
            org_type: OrgType::SocialGroup,
            level: Level::Prefecture,
            individual_members: individual,
            unit_members: unit,
            funds_fen: funds_yuan * 100,
            sponsor: Some("达州市科学技术协会".into()),
            category: None,
            foundation: None,
        }
    }

    #[test]
    fn members_at_and_below_each_threshold() {
        assert!(check_members(&group(50, 0, 30_000)).is_ok());
        assert_eq!(check_members(&group(49, 0, 30_000)).unwrap_err().code, "social_org_members_insufficient");
        assert!(check_members(&group(0, 30, 30_000)).is_ok());
        assert!(check_members(&group(0, 29, 30_000)).is_err());
        // Mixed: 50 in all, whatever the split; 30 units plus 1 person is not enough.
        assert!(check_members(&group(20, 30, 30_000)).is_ok());
        assert!(check_members(&group(1, 30, 30_000)).is_err());
        assert!(check_members(&group(0, 0, 30_000)).is_err());
        let mixed = check_members(&group(10, 20, 30_000)).unwrap_err();
        assert!(mixed.message.contains("会员总数不足50个"), "{}", mixed.message);
        assert_eq!(mixed.basis.as_deref(), Some(BASIS_MEMBERS));
    }

    #[test]
    fn funds_by_level() {
        assert!(check_funds(&group(50, 0, 30_000)).is_ok());
        let short = check_funds(&group(50, 0, 29_999)).unwrap_err();
        assert!(short.message.contains("应有30000元以上"), "{}", short.message);
        let national = RegistrationFacts { level: Level::National, ..group(50, 0, 99_999) };
        assert!(check_funds(&national).is_err());
        assert!(check_funds(&RegistrationFacts { funds_fen: 10_000_000, ..national }).is_ok());
        let pne = RegistrationFacts { org_type: OrgType::PrivateNonEnterprise, ..group(0, 0, 0) };
        assert!(check_funds(&pne).is_err());
        assert!(check_members(&pne).is_ok(), "a 民办非企业单位 has no members");
        assert!(check_funds(&RegistrationFacts { funds_fen: 1, ..pne }).is_ok());
        // A foundation of unknown kind: 200万元 at least (a 非公募基金会's), and not at a prefecture.
        let foundation = RegistrationFacts { org_type: OrgType::Foundation, ..group(0, 0, 2_000_000) };
        assert!(check_funds(&foundation).is_ok());
        assert_eq!(check_registrar(&foundation).unwrap_err().code, "foundation_authority");
        let provincial = RegistrationFacts { level: Level::Provincial, ..foundation.clone() };
        assert!(check_conditions(&provincial).is_ok());
        assert!(check_funds(&RegistrationFacts { funds_fen: 199_999_999, ..provincial.clone() }).is_err());
        assert!(check_registrar(&group(0, 0, 0)).is_ok(), "a social group's level is its own");
    }

    #[test]
    fn a_foundation_by_its_kind_and_its_registrar() {
        let of = |kind, funds_yuan: i64, non_mainland_rep| RegistrationFacts {
            org_type: OrgType::Foundation,
            level: Level::Provincial,
            foundation: Some(FoundationFacts { kind, non_mainland_rep, in_money: true }),
            ..group(0, 0, funds_yuan)
        };
        assert!(check_conditions(&of(FoundationKind::LocalPublic, 4_000_000, false)).is_ok());
        let short = check_conditions(&of(FoundationKind::LocalPublic, 3_999_999, false)).unwrap_err();
        assert!(short.message.contains("地方性公募基金会的原始基金不低于4000000元"), "{}", short.message);
        // A national public foundation below its 800万 at a province: both reasons at once.
        let both = check_conditions(&of(FoundationKind::NationalPublic, 5_000_000, false)).unwrap_err();
        assert_eq!(both.code, "social_org_conditions_not_met");
        assert!(both.message.contains("原始基金") && both.message.contains("国务院民政部门"), "{}", both.message);
        assert!(
            both.basis.as_deref().is_some_and(|b| b.contains("第六条") && b.contains("第八条")),
            "{:?}",
            both.basis
        );
        let pledged = RegistrationFacts {
            foundation: Some(FoundationFacts {
                kind: FoundationKind::NonPublic,
                non_mainland_rep: false,
                in_money: false,
            }),
            ..of(FoundationKind::NonPublic, 3_000_000, false)
        };
        assert!(check_conditions(&pledged).unwrap_err().message.contains("到账货币资金"));
        let sponsorless = RegistrationFacts { sponsor: None, ..of(FoundationKind::NonPublic, 3_000_000, false) };
        assert_eq!(check_sponsor(&sponsorless).unwrap_err().basis.as_deref(), Some(foundation::BASIS_SPONSOR));
    }

    #[test]
    fn every_reason_at_once() {
        let both = check_conditions(&group(10, 0, 100)).unwrap_err();
        assert_eq!(both.code, "social_org_conditions_not_met");
        assert!(both.message.contains("会员") && both.message.contains("活动资金"), "{}", both.message);
        assert!(check_conditions(&group(60, 0, 50_000)).is_ok());
    }

    #[test]
    fn only_a_direct_category_goes_without_a_sponsor() {
        let without = RegistrationFacts { sponsor: None, ..group(50, 0, 30_000) };
        assert_eq!(check_sponsor(&without).unwrap_err().code, "social_org_sponsor_required");
        assert!(check_sponsor(&RegistrationFacts { sponsor: Some("  ".into()), ..without.clone() }).is_err());
        for category in DirectCategory::ALL {
            assert!(check_sponsor(&RegistrationFacts { category: Some(category), ..without.clone() }).is_ok());
        }
        assert!(check_sponsor(&group(50, 0, 30_000)).is_ok());
    }
}
