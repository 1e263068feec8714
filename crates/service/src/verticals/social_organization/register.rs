//! The register's use cases: the list and an organization's page (jurisdiction-scoped, each
//! read an event), the public 公告 (社团条例第二十三条; 民非条例第十八条), the annual inspection
//! as a yearly campaign (社团条例第二十八条; 民非条例第二十三条), the 脱钩 tracker and the
//! figures. Every input is parsed here, once, for the page and the API alike.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::access::{Actor, Permission};
use domain::audit::EventDraft;
use domain::division::DivisionCode;
use domain::problem::FieldError;
use domain::verticals::social_organization::branch::{check_branch, check_close, BranchKind, Opener};
use domain::verticals::social_organization::decoupling::{self, DecouplingStatus, Separation, SeparationDone};
use domain::verticals::social_organization::inspection::{self, InspectionResult, Standing};
use domain::verticals::social_organization::{DirectCategory, OrgStatus, OrgType};
use serde_json::json;
use store::persons::Scope;
use store::verticals::social_organization::{
    Announcement, BranchInput, DecouplingRow, InspectionInput, InspectionRow, OrgFull, OrgRow, RegisterFilter,
    SeparationInput,
};

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The register's list filter as typed (query string or JSON).
#[derive(Debug, Clone, Default)]
pub struct RegisterQuery {
    pub q: String,
    pub org_type: String,
    pub status: String,
}

/// An organization's annual inspection as typed.
#[derive(Debug, Clone, Default)]
pub struct InspectionForm {
    pub year: String,
    pub to_sponsor_on: String,
    pub to_authority_on: String,
    pub result: String,
}

/// One separation of 脱钩 as typed.
#[derive(Debug, Clone, Default)]
pub struct SeparationForm {
    pub former_organ: String,
    pub separation: String,
    pub done_on: String,
    pub evidence: String,
}

/// A branch or representative office as typed (《社会团体登记管理条例》第十七条).
#[derive(Debug, Clone, Default)]
pub struct BranchForm {
    /// `branch` | `representative`.
    pub kind: String,
    pub name: String,
    pub principal: String,
    pub address: String,
    /// `yes` when it would be set up by region (按行政区域设立); `no` or empty otherwise.
    pub regional: String,
    /// Empty when the organization opens it; the name of one of its branches when a branch would.
    pub opened_by_branch: String,
    pub opened_on: String,
}

/// The closing (注销) of a branch or representative office as typed.
#[derive(Debug, Clone, Default)]
pub struct BranchCloseForm {
    /// The name of one of the organization's open branches.
    pub name: String,
    pub closed_on: String,
    /// Why it closes (the organization's resolution).
    pub reason: String,
}

/// A checked closing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchClose {
    pub name: String,
    pub closed_on: NaiveDate,
    pub reason: String,
}

impl BranchCloseForm {
    pub fn parse(&self) -> Result<BranchClose, Vec<FieldError>> {
        let mut problems = Vec::new();
        let name = self.name.trim().to_string();
        if name.is_empty() {
            problems.push(FieldError::new("name", "required", "请选择要注销的分支机构、代表机构"));
        }
        let reason = self.reason.trim().to_string();
        if reason.is_empty() {
            problems.push(FieldError::new("reason", "required", "请填写注销原因"));
        } else if reason.chars().count() > 200 {
            problems.push(FieldError::new("reason", "too_long", "注销原因不能超过200字"));
        }
        let closed_on =
            parse_date("closed_on", "注销日期", &self.closed_on, true).map_err(|e| problems.push(e)).ok().flatten();
        match closed_on {
            Some(closed_on) if problems.is_empty() => Ok(BranchClose { name, closed_on, reason }),
            _ => Err(problems),
        }
    }
}

/// One organization in a campaign: its record and where it stands.
#[derive(Debug, Clone)]
pub struct CampaignLine {
    pub org: OrgRow,
    pub record: Option<InspectionRow>,
    pub standing: Standing,
}

