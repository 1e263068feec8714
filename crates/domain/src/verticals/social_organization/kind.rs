//! The kinds of social organization and where each stands (社会团体登记管理条例; 民办非企业单位
//! 登记管理暂行条例; 基金会管理条例).

/// The three types of social organization registered by 民政 (GB 32100-2015 表 1, 民政: 1 社会团体,
/// 2 民办非企业单位, 3 基金会).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgType {
    /// 社会团体 (社会团体登记管理条例第二条).
    SocialGroup,
    /// 民办非企业单位, 社会服务机构 (民办非企业单位登记管理暂行条例第二条).
    PrivateNonEnterprise,
    /// 基金会 (基金会管理条例第二条).
    Foundation,
}

impl OrgType {
    pub const ALL: [OrgType; 3] = [OrgType::SocialGroup, OrgType::PrivateNonEnterprise, OrgType::Foundation];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgType::SocialGroup => "social_group",
            OrgType::PrivateNonEnterprise => "private_non_enterprise",
            OrgType::Foundation => "foundation",
        }
    }

    pub fn parse(s: &str) -> Option<OrgType> {
        OrgType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            OrgType::SocialGroup => "社会团体",
            OrgType::PrivateNonEnterprise => "民办非企业单位（社会服务机构）",
            OrgType::Foundation => "基金会",
        }
    }

    /// GB 32100-2015 表 1: the 机构类别码 under 民政 (`5`).
    pub fn category_code(self) -> char {
        match self {
            OrgType::SocialGroup => '1',
            OrgType::PrivateNonEnterprise => '2',
            OrgType::Foundation => '3',
        }
    }

    /// The certificate the registration issues (社团条例第十二条; 民非条例第十二条).
    pub fn certificate_name(self) -> &'static str {
        match self {
            OrgType::SocialGroup => "社会团体法人登记证书",
            OrgType::PrivateNonEnterprise => "民办非企业单位登记证书",
            OrgType::Foundation => "基金会法人登记证书",
        }
    }

    /// What its founding money is called: 活动资金 (社团条例第十条第五项), 开办资金 (the 民非's, as
    /// its certificate prints it), 原始基金 (基金会管理条例第八条第二项).
    pub fn funds_name(self) -> &'static str {
        match self {
            OrgType::SocialGroup => "活动资金",
            OrgType::PrivateNonEnterprise => "开办资金",
            OrgType::Foundation => "原始基金",
        }
    }

    /// The type an item registers, from its slug (`social-group-*`, `private-non-enterprise-*`).
    pub fn of_item(slug: &str) -> Option<OrgType> {
        if slug.starts_with("social-group-") {
            Some(OrgType::SocialGroup)
        } else if slug.starts_with("private-non-enterprise-") {
            Some(OrgType::PrivateNonEnterprise)
        } else if slug.starts_with("foundation-") {
            Some(OrgType::Foundation)
        } else {
            None
        }
    }
}

/// The level of a social organization: its registration authority is the 民政 of that level
/// (社团条例第七条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    National,
    Provincial,
    Prefecture,
    County,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::National, Level::Provincial, Level::Prefecture, Level::County];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Provincial => "provincial",
            Level::Prefecture => "prefecture",
            Level::County => "county",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The level of an organization registered by an office of `office`'s level (社团条例第七条;
    /// 基金会管理条例第六条). No township registers one.
    pub fn of_office(office: crate::division::Level) -> Option<Level> {
        match office {
            crate::division::Level::Province => Some(Level::Provincial),
            crate::division::Level::Prefecture => Some(Level::Prefecture),
            crate::division::Level::County => Some(Level::County),
            crate::division::Level::Township => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Level::National => "全国性",
            Level::Provincial => "省级",
            Level::Prefecture => "市级",
            Level::County => "县级",
        }
    }
}

/// The categories that register directly with 民政, without a 业务主管单位 (国务院机构改革和职能
/// 转变方案, 2013; 中办国办《关于改革社会组织管理制度促进社会组织健康有序发展的意见》, 2016).
/// The list is data: a change of policy is a change here and in the items' form choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DirectCategory {
    /// 行业协会商会类.
    TradeAssociation,
    /// 科技类.
    Science,
    /// 公益慈善类.
    Charity,
    /// 城乡社区服务类.
    CommunityService,
}

impl DirectCategory {
    pub const ALL: [DirectCategory; 4] = [
        DirectCategory::TradeAssociation,
        DirectCategory::Science,
        DirectCategory::Charity,
        DirectCategory::CommunityService,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DirectCategory::TradeAssociation => "trade_association",
            DirectCategory::Science => "science",
            DirectCategory::Charity => "charity",
            DirectCategory::CommunityService => "community_service",
        }
    }

    pub fn parse(s: &str) -> Option<DirectCategory> {
        DirectCategory::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            DirectCategory::TradeAssociation => "行业协会商会类",
            DirectCategory::Science => "科技类",
            DirectCategory::Charity => "公益慈善类",
            DirectCategory::CommunityService => "城乡社区服务类",
        }
    }
}

/// Where an organization stands in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgStatus {
    /// 正常.
    Normal,
    /// 撤销登记 (社团条例第三十条; 民非条例第二十五条).
    Revoked,
    /// 注销登记 (社团条例第十九条至第二十一条; 民非条例第十六条、第十七条).
    Deregistered,
}

impl OrgStatus {
    pub const ALL: [OrgStatus; 3] = [OrgStatus::Normal, OrgStatus::Revoked, OrgStatus::Deregistered];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgStatus::Normal => "normal",
            OrgStatus::Revoked => "revoked",
            OrgStatus::Deregistered => "deregistered",
        }
    }

    pub fn parse(s: &str) -> Option<OrgStatus> {
        OrgStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            OrgStatus::Normal => "正常",
            OrgStatus::Revoked => "撤销",
            OrgStatus::Deregistered => "注销",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in OrgType::ALL {
            assert_eq!(OrgType::parse(t.as_str()), Some(t));
        }
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(l));
        }
        for c in DirectCategory::ALL {
            assert_eq!(DirectCategory::parse(c.as_str()), Some(c));
        }
        for s in OrgStatus::ALL {
            assert_eq!(OrgStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(OrgType::parse("社会团体"), None);
        assert_eq!(Level::of_office(crate::division::Level::Province), Some(Level::Provincial));
        assert_eq!(Level::of_office(crate::division::Level::Township), None);
        assert_eq!(DirectCategory::parse(""), None);
    }

    #[test]
    fn the_item_names_its_type() {
        assert_eq!(OrgType::of_item("social-group-registration"), Some(OrgType::SocialGroup));
        assert_eq!(OrgType::of_item("private-non-enterprise-deregistration"), Some(OrgType::PrivateNonEnterprise));
        assert_eq!(OrgType::of_item("social-org-info-query"), None);
        assert_eq!(OrgType::of_item("foundation-registration"), Some(OrgType::Foundation));
        assert_eq!(OrgType::of_item("foundation-change-registration"), Some(OrgType::Foundation));
        assert_eq!(OrgType::of_item("foundation-deregistration"), Some(OrgType::Foundation));
    }
}
