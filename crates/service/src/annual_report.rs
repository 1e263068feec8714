//! The annual report on building a law-based government (法治政府建设年度报告) of an organ and a
//! year: its indicators (named figures computed from the records, each with its definition and
//! the records it counted), its staff-written narrative in versions with `{{indicator}}`
//! references, publishing (the version frozen with its figures and signed with the record's SM2
//! key) and the drift of a published version's figures from what the records give now.
//!
//! The generic figures (the service catalogue and the service metrics) are computed here; each
//! area adds its own through `verticals::indicators`, one arm per area. The deadlines are in
//! [`domain::annual_report::report_due`] and [`domain::annual_report::publish_due`].

use chrono::{DateTime, NaiveDate, Utc};
use domain::access::{Actor, Grant, Permission, Role};
use domain::annual_report::{self as rules, Drift, FrozenFigure, Indicator};
use domain::audit::EventDraft;
use domain::catalog::ItemKind;
use domain::division::DivisionCode;
use domain::problem::FieldError;
use domain::procedure::LimitUnit;
use domain::vertical::Vertical;
use serde_json::json;
use store::annual_report::{Published, ReportVersionRow};
use store::StoreError;

use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The longest narrative accepted (characters).
pub const MAX_BODY_CHARS: usize = 60_000;

/// The figures of an organ's year, as a reader sees them.
#[derive(Debug, Clone)]
pub struct Figures {
    pub organ: String,
    pub organ_name: String,
    pub year: i32,
    pub indicators: Vec<Indicator>,
}

impl Figures {
    pub fn get(&self, key: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.key == key)
    }

    /// The narrative with every reference replaced by its current value.
    pub fn render(&self, body: &str) -> String {
        rules::render_plain(body, |k| self.get(k).map(Indicator::display))
    }
}

/// What the report's charts draw, over the organ's jurisdiction and the year (to today when the
/// year is not over): the same aggregates as the dashboard, no records.
#[derive(Debug, Clone, Default)]
pub struct ReportCharts {
    /// Cases submitted, closed and closed on time, by month.
    pub months: Vec<crate::dashboard::MonthLoad>,
    /// Cases submitted by cross-region class: (key, 中文 name, count).
    pub cross: Vec<(String, String, i64)>,
    /// Time used against the limit, by item (items with cases closed in the year).
    pub items: Vec<ItemTime>,
}

/// The time an item's cases used against its limit.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemTime {
    pub name: String,
    /// Accepted cases closed in the year that were counted.
    pub cases: i64,
    /// Average working days from acceptance to closing, pauses excluded (as 平均办理用时).
    pub average_workdays: f64,
    /// The item's promised limit in working days (0 for an 即办件 promising 当场).
    pub promised_workdays: Option<u32>,
    /// The item's statutory limit in working days.
    pub statutory_workdays: Option<u32>,
}

/// Averages the working days of closed cases per item: (slug, closed cases) → (cases, average).
pub fn average_by_item<'a>(
    closed: impl IntoIterator<Item = (&'a str, crate::stats::ClosedCases)>,
    calendar: &domain::calendar::WorkCalendar,
) -> Vec<(String, i64, f64)> {
    let mut sums: std::collections::BTreeMap<&str, (i64, i64)> = std::collections::BTreeMap::new();
    for (slug, cases) in closed {
        let Some(accepted) = cases.accepted_on else { continue };
        let pauses = cases.pauses.clone().unwrap_or_default();
        let Ok(days) = calendar.workdays_elapsed(accepted, cases.closed_on, &pauses) else { continue };
        let entry = sums.entry(slug).or_default();
        entry.0 += cases.count;
        entry.1 += i64::from(days) * cases.count;
    }
    sums.into_iter()
        .filter(|(_, (n, _))| *n > 0)
        .map(|(slug, (n, total))| (slug.to_string(), n, total as f64 / n as f64))
        .collect()
}

/// A version of the report with what the reader needs to show it.
#[derive(Debug, Clone)]
pub struct ReportVersion {
    pub row: ReportVersionRow,
    /// The figures published with it (empty for a draft).
    pub frozen: Vec<FrozenFigure>,
}

