//! 主动公开 of rule-making (政府信息公开条例第二十条、第二十六条): the decisions adopted, each
//! with the day its information was formed (the adopting discussion), its publication and the
//! 20-working-day limit; and the normative documents with their publication dates. Public.

use chrono::NaiveDate;
use domain::verticals::rule_making::decision::{Outcome, Step};
use domain::verticals::rule_making::openness::{proactive_due, Disclosure};

use crate::openness::{Column, OpenEntry};
use crate::{App, ServiceResult};

/// One piece of information the organ must publish.
#[derive(Debug, Clone)]
pub struct ProactiveItem {
    pub decision_id: i64,
    /// The organ's division.
    pub division: String,
    pub title: String,
    pub organ: String,
    pub formed: NaiveDate,
    pub due: Option<NaiveDate>,
    pub published: Option<NaiveDate>,
    pub disclosure: Option<Disclosure>,
}

impl App {
    /// The decisions adopted by a collective discussion, newest first, each checked against
    /// 第二十六条 on today (a day outside the calendar leaves the check undecided: `None`).
    pub async fn rule_proactive(&self) -> ServiceResult<Vec<ProactiveItem>> {
        let calendar = self.calendar();
        let today = self.today();
        let mut out = Vec::new();
        for full in self.store.rule_decisions_all().await? {
            let formed = full.steps.iter().rev().find_map(|(s, _)| match s {
                Step::Discussion { on, outcome: Outcome::Adopted, .. } => Some(*on),
                _ => None,
            });
            let Some(formed) = formed else { continue };
            let published = full.steps.iter().find_map(|(s, _)| match s {
                Step::Published { on, .. } => Some(*on),
                _ => None,
            });
            let due = proactive_due(&calendar, formed).ok();
            out.push(ProactiveItem {
                decision_id: full.decision.id,
                division: full.decision.division,
                title: full.decision.title,
                organ: full.decision.organ,
                formed,
                disclosure: due.map(|d| Disclosure::of(d, published, today)),
                due,
                published,
            });
        }
        out.sort_by_key(|i| std::cmp::Reverse(i.formed));
        Ok(out)
    }
}

/// What rule-making adds to the bureau's columns: the decisions adopted (政务公开, published or
/// not: the staff register flags the overdue), and the normative documents in force (both
/// columns: 第二十条第（一）项, and the 法治专栏's list of the rules the bureau applies).
pub(crate) async fn open_entries(app: &App) -> ServiceResult<Vec<OpenEntry>> {
    let mut out: Vec<OpenEntry> = app
        .rule_proactive()
        .await?
        .into_iter()
        .map(|i| OpenEntry {
            column: Column::Proactive,
            category: "重大行政决策",
            basis: "《重大行政决策程序暂行条例》第三十二条；《中华人民共和国政府信息公开条例》第二十条",
            title: i.title,
            division: i.division,
            formed: i.formed,
            published: i.published,
            href: Some("/rule-making/openness".into()),
            own_limit: None,
        })
        .collect();
    for line in app.rule_public_register(None).await? {
        let d = line.row.document;
        let title = format!("{}（{}）", d.title, d.number);
        for (column, category) in [(Column::Proactive, "规范性文件"), (Column::RuleOfLaw, "现行有效的规范性文件")]
        {
            out.push(OpenEntry {
                column,
                category,
                basis: "《中华人民共和国政府信息公开条例》第二十条第（一）项",
                title: title.clone(),
                division: line.row.division.clone(),
                formed: d.published_on,
                published: Some(d.published_on),
                href: Some("/rule-making/register".into()),
                own_limit: None,
            });
        }
    }
    Ok(out)
}
