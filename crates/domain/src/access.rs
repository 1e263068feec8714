//! Accounts, roles and jurisdiction.
//!
//! A grant is (role, division) and reaches that division and every division below it, never a
//! neighbour (design.md §3). Every read and write of the service layer asks [`Actor::may`]
//! before it touches a record; nothing else decides access.

use std::fmt;

use crate::division::{DivisionCode, Divisions};

/// What a staff member or citizen is allowed to do, by office. 中文 names are in `name_zh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// 系统管理员: accounts, grants, calendar, catalog.
    Admin,
    /// 窗口受理人员: accepts applications at the window.
    Clerk,
    /// 审核人员.
    Reviewer,
    /// 审批/决定人员.
    Decider,
    /// 乡镇(街道)经办人员.
    TownshipOfficer,
    /// 法制审核人员.
    LegalReviewer,
    /// 行政执法人员.
    EnforcementOfficer,
    /// 领导: reads everything in the jurisdiction, the dashboard and the reports.
    Leader,
    /// 办事群众: their own matters only.
    Citizen,
}

pub const ALL_ROLES: [Role; 9] = [
    Role::Admin,
    Role::Clerk,
    Role::Reviewer,
    Role::Decider,
    Role::TownshipOfficer,
    Role::LegalReviewer,
    Role::EnforcementOfficer,
    Role::Leader,
    Role::Citizen,
];

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Clerk => "clerk",
            Role::Reviewer => "reviewer",
            Role::Decider => "decider",
            Role::TownshipOfficer => "township_officer",
            Role::LegalReviewer => "legal_reviewer",
            Role::EnforcementOfficer => "enforcement_officer",
            Role::Leader => "leader",
            Role::Citizen => "citizen",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::Clerk => "窗口受理人员",
            Role::Reviewer => "审核人员",
            Role::Decider => "审批决定人员",
            Role::TownshipOfficer => "乡镇（街道）经办人员",
            Role::LegalReviewer => "法制审核人员",
            Role::EnforcementOfficer => "行政执法人员",
            Role::Leader => "领导",
            Role::Citizen => "办事群众",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        ALL_ROLES.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role held over a division and everything below it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Grant {
    pub role: Role,
    pub division: DivisionCode,
}

/// The kinds of access the foundation knows. Later capabilities add theirs here, so the whole
/// access matrix stays one table ([`roles_for`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Create accounts, grant roles, list accounts.
    ManageAccounts,
    /// Import a new working-day calendar version.
    ManageCalendar,
    /// Read the full-process record and verify it.
    ReadAudit,
    /// See a person's record (masked) in lists and search.
    ReadPerson,
    /// See a person's full record: ID and phone in clear. Recorded as an event.
    ReadPersonFull,
    /// Create or change a person record.
    WritePerson,
    /// Claim, publish and withdraw service items for a division; delegate a step's power (下放).
    ManageCatalog,
    /// Read the service metrics (承诺时限压缩率, 按时办结率…) of the jurisdiction.
    ReadServiceStats,
    /// Operate the server: move the simulated clock, read the administrator's status.
    ManageSystem,
    /// Read and export the monthly payment roll (发放花名册) of social assistance. IDs in it stay
    /// masked unless the reader also holds [`Permission::ReadPersonFull`].
    ReadPaymentRoll,
    /// 婚姻登记信息核验: the guards of a marriage case read both parties' registrations and the
    /// facts their checks need (sex, birth date, 户籍地), wherever the parties' records are kept,
    /// held at the case's accepting office (docs/designs/marriage.md, "Reading the other party").
    /// Only the verdicts reach the clerk; each check of a record outside the clerk's
    /// [`Permission::ReadPerson`] scope is an event on that person's record.
    CheckMaritalRegistry,
    /// 提标: adjust the paying assistance decisions of a county to a raised standard, one household
    /// at a time (社会救助暂行办法第十三条: the county 民政 increases payment). The county's decider.
    AdjustAssistance,
    /// Record a person's death in the marital-status registry (from a source document), at the
    /// person's division: the spouse becomes widowed.
    RecordDeath,
    // 建议提案办理 (suggestions): 代表法 第五十一条.
    /// Read the suggestions, proposals and open days of a division and their figures.
    ReadSuggestions,
    /// Register and handle suggestions, proposals and open days at a division (the lead unit's staff).
    HandleSuggestions,
    /// Approve a suggestion's reply before it is sent (the bureau's leader).
    ApproveSuggestionReply,
    // 重大行政决策和规范性文件 (rule_making), in this block.
    /// Open a major administrative decision, record its participation, expert, risk and
    /// publication acts; keep the register of normative documents and run their clean-ups.
    ManageRules,
    /// Give the legality review's opinion on a major decision (重大行政决策程序暂行条例第二十五条:
    /// the organ's legal office or counsel).
    ReviewRuleLegality,
    /// Record the collective discussion of a major decision (第三十条: the head decides).
    DecideRules,
    // 行政执法 (enforcement): 行政处罚法; 国办发〔2018〕118号.
    /// Keep the officers' register (执法人员名录): add, change, suspend a credential.
    ManageEnforcementOfficers,
    /// Read the enforcement cases of the jurisdiction (the party's data masked).
    ReadEnforcement,
    /// 立案 and the officers' acts on a case (investigation, 告知, service…), by a credentialed
    /// officer (行政处罚法 第四十二条).
    EnforceCases,
    /// 法制审核 of a major decision (行政处罚法 第五十八条).
    ReviewEnforcement,
    /// 集体讨论 and the decision, by the organ's heads (行政处罚法 第五十七条).
    DecideEnforcement,
    // 社会组织登记 (社会团体登记管理条例; 民办非企业单位登记管理暂行条例).
    /// Read the register of social organizations of the jurisdiction (their premises), with
    /// their history, inspections and 脱钩; export it.
    ReadSocialOrgs,
    /// Record an organization's annual inspection and the separations of its 脱钩, at its
    /// premises' division (社团条例第二十八条: the registration authority inspects).
    ManageSocialOrgs,
    // 法治政府建设台账 (rule_of_law): the registers the annual report reads.
    /// Read the registers of the jurisdiction (领导小组, 学法, 培训, 普法, 示范村, 法律顾问,
    /// 村务公开监督) and export them.
    ReadRuleOfLaw,
    /// Keep the registers: add, change and import records (the bureau's 法制机构, whose staff
    /// hold the 法制审核 role, compiles the annual report).
    WriteRuleOfLaw,
    // 法治政府建设年度报告 (the annual report): 法治政府建设与责任落实督察工作规定.
    /// Read an organ's report: its figures with the records they count, its versions.
    ReadReport,
    /// Write the report's narrative (a new version) at the organ.
    WriteReport,
    /// Publish a version (its figures frozen and signed): the organ's head.
    PublishReport,
}