/// A year's campaign: every organization registered before the year, in the jurisdiction.
#[derive(Debug, Clone)]
pub struct Campaign {
    pub year: i32,
    pub sponsor_deadline: NaiveDate,
    pub authority_deadline: NaiveDate,
    pub lines: Vec<CampaignLine>,
}

impl Campaign {
    /// `(result, count)` for the three results.
    pub fn by_result(&self) -> Vec<(InspectionResult, usize)> {
        InspectionResult::ALL
            .into_iter()
            .map(|r| {
                let n = self
                    .lines
                    .iter()
                    .filter(|l| l.record.as_ref().and_then(|x| x.result.as_deref()) == Some(r.as_str()))
                    .count();
                (r, n)
            })
            .collect()
    }

    /// The organizations listed for not reporting.
    pub fn not_reported(&self) -> impl Iterator<Item = &CampaignLine> {
        self.lines.iter().filter(|l| l.standing == Standing::NotReported)
    }
}

/// A 行业协会商会 in the 脱钩 tracker.
#[derive(Debug, Clone)]
pub struct DecouplingLine {
    pub org: OrgRow,
    pub former_organ: String,
    pub done: Vec<DecouplingRow>,
    pub status: DecouplingStatus,
}

/// An organization's page.
#[derive(Debug, Clone)]
pub struct OrgView {
    pub full: OrgFull,
    pub decoupling: DecouplingStatus,
    /// 社团条例第二十九条: flagged for revocation (no activity for a year after the certificate).
    pub dormant: bool,
}

/// The register's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterStats {
    /// `(type, direct, sponsored)` of the organizations registered (any status).
    pub by_type_path: Vec<(OrgType, usize, usize)>,
    /// `(status, count)`.
    pub by_status: Vec<(OrgStatus, usize)>,
    pub inspection_year: i32,
    pub inspections: Vec<(InspectionResult, usize)>,
    pub not_reported: usize,
    pub decoupled: usize,
    pub decoupling_in_progress: usize,
}

pub(super) fn parse_date(
    field: &str,
    label: &str,
    value: &str,
    required: bool,
) -> Result<Option<NaiveDate>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return if required { Err(FieldError::new(field, "required", format!("请填写{label}"))) } else { Ok(None) };
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| FieldError::new(field, "date_format", format!("{label}应为“年-月-日”格式，例如 2021-05-31")))
}

pub(super) fn parse_year(value: &str) -> Result<i32, FieldError> {
    value
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| FieldError::new("year", "year_invalid", "年度应为2000至2100之间的年份"))
}

impl InspectionForm {
    /// One parser for the page and the API: every problem at once.
    pub fn parse(&self, today: NaiveDate) -> Result<InspectionInput, Vec<FieldError>> {
        let mut problems = Vec::new();
        let year = parse_year(&self.year).map_err(|e| problems.push(e)).ok();
        let to_sponsor_on = parse_date("to_sponsor_on", "报送业务主管单位日期", &self.to_sponsor_on, false)
            .map_err(|e| problems.push(e))
            .ok()
            .flatten();
        let to_authority_on = parse_date("to_authority_on", "报送登记管理机关日期", &self.to_authority_on, false)
            .map_err(|e| problems.push(e))
            .ok()
            .flatten();
        let result = match self.result.trim() {
            "" => None,
            r => match InspectionResult::parse(r) {
                Some(r) => Some(r.as_str().to_string()),
                None => {
                    problems.push(FieldError::new("result", "result_unknown", "年检结论应为合格、基本合格或不合格"));
                    None
                }
            },
        };
        for (field, day) in [("to_sponsor_on", to_sponsor_on), ("to_authority_on", to_authority_on)] {
            if day.is_some_and(|d| d > today) {
                problems.push(FieldError::new(field, "date_future", "报送日期不能晚于今天"));
            }
        }
        if let (Some(y), Some(d)) = (year, to_authority_on) {
            if chrono::Datelike::year(&d) < y {
                problems.push(FieldError::new("to_authority_on", "date_before_year", "报送日期早于该年度的年检"));
            }
        }
        if result.is_some() && to_authority_on.is_none() {
            problems.push(FieldError::new("to_authority_on", "required", "作出年检结论前，请填写报送登记管理机关日期"));
        }
        match (problems.is_empty(), year) {
            (true, Some(year)) => Ok(InspectionInput { year, to_sponsor_on, to_authority_on, result }),
            _ => Err(problems),
        }
    }
}

