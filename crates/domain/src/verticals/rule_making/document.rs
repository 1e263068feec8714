//! A normative document (行政规范性文件) in the organ's register, its lifecycle and its clean-up.
//!
//! - 有效期: a document states its period of validity, at most 5 years; one titled 暂行 or 试行
//!   at most 2 years; it lapses by itself when the period ends without renewal (四川省行政规范性
//!   文件管理办法, 省政府令第351号, in force 2022-03-01). The maxima are [`Limits`] data, since the
//!   article of the 办法 that sets them is not quoted in this repository.
//! - 状态 on a date is derived, never stored: before its 施行日 it is not yet in force; from the
//!   day after its 有效期至 it has lapsed (失效) with nobody acting; a recorded act (废止,
//!   宣布失效, 修改 by a later document) takes effect on its own date.
//! - 公开征求意见: at least 30 日 for a document closely related to business activity unless a
//!   shorter period is explained (优化营商环境条例第六十二条; [`super::period`]).
//! - 合法性审核: the review's time limit in working days is data (国务院办公厅关于全面推行
//!   行政规范性文件合法性审核机制的指导意见, 国办发〔2018〕115号: generally at least 5 and at
//!   most 15 working days); 备案: filed with the higher authority within a local limit of days
//!   (data; 15 日 in the local examples). Late review and late filing are derived on read.
//! - 清理: a campaign's verdict on each document ([`Verdict`]): keep, amend, repeal or declare
//!   lapsed, each with its reason; repeal and declaring lapsed become the document's acts when
//!   the results are published.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::period::check_comment_period;
use crate::calendar::{CalendarError, WorkCalendar};
use crate::problem::{text_field, FieldError};

const SICHUAN: &str = "《四川省行政规范性文件管理办法》";

/// The limits that are data, not law text quoted here: a deployment may change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// 有效期 at most, in years (四川省行政规范性文件管理办法).
    pub max_valid_years: u32,
    /// 有效期 at most for a document titled 暂行 or 试行, in years.
    pub provisional_max_valid_years: u32,
    /// 合法性审核 at most, in working days (国办发〔2018〕115号: 一般不少于5个工作日, 最长不超过
    /// 15个工作日).
    pub legality_review_workdays: u32,
    /// 备案: days after publication to file with the higher authority (local rule).
    pub filing_days: u32,
    /// How many days before its 有效期至 a document is shown as expiring (评估 before expiry).
    pub expiry_warning_days: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_valid_years: 5,
            provisional_max_valid_years: 2,
            legality_review_workdays: 15,
            filing_days: 15,
            expiry_warning_days: 90,
        }
    }
}

/// Whether a title marks a provisional document (暂行, 试行).
pub fn is_provisional(title: &str) -> bool {
    title.contains("暂行") || title.contains("试行")
}

/// The last day a document in force from `effective_on` may be valid for `years` years: the
/// period begins on its 施行日, so it ends on the day before the same date `years` later
/// (the corresponding day of the day before 施行日; a February 29 has none and ends February 28).
pub fn latest_valid_until(effective_on: NaiveDate, years: u32) -> Option<NaiveDate> {
    effective_on.checked_sub_days(Days::new(1))?.checked_add_months(Months::new(years * 12))
}

/// The register's state of a document on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentState {
    /// Published, 施行日 not yet reached.
    NotYetInForce,
    /// 有效.
    InForce,
    /// 失效: its 有效期至 passed, or declared lapsed.
    Lapsed,
    /// 废止.
    Repealed,
    /// 修改: replaced by a later document.
    Amended,
}

impl DocumentState {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentState::NotYetInForce => "not_yet_in_force",
            DocumentState::InForce => "in_force",
            DocumentState::Lapsed => "lapsed",
            DocumentState::Repealed => "repealed",
            DocumentState::Amended => "amended",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            DocumentState::NotYetInForce => "尚未施行",
            DocumentState::InForce => "有效",
            DocumentState::Lapsed => "失效",
            DocumentState::Repealed => "废止",
            DocumentState::Amended => "已修改",
        }
    }
}

