//! The bureau's 政务公开 column and its 法治政府建设 column, whatever area the information
//! comes from: each area says what it publishes (its arm of [`crate::verticals::open_entries`]),
//! read from its own records, never typed twice; this module adds the annual reports, checks
//! every piece against the limit of 《中华人民共和国政府信息公开条例》第二十六条 (20 working days
//! from the day the information was formed or changed) and answers the public page (what is
//! published) and the staff register (everything, the overdue flagged).

use chrono::{DateTime, NaiveDate, Utc};
use domain::access::{Actor, Permission};
use domain::division::DivisionCode;
use domain::openness::{proactive_due, PublishState, PROACTIVE_BASIS};
use domain::vertical::Vertical;
use store::persons::Scope;

use crate::{App, ServiceError, ServiceResult};

/// The column a piece of information is listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// 政务公开: what 政府信息公开条例 第十九条、第二十条 ask the organ to publish of its own motion.
    Proactive,
    /// 法治政府建设专栏: the annual reports, the normative documents in force, the public parts of
    /// the rule-of-law registers.
    RuleOfLaw,
}

impl Column {
    pub fn name_zh(self) -> &'static str {
        match self {
            Column::Proactive => "政务公开",
            Column::RuleOfLaw => "法治政府建设",
        }
    }
}

/// One piece of information an area publishes, as the area states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenEntry {
    pub column: Column,
    /// The 栏目 (重大行政决策, 行政执法公示 …), also the group on the page.
    pub category: &'static str,
    /// Why it is published: the statute and article.
    pub basis: &'static str,
    pub title: String,
    /// The organ's (or the record's) division.
    pub division: String,
    /// The day the information was formed or last changed (第二十六条).
    pub formed: NaiveDate,
    /// The day it became public, if it has.
    pub published: Option<NaiveDate>,
    /// Its public page, if it has one.
    pub href: Option<String>,
    /// A limit of its own law where one is stricter or other than 第二十六条 (a penalty
    /// decision's 7 working days, a report's 1 April): the last day and the source; `None`: the
    /// 20 working days of 第二十六条. `Some((None, _))`: the calendar could not count it.
    pub own_limit: Option<(Option<NaiveDate>, &'static str)>,
}

/// An entry checked against 第二十六条 on today.
#[derive(Debug, Clone)]
pub struct OpenLine {
    pub entry: OpenEntry,
    /// The division's full name.
    pub organ: String,
    /// The last day to publish; `None` when the calendar holds no data for the period (the
    /// check is undecided, never guessed).
    pub due: Option<NaiveDate>,
    /// The source of the limit applied.
    pub limit_basis: &'static str,
    pub state: Option<PublishState>,
}

impl OpenLine {
    /// Published late, or unpublished past its due day.
    pub fn is_late(&self) -> bool {
        self.state.is_some_and(PublishState::is_late)
    }
}

/// The Shanghai day of a stored instant (a record entered in a register is public from then).
pub fn day_of_ms(ms: i64) -> Option<NaiveDate> {
    DateTime::<Utc>::from_timestamp_millis(ms).map(domain::calendar::shanghai_date)
}

impl App {
    /// Every province's code: the scope of a public list that spans the whole tree.
    pub(crate) fn whole_tree(&self) -> Scope {
        Scope(self.divisions().iter().filter(|d| d.parent.is_none()).map(|d| d.code.to_string()).collect())
    }

    /// Every entry of every area, and the published annual reports, checked on today.
    async fn open_lines(&self) -> ServiceResult<Vec<OpenLine>> {
        let mut entries = Vec::new();
        for vertical in Vertical::ALL {
            entries.extend(crate::verticals::open_entries(self, vertical).await?);
        }
        for report in self.published_reports().await? {
            let Some(published) = report.row.published.as_ref().and_then(|p| day_of_ms(p.at_ms)) else { continue };
            entries.push(OpenEntry {
                column: Column::RuleOfLaw,
                category: "法治政府建设年度报告",
                basis: "《法治政府建设与责任落实督察工作规定》第二十五条",
                title: format!("{}年度法治政府建设情况报告", report.row.year),
                division: report.row.organ.clone(),
                formed: published,
                published: Some(published),
                href: Some(format!("/reports/{}/{}", report.row.organ, report.row.year)),
                own_limit: Some((
                    domain::annual_report::publish_due(report.row.year),
                    "《法治政府建设与责任落实督察工作规定》第二十五条（次年4月1日前公开）",
                )),
            });
        }
        let calendar = self.calendar();
        let today = self.today();
        let mut lines: Vec<OpenLine> = entries
            .into_iter()
            .map(|entry| {
                let (due, limit_basis) = match entry.own_limit {
                    Some((due, basis)) => (due, basis),
                    None => (proactive_due(&calendar, entry.formed).ok(), PROACTIVE_BASIS),
                };
                let organ = DivisionCode::parse(&entry.division)
                    .ok()
                    .and_then(|code| self.divisions().full_name(&code))
                    .unwrap_or_else(|| entry.division.clone());
                OpenLine {
                    state: due.map(|d| PublishState::of(d, entry.published, today)),
                    due,
                    limit_basis,
                    organ,
                    entry,
                }
            })
            .collect();
        // Grouped by category in the order the areas gave them, newest first in each.
        let mut order: Vec<&'static str> = Vec::new();
        for line in &lines {
            if !order.contains(&line.entry.category) {
                order.push(line.entry.category);
            }
        }
        let rank = |c: &str| order.iter().position(|o| *o == c).unwrap_or(usize::MAX);
        lines.sort_by(|a, b| {
            rank(a.entry.category)
                .cmp(&rank(b.entry.category))
                .then_with(|| b.entry.formed.cmp(&a.entry.formed))
                .then_with(|| a.entry.title.cmp(&b.entry.title))
        });
        Ok(lines)
    }

    /// The public column: what has been published, newest first. Public.
    pub async fn open_column(&self, column: Column) -> ServiceResult<Vec<OpenLine>> {
        Ok(self
            .open_lines()
            .await?
            .into_iter()
            .filter(|l| l.entry.column == column && l.entry.published.is_some())
            .collect())
    }

    /// The staff register of 主动公开: every entry of the reader's jurisdiction, the unpublished
    /// included, for whoever reads the organ's report figures (the supervision of 第二十六条).
    pub async fn open_register(&self, actor: &Actor) -> ServiceResult<Vec<OpenLine>> {
        if !actor.may_somewhere(Permission::ReadReport) {
            return Err(ServiceError::forbidden());
        }
        let divisions = self.divisions();
        Ok(self
            .open_lines()
            .await?
            .into_iter()
            .filter(|l| {
                DivisionCode::parse(&l.entry.division)
                    .is_ok_and(|code| actor.may(Permission::ReadReport, &code, divisions))
            })
            .collect())
    }
}