impl ReportVersion {
    /// The report's own date, the one its document bears under the organ (GB/T 9704-2012 7.3.5,
    /// 成文日期): the day this version was published, or for a draft the day its text was saved;
    /// never the day a file is made from it. Asia/Shanghai.
    pub fn dated(&self) -> Option<NaiveDate> {
        let ms = self.row.published.as_ref().map_or(self.row.saved_at_ms, |p| p.at_ms);
        crate::stats::date_of_ms(ms)
    }
}

/// A published version checked against the records now.
#[derive(Debug, Clone)]
pub struct PublishedCheck {
    pub version: ReportVersion,
    /// Whether the signature verifies over what is stored, with the key stored beside it.
    pub signature_valid: bool,
    /// Whether the key is this platform's own (the one its record's checkpoints are signed with).
    pub own_key: bool,
    pub drift: Vec<Drift>,
}

/// What a published report file (`minzheng report build --format json`) carries for verifying.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SignedReport {
    pub organ: String,
    pub year: i32,
    pub version: i64,
    /// The exact JSON signed.
    pub signed: String,
    pub signature: String,
    pub public_key: String,
}

fn year_checked(year: i32) -> ServiceResult<i32> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(ServiceError::invalid(vec![FieldError::new("year", "invalid_year", "年度应在2000年至2100年之间")]))
    }
}

impl App {
    /// The organ's leader as the figures see it: the organ's whole jurisdiction. Used to compute
    /// the figures of the organ (the same for every reader); the records each lists are then cut
    /// to the reader's grants.
    fn organ_reader(organ: &DivisionCode) -> Actor {
        Actor {
            account_id: 0,
            username: "法治政府建设年度报告".into(),
            grants: vec![Grant { role: Role::Leader, division: organ.clone() }],
        }
    }

    fn report_organ(&self, organ: &str) -> ServiceResult<(DivisionCode, String)> {
        let code = self.division("organ", organ)?;
        let name = self.divisions().get(&code).map(|d| d.name.clone()).unwrap_or_default();
        Ok((code, format!("{name}民政局")))
    }

    /// The indicators of `organ`'s `year`. `reader` None: the public (figures only, no records);
    /// a reader must hold [`Permission::ReadReport`] at the organ, and sees the records counted
    /// that lie within its grants.
    pub async fn report_figures(&self, reader: Option<&Actor>, organ: &str, year: i32) -> ServiceResult<Figures> {
        let year = year_checked(year)?;
        let (code, organ_name) = self.report_organ(organ)?;
        if let Some(reader) = reader {
            self.authorize(reader, Permission::ReadReport, &code)?;
        }
        let leader = Self::organ_reader(&code);
        let mut indicators = self.generic_indicators(&leader, &code, year).await?;
        for vertical in Vertical::ALL {
            indicators.extend(crate::verticals::indicators(self, vertical, &leader, &code, year).await?);
        }
        let divisions = self.divisions();
        for indicator in &mut indicators {
            indicator.records.retain(|r| match (reader, DivisionCode::parse(&r.division)) {
                (Some(reader), Ok(division)) => reader.may(Permission::ReadReport, &division, divisions),
                _ => false,
            });
        }
        Ok(Figures { organ: code.to_string(), organ_name, year, indicators })
    }

