//! From the annual inspection to an enforcement case: the legal basis on which an organization
//! that did not take part in the 年度检查 may be the party of a 行政处罚 case, and the link that
//! opens the 立案 form with the organization and that basis chosen.
//!
//! - 社会团体: 《社会团体登记管理条例》第三十条第一款第三项 (拒不接受或者不按照规定接受监督检查的:
//!   警告, 责令改正, 可以限期停止活动; 情节严重的, 撤销登记). The 年度检查 is the supervision of
//!   第二十四条第一款第二项 and 第二十八条.
//! - 民办非企业单位: 《民办非企业单位登记管理暂行条例》第二十五条 (the same wording for 民办非企业单位;
//!   the annual inspection of 第二十三条) [the item number was not checked against the text].
//! - 基金会: 《基金会管理条例》第四十二条 (未按照规定接受年度检查, 或者年度检查不合格) [the item
//!   number was not checked against the text].
//!
//! The basis is a stable code in the link's query (`basis=`), never the citation's text: the
//! enforcement form looks the code up with [`basis`].

use super::kind::OrgType;

/// A legal basis for opening a case on an organization's annual inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Basis {
    /// The stable code carried by the link (`basis=`).
    pub code: &'static str,
    /// The type of organization the basis applies to.
    pub org_type: OrgType,
    /// The violation, as the 立案 form states it.
    pub violation: &'static str,
    /// The article, as cited on the case.
    pub citation: &'static str,
}

/// The bases, one per type of organization.
pub const BASES: &[Basis] = &[
    Basis {
        code: "social_group_inspection",
        org_type: OrgType::SocialGroup,
        violation: "不按照规定接受监督检查（未参加年度检查）",
        citation: "《社会团体登记管理条例》第三十条第一款第三项",
    },
    Basis {
        code: "private_non_enterprise_inspection",
        org_type: OrgType::PrivateNonEnterprise,
        violation: "不按照规定接受监督检查（未参加年度检查）",
        citation: "《民办非企业单位登记管理暂行条例》第二十五条",
    },
    Basis {
        code: "foundation_inspection",
        org_type: OrgType::Foundation,
        violation: "未按照规定接受年度检查",
        citation: "《基金会管理条例》第四十二条",
    },
];

/// The basis for an organization of `org_type` that did not take part in the annual inspection.
pub fn inspection_basis(org_type: OrgType) -> &'static Basis {
    // Every type has one row (the test below holds it), so the fallback is never taken.
    BASES.iter().find(|b| b.org_type == org_type).unwrap_or(&BASES[0])
}

/// The basis a link's `basis=` names, if it is one of [`BASES`].
pub fn basis(code: &str) -> Option<&'static Basis> {
    BASES.iter().find(|b| b.code == code)
}

/// The 案由 of the case opened on an organization that did not take part in the annual
/// inspection of `year`: the year, the violation and its article. The campaign recognizes the case
/// it opened by this text and the party's credit code, so one function writes it.
pub fn case_violation(basis: &Basis, year: i32) -> String {
    format!("{year}年度{}，违反{}", basis.violation, basis.citation)
}

/// The link to the enforcement 立案 form with the organization (by its 统一社会信用代码), the
/// basis chosen and the inspection's `year` (so the form writes [`case_violation`], by which the
/// campaign recognizes the case). The credit code is 18 characters of digits and capital letters (GB 32100-2015),
/// so it needs no escaping; anything else gives no link.
pub fn enforcement_link(credit_code: &str, org_type: OrgType, year: i32) -> Option<String> {
    let plain = credit_code.len() == 18 && credit_code.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    plain.then(|| format!("/enforcement?org={credit_code}&basis={}&year={year}", inspection_basis(org_type).code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_its_own_basis() {
        for t in OrgType::ALL {
            let b = inspection_basis(t);
            assert_eq!(b.org_type, t, "{t:?} falls back to another type's basis");
            assert_eq!(basis(b.code), Some(b));
        }
        assert_eq!(inspection_basis(OrgType::SocialGroup).citation, "《社会团体登记管理条例》第三十条第一款第三项");
        assert!(inspection_basis(OrgType::PrivateNonEnterprise).citation.contains("第二十五条"));
        assert_eq!(basis("social_group"), None);
        assert_eq!(basis(""), None);
    }

    #[test]
    fn the_case_names_its_year_and_article() {
        let text = case_violation(inspection_basis(OrgType::SocialGroup), 2021);
        assert_eq!(
            text,
            "2021年度不按照规定接受监督检查（未参加年度检查），违反《社会团体登记管理条例》第三十条第一款第三项"
        );
        assert_ne!(text, case_violation(inspection_basis(OrgType::SocialGroup), 2022));
        // The enforcement case's 案由 holds at most 200 characters.
        assert!(BASES.iter().all(|b| case_violation(b, 2021).chars().count() <= 200));
    }

    #[test]
    fn the_link_names_the_code_and_the_basis() {
        assert_eq!(
            enforcement_link("51511700MJQ0000011", OrgType::PrivateNonEnterprise, 2021).as_deref(),
            Some("/enforcement?org=51511700MJQ0000011&basis=private_non_enterprise_inspection&year=2021")
        );
        // Not a credit code: no link rather than a query that would need escaping.
        assert_eq!(enforcement_link("51511700MJQ000001&", OrgType::SocialGroup, 2021), None);
        assert_eq!(enforcement_link("", OrgType::SocialGroup, 2021), None);
        assert_eq!(enforcement_link("51511700mjq0000011", OrgType::SocialGroup, 2021), None);
    }
}
