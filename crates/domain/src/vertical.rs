//! The areas of work (业务领域) of the bureau, a closed set: each catalog item declares its area
//! (`vertical = "marriage"` at the top of its file), and the area answers which guard and effect
//! names its items' steps may use. The catalog refuses an unknown area, and a guard or effect
//! name its area does not know, with the file and line, so a typo on a gate stops the start
//! instead of passing silently (the engine would record an unknown guard unchecked).
//!
//! Adding an area is adding a variant here and its rules in its own module; every `match` over
//! [`Vertical`] then names what the new area must answer.

use crate::verticals::{
    disclosure, elderly_care, enforcement, hotline, rule_making, rule_of_law, social_organization, suggestions,
};
use crate::{assistance, marriage};

/// An area of work, each with the 民政 functions its items belong to (民政部 三定 规定; the
/// catalog's items per area are listed in its files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Vertical {
    /// 婚姻登记 (民法典 婚姻家庭编; 婚姻登记条例).
    Marriage,
    /// 社会救助 (社会救助暂行办法), 残疾人两项补贴 and 儿童福利 (孤儿, 事实无人抚养儿童).
    Assistance,
    /// 社会组织登记 (社会团体登记管理条例; 民办非企业单位登记管理暂行条例).
    SocialOrganization,
    /// 养老服务 (老年人权益保障法; 养老机构管理办法).
    ElderlyCare,
    /// 殡葬管理 (殡葬管理条例).
    Funeral,
    /// 地名管理 (地名管理条例).
    PlaceName,
    /// 政府信息公开 依申请公开 (政府信息公开条例): the area's rules are in
    /// [`crate::verticals::disclosure`].
    Disclosure,
    /// 人大代表建议、政协提案办理 and 政务开放日 (代表法 第五十一条): the area's rules are in
    /// [`crate::verticals::suggestions`].
    Suggestions,
    /// 12345 政务服务便民热线工单 and 好差评 差评整改 (四川省12345政务服务便民热线运行管理办法;
    /// 国办发〔2019〕51号): the area's rules are in [`crate::verticals::hotline`].
    Hotline,
    /// 重大行政决策 (重大行政决策程序暂行条例) and 规范性文件 (优化营商环境条例第六十二条;
    /// 四川省行政规范性文件管理办法): the area's rules are in [`crate::verticals::rule_making`].
    RuleMaking,
    /// 行政执法 (行政处罚法; 国办发〔2018〕118号): the area's rules are in
    /// [`crate::verticals::enforcement`].
    Enforcement,
    /// 法治政府建设台账: the registers only the annual report on building a law-based government
    /// reads (法治政府建设与责任落实督察工作规定, 厅字〔2019〕28号): the rules are in
    /// [`crate::verticals::rule_of_law`].
    RuleOfLaw,
}

impl Vertical {
    pub const ALL: [Vertical; 12] = [
        Vertical::Marriage,
        Vertical::Assistance,
        Vertical::SocialOrganization,
        Vertical::ElderlyCare,
        Vertical::Funeral,
        Vertical::PlaceName,
        Vertical::Disclosure,
        Vertical::Suggestions,
        Vertical::Hotline,
        Vertical::RuleMaking,
        Vertical::Enforcement,
        Vertical::RuleOfLaw,
    ];