    /// The figures of the service catalogue and the service metrics (政务服务指标) of the year.
    async fn generic_indicators(
        &self,
        _leader: &Actor,
        organ: &DivisionCode,
        year: i32,
    ) -> ServiceResult<Vec<Indicator>> {
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
        let on = last.min(self.today());
        let items = self.catalog.items_on(on);
        let centre = |kind: ItemKind| items.iter().filter(|i| i.city_centre && i.kind == kind).count() as i64;
        let mut out = vec![
            Indicator::total(
                "service:centre_licenses",
                "集中到市政务服务中心办理的行政许可事项",
                "统计截止日（年度最后一天或今天）在用的事项目录中，类别为行政许可、在市政务服务中心办理的事项数。",
                centre(ItemKind::AdministrativeLicense),
            )
            .at("/guide"),
            Indicator::total(
                "service:centre_public_services",
                "集中到市政务服务中心办理的公共服务事项",
                "统计截止日在用的事项目录中，类别为公共服务、在市政务服务中心办理的事项数。",
                centre(ItemKind::PublicService),
            )
            .at("/guide"),
        ];
        // The service metrics of the items the organ's report speaks of: those handled at the
        // city service centre (统计截止日在用), with the claims and publications at the organ.
        // Only the items an organ of the organ's level handles (a county's report does not count
        // an item only the city handles).
        let levels = crate::stats::levels_of(std::slice::from_ref(organ), self.divisions());
        let centre_items: Vec<&domain::catalog::ServiceItem> =
            crate::stats::items_at(&items, &levels).into_iter().filter(|i| i.city_centre).collect();
        let end_ms = crate::stats::day_start_ms(on.succ_opt().unwrap_or(on));
        let publications = self.store.publications(None).await?;
        let (claim, publish) =
            crate::stats::publication_rates(&centre_items, &publications, &[organ.to_string()], end_ms);
        out.push(self.instant_cases_indicator(organ, year, end_ms).await?);
        out.push(situational_indicator(&centre_items, organ));
        out.push(self.accuracy_indicator(&centre_items, organ, year, end_ms).await?);
        let centre_note = "（按在市政务服务中心办理的事项计）";
        for (m, label) in [
            (crate::stats::promise_compression(&centre_items, LimitUnit::Workday), "办理时限压缩幅度"),
            (crate::stats::instant_share_by_items(&centre_items), "即办率"),
            (claim, "事项认领率"),
            (publish, "事项发布率"),
            (crate::stats::full_online_rate(&centre_items), "全程网办率"),
        ]
        .map(|(m, label)| (crate::stats::at_levels(m, &levels), label))
        {
            out.push(
                Indicator::rate(
                    &format!("service:{}", m.key),
                    label,
                    &format!("{}{centre_note}", m.definition),
                    m.numerator,
                    m.denominator,
                )
                .at("/dashboard"),
            );
        }
        // 好差评 by indicator, online and on site (国办发〔2019〕51号): the ratings of the year
        // given on cases of the organ's jurisdiction.
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(last);
        let scope = store::persons::Scope(vec![organ.to_string()]);
        let divisions = self.divisions();
        let groups: Vec<_> = self
            .store
            .rating_dimension_groups(crate::stats::day_start_ms(first), end_ms, &scope)
            .await?
            .into_iter()
            .filter(|g| {
                crate::stats::in_scope(
                    &g.accepting_division,
                    &g.competent_division,
                    std::slice::from_ref(organ),
                    divisions,
                )
            })
            .collect();
        for m in crate::stats::dimension_satisfaction(&groups) {
            out.push(
                Indicator::rate(&format!("service:{}", m.key), m.name, &m.definition, m.numerator, m.denominator)
                    .at("/dashboard"),
            );
        }
        Ok(out)
    }

