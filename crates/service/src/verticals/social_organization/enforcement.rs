//! From the annual inspection's list to enforcement cases (立案): the staff choose, on the list of
//! organizations that did not report by the authority's date, the ones to open a 行政处罚 case on,
//! and the two officers; each case is filed through the enforcement area's own
//! [`App::enforcement_file`] (its checks, its transaction, its event), with the organization as the
//! party and the basis of its type (`sanction::BASES`: 社团条例第三十条第一款第三项; 民非条例
//! 第二十五条; 基金会管理条例第四十二条). The list shows which are opened: a case is recognized by
//! its party's credit code and its 案由, which names the year ([`sanction::case_violation`]); no
//! second record is kept, so the list and the cases cannot disagree.
//!
//! Each case is its own record in its own transaction. If one filing fails, those before it stay
//! opened and are shown; the action run again leaves them and opens the rest.

use std::collections::{BTreeMap, BTreeSet};

use domain::access::{Actor, Permission};
use domain::division::DivisionCode;
use domain::organization::OrganizationInput;
use domain::problem::FieldError;
use domain::verticals::social_organization::{sanction, OrgType};

use super::register::{parse_date, parse_year, Campaign};
use crate::verticals::enforcement::{FileInput, Party};
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The staff's choice on the campaign's list, as typed (the page's form and the API).
#[derive(Debug, Clone, Default)]
pub struct OpenCasesForm {
    pub year: String,
    /// The chosen organizations' ids.
    pub orgs: Vec<String>,
    /// The enforcement officers assigned, at least two (行政处罚法第四十二条).
    pub officers: Vec<String>,
    /// 立案日期; empty: today.
    pub filed_on: String,
}

/// What the action did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenedCases {
    /// `(organization, case)` opened now.
    pub opened: Vec<(i64, i64)>,
    /// `(organization, case)` opened before for the same year, left as they were.
    pub already: Vec<(i64, i64)>,
}

fn ids(values: &[String], field: &str, problems: &mut Vec<FieldError>, message: &str) -> Vec<i64> {
    let mut out = Vec::new();
    for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        match v.parse::<i64>() {
            Ok(id) if id > 0 => out.push(id),
            _ => problems.push(FieldError::new(field, "choice_unknown", message)),
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl App {
    /// The enforcement cases opened on the campaign's organizations for not taking part in its
    /// year's inspection: organization id → case id, as far as the reader may read enforcement
    /// cases (empty for one who may not).
    pub async fn social_org_enforcement_cases(
        &self,
        actor: &Actor,
        campaign: &Campaign,
    ) -> ServiceResult<BTreeMap<i64, i64>> {
        if !actor.may_somewhere(Permission::ReadEnforcement) {
            return Ok(BTreeMap::new());
        }
        let wanted: BTreeMap<(String, String), i64> = campaign
            .lines
            .iter()
            .filter_map(|l| {
                let basis = sanction::inspection_basis(OrgType::parse(&l.org.org_type)?);
                Some(((l.org.credit_code.clone(), sanction::case_violation(basis, campaign.year)), l.org.id))
            })
            .collect();
        let mut found = BTreeMap::new();
        for view in self.enforcement_cases(actor).await? {
            let case = &view.full.case;
            let Party::Organization { uscc, .. } = &case.party else { continue };
            if let Some(org) = wanted.get(&(uscc.clone(), case.violation.clone())) {
                found.entry(*org).or_insert(case.id);
            }
        }
        Ok(found)
    }

    /// Opens an enforcement case on each chosen organization of the year's list of those that did
    /// not report: the caller may open cases (`EnforceCases`) where each organization's
    /// registration authority is (the enforcement body) and read it; every chosen one is on the
    /// list; the day of filing is after the authority's date. Not reporting is a continuing state
    /// (行政处罚法第三十六条第二款): it lasts until the case is filed, so that day is the day the act
    /// is taken as ended [interpretation]. An organization with a case for that year already is
    /// left as it is.
    pub async fn open_social_org_enforcement(&self, actor: &Actor, form: &OpenCasesForm) -> ServiceResult<OpenedCases> {
        if !actor.may_somewhere(Permission::EnforceCases) {
            return Err(ServiceError::forbidden());
        }
        let mut problems = Vec::new();
        let year = parse_year(&form.year).map_err(|e| problems.push(e)).ok();
        let chosen = ids(&form.orgs, "orgs", &mut problems, "请从逾期未报送名单中选择社会组织");
        if chosen.is_empty() && problems.iter().all(|p| p.field != "orgs") {
            problems.push(FieldError::new("orgs", "required", "请至少选择一个逾期未报送的社会组织"));
        }
        let officers = ids(&form.officers, "officers", &mut problems, "请从执法人员名录中选择执法人员");
        let filed_on = match parse_date("filed_on", "立案日期", &form.filed_on, false) {
            Ok(day) => day.unwrap_or_else(|| self.today()),
            Err(e) => {
                problems.push(e);
                self.today()
            }
        };
        let (Some(year), true) = (year, problems.is_empty()) else { return Err(ServiceError::invalid(problems)) };

        let mut orgs = Vec::new();
        for id in chosen {
            let full = self.social_org_load(actor, id, Permission::ReadSocialOrgs).await?;
            let body = DivisionCode::parse(&full.org.authority_division).map_err(|_| ServiceError::forbidden())?;
            self.authorize(actor, Permission::EnforceCases, &body)?;
            orgs.push(full.org);
        }
        let campaign = self.social_org_campaign(actor, &year.to_string()).await?;
        if filed_on <= campaign.authority_deadline {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "filed_before_deadline",
                format!(
                    "{year}年度报送登记管理机关的截止日是{}，立案日期应在其后",
                    campaign.authority_deadline.format("%Y年%-m月%-d日")
                ),
            )
            .with_field("filed_on"));
        }
        let listed: BTreeSet<i64> = campaign.not_reported().map(|l| l.org.id).collect();
        let unlisted: Vec<&str> = orgs.iter().filter(|o| !listed.contains(&o.id)).map(|o| o.name.as_str()).collect();
        if !unlisted.is_empty() {
            return Err(ServiceError::new(
                ErrorKind::Invalid,
                "org_not_listed",
                format!("{}不在{year}年度逾期未报送名单中，不能据此立案", unlisted.join("、")),
            )
            .with_field("orgs"));
        }
        let before = self.social_org_enforcement_cases(actor, &campaign).await?;
        let mut done = OpenedCases::default();
        for org in &orgs {
            if let Some(case) = before.get(&org.id) {
                done.already.push((org.id, *case));
                continue;
            }
            let org_type = OrgType::parse(&org.org_type).ok_or_else(|| ServiceError::internal("org_type"))?;
            let input = FileInput {
                division: org.authority_division.clone(),
                organization: Some(OrganizationInput {
                    name: org.name.clone(),
                    credit_code: org.credit_code.clone(),
                    representative: Some(org.legal_rep_name.clone()).filter(|n| !n.trim().is_empty()),
                    division: org.premises_division.clone(),
                }),
                person: None,
                violation: sanction::case_violation(sanction::inspection_basis(org_type), year),
                filed_on: filed_on.to_string(),
                act_ended_on: filed_on.to_string(),
                harmful: false,
                major: false,
                officers: officers.clone(),
            };
            let case = self.enforcement_file(actor, &input).await?;
            done.opened.push((org.id, case));
        }
        Ok(done)
    }
}