/// A recorded change of a document's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusActKind {
    Repealed,
    DeclaredLapsed,
    Amended,
}

impl StatusActKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusActKind::Repealed => "repealed",
            StatusActKind::DeclaredLapsed => "declared_lapsed",
            StatusActKind::Amended => "amended",
        }
    }

    pub fn parse(s: &str) -> Option<StatusActKind> {
        match s {
            "repealed" => Some(StatusActKind::Repealed),
            "declared_lapsed" => Some(StatusActKind::DeclaredLapsed),
            "amended" => Some(StatusActKind::Amended),
            _ => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            StatusActKind::Repealed => "废止",
            StatusActKind::DeclaredLapsed => "宣布失效",
            StatusActKind::Amended => "修改",
        }
    }

    fn state(self) -> DocumentState {
        match self {
            StatusActKind::Repealed => DocumentState::Repealed,
            StatusActKind::DeclaredLapsed => DocumentState::Lapsed,
            StatusActKind::Amended => DocumentState::Amended,
        }
    }
}

/// A state change taking effect on `on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusAct {
    pub kind: StatusActKind,
    pub on: NaiveDate,
    pub reason: String,
}

/// The dates that decide a document's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub effective_on: NaiveDate,
    pub valid_until: NaiveDate,
}

impl Validity {
    /// The state on `on`: the first of its lapse (the day after 有效期至) and its acts that has
    /// taken effect by `on` decides; otherwise in force from 施行日.
    pub fn state_on(&self, acts: &[StatusAct], on: NaiveDate) -> DocumentState {
        let lapse = self.valid_until.succ_opt();
        let first_act = acts.iter().filter(|a| a.on <= on).min_by_key(|a| a.on);
        match (first_act, lapse) {
            (Some(act), Some(lapse)) if lapse <= on && lapse < act.on => DocumentState::Lapsed,
            (Some(act), _) => act.kind.state(),
            (None, Some(lapse)) if lapse <= on => DocumentState::Lapsed,
            _ if on < self.effective_on => DocumentState::NotYetInForce,
            _ => DocumentState::InForce,
        }
    }

    /// In force on `on` and lapsing within `days` days: its evaluation is due (评估 before
    /// expiry, so it is renewed or left to lapse knowingly).
    pub fn expiring(&self, acts: &[StatusAct], on: NaiveDate, days: u32) -> bool {
        self.state_on(acts, on) == DocumentState::InForce
            && on.checked_add_days(Days::new(u64::from(days))).is_some_and(|d| d >= self.valid_until)
    }
}

/// The last day to file a document published on `published_on` with the higher authority
/// (`limits.filing_days` 日, 民法典第二百零一条、第二百零三条).
pub fn filing_due(
    calendar: &WorkCalendar,
    limits: &Limits,
    published_on: NaiveDate,
) -> Result<NaiveDate, CalendarError> {
    calendar.add_days(published_on, limits.filing_days)
}

/// The last day of the legality review of a draft submitted on `submitted_on`
/// (`limits.legality_review_workdays` 个工作日).
pub fn review_due(
    calendar: &WorkCalendar,
    limits: &Limits,
    submitted_on: NaiveDate,
) -> Result<NaiveDate, CalendarError> {
    calendar.add_workdays(submitted_on, limits.legality_review_workdays)
}

/// A document as typed in the register form or sent to the API (the one parser for both).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentInput {
    /// 文号, e.g. 达市民发〔2021〕12号.
    pub number: String,
    pub title: String,
    /// 制定机关.
    pub organ: String,
    pub published_on: String,
    pub effective_on: String,
    pub valid_until: String,
    /// "true" when the document is closely related to business activity (优化营商环境条例第六十二条).
    pub affects_business: String,
    pub comment_opened_on: String,
    pub comment_until: String,
    pub comment_short_reason: String,
    /// The legality review: submitted, opinion given, and the opinion.
    pub review_submitted_on: String,
    pub review_opinion_on: String,
    pub review_opinion: String,
    /// The superior laws it rests on, one a line (flagged when one changes).
    pub basis: String,
    /// The 文号 of the document this one amends, if any.
    pub amends: String,
}

