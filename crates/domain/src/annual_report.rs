//! The annual report on building a law-based government (法治政府建设年度报告), pure: what an
//! indicator is, how a narrative's `{{indicator}}` references render, and what drifted between
//! the figures a version was published with and the figures the records give now.
//!
//! The deadlines: 法治政府建设与责任落实督察工作规定 (中共中央办公厅、国务院办公厅 2019年5月)
//! 第二十五条 asks each department to report its year's 法治政府建设 to the government at its
//! level (and the organ above) **before 1 March** of the next year, and to publish the report on
//! its website **before 1 April** — see [`report_due`] and [`publish_due`]. (Read from the
//! regulation's text as quoted by the national practice; to be checked against the published
//! text before a bureau relies on it.)

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The last day to report year `year` (法治政府建设与责任落实督察工作规定 第二十五条: 每年3月1日前).
pub fn report_due(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year + 1, 3, 1)?.pred_opt()
}

/// The last day to publish year `year`'s report (同条: 每年4月1日前 通过报刊、网站等新闻媒体向社会公开).
pub fn publish_due(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year + 1, 4, 1)?.pred_opt()
}

/// One record an indicator counted: what it is, its date, its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountedRecord {
    pub label: String,
    /// YYYY-MM-DD.
    pub date: String,
    /// The record's page (or the register page that shows it) for a reader with the grant.
    pub href: String,
    /// The division the record belongs to: the list is cut to the reader's grants by it.
    pub division: String,
}

/// How an indicator's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A count; the narrative says of what (件, 个, 名…).
    Count,
    /// numerator ÷ denominator, shown as a percentage.
    Percent,
}

/// A named figure of the report, computed from the records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable key, `area:name` or `service:name` (a colon: never read as an event name), referenced as `{{key}}` in the narrative.
    pub key: String,
    /// 中文 name.
    pub label: String,
    /// 中文 definition: what is counted, over which records and period, and its source.
    pub definition: String,
    pub unit: Unit,
    /// The count, or the numerator of a rate.
    pub numerator: i64,
    /// The denominator of a rate (None for a count).
    pub denominator: Option<i64>,
    /// The records counted (the numerator's, for a rate), as far as the reader may see them.
    pub records: Vec<CountedRecord>,
    /// The register or statistics page the figure is read from (an aggregate lists no records).
    pub register: Option<String>,
}

impl Indicator {
    pub fn count(key: &str, label: &str, definition: &str, records: Vec<CountedRecord>) -> Indicator {
        Indicator {
            key: key.into(),
            label: label.into(),
            definition: definition.into(),
            unit: Unit::Count,
            numerator: records.len() as i64,
            denominator: None,
            records,
            register: None,
        }
    }

    /// A count whose records are not listed one by one (a figure of an aggregate query).
    pub fn total(key: &str, label: &str, definition: &str, n: i64) -> Indicator {
        Indicator {
            key: key.into(),
            label: label.into(),
            definition: definition.into(),
            unit: Unit::Count,
            numerator: n,
            denominator: None,
            records: Vec::new(),
            register: None,
        }
    }

    pub fn rate(key: &str, label: &str, definition: &str, numerator: i64, denominator: i64) -> Indicator {
        Indicator {
            key: key.into(),
            label: label.into(),
            definition: definition.into(),
            unit: Unit::Percent,
            numerator,
            denominator: Some(denominator),
            records: Vec::new(),
            register: None,
        }
    }

    pub fn at(mut self, register: &str) -> Indicator {
        self.register = Some(register.into());
        self
    }

    pub fn with_records(mut self, records: Vec<CountedRecord>) -> Indicator {
        self.records = records;
        self
    }