    /// 即办率（按办件量）: of the cases submitted in the year at the organ's own windows (the city
    /// service centre) for its items there, those of an 即办件 (complete materials handled on the
    /// spot, 承诺时限 0). The records are the 即办 cases.
    async fn instant_cases_indicator(&self, organ: &DivisionCode, year: i32, end_ms: i64) -> ServiceResult<Indicator> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        let start = crate::stats::day_start_ms(first);
        let scope = store::persons::Scope(vec![organ.to_string()]);
        // The item version of a case at the organ's windows, when it is handled at the centre.
        let centre_item = |accepting: &str, slug: &str, version: i64| {
            let version = u32::try_from(version).ok()?;
            (accepting == organ.as_str()).then(|| self.catalog.get(slug, version)).flatten().filter(|i| i.city_centre)
        };
        let instant_item = |accepting: &str, slug: &str, version: i64| {
            centre_item(accepting, slug, version).filter(|i| i.case_type == domain::catalog::CaseType::Instant)
        };
        // The denominator from the counts kept by item version; the numerator's records read by
        // their items only (a year of a million cases is not read to list a few 即办件).
        let groups = self.store.submitted_counts(start, end_ms, &scope).await?;
        let submitted = || groups.iter().filter(|g| !g.draft);
        let total: i64 = submitted()
            .filter(|g| centre_item(&g.accepting_division, &g.item_slug, g.item_version).is_some())
            .map(|g| g.count)
            .sum();
        let slugs: std::collections::BTreeSet<&str> = submitted()
            .filter(|g| instant_item(&g.accepting_division, &g.item_slug, g.item_version).is_some())
            .map(|g| g.item_slug.as_str())
            .collect();
        let slugs: Vec<&str> = slugs.into_iter().collect();
        let rows = self.store.cases_submitted_of_items(start, end_ms, &slugs, &scope).await?;
        let mut instant = Vec::new();
        for row in rows.iter().filter(|r| r.columns.status != "draft") {
            let c = &row.columns;
            if let Some(item) = instant_item(&c.accepting_division, &c.item_slug, c.item_version) {
                instant.push(domain::annual_report::CountedRecord {
                    label: format!("{}（{}）", row.number, item.name),
                    date: crate::stats::date_of_ms(row.columns.submitted_at_ms)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    href: format!("/cases/{}", row.id),
                    division: row.columns.accepting_division.clone(),
                });
            }
        }
        Ok(Indicator::rate(
            "service:instant_share_cases",
            "即办率",
            "统计年度内（截至统计截止日）在市政务服务中心（本机关窗口受理）提交的、在市政务服务中心办理的事项的办件中，\
             所办事项版本的办件类型为即办件（材料齐全的当场办结，承诺办结时限为0）的办件数 ÷ 这些办件数（草稿不计）。\
             按办件量计；按事项计的即办件占比另见“即办件占比（按事项）”。",
            instant.len() as i64,
            total,
        )
        .with_records(instant)
        .at("/dashboard"))
    }

    /// 准确率: the items whose guide's latest review in the year, of the version in force at
    /// the cut-off, found every element right, over the items (an item not reviewed is not
    /// counted accurate). The records are those reviews.
    async fn accuracy_indicator(
        &self,
        items: &[&domain::catalog::ServiceItem],
        organ: &DivisionCode,
        year: i32,
        end_ms: i64,
    ) -> ServiceResult<Indicator> {
        let first = crate::stats::day_start_ms(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default());
        let mut accurate = Vec::new();
        for item in items {
            let reviews = self.guide_reviews(&item.slug, organ.as_str(), end_ms).await?;
            let latest =
                reviews.iter().rev().find(|r| r.at_ms >= first && r.item_version == i64::from(item.version.number));
            if let Some(review) = latest.filter(|r| r.review.accurate()) {
                accurate.push(domain::annual_report::CountedRecord {
                    label: format!("{}：{}", item.name, review.review.summary()),
                    date: review.date().map(|d| d.to_string()).unwrap_or_default(),
                    href: format!("/guide/{}", item.slug),
                    division: organ.to_string(),
                });
            }
        }
        Ok(Indicator::rate(
            "service:guide_accuracy",
            "准确率",
            &format!(
                "统计截止日在用、在市政务服务中心办理的事项中，统计年度内最近一次办事指南要素核查（核对在用版本的{}项要素：{}）\
                 全部要素准确的事项数 ÷ 事项数；年度内未经核查的事项不计为准确。（按在市政务服务中心办理的事项计）",
                domain::catalog::guide::ELEMENTS.len(),
                domain::catalog::guide::ELEMENTS.iter().map(|(_, n)| *n).collect::<Vec<_>>().join("、")
            ),
            accurate.len() as i64,
            items.len() as i64,
        )
        .with_records(accurate)
        .at("/guide"))
    }

    /// The charts of `organ`'s `year` (public, as the figures): cases by month, time used
    /// against the limit by item, cross-region handling by kind.
    pub async fn report_charts(&self, organ: &str, year: i32) -> ServiceResult<ReportCharts> {
        let year = year_checked(year)?;
        let (code, _) = self.report_organ(organ)?;
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default().min(self.today());
        if last < first {
            return Ok(ReportCharts::default());
        }
        let leader = Self::organ_reader(&code);
        let query = crate::stats::StatsQuery { from: Some(first), to: Some(last), division: Some(code.to_string()) };
        let dashboard = self.dashboard(&leader, &query).await?;
        let cross = dashboard
            .stats
            .metrics
            .iter()
            .find(|m| m.key == "cross_region_cases")
            .map(|m| m.breakdown.clone())
            .unwrap_or_default();
        let items = self.item_times(&code, first, last, false).await?;
        Ok(ReportCharts { months: dashboard.months, cross, items })
    }

    /// The time used by item of [`App::report_charts`] for `organ`'s `year`: from the counts, or
    /// (`by_rows`) from every case closed in the year read row by row — what the counts must
    /// give (tests), and seconds over a million cases.
    pub async fn report_item_times(&self, organ: &str, year: i32, by_rows: bool) -> ServiceResult<Vec<ItemTime>> {
        let year = year_checked(year)?;
        let (code, _) = self.report_organ(organ)?;
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default().min(self.today());
        if last < first {
            return Ok(Vec::new());
        }
        self.item_times(&code, first, last, by_rows).await
    }

    /// The average working days by item of the cases closed from `first` to `last` in the
    /// organ's jurisdiction: from the counts kept by item (`case_agg_closed_items`) and the few
    /// cases with pauses read whole, as the service metrics do; or, `by_rows`, from every closed
    /// case read out.
    async fn item_times(
        &self,
        code: &DivisionCode,
        first: NaiveDate,
        last: NaiveDate,
        by_rows: bool,
    ) -> ServiceResult<Vec<ItemTime>> {
        let start = crate::stats::day_start_ms(first);
        let end = crate::stats::day_start_ms(last.succ_opt().unwrap_or(last));
        let scope = store::persons::Scope(vec![code.to_string()]);
        let (groups, rows) = if by_rows {
            (Vec::new(), self.store.cases_closed_between(start, end, &scope).await?)
        } else {
            (
                self.store.closed_item_counts(start, end, &scope).await?,
                self.store.closed_cases_with_pauses(start, end, &scope).await?,
            )
        };
        let divisions = self.divisions();
        let roots = [code.clone()];
        let in_scope =
            |accepting: &str, competent: &str| crate::stats::in_scope(accepting, competent, &roots, divisions);
        let counted = groups
            .iter()
            .filter(|(_, g)| in_scope(&g.accepting_division, &g.competent_division))
            .filter_map(|(slug, g)| crate::stats::ClosedCases::of_group(g).map(|c| (slug.as_str(), c)));
        let read = rows
            .iter()
            .filter(|r| in_scope(&r.columns.accepting_division, &r.columns.competent_division))
            .filter_map(|r| crate::stats::ClosedCases::of_row(r).map(|c| (r.columns.item_slug.as_str(), c)));
        let closed = counted.chain(read);
        let calendar = self.calendar();
        let workdays =
            |l: &Option<domain::procedure::Limit>| l.as_ref().filter(|l| l.unit == LimitUnit::Workday).map(|l| l.value);
        let items = average_by_item(closed, &calendar)
            .into_iter()
            .filter_map(|(slug, cases, average)| {
                let item = self.item_on(&slug, last).ok()?;
                let promised = workdays(&item.promised_limit).or_else(|| {
                    (item.case_type == domain::catalog::CaseType::Instant && item.promised_limit.is_none()).then_some(0)
                });
                Some(ItemTime {
                    name: item.name.clone(),
                    cases,
                    average_workdays: average,
                    promised_workdays: promised,
                    statutory_workdays: workdays(&item.statutory_limit),
                })
            })
            .collect();
        Ok(items)
    }

    /// The versions of `organ`'s report for `year`, oldest first.
    pub async fn report_versions(&self, actor: &Actor, organ: &str, year: i32) -> ServiceResult<Vec<ReportVersion>> {
        let year = year_checked(year)?;
        let (code, _) = self.report_organ(organ)?;
        self.authorize(actor, Permission::ReadReport, &code)?;
        let rows = self.store.report_versions(code.as_str(), year).await?;
        rows.into_iter().map(version_of).collect()
    }

    /// One version, for a reader of the organ's report.
    pub async fn report_version(&self, actor: &Actor, id: i64) -> ServiceResult<ReportVersion> {
        let row = self.store.report_version(id).await.map_err(not_found)?;
        let code = DivisionCode::parse(&row.organ).map_err(|_| ServiceError::forbidden())?;
        self.authorize(actor, Permission::ReadReport, &code)?;
        version_of(row)
    }

    /// Saves a new version of the narrative. Every `{{key}}` must name an indicator of the report
    /// (a typo would print as a hole in a published report).
    pub async fn report_save(&self, actor: &Actor, organ: &str, year: i32, body: &str) -> ServiceResult<ReportVersion> {
        let year = year_checked(year)?;
        let (code, _) = self.report_organ(organ)?;
        self.authorize(actor, Permission::WriteReport, &code)?;
        let body = body.replace("\r\n", "\n");
        let body = body.trim();
        if body.is_empty() {
            return Err(ServiceError::invalid(vec![FieldError::new("body", "required", "请填写报告正文")]));
        }
        if body.chars().count() > MAX_BODY_CHARS {
            return Err(ServiceError::invalid(vec![FieldError::new(
                "body",
                "too_long",
                format!("报告正文不能超过{MAX_BODY_CHARS}字"),
            )]));
        }
        let figures = self.report_figures(Some(actor), code.as_str(), year).await?;
        let unknown = rules::unknown_keys(body, |k| figures.get(k).is_some());
        if !unknown.is_empty() {
            return Err(ServiceError::invalid(vec![FieldError::new(
                "body",
                "unknown_indicator",
                format!("正文引用了不存在的指标：{}", unknown.join("、")),
            )]));
        }
        let label = actor.label();
        let organ_text = code.to_string();
        let row = self
            .store
            .save_report_version(code.as_str(), year, body, actor.account_id, self.now(), |id, version| {
                EventDraft::new(
                    format!("annual_report:{id}"),
                    label,
                    "annual_report.saved",
                    json!({ "organ": organ_text, "year": year, "version": version }),
                )
                .in_division(organ_text.clone())
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => conflict(),
                other => other.into(),
            })?;
        version_of(row)
    }

    /// Publishes version `id`: freezes its figures as they are now, signs text and figures with
    /// the platform's SM2 key (the key of the record's checkpoints) and makes it public.
    pub async fn report_publish(&self, actor: &Actor, id: i64) -> ServiceResult<ReportVersion> {
        let row = self.store.report_version(id).await.map_err(not_found)?;
        let code = DivisionCode::parse(&row.organ).map_err(|_| ServiceError::forbidden())?;
        self.authorize(actor, Permission::PublishReport, &code)?;
        if row.published.is_some() {
            return Err(ServiceError::new(ErrorKind::Conflict, "report_published", "该版本已经发布，不能再次发布"));
        }
        let figures = self.report_figures(None, &row.organ, row.year).await?;
        let keys: Vec<String> = rules::pieces(&row.body)
            .into_iter()
            .filter_map(|p| match p {
                rules::Piece::Figure(k) => Some(k),
                rules::Piece::Text(_) => None,
            })
            .collect();
        let frozen: Vec<FrozenFigure> = figures
            .indicators
            .iter()
            .filter(|i| keys.contains(&i.key))
            .map(|i| FrozenFigure { key: i.key.clone(), label: i.label.clone(), value: i.display() })
            .collect();
        let now = self.now();
        let figures_json = serde_json::to_string(&frozen).map_err(|e| ServiceError::internal(e.to_string()))?;
        let signed = json!({
            "organ": row.organ,
            "organ_name": figures.organ_name,
            "year": row.year,
            "version": row.version,
            "published_at_ms": now.timestamp_millis(),
            "text": figures.render(&row.body),
            "figures": frozen,
        })
        .to_string();
        let published = Published {
            at_ms: now.timestamp_millis(),
            figures: figures_json,
            signature: self.keys.sign(signed.as_bytes()),
            public_key: self.keys.public_key_hex(),
            signed,
        };
        let event = EventDraft::new(
            format!("annual_report:{id}"),
            actor.label(),
            "annual_report.published",
            json!({ "organ": row.organ, "year": row.year, "version": row.version }),
        )
        .in_division(row.organ.clone());
        let row = self.store.publish_report_version(id, &published, event, now).await.map_err(|e| match e {
            StoreError::Conflict(_) => {
                ServiceError::new(ErrorKind::Conflict, "report_published", "该版本已经发布，不能再次发布")
            }
            other => other.into(),
        })?;
        version_of(row)
    }

    /// The published reports (public), newest year first, the latest version of each.
    pub async fn published_reports(&self) -> ServiceResult<Vec<ReportVersion>> {
        let rows = self.store.published_reports().await?;
        let mut out: Vec<ReportVersion> = Vec::new();
        for row in rows {
            if !out.iter().any(|v| v.row.organ == row.organ && v.row.year == row.year) {
                out.push(version_of(row)?);
            }
        }
        Ok(out)
    }

    /// The published versions of `organ`'s report for `year` (public), oldest first.
    pub async fn published_report_versions(&self, organ: &str, year: i32) -> ServiceResult<Vec<ReportVersion>> {
        let year = year_checked(year)?;
        let (code, _) = self.report_organ(organ)?;
        let rows = self.store.report_versions(code.as_str(), year).await?;
        rows.into_iter().filter(|r| r.published.is_some()).map(version_of).collect()
    }

    /// A published version (public): its signature checked and its figures recomputed now.
    pub async fn published_report(&self, id: i64) -> ServiceResult<PublishedCheck> {
        let row = self.store.report_version(id).await.map_err(not_found)?;
        let Some(published) = row.published.clone() else {
            return Err(ServiceError::not_found("已发布的年度报告"));
        };
        let version = version_of(row)?;
        let figures = self.report_figures(None, &version.row.organ, version.row.year).await?;
        Ok(PublishedCheck {
            signature_valid: store::crypto::verify_signature(
                &published.public_key,
                published.signed.as_bytes(),
                &published.signature,
            ),
            own_key: published.public_key == self.keys.public_key_hex(),
            drift: rules::drift(&version.frozen, &figures.indicators),
            version,
        })
    }

    /// The signed file of a published version (for `minzheng report verify`).
    pub async fn signed_report(&self, id: i64) -> ServiceResult<SignedReport> {
        let row = self.store.report_version(id).await.map_err(not_found)?;
        let Some(p) = row.published else { return Err(ServiceError::not_found("已发布的年度报告")) };
        Ok(SignedReport {
            organ: row.organ,
            year: row.year,
            version: row.version,
            signed: p.signed,
            signature: p.signature,
            public_key: p.public_key,
        })
    }

    /// Checks a signed report file: the signature (with the key it names, and whether that key is
    /// this platform's), then its figures against the records now.
    pub async fn verify_signed_report(&self, file: &SignedReport) -> ServiceResult<(bool, bool, Vec<Drift>)> {
        let valid = store::crypto::verify_signature(&file.public_key, file.signed.as_bytes(), &file.signature);
        let own = file.public_key == self.keys.public_key_hex();
        let frozen: Vec<FrozenFigure> = serde_json::from_str::<serde_json::Value>(&file.signed)
            .ok()
            .and_then(|v| serde_json::from_value(v.get("figures")?.clone()).ok())
            .unwrap_or_default();
        let figures = self.report_figures(None, &file.organ, file.year).await?;
        Ok((valid, own, rules::drift(&frozen, &figures.indicators)))
    }

    /// The current time, for the pages (the clock may be simulated).
    pub fn report_now(&self) -> DateTime<Utc> {
        self.now()
    }
}