impl SeparationForm {
    pub fn parse(&self, today: NaiveDate) -> Result<SeparationInput, Vec<FieldError>> {
        let mut problems = Vec::new();
        let former_organ = domain::problem::text_field(&self.former_organ, &self.former_organ, 100, true)
            .map_err(|_| FieldError::new("former_organ", "required", "请填写原主管行政机关"));
        let former_organ = former_organ.map_err(|e| problems.push(e)).unwrap_or_default();
        let separation = match Separation::parse(self.separation.trim()) {
            Some(s) => s.as_str().to_string(),
            None => {
                problems.push(FieldError::new(
                    "separation",
                    "separation_unknown",
                    "分离事项应为机构、职能、资产财务、人员管理、党建外事之一",
                ));
                String::new()
            }
        };
        let done_on =
            parse_date("done_on", "完成日期", &self.done_on, true).map_err(|e| problems.push(e)).ok().flatten();
        if done_on.is_some_and(|d| d > today) {
            problems.push(FieldError::new("done_on", "date_future", "完成日期不能晚于今天"));
        }
        let evidence = self.evidence.trim();
        if evidence.is_empty() {
            problems.push(FieldError::new("evidence", "required", "请填写证明材料（文件名称或文号）"));
        } else if evidence.chars().count() > 200 {
            problems.push(FieldError::new("evidence", "too_long", "证明材料不能超过200字"));
        }
        match (problems.is_empty(), done_on) {
            (true, Some(done_on)) => {
                Ok(SeparationInput { former_organ, separation, done_on, evidence: evidence.to_string() })
            }
            _ => Err(problems),
        }
    }
}

/// A checked branch: what is entered, and the facts the rules of 第十七条 ask about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchEntry {
    pub input: BranchInput,
    pub kind: BranchKind,
    pub regional: bool,
    pub by_branch: bool,
}

impl BranchForm {
    pub fn parse(&self, today: NaiveDate) -> Result<BranchEntry, Vec<FieldError>> {
        let mut problems = Vec::new();
        let kind = BranchKind::parse(self.kind.trim());
        if kind.is_none() {
            problems.push(FieldError::new("kind", "branch_kind_unknown", "请选择分支机构或代表机构"));
        }
        let mut text = |field: &str, label: &str, value: &str, max: usize| {
            let v = value.trim();
            if v.is_empty() {
                problems.push(FieldError::new(field, "required", format!("请填写{label}")));
            } else if v.chars().count() > max {
                problems.push(FieldError::new(field, "too_long", format!("{label}不能超过{max}字")));
            }
            v.to_string()
        };
        let name = text("name", "名称", &self.name, 100);
        let principal = text("principal", "负责人", &self.principal, 50);
        let address = text("address", "住所（活动场所）", &self.address, 200);
        let regional = match self.regional.trim() {
            "yes" => true,
            "no" | "" => false,
            _ => {
                problems.push(FieldError::new("regional", "regional_unknown", "请选择是否按行政区域设立"));
                false
            }
        };
        let opened_on =
            parse_date("opened_on", "设立日期", &self.opened_on, true).map_err(|e| problems.push(e)).ok().flatten();
        if opened_on.is_some_and(|d| d > today) {
            problems.push(FieldError::new("opened_on", "date_future", "设立日期不能晚于今天"));
        }
        match (kind, opened_on) {
            (Some(kind), Some(opened_on)) if problems.is_empty() => Ok(BranchEntry {
                input: BranchInput { kind: kind.as_str().into(), name, principal, address, opened_on },
                kind,
                regional,
                by_branch: !self.opened_by_branch.trim().is_empty(),
            }),
            _ => Err(problems),
        }
    }
}