    /// The value as the narrative prints it: `17`, `100%`, `62.5%` (to a tenth, rounded down), or
    /// `无数据` (a rate over nothing).
    pub fn display(&self) -> String {
        match (self.unit, self.denominator) {
            (Unit::Count, _) => self.numerator.to_string(),
            (Unit::Percent, Some(d)) if d > 0 => {
                // Rounded down: 100% means every one, never 99.96%.
                let tenths = self.numerator * 1000 / d;
                if tenths % 10 == 0 {
                    format!("{}%", tenths / 10)
                } else {
                    format!("{}.{}%", tenths / 10, tenths % 10)
                }
            }
            (Unit::Percent, _) => "无数据".into(),
        }
    }
}

/// A piece of rendered narrative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// `{{key}}`: the indicator's current value goes here.
    Figure(String),
}

/// Splits a narrative into text and `{{key}}` references (keys trimmed). An unclosed `{{` is text.
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else { break };
        if start > 0 {
            out.push(Piece::Text(rest[..start].to_string()));
        }
        out.push(Piece::Figure(rest[start + 2..start + 2 + len].trim().to_string()));
        rest = &rest[start + 2 + len + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    out
}

/// The keys a narrative references that are not among `known`, in order, once each.
pub fn unknown_keys<'a>(text: &str, known: impl Fn(&str) -> bool + 'a) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in pieces(text) {
        if let Piece::Figure(key) = piece {
            if !known(&key) && !out.contains(&key) {
                out.push(key);
            }
        }
    }
    out
}

/// The narrative with every reference replaced by `value(key)` (a missing key prints `【key】`).
pub fn render_plain(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    pieces(text)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t,
            Piece::Figure(k) => value(&k).unwrap_or_else(|| format!("【{k}】")),
        })
        .collect()
}

/// How a line of the narrative is laid out: the national structure's headings (一、…; (一)…;
/// 1.…) and body paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// 一、二、… : a part of the report.
    Part,
    /// (一)/（一）: a section.
    Section,
    Paragraph,
}

/// The kind of a narrative line.
pub fn line_kind(line: &str) -> LineKind {
    const NUMERALS: &str = "一二三四五六七八九十";
    let mut chars = line.chars();
    let first = chars.next();
    match first {
        Some(c) if NUMERALS.contains(c) => {
            let rest: String = line.chars().skip_while(|c| NUMERALS.contains(*c)).take(1).collect();
            if rest == "、" {
                LineKind::Part
            } else {
                LineKind::Paragraph
            }
        }
        Some('(') | Some('（') => {
            let inner: String = chars.take_while(|c| NUMERALS.contains(*c)).collect();
            let close = line.chars().nth(inner.chars().count() + 1);
            if !inner.is_empty() && matches!(close, Some(')') | Some('）')) && line.chars().count() <= 40 {
                LineKind::Section
            } else {
                LineKind::Paragraph
            }
        }
        _ => LineKind::Paragraph,
    }
}

/// The heading a paragraph opens with, when it numbers itself as a section does ("（一）及时谋划
/// 部署。为切实…" → "（一）及时谋划部署。"): the text to the first 。, at most 30 characters.
pub fn run_in_heading(line: &str) -> Option<&str> {
    const NUMERALS: &str = "一二三四五六七八九十";
    let mut chars = line.chars();
    if !matches!(chars.next(), Some('(' | '（')) {
        return None;
    }
    let inner: String = chars.by_ref().take_while(|c| NUMERALS.contains(*c)).collect();
    let closed = line.chars().nth(inner.chars().count() + 1);
    if inner.is_empty() || !matches!(closed, Some(')' | '）')) {
        return None;
    }
    let end = line.char_indices().take(30).find(|(_, c)| *c == '。').map(|(i, c)| i + c.len_utf8())?;
    Some(&line[..end])
}

/// A figure whose value moved since the version was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drift {
    pub key: String,
    pub label: String,
    pub published: String,
    pub now: String,
}