/// A parsed, lawful document ready for the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub number: String,
    pub title: String,
    pub organ: String,
    pub published_on: NaiveDate,
    pub effective_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub affects_business: bool,
    pub comment: Option<(NaiveDate, NaiveDate, String)>,
    pub review_submitted_on: NaiveDate,
    pub review_opinion_on: NaiveDate,
    pub review_opinion: String,
    pub basis: Vec<String>,
    pub amends: Option<String>,
}

fn date(field: &str, value: &str) -> Result<Option<NaiveDate>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| FieldError::new(field, "bad_date", "日期格式应为 YYYY-MM-DD"))
}

fn required(field: &str, value: Option<NaiveDate>) -> Result<NaiveDate, FieldError> {
    value.ok_or_else(|| FieldError::new(field, "required", "此项为必填项"))
}

impl NewDocument {
    /// Parses and checks a document; every problem found is returned.
    pub fn parse(
        input: &DocumentInput,
        calendar: &WorkCalendar,
        limits: &Limits,
    ) -> Result<NewDocument, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut keep = |r: Result<String, FieldError>| r.map_err(|e| errors.push(e)).unwrap_or_default();
        let number = keep(text_field("number", &input.number, 60, true));
        let title = keep(text_field("title", &input.title, 200, true));
        let organ = keep(text_field("organ", &input.organ, 100, true));
        let review_opinion = keep(text_field("review_opinion", &input.review_opinion, 4000, false));
        let short_reason = keep(text_field("comment_short_reason", &input.comment_short_reason, 2000, false));
        let amends = keep(text_field("amends", &input.amends, 60, false));
        let mut basis = Vec::new();
        for line in input.basis.lines() {
            let line = keep(text_field("basis", line, 200, false));
            if !line.is_empty() {
                basis.push(line);
            }
        }
        let mut day = |field: &str, value: &str, must: bool| match date(field, value).and_then(|d| {
            if must {
                required(field, d).map(Some)
            } else {
                Ok(d)
            }
        }) {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let published_on = day("published_on", &input.published_on, true);
        let effective_on = day("effective_on", &input.effective_on, true);
        let valid_until = day("valid_until", &input.valid_until, true);
        let comment_opened_on = day("comment_opened_on", &input.comment_opened_on, false);
        let comment_until = day("comment_until", &input.comment_until, false);
        let review_submitted_on = day("review_submitted_on", &input.review_submitted_on, true);
        let review_opinion_on = day("review_opinion_on", &input.review_opinion_on, true);
        let affects_business = matches!(input.affects_business.trim(), "true" | "on" | "1");
        if let (Some(published), Some(effective)) = (published_on, effective_on) {
            if effective < published {
                errors.push(FieldError::new("effective_on", "effective_before_published", "施行日期不能早于发布日期"));
            }
        }
        if let (Some(effective), Some(until)) = (effective_on, valid_until) {
            let provisional = is_provisional(&title);
            let years = if provisional { limits.provisional_max_valid_years } else { limits.max_valid_years };
            match latest_valid_until(effective, years) {
                _ if until < effective => {
                    errors.push(FieldError::new("valid_until", "valid_until_order", "有效期至不能早于施行日期"))
                }
                Some(latest) if until > latest => errors.push(FieldError::new(
                    "valid_until",
                    "validity_too_long",
                    format!(
                        "{}有效期不得超过{years}年（自{effective}施行，最迟至{latest}）（{SICHUAN}）",
                        if provisional {
                            "标题含“暂行”“试行”的规范性文件"
                        } else {
                            "规范性文件"
                        }
                    ),
                )),
                _ => {}
            }
        }
        if review_opinion.is_empty() && errors.iter().all(|e| e.field != "review_opinion") {
            errors.push(FieldError::new(
                "review_opinion",
                "review_required",
                format!("规范性文件未经合法性审核，不得发布（{SICHUAN}；国办发〔2018〕115号）"),
            ));
        }
        if let (Some(submitted), Some(opinion_on)) = (review_submitted_on, review_opinion_on) {
            if opinion_on < submitted {
                errors.push(FieldError::new("review_opinion_on", "review_order", "审核意见日期不能早于送审日期"));
            }
            if let Some(published) = published_on {
                if published < opinion_on {
                    errors.push(FieldError::new(
                        "published_on",
                        "published_before_review",
                        format!("规范性文件应当在合法性审核之后发布（{SICHUAN}）"),
                    ));
                }
            }
        }
        let comment = match (comment_opened_on, comment_until) {
            (Some(opened), Some(until)) => {
                if let Err(e) =
                    check_comment_period(calendar, opened, until, &short_reason, "《优化营商环境条例》第六十二条")
                {
                    errors.push(e);
                }
                if published_on.is_some_and(|p| p < until) {
                    errors.push(FieldError::new(
                        "published_on",
                        "published_during_comment",
                        "征求意见期限届满前不得发布",
                    ));
                }
                Some((opened, until, short_reason.clone()))
            }
            (None, None) => None,
            (None, Some(_)) => {
                errors.push(FieldError::new("comment_opened_on", "required", "请填写征求意见开始日期"));
                None
            }
            (Some(_), None) => {
                errors.push(FieldError::new("comment_until", "required", "请填写征求意见截止日期"));
                None
            }
        };
        if affects_business && comment.is_none() && errors.iter().all(|e| !e.field.starts_with("comment")) {
            errors.push(FieldError::new(
                "comment_opened_on",
                "comment_required",
                "与市场主体生产经营活动密切相关的规范性文件，应当向社会公开征求意见（《优化营商环境条例》第六十二条）",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Every date was required above, so none is missing here.
        let (
            Some(published_on),
            Some(effective_on),
            Some(valid_until),
            Some(review_submitted_on),
            Some(review_opinion_on),
        ) = (published_on, effective_on, valid_until, review_submitted_on, review_opinion_on)
        else {
            return Err(vec![FieldError::new("published_on", "required", "此项为必填项")]);
        };
        Ok(NewDocument {
            number,
            title,
            organ,
            published_on,
            effective_on,
            valid_until,
            affects_business,
            comment,
            review_submitted_on,
            review_opinion_on,
            review_opinion,
            basis,
            amends: Some(amends).filter(|a| !a.is_empty()),
        })
    }
}

/// A clean-up campaign's verdict on one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// 继续有效.
    Keep,
    /// 修改 (a later document amends it).
    Amend,
    /// 废止.
    Repeal,
    /// 宣布失效.
    DeclareLapsed,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [Verdict::Keep, Verdict::Amend, Verdict::Repeal, Verdict::DeclareLapsed];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Keep => "keep",
            Verdict::Amend => "amend",
            Verdict::Repeal => "repeal",
            Verdict::DeclareLapsed => "declare_lapsed",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Verdict::Keep => "继续有效",
            Verdict::Amend => "拟修改",
            Verdict::Repeal => "废止",
            Verdict::DeclareLapsed => "宣布失效",
        }
    }