fn separations_of(rows: &[DecouplingRow]) -> Vec<SeparationDone> {
    rows.iter()
        .filter_map(|r| {
            Some(SeparationDone {
                separation: Separation::parse(&r.separation)?,
                on: r.done_on,
                evidence: r.evidence.clone(),
            })
        })
        .collect()
}

impl App {
    fn org_scope(&self, actor: &Actor) -> ServiceResult<Scope> {
        let scope = actor.scope(Permission::ReadSocialOrgs);
        if scope.is_empty() {
            return Err(ServiceError::forbidden());
        }
        Ok(Scope(scope.iter().map(|c| c.to_string()).collect()))
    }

    fn may_read_org(&self, actor: &Actor, org: &OrgRow, permission: Permission) -> bool {
        DivisionCode::parse(&org.premises_division).is_ok_and(|d| actor.may(permission, &d, self.divisions()))
    }

    /// The organizations of the reader's jurisdiction, filtered.
    pub async fn social_orgs(&self, actor: &Actor, query: &RegisterQuery) -> ServiceResult<Vec<OrgRow>> {
        let scope = self.org_scope(actor)?;
        let mut problems = Vec::new();
        let org_type = match query.org_type.trim() {
            "" => None,
            t => OrgType::parse(t).map(|t| t.as_str().to_string()).or_else(|| {
                problems.push(FieldError::new(
                    "org_type",
                    "org_type_unknown",
                    "类型应为社会团体、民办非企业单位或基金会",
                ));
                None
            }),
        };
        let status = match query.status.trim() {
            "" => None,
            s => OrgStatus::parse(s).map(|s| s.as_str().to_string()).or_else(|| {
                problems.push(FieldError::new("status", "status_unknown", "状态应为正常、撤销或注销"));
                None
            }),
        };
        let q = query.q.trim();
        if q.chars().count() > 50 {
            problems.push(FieldError::new("q", "too_long", "查询内容不能超过50字"));
        }
        if !problems.is_empty() {
            return Err(ServiceError::invalid(problems));
        }
        let filter = RegisterFilter { query: (!q.is_empty()).then(|| q.to_string()), org_type, status };
        let rows = self.store.social_orgs(&scope, &filter).await?;
        Ok(rows.into_iter().filter(|o| self.may_read_org(actor, o, Permission::ReadSocialOrgs)).collect())
    }

    pub(super) async fn social_org_load(
        &self,
        actor: &Actor,
        id: i64,
        permission: Permission,
    ) -> ServiceResult<OrgFull> {
        let full = self.store.social_org(id).await.map_err(|e| match e {
            store::StoreError::NotFound => ServiceError::new(ErrorKind::NotFound, "not_found", "该社会组织不存在"),
            other => other.into(),
        })?;
        if !self.may_read_org(actor, &full.org, permission) {
            return Err(ServiceError::forbidden());
        }
        Ok(full)
    }

    /// One organization with its history; the read is an event (it names its legal
    /// representative).
    pub async fn social_org(&self, actor: &Actor, id: i64) -> ServiceResult<OrgView> {
        let full = self.social_org_load(actor, id, Permission::ReadSocialOrgs).await?;
        let event = EventDraft::new(format!("social_org:{id}"), actor.label(), "social_org.read", json!({}))
            .in_division(full.org.premises_division.clone());
        self.store.record(&event, self.now()).await?;
        Ok(self.org_view(full))
    }

    fn org_view(&self, full: OrgFull) -> OrgView {
        let today = self.today();
        let decoupling = decoupling::status(&separations_of(&full.separations), today);
        let dormant = full.org.status == OrgStatus::Normal.as_str()
            && inspection::dormant(full.org.registered_on, full.org.first_activity_on, today)
            && full.org.first_activity_on.is_none()
            && full.inspections.is_empty();
        OrgView { full, decoupling, dormant }
    }

    /// The organization a registration case entered, for whoever sees the case.
    pub async fn social_org_of_case(&self, case_id: i64) -> ServiceResult<Option<OrgFull>> {
        match self.store.social_org_of_case(case_id).await? {
            Some(id) => Ok(Some(self.store.social_org(id).await?)),
            None => Ok(None),
        }
    }