/// The access matrix: which roles carry a permission. One table, read by code and by tests.
pub fn roles_for(permission: Permission) -> &'static [Role] {
    use Role::*;
    match permission {
        Permission::ManageAccounts | Permission::ManageCalendar => &[Admin],
        Permission::ReadAudit => &[Admin, Leader, LegalReviewer],
        Permission::ReadPerson => {
            &[Admin, Clerk, Reviewer, Decider, TownshipOfficer, LegalReviewer, EnforcementOfficer, Leader]
        }
        Permission::ReadPersonFull => &[Clerk, Reviewer, Decider, TownshipOfficer, LegalReviewer, EnforcementOfficer],
        Permission::WritePerson => &[Clerk, Reviewer, Decider, TownshipOfficer],
        Permission::ManageCatalog | Permission::ManageSystem => &[Admin],
        Permission::ReadPaymentRoll => &[Reviewer, Decider, TownshipOfficer, Leader],
        Permission::ReadServiceStats => {
            &[Admin, Clerk, Reviewer, Decider, TownshipOfficer, LegalReviewer, EnforcementOfficer, Leader]
        }
        Permission::CheckMaritalRegistry => &[Clerk, Reviewer, Decider],
        Permission::RecordDeath => &[Clerk, Decider],
        Permission::AdjustAssistance => &[Decider],
        // 建议提案办理 (suggestions)
        Permission::ReadSuggestions => &[Clerk, Reviewer, Decider, Leader],
        Permission::HandleSuggestions => &[Clerk, Reviewer, Decider],
        Permission::ApproveSuggestionReply => &[Leader],
        // 重大行政决策和规范性文件 (rule_making).
        Permission::ManageRules => &[Clerk, Reviewer, Decider],
        Permission::ReviewRuleLegality => &[LegalReviewer],
        Permission::DecideRules => &[Decider, Leader],
        // 行政执法 (enforcement).
        Permission::ManageEnforcementOfficers => &[Admin, Leader],
        Permission::ReadEnforcement => &[Admin, Decider, LegalReviewer, EnforcementOfficer, Leader],
        Permission::EnforceCases => &[EnforcementOfficer],
        Permission::ReviewEnforcement => &[LegalReviewer],
        Permission::DecideEnforcement => &[Decider, Leader],
        // 社会组织登记.
        Permission::ReadSocialOrgs => &[Admin, Clerk, Reviewer, Decider, LegalReviewer, EnforcementOfficer, Leader],
        Permission::ManageSocialOrgs => &[Clerk, Reviewer, Decider],
        // 法治政府建设台账 (rule_of_law).
        Permission::ReadRuleOfLaw => &[Admin, Clerk, Reviewer, Decider, LegalReviewer, Leader],
        Permission::WriteRuleOfLaw => &[LegalReviewer],
        // 法治政府建设年度报告.
        Permission::ReadReport => &[Admin, Clerk, Reviewer, Decider, LegalReviewer, Leader],
        Permission::WriteReport => &[LegalReviewer, Leader],
        Permission::PublishReport => &[Leader],
    }
}