    /// The act the published results record on the document (keep and amend change nothing
    /// until an amending document is registered).
    pub fn act(self) -> Option<StatusActKind> {
        match self {
            Verdict::Repeal => Some(StatusActKind::Repealed),
            Verdict::DeclareLapsed => Some(StatusActKind::DeclaredLapsed),
            Verdict::Keep | Verdict::Amend => None,
        }
    }

    /// Parses a verdict and its reason (required: each verdict states why).
    pub fn parse_with_reason(verdict: &str, reason: &str) -> Result<(Verdict, String), FieldError> {
        let verdict =
            Verdict::parse(verdict.trim()).ok_or_else(|| FieldError::new("verdict", "bad_choice", "请选择清理意见"))?;
        let reason = text_field("reason", reason, 2000, true)?;
        Ok((verdict, reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input() -> DocumentInput {
        DocumentInput {
            number: "达市民发〔2021〕12号".into(),
            title: "2021年达州市民政系统普法依法治理工作要点".into(),
            organ: "达州市民政局".into(),
            published_on: "2021-03-15".into(),
            effective_on: "2021-03-15".into(),
            valid_until: "2026-03-14".into(),
            review_submitted_on: "2021-03-01".into(),
            review_opinion_on: "2021-03-10".into(),
            review_opinion: "经审核，符合法律法规规定".into(),
            basis: "中华人民共和国宪法\n\n 法治政府建设实施纲要（2021-2025年） ".into(),
            ..Default::default()
        }
    }

    fn parse(input: &DocumentInput) -> Result<NewDocument, Vec<FieldError>> {
        NewDocument::parse(input, WorkCalendar::builtin(), &Limits::default())
    }

    fn codes(r: Result<NewDocument, Vec<FieldError>>) -> Vec<&'static str> {
        r.unwrap_err().into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn the_validity_ends_the_day_before_the_same_date_five_or_two_years_on() {
        assert_eq!(latest_valid_until(d("2021-03-15"), 5), Some(d("2026-03-14")));
        assert_eq!(latest_valid_until(d("2022-03-01"), 5), Some(d("2027-02-28")));
        // From a leap day: 2020-02-29 + 2 years has no Feb 29; the period ends on Feb 28.
        assert_eq!(latest_valid_until(d("2020-02-29"), 2), Some(d("2022-02-28")));
        // From 1 March of a leap year, the day before is Feb 29: ends 2026-02-28.
        assert_eq!(latest_valid_until(d("2024-03-01"), 2), Some(d("2026-02-28")));
    }

    #[test]
    fn a_document_is_valid_at_most_five_years_and_a_provisional_one_two() {
        let doc = parse(&input()).unwrap();
        assert_eq!(doc.basis, ["中华人民共和国宪法", "法治政府建设实施纲要（2021-2025年）"]);
        let mut long = input();
        long.valid_until = "2026-03-15".into();
        assert_eq!(codes(parse(&long)), ["validity_too_long"]);
        let mut provisional = input();
        provisional.title = "达州市民政局行政执法公示工作规程（试行）".into();
        provisional.valid_until = "2023-03-15".into();
        let errors = parse(&provisional).unwrap_err();
        assert_eq!(errors[0].code, "validity_too_long");
        assert!(errors[0].message.contains("2023-03-14"), "{}", errors[0].message);
        provisional.valid_until = "2023-03-14".into();
        assert!(parse(&provisional).is_ok());
    }

    #[test]
    fn the_register_form_reports_every_problem() {
        let bad = DocumentInput { published_on: "2021-02-30".into(), ..Default::default() };
        let errors = parse(&bad).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in ["number", "title", "organ", "published_on", "effective_on", "valid_until", "review_opinion"] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
        let mut early = input();
        early.effective_on = "2021-03-14".into();
        early.valid_until = "2026-03-13".into();
        assert_eq!(codes(parse(&early)), ["effective_before_published"]);
        let mut unreviewed = input();
        unreviewed.published_on = "2021-03-09".into();
        unreviewed.effective_on = "2021-03-09".into();
        unreviewed.valid_until = "2026-03-08".into();
        assert_eq!(codes(parse(&unreviewed)), ["published_before_review"]);
    }

    #[test]
    fn a_business_document_is_open_for_comment_thirty_days() {
        let mut doc = input();
        doc.affects_business = "on".into();
        assert_eq!(codes(parse(&doc)), ["comment_required"]);
        // 2021-01-12 + 30 日 falls in 春节 (02-11): the period runs to 02-18.
        doc.comment_opened_on = "2021-01-12".into();
        doc.comment_until = "2021-02-17".into();
        let errors = parse(&doc).unwrap_err();
        assert_eq!(errors[0].code, "comment_period_short");
        assert!(errors[0].message.contains("第六十二条"));
        doc.comment_until = "2021-02-18".into();
        assert!(parse(&doc).is_ok());
        doc.published_on = "2021-02-17".into();
        doc.effective_on = "2021-02-17".into();
        assert!(codes(parse(&doc)).contains(&"published_during_comment"));
    }

    #[test]
    fn the_state_lapses_the_day_after_its_validity_with_nobody_acting() {
        let v = Validity { effective_on: d("2021-03-15"), valid_until: d("2026-03-14") };
        assert_eq!(v.state_on(&[], d("2021-03-14")), DocumentState::NotYetInForce);
        assert_eq!(v.state_on(&[], d("2021-03-15")), DocumentState::InForce);
        assert_eq!(v.state_on(&[], d("2026-03-14")), DocumentState::InForce);
        assert_eq!(v.state_on(&[], d("2026-03-15")), DocumentState::Lapsed);
        // A leap-day end: valid through 2024-02-29, lapsed on 2024-03-01.
        let leap = Validity { effective_on: d("2022-03-01"), valid_until: d("2024-02-29") };
        assert_eq!(leap.state_on(&[], d("2024-02-29")), DocumentState::InForce);
        assert_eq!(leap.state_on(&[], d("2024-03-01")), DocumentState::Lapsed);
    }

    #[test]
    fn an_act_takes_effect_on_its_date_and_the_earlier_of_act_and_lapse_decides() {
        let v = Validity { effective_on: d("2021-03-15"), valid_until: d("2026-03-14") };
        let repeal = StatusAct { kind: StatusActKind::Repealed, on: d("2023-07-01"), reason: "上位法修改".into() };
        let acts = [repeal];
        assert_eq!(v.state_on(&acts, d("2023-06-30")), DocumentState::InForce);
        assert_eq!(v.state_on(&acts, d("2023-07-01")), DocumentState::Repealed);
        assert_eq!(v.state_on(&acts, d("2027-01-01")), DocumentState::Repealed);
        let late = [StatusAct { kind: StatusActKind::Amended, on: d("2026-06-01"), reason: String::new() }];
        assert_eq!(v.state_on(&late, d("2026-07-01")), DocumentState::Lapsed);
    }

    #[test]
    fn a_document_is_expiring_within_the_warning_days() {
        let v = Validity { effective_on: d("2021-03-15"), valid_until: d("2026-03-14") };
        assert!(!v.expiring(&[], d("2025-12-13"), 90));
        assert!(v.expiring(&[], d("2025-12-14"), 90));
        assert!(v.expiring(&[], d("2026-03-14"), 90));
        assert!(!v.expiring(&[], d("2026-03-15"), 90), "lapsed, no longer expiring");
    }

    #[test]
    fn filing_and_review_limits_run_on_the_calendar() {
        let cal = WorkCalendar::builtin();
        let limits = Limits::default();
        // Published 2021-09-16: 15 日 → 2021-10-01 (国庆) → the period ends 2021-10-08.
        assert_eq!(filing_due(cal, &limits, d("2021-09-16")).unwrap(), d("2021-10-08"));
        // Submitted 2021-09-17 (Fri): 15 working days, counting the working 09-18 and 09-26 and
        // 10-09, skipping 09-19..21 (中秋) and 10-01..07.
        assert_eq!(review_due(cal, &limits, d("2021-09-17")).unwrap(), d("2021-10-14"));
        let short = Limits { legality_review_workdays: 5, ..limits };
        assert_eq!(review_due(cal, &short, d("2021-09-17")).unwrap(), d("2021-09-26"));
    }

    #[test]
    fn each_verdict_has_its_reason() {
        assert_eq!(Verdict::parse_with_reason("repeal", "上位法已废止").unwrap().0, Verdict::Repeal);
        assert_eq!(Verdict::parse_with_reason("keep", " ").unwrap_err().field, "reason");
        assert_eq!(Verdict::parse_with_reason("x", "y").unwrap_err().field, "verdict");
        assert_eq!(Verdict::Repeal.act(), Some(StatusActKind::Repealed));
        assert_eq!(Verdict::DeclareLapsed.act(), Some(StatusActKind::DeclaredLapsed));
        assert_eq!(Verdict::Keep.act(), None);
    }
}