    /// The 公告, public: establishments, changes of name, address or legal representative, and
    /// deregistrations, newest first.
    pub async fn social_org_announcements(&self, limit: i64) -> ServiceResult<Vec<Announcement>> {
        Ok(self.store.social_org_announcements(limit.clamp(1, 500)).await?)
    }

    /// The campaign of `year` in the reader's jurisdiction: every organization that takes part
    /// (registered before the year; a 民办非企业单位 more than six months before its end:
    /// `inspection::takes_part`) and did not end before it, with its record and its standing today.
    pub async fn social_org_campaign(&self, actor: &Actor, year: &str) -> ServiceResult<Campaign> {
        let year = parse_year(year).map_err(|e| ServiceError::invalid(vec![e]))?;
        let orgs = self.social_orgs(actor, &RegisterQuery::default()).await?;
        let records: BTreeMap<i64, InspectionRow> =
            self.store.social_org_inspections(year).await?.into_iter().map(|r| (r.org_id, r)).collect();
        let calendar = self.calendar();
        let calendar_error =
            |e: domain::calendar::CalendarError| ServiceError::new(ErrorKind::Invalid, e.code(), e.to_string());
        let sponsor_deadline = inspection::sponsor_deadline(&calendar, year).map_err(calendar_error)?;
        let authority_deadline = inspection::authority_deadline(&calendar, year).map_err(calendar_error)?;
        let start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| ServiceError::internal("year"))?;
        let today = self.today();
        let mut lines = Vec::new();
        for org in orgs {
            let takes_part =
                OrgType::parse(&org.org_type).is_some_and(|t| inspection::takes_part(t, org.registered_on, year));
            if !takes_part || org.ended_on.is_some_and(|d| d < start) {
                continue;
            }
            let record = records.get(&org.id).cloned();
            let standing =
                inspection::standing(&calendar, year, record.as_ref().and_then(|r| r.to_authority_on), today)
                    .map_err(calendar_error)?;
            lines.push(CampaignLine { org, record, standing });
        }
        Ok(Campaign { year, sponsor_deadline, authority_deadline, lines })
    }

    /// Records an organization's inspection (its reports' dates and the result).
    pub async fn record_social_org_inspection(
        &self,
        actor: &Actor,
        id: i64,
        form: &InspectionForm,
    ) -> ServiceResult<()> {
        let full = self.social_org_load(actor, id, Permission::ManageSocialOrgs).await?;
        let input = form.parse(self.today()).map_err(ServiceError::invalid)?;
        let event = EventDraft::new(
            format!("social_org:{id}"),
            actor.label(),
            "social_org.inspection",
            json!({"year": input.year, "to_sponsor_on": input.to_sponsor_on.map(|d| d.to_string()),
                   "to_authority_on": input.to_authority_on.map(|d| d.to_string()), "result": input.result}),
        )
        .in_division(full.org.premises_division.clone());
        Ok(self.store.put_social_org_inspection(id, &input, &event, self.now()).await?)
    }

    /// The 行业协会商会 of the jurisdiction with their 脱钩 (the category, or a separation on record).
    pub async fn social_org_decoupling(&self, actor: &Actor) -> ServiceResult<Vec<DecouplingLine>> {
        let orgs = self.social_orgs(actor, &RegisterQuery::default()).await?;
        let mut by_org: BTreeMap<i64, Vec<DecouplingRow>> = BTreeMap::new();
        for row in self.store.social_org_separations().await? {
            by_org.entry(row.org_id).or_default().push(row);
        }
        let today = self.today();
        let trade = DirectCategory::TradeAssociation.as_str();
        let tracked: Vec<OrgRow> =
            orgs.into_iter().filter(|o| o.category.as_deref() == Some(trade) || by_org.contains_key(&o.id)).collect();
        Ok(tracked
            .into_iter()
            .map(|org| {
                let done = by_org.remove(&org.id).unwrap_or_default();
                let status = decoupling::status(&separations_of(&done), today);
                let former_organ = done.first().map(|d| d.former_organ.clone()).unwrap_or_default();
                DecouplingLine { org, former_organ, done, status }
            })
            .collect())
    }

    /// Enters a branch or representative office of an organization in the register: only a
    /// registered (正常) organization, never a regional branch of a social group, never one opened
    /// by a branch, none at all for a 民办非企业单位 (社团条例第十七条; 民非条例第十三条), and no
    /// two open ones of the same name.
    pub async fn record_social_org_branch(&self, actor: &Actor, id: i64, form: &BranchForm) -> ServiceResult<()> {
        let full = self.social_org_load(actor, id, Permission::ManageSocialOrgs).await?;
        let entry = form.parse(self.today()).map_err(ServiceError::invalid)?;
        let opener = form.opened_by_branch.trim();
        if !opener.is_empty() && !full.branches.iter().any(|b| b.name == opener && b.closed_on.is_none()) {
            return Err(ServiceError::new(ErrorKind::Invalid, "branch_unknown", "该社会组织没有这个分支机构")
                .with_field("opened_by_branch"));
        }
        if full.org.status != OrgStatus::Normal.as_str() {
            return Err(ServiceError::new(
                ErrorKind::Conflict,
                "org_not_registered",
                "该社会组织已被撤销或注销，不能设立分支机构、代表机构",
            ));
        }
        let org_type = OrgType::parse(&full.org.org_type).ok_or_else(|| {
            ServiceError::new(ErrorKind::Invalid, "org_type_unknown", "类型应为社会团体、民办非企业单位或基金会")
        })?;
        check_branch(Opener { org_type, is_branch: entry.by_branch }, entry.kind, entry.regional).map_err(|r| {
            let field = match r.code {
                "regional_branch" => "regional",
                "branch_of_branch" => "opened_by_branch",
                _ => "kind",
            };
            crate::cases::refusal_error(r).with_field(field)
        })?;
        if full.branches.iter().any(|b| b.name == entry.input.name && b.closed_on.is_none()) {
            return Err(ServiceError::new(
                ErrorKind::Conflict,
                "branch_name_taken",
                "该社会组织已有同名的分支机构、代表机构",
            )
            .with_field("name"));
        }
        let event = EventDraft::new(
            format!("social_org:{id}"),
            actor.label(),
            "social_org.branch",
            json!({"kind": entry.input.kind, "name": entry.input.name, "opened_on": entry.input.opened_on.to_string()}),
        )
        .in_division(full.org.premises_division.clone());
        Ok(self.store.put_social_org_branch(id, &entry.input, &event, self.now()).await?)
    }

    /// Records the closing (注销) of one of an organization's open branches or representative
    /// offices (the group closes its own part: 社团条例第十七条第一款): not before it opened, not on
    /// a day to come; a closed one stays in the register with its day.
    pub async fn close_social_org_branch(&self, actor: &Actor, id: i64, form: &BranchCloseForm) -> ServiceResult<()> {
        let full = self.social_org_load(actor, id, Permission::ManageSocialOrgs).await?;
        let close = form.parse().map_err(ServiceError::invalid)?;
        let named: Vec<_> = full.branches.iter().filter(|b| b.name == close.name).collect();
        if named.is_empty() {
            return Err(ServiceError::new(ErrorKind::Invalid, "branch_unknown", "该社会组织没有这个分支机构")
                .with_field("name"));
        }
        let Some(open) = named.iter().find(|b| b.closed_on.is_none()) else {
            return Err(ServiceError::new(ErrorKind::Conflict, "branch_closed", "该分支机构、代表机构已经注销")
                .with_field("name"));
        };
        check_close(open.opened_on, close.closed_on, self.today())
            .map_err(|r| crate::cases::refusal_error(r).with_field("closed_on"))?;
        let event = EventDraft::new(
            format!("social_org:{id}"),
            actor.label(),
            "social_org.branch_closed",
            json!({"name": close.name, "closed_on": close.closed_on.to_string(), "reason": close.reason}),
        )
        .in_division(full.org.premises_division.clone());
        if self.store.close_social_org_branch(id, &close.name, close.closed_on, &event, self.now()).await? {
            Ok(())
        } else {
            // Closed by another request between the read and the write.
            Err(ServiceError::new(ErrorKind::Conflict, "branch_closed", "该分支机构、代表机构已经注销")
                .with_field("name"))
        }
    }

    /// Records one of the five separations of an association.
    pub async fn record_social_org_separation(
        &self,
        actor: &Actor,
        id: i64,
        form: &SeparationForm,
    ) -> ServiceResult<()> {
        let full = self.social_org_load(actor, id, Permission::ManageSocialOrgs).await?;
        let input = form.parse(self.today()).map_err(ServiceError::invalid)?;
        if full.separations.iter().any(|s| s.separation == input.separation) {
            return Err(ServiceError::new(
                ErrorKind::Conflict,
                "separation_recorded",
                "该分离事项已登记完成，不能重复登记",
            )
            .with_field("separation"));
        }
        let event = EventDraft::new(
            format!("social_org:{id}"),
            actor.label(),
            "social_org.decoupling",
            json!({"separation": input.separation, "done_on": input.done_on.to_string(), "former_organ": input.former_organ}),
        )
        .in_division(full.org.premises_division.clone());
        Ok(self.store.put_social_org_separation(id, &input, &event, self.now()).await?)
    }

    /// An organization by its credit code, for the public verification of its certificate (what
    /// a certificate prints is public: 社团条例第二十三条).
    pub async fn social_org_by_code(&self, code: &str) -> ServiceResult<Option<OrgFull>> {
        let code = code.trim().to_uppercase();
        if code.len() != 18 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Ok(None);
        }
        match self.store.social_org_id_by_code(&code).await? {
            Some(id) => Ok(Some(self.store.social_org(id).await?)),
            None => Ok(None),
        }
    }

    /// The figures of the register, computed from its records.
    pub async fn social_org_stats(&self, actor: &Actor, year: &str) -> ServiceResult<RegisterStats> {
        let campaign = self.social_org_campaign(actor, year).await?;
        let orgs = self.social_orgs(actor, &RegisterQuery::default()).await?;
        let by_type_path = OrgType::ALL
            .into_iter()
            .map(|t| {
                let of_type = orgs.iter().filter(|o| o.org_type == t.as_str());
                let direct = of_type.clone().filter(|o| o.category.is_some()).count();
                (t, direct, of_type.count() - direct)
            })
            .collect();
        let by_status =
            OrgStatus::ALL.into_iter().map(|s| (s, orgs.iter().filter(|o| o.status == s.as_str()).count())).collect();
        let decoupling = self.social_org_decoupling(actor).await?;
        Ok(RegisterStats {
            by_type_path,
            by_status,
            inspection_year: campaign.year,
            inspections: campaign.by_result(),
            not_reported: campaign.not_reported().count(),
            decoupled: decoupling.iter().filter(|l| matches!(l.status, DecouplingStatus::Completed { .. })).count(),
            decoupling_in_progress: decoupling
                .iter()
                .filter(|l| matches!(l.status, DecouplingStatus::InProgress { .. }))
                .count(),
        })
    }
}

/// Loading a register kept before this system (the operator's import, as `minzheng marriage import`
/// loads past registrations): one transaction each, all or nothing.
impl App {
    /// The organizations of a register kept before this system, with their first versions: their
    /// ids and credit codes, in order.
    pub async fn import_social_orgs(
        &self,
        orgs: &[store::verticals::social_organization::NewOrg],
    ) -> ServiceResult<Vec<(i64, String)>> {
        Ok(self.store.import_social_orgs(orgs, self.now()).await?)
    }

    /// Their past annual inspections and 脱钩 separations.
    pub async fn import_social_org_history(
        &self,
        inspections: &[(i64, store::verticals::social_organization::InspectionInput)],
        separations: &[(i64, store::verticals::social_organization::SeparationInput)],
    ) -> ServiceResult<()> {
        self.store.import_social_org_history(inspections, separations, self.now()).await?;
        Ok(())
    }
}