/// 情形化率: the items whose guide is organised by 办理情形 ([`domain::catalog::guide::situational`]),
/// over the items. The records are those items.
fn situational_indicator(items: &[&domain::catalog::ServiceItem], organ: &DivisionCode) -> Indicator {
    let situational: Vec<domain::annual_report::CountedRecord> = items
        .iter()
        .filter(|i| domain::catalog::guide::situational(i))
        .map(|i| domain::annual_report::CountedRecord {
            label: format!("{}（{}种办理情形）", i.name, i.situations.len()),
            date: i.version.effective_from.to_string(),
            href: format!("/guide/{}", i.slug),
            division: organ.to_string(),
        })
        .collect();
    Indicator::rate(
        "service:situational_rate",
        "情形化率",
        "统计截止日在用、在市政务服务中心办理的事项中，办事指南按办理情形编排的事项数 ÷ 事项数：事项目录为该事项列明至少一种办理情形，\
         每种情形列明其所需材料，且申请人须提交的每项必要材料（可共享核验的除外）都列在某一情形中。（按在市政务服务中心办理的事项计）",
        situational.len() as i64,
        items.len() as i64,
    )
    .with_records(situational)
    .at("/guide")
}

fn version_of(row: ReportVersionRow) -> ServiceResult<ReportVersion> {
    let frozen = match &row.published {
        Some(p) => serde_json::from_str(&p.figures).map_err(|e| ServiceError::internal(e.to_string()))?,
        None => Vec::new(),
    };
    Ok(ReportVersion { row, frozen })
}

