//! Branches (分支机构) and representative offices (代表机构): 《社会团体登记管理条例》第十七条 (a
//! social group may open them, but no regional branch, and a branch may not open a branch of its
//! own); 《民办非企业单位登记管理暂行条例》第十三条 (a 民办非企业单位 opens none).
//!
//! Closing (注销) one: a branch or representative office is a part of its social group without
//! legal personality, acting within the group's authorization (社团条例第十七条第一款), so the
//! group closes it under its articles and the register records the day [interpretation: since the
//! 2016 revision the 条例 has no separate registration, nor deregistration, of a branch].

use chrono::NaiveDate;

use super::kind::OrgType;
use crate::engine::refusal::Refusal;

/// The article a branch's closing rests on.
pub const BASIS_CLOSE: &str = "《社会团体登记管理条例》第十七条第一款";

/// What is to be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BranchKind {
    /// 分支机构.
    Branch,
    /// 代表机构.
    Representative,
}

impl BranchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BranchKind::Branch => "branch",
            BranchKind::Representative => "representative",
        }
    }

    pub fn parse(s: &str) -> Option<BranchKind> {
        [BranchKind::Branch, BranchKind::Representative].into_iter().find(|k| k.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            BranchKind::Branch => "分支机构",
            BranchKind::Representative => "代表机构",
        }
    }
}

/// Who would open it: the organization's type, and whether it is itself a branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opener {
    pub org_type: OrgType,
    pub is_branch: bool,
}

/// May `opener` open a `kind` that is (or is not) regional (按行政区域设立)?
pub fn check_branch(opener: Opener, kind: BranchKind, regional: bool) -> Result<(), Refusal> {
    if opener.org_type == OrgType::PrivateNonEnterprise {
        return Err(Refusal::new("branch_not_allowed", "民办非企业单位不得设立分支机构")
            .with_basis("《民办非企业单位登记管理暂行条例》第十三条"));
    }
    if opener.is_branch {
        return Err(Refusal::new("branch_of_branch", "分支机构、代表机构不得再设立分支机构")
            .with_basis("《社会团体登记管理条例》第十七条第二款"));
    }
    if opener.org_type == OrgType::SocialGroup && kind == BranchKind::Branch && regional {
        return Err(Refusal::new("regional_branch", "社会团体不得设立地域性的分支机构")
            .with_basis("《社会团体登记管理条例》第十七条第二款"));
    }
    Ok(())
}

/// May a branch opened on `opened_on` (and still open) be recorded as closed on `closed_on`,
/// on `today`? Not before it was opened, not on a day to come.
pub fn check_close(opened_on: NaiveDate, closed_on: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    if closed_on > today {
        return Err(Refusal::new("date_future", "注销日期不能晚于今天").with_basis(BASIS_CLOSE));
    }
    if closed_on < opened_on {
        return Err(Refusal::new("closed_before_opened", format!("注销日期早于设立日期（{opened_on}）"))
            .with_basis(BASIS_CLOSE));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_branch_closes_between_its_opening_and_today() {
        let (opened, today) = (d(2021, 3, 1), d(2021, 10, 8));
        assert!(check_close(opened, opened, today).is_ok(), "closed the day it opened");
        assert!(check_close(opened, today, today).is_ok(), "closed today");
        assert_eq!(check_close(opened, d(2021, 2, 28), today).unwrap_err().code, "closed_before_opened");
        assert_eq!(check_close(opened, d(2021, 10, 9), today).unwrap_err().code, "date_future");
    }

    const GROUP: Opener = Opener { org_type: OrgType::SocialGroup, is_branch: false };

    #[test]
    fn a_social_group_opens_a_branch_by_field_not_by_region() {
        assert!(check_branch(GROUP, BranchKind::Branch, false).is_ok());
        assert!(check_branch(GROUP, BranchKind::Representative, false).is_ok());
        assert_eq!(check_branch(GROUP, BranchKind::Branch, true).unwrap_err().code, "regional_branch");
    }

    #[test]
    fn a_branch_opens_none() {
        let branch = Opener { is_branch: true, ..GROUP };
        assert_eq!(check_branch(branch, BranchKind::Branch, false).unwrap_err().code, "branch_of_branch");
        assert_eq!(check_branch(branch, BranchKind::Representative, false).unwrap_err().code, "branch_of_branch");
    }

    #[test]
    fn a_private_non_enterprise_unit_opens_none() {
        let pne = Opener { org_type: OrgType::PrivateNonEnterprise, is_branch: false };
        assert_eq!(check_branch(pne, BranchKind::Branch, false).unwrap_err().code, "branch_not_allowed");
        assert_eq!(check_branch(pne, BranchKind::Representative, false).unwrap_err().code, "branch_not_allowed");
        assert!(BranchKind::parse("branch").is_some() && BranchKind::parse("").is_none());
    }
}