/// Who is acting: an authenticated account with its grants, or the system itself (the sweep).
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: i64,
    pub username: String,
    pub grants: Vec<Grant>,
}

impl Actor {
    /// The label written into the full-process record.
    pub fn label(&self) -> String {
        format!("account:{}:{}", self.account_id, self.username)
    }

    /// True when some grant carrying `permission` reaches `division`.
    pub fn may(&self, permission: Permission, division: &DivisionCode, divisions: &Divisions) -> bool {
        let roles = roles_for(permission);
        self.grants.iter().any(|g| roles.contains(&g.role) && divisions.is_within(division, &g.division))
    }

    /// True when some grant carries `permission`, wherever.
    pub fn may_somewhere(&self, permission: Permission) -> bool {
        let roles = roles_for(permission);
        self.grants.iter().any(|g| roles.contains(&g.role))
    }

    /// The divisions at which this actor holds `permission` (each reaching its subtree): the
    /// filter every list query applies.
    pub fn scope(&self, permission: Permission) -> Vec<DivisionCode> {
        let roles = roles_for(permission);
        let mut codes: Vec<DivisionCode> =
            self.grants.iter().filter(|g| roles.contains(&g.role)).map(|g| g.division.clone()).collect();
        codes.sort();
        codes.dedup();
        codes
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }
}

/// Password rules for staff accounts: at least 10 characters with letters and digits.
/// (GB/T 22239-2019 等保 2.0 asks for complexity and periodic change; the length is our choice.)
pub fn check_password_strength(password: &str) -> Result<(), crate::problem::FieldError> {
    let n = password.chars().count();
    let has_letter = password.chars().any(|c| c.is_alphabetic());
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if !(10..=128).contains(&n) || !has_letter || !has_digit {
        return Err(crate::problem::FieldError::new(
            "password",
            "weak_password",
            "密码须为10至128个字符，且同时包含字母和数字",
        ));
    }
    Ok(())
}

/// Usernames: 3-32 characters of ASCII letters, digits, `_`, `-` and `.`.
pub fn check_username(username: &str) -> Result<String, crate::problem::FieldError> {
    let ok = (3..=32).contains(&username.len())
        && username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok {
        return Err(crate::problem::FieldError::new(
            "username",
            "invalid_username",
            "用户名须为3至32位英文字母、数字、下划线、连字符或点",
        ));
    }
    Ok(username.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    fn actor(role: Role, division: &str) -> Actor {
        Actor { account_id: 1, username: "t".into(), grants: vec![Grant { role, division: code(division) }] }
    }

    #[test]
    fn grant_reaches_down_never_sideways() {
        let divisions = Divisions::builtin();
        let tongchuan_clerk = actor(Role::Clerk, "511702");
        assert!(tongchuan_clerk.may(Permission::ReadPerson, &code("511702"), divisions));
        assert!(tongchuan_clerk.may(Permission::ReadPerson, &code("511702001"), divisions));
        assert!(!tongchuan_clerk.may(Permission::ReadPerson, &code("511703"), divisions));
        assert!(!tongchuan_clerk.may(Permission::ReadPerson, &code("511700"), divisions));
        let city_clerk = actor(Role::Clerk, "511700");
        assert!(city_clerk.may(Permission::ReadPerson, &code("511702"), divisions));
        assert!(city_clerk.may(Permission::ReadPerson, &code("511703"), divisions));
        assert!(!city_clerk.may(Permission::ReadPerson, &code("511800"), divisions));
    }

    #[test]
    fn permission_needs_the_role() {
        let divisions = Divisions::builtin();
        let leader = actor(Role::Leader, "511700");
        assert!(leader.may(Permission::ReadPerson, &code("511702"), divisions));
        assert!(!leader.may(Permission::WritePerson, &code("511702"), divisions));
        assert!(!leader.may(Permission::ManageAccounts, &code("511702"), divisions));
        let citizen = actor(Role::Citizen, "511702");
        assert!(!citizen.may(Permission::ReadPerson, &code("511702"), divisions));
    }

    #[test]
    fn roles_round_trip() {
        for role in ALL_ROLES {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn password_and_username_rules() {
        assert!(check_password_strength("short1").is_err());
        assert!(check_password_strength("onlyletterslong").is_err());
        assert!(check_password_strength("1234567890").is_err());
        assert!(check_password_strength("good-pass-2021").is_ok());
        assert!(check_username("ab").is_err());
        assert!(check_username("clerk.tongchuan").is_ok());
        assert!(check_username("张三").is_err());
        assert!(check_username("a'; drop table x;--").is_err());
    }
}