fn not_found(e: StoreError) -> ServiceError {
    match e {
        StoreError::NotFound => ServiceError::not_found("年度报告版本"),
        other => other.into(),
    }
}

fn conflict() -> ServiceError {
    ServiceError::new(ErrorKind::Conflict, "report_conflict", "报告已被他人同时保存，请刷新后重新保存")
}

/// A first narrative for an organ's year with no version yet: the national structure
/// (一、主要举措和成效 by area; 二、存在的不足; 三、下一年度工作计划; 四、主要负责人履行推进法治建设
/// 第一责任人职责情况) and every indicator as one sentence, for staff to rewrite.
pub fn skeleton(figures: &Figures) -> String {
    let mut out = format!("按照要求，现将我局{}年度推进法治政府建设工作开展情况报告如下。\n", figures.year);
    out.push_str("一、主要举措和成效\n");
    for (n, i) in figures.indicators.iter().enumerate() {
        out.push_str(&format!("{}.{}：{{{{{}}}}}。\n", n + 1, i.label, i.key));
    }
    out.push_str("二、存在的不足\n（由起草人填写）\n");
    out.push_str(&format!("三、{}年推进法治政府建设工作计划\n（由起草人填写）\n", figures.year + 1));
    out.push_str("四、主要负责人履行推进法治建设第一责任人职责情况\n（由起草人填写）\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::ClosedCases;

    fn closed(accepted: Option<&str>, closed: &str, pauses: Option<Vec<(&str, &str)>>, count: i64) -> ClosedCases {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        ClosedCases {
            accepting_division: "511700".into(),
            competent_division: "511700".into(),
            accepted_on: accepted.map(d),
            closed_on: d(closed),
            due_date: None,
            pauses: pauses.map(|p| p.into_iter().map(|(a, b)| (d(a), d(b))).collect()),
            count,
        }
    }

    #[test]
    fn the_time_used_is_averaged_per_item_in_working_days_without_pauses() {
        let calendar = domain::calendar::WorkCalendar::builtin();
        let rows = [
            // Fri 2021-04-30 → Fri 05-07: the 劳动节 holiday (05-01..05-05) is no working day and
            // Sat 05-08 is a 调休 working day after the end: 2 working days (05-06, 05-07).
            ("a", closed(Some("2021-04-30"), "2021-05-07", Some(vec![]), 1)),
            // Mon 06-07 → Mon 06-14 (端午 holiday 06-14): 4 working days (06-08..06-11), twice.
            ("a", closed(Some("2021-06-07"), "2021-06-14", None, 2)),
            // Paused 06-08..06-09: 2 of the 4 working days do not count.
            ("b", closed(Some("2021-06-07"), "2021-06-14", Some(vec![("2021-06-08", "2021-06-09")]), 1)),
            // Never accepted (不予受理): not counted.
            ("c", closed(None, "2021-06-14", None, 5)),
        ];
        let out = average_by_item(rows.iter().map(|(s, c)| (*s, c.clone())), calendar);
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!((out[0].0.as_str(), out[0].1), ("a", 3));
        assert!((out[0].2 - (2.0 + 4.0 * 2.0) / 3.0).abs() < 1e-9, "{out:?}");
        assert_eq!((out[1].0.as_str(), out[1].1, out[1].2), ("b", 1, 2.0));
    }
}