/// A published figure: key, label and the value printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenFigure {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// The figures of `published` whose value differs now (a figure gone from the records reads `无`).
pub fn drift(published: &[FrozenFigure], now: &[Indicator]) -> Vec<Drift> {
    published
        .iter()
        .filter_map(|f| {
            let current = now.iter().find(|i| i.key == f.key).map(Indicator::display).unwrap_or_else(|| "无".into());
            (current != f.value).then(|| Drift {
                key: f.key.clone(),
                label: f.label.clone(),
                published: f.value.clone(),
                now: current,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_are_the_last_days_before_1_march_and_1_april() {
        assert_eq!(report_due(2021), NaiveDate::from_ymd_opt(2022, 2, 28));
        // A leap year: 29 February is still before 1 March.
        assert_eq!(report_due(2023), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(publish_due(2021), NaiveDate::from_ymd_opt(2022, 3, 31));
    }

    #[test]
    fn references_split_and_render() {
        let text = "办理建议{{a.n}}件，满意率{{ a.rate }}。{{未闭合";
        assert_eq!(
            pieces(text),
            vec![
                Piece::Text("办理建议".into()),
                Piece::Figure("a.n".into()),
                Piece::Text("件，满意率".into()),
                Piece::Figure("a.rate".into()),
                Piece::Text("。{{未闭合".into()),
            ]
        );
        let out = render_plain(text, |k| (k == "a.n").then(|| "17".to_string()));
        assert_eq!(out, "办理建议17件，满意率【a.rate】。{{未闭合");
        assert_eq!(unknown_keys(text, |k| k == "a.n"), vec!["a.rate".to_string()]);
    }

    #[test]
    fn a_rate_prints_as_a_percentage_and_over_nothing_as_no_data() {
        assert_eq!(Indicator::rate("k", "", "", 17, 17).display(), "100%");
        assert_eq!(Indicator::rate("k", "", "", 5, 8).display(), "62.5%");
        assert_eq!(Indicator::rate("k", "", "", 2, 3).display(), "66.6%");
        assert_eq!(Indicator::rate("k", "", "", 9999, 10000).display(), "99.9%");
        assert_eq!(Indicator::rate("k", "", "", 0, 0).display(), "无数据");
        assert_eq!(Indicator::total("k", "", "", 556).display(), "556");
    }

    #[test]
    fn headings_follow_the_national_structure() {
        assert_eq!(line_kind("一、加强组织领导"), LineKind::Part);
        assert_eq!(line_kind("三、存在的不足"), LineKind::Part);
        assert_eq!(line_kind("(一)及时谋划部署。"), LineKind::Section);
        assert_eq!(line_kind("（二）积极推进跨省通办事项办理"), LineKind::Section);
        assert_eq!(line_kind("一是深化法治学习教育"), LineKind::Paragraph);
        assert_eq!(line_kind("按照要求，现将"), LineKind::Paragraph);
    }

    #[test]
    fn drift_names_the_figure_and_both_values() {
        let frozen = vec![
            FrozenFigure { key: "a".into(), label: "甲".into(), value: "17".into() },
            FrozenFigure { key: "b".into(), label: "乙".into(), value: "3".into() },
        ];
        let now = vec![Indicator::total("a", "甲", "", 18), Indicator::total("b", "乙", "", 3)];
        assert_eq!(
            drift(&frozen, &now),
            vec![Drift { key: "a".into(), label: "甲".into(), published: "17".into(), now: "18".into() }]
        );
        assert_eq!(drift(&frozen, &now[1..])[0].now, "无");
    }

    #[test]
    fn a_paragraph_numbered_as_a_section_opens_with_its_heading() {
        assert_eq!(run_in_heading("（一）及时谋划部署。为切实加强组织领导，成立了"), Some("（一）及时谋划部署。"));
        assert_eq!(run_in_heading("(十)切实履职尽责。主要负责人"), Some("(十)切实履职尽责。"));
        // No 。 within 30 characters, no numbering, or a numbering not closed: no heading.
        assert_eq!(run_in_heading(&format!("（二）{}。", "长".repeat(40))), None);
        assert_eq!(run_in_heading("1.扎实推进行政审批制度改革。大力推进"), None);
        assert_eq!(run_in_heading("（一及时。"), None);
        assert_eq!(run_in_heading("（注）说明。"), None);
    }
}