    /// The name in the catalog files.
    pub fn as_str(self) -> &'static str {
        match self {
            Vertical::Marriage => "marriage",
            Vertical::Assistance => "assistance",
            Vertical::SocialOrganization => "social_organization",
            Vertical::ElderlyCare => "elderly_care",
            Vertical::Funeral => "funeral",
            Vertical::PlaceName => "place_name",
            Vertical::Disclosure => "disclosure",
            Vertical::Suggestions => "suggestions",
            Vertical::Hotline => "hotline",
            Vertical::RuleMaking => "rule_making",
            Vertical::Enforcement => "enforcement",
            Vertical::RuleOfLaw => "rule_of_law",
        }
    }

    pub fn parse(s: &str) -> Option<Vertical> {
        Vertical::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The name shown to people.
    pub fn name_zh(self) -> &'static str {
        match self {
            Vertical::Marriage => "婚姻登记",
            Vertical::Assistance => "社会救助和福利补贴",
            Vertical::SocialOrganization => "社会组织登记",
            Vertical::ElderlyCare => "养老服务",
            Vertical::Funeral => "殡葬管理",
            Vertical::PlaceName => "地名管理",
            Vertical::Disclosure => "政府信息公开",
            Vertical::Suggestions => "建议提案办理",
            Vertical::Hotline => "12345热线和好差评整改",
            Vertical::RuleMaking => "重大行政决策和规范性文件",
            Vertical::Enforcement => "行政执法",
            Vertical::RuleOfLaw => "法治政府建设台账",
        }
    }

    /// Who may apply for this area's items when an item does not declare it (an item's own
    /// `applicants` decides, [`crate::catalog::Applicants`]): `None` when a legal person or other
    /// organization may (行政许可法第二十九条; 政府信息公开条例第二十七条), else the law that
    /// makes the applicant a natural person, for the refusal's message.
    pub fn person_only(self) -> Option<&'static str> {
        match self {
            // 婚姻登记条例第四条、第十条: 男女双方 apply in person.
            Vertical::Marriage => Some("婚姻登记条例第四条、第十条"),
            // 社会救助暂行办法第十一条: 由共同生活的家庭成员 apply (a household, its members persons).
            Vertical::Assistance => Some("社会救助暂行办法第十一条"),
            // 殡葬管理条例第八条: a facility's builder (a village committee, an operator) applies.
            Vertical::Funeral
            | Vertical::SocialOrganization
            | Vertical::ElderlyCare
            | Vertical::PlaceName
            | Vertical::Disclosure
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw => None,
        }
    }

    /// The guard names this area's steps may name; each is checked by the area's guard registry
    /// before the step's completing act. An area without guards answers none.
    pub fn guards(self) -> &'static [&'static str] {
        match self {
            Vertical::SocialOrganization => social_organization::GUARDS,
            Vertical::ElderlyCare => elderly_care::GUARDS,
            Vertical::Marriage => marriage::GUARDS,
            Vertical::Assistance => assistance::GUARDS,
            Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Disclosure
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw => &[],
        }
    }

    /// The effect names this area's steps may name (what a completed step writes beyond the
    /// case: a registration, a payment). None is declared in the catalog yet.
    pub fn effects(self) -> &'static [&'static str] {
        match self {
            Vertical::SocialOrganization => social_organization::EFFECTS,
            Vertical::ElderlyCare => elderly_care::EFFECTS,
            Vertical::Marriage => marriage::EFFECTS,
            Vertical::Assistance => assistance::EFFECTS,
            Vertical::Funeral
            | Vertical::PlaceName
            | Vertical::Disclosure
            | Vertical::Suggestions
            | Vertical::Hotline
            | Vertical::RuleMaking
            | Vertical::Enforcement
            | Vertical::RuleOfLaw => &[],
        }
    }

    /// The machine codes this area mints, kept in its own folder (`verticals/<area>/codes.rs`);
    /// the generic ones are in [`crate::codes`], and a code is in one table only.
    pub fn codes(self) -> &'static [crate::codes::Code] {
        match self {
            Vertical::SocialOrganization => social_organization::codes::CODES,
            Vertical::ElderlyCare => elderly_care::codes::CODES,
            Vertical::Marriage => marriage::codes::CODES,
            Vertical::Assistance => assistance::codes::CODES,
            Vertical::Disclosure => disclosure::codes::CODES,
            Vertical::Suggestions => suggestions::codes::CODES,
            Vertical::Hotline => hotline::codes::CODES,
            Vertical::RuleMaking => rule_making::codes::CODES,
            Vertical::Funeral | Vertical::PlaceName => &[],
            Vertical::Enforcement => enforcement::codes::CODES,
            Vertical::RuleOfLaw => rule_of_law::codes::CODES,
        }
    }

    /// The Chinese labels of the events this area records, kept in the area's own folder; the
    /// generic table ([`crate::event_label`]) asks every area after its own.
    pub fn event_labels(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Vertical::SocialOrganization => social_organization::EVENT_LABELS,
            Vertical::ElderlyCare => elderly_care::EVENT_LABELS,
            Vertical::Marriage => marriage::EVENT_LABELS,
            Vertical::Assistance => assistance::EVENT_LABELS,
            Vertical::Disclosure => disclosure::EVENT_LABELS,
            Vertical::Suggestions => suggestions::EVENT_LABELS,
            Vertical::Hotline => hotline::EVENT_LABELS,
            Vertical::RuleMaking => rule_making::EVENT_LABELS,
            Vertical::Funeral | Vertical::PlaceName => &[],
            Vertical::Enforcement => enforcement::EVENT_LABELS,
            Vertical::RuleOfLaw => rule_of_law::EVENT_LABELS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_round_trip_and_are_distinct() {
        for v in Vertical::ALL {
            assert_eq!(Vertical::parse(v.as_str()), Some(v));
            // Chinese, with the hotline's number (12345) as the only other characters.
            assert!(v.name_zh().chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c.is_ascii_digit()), "{v:?}");
        }
        assert_eq!(Vertical::parse("Marriage"), None);
        assert_eq!(Vertical::parse(""), None);
        let names: HashSet<&str> = Vertical::ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!(names.len(), Vertical::ALL.len());
    }

    /// A guard name belongs to one area: the service dispatches a name to its area's registry.
    #[test]
    fn a_guard_name_belongs_to_one_area() {
        let mut seen = HashSet::new();
        for v in Vertical::ALL {
            for name in v.guards().iter().chain(v.effects()) {
                assert!(seen.insert(*name), "{name} named by two areas");
                assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{name}");
            }
        }
        assert!(Vertical::Marriage.guards().contains(&"marriage_no_spouse"));
        assert_eq!(Vertical::Assistance.guards(), ["disability_certificate_verified"]);
        assert!(Vertical::Funeral.guards().is_empty());
    }

    /// Marriage and assistance are applied for by persons, each refusal naming its law; the
    /// areas whose law lets an organization apply (disclosure, registrations, filings) admit one.
    #[test]
    fn only_some_areas_are_for_persons_alone() {
        let persons: Vec<Vertical> = Vertical::ALL.into_iter().filter(|v| v.person_only().is_some()).collect();
        assert_eq!(persons, [Vertical::Marriage, Vertical::Assistance]);
        assert!(Vertical::Marriage.person_only().is_some_and(|law| law.contains("婚姻登记条例")));
        assert!(Vertical::Assistance.person_only().is_some_and(|law| law.contains("社会救助暂行办法")));
        for v in [Vertical::Disclosure, Vertical::SocialOrganization, Vertical::ElderlyCare, Vertical::Funeral] {
            assert_eq!(v.person_only(), None, "{v:?}");
        }
    }
}
