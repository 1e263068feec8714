//! 好差评: the five grades and the indicators a rater grades, one by one, for the service as
//! it was given, online or on site.
//!
//! 国务院办公厅《关于建立政务服务“好差评”制度提高政务服务水平的意见》（国办发〔2019〕51号）:
//! the grades are 非常满意、满意、基本满意、不满意、非常不满意 (the last two are 差评); an online
//! service (一事一评) is rated on 整体满意度、办事效率、办事指南精确度、办事便捷度、平台操作性,
//! an on-site one (一次一评) on 整体满意度、服务效率、服务水平、服务态度. A 差评 on any indicator
//! is a 差评 of the service (谁办理、谁负责: it is called back and rectified).
//!
//! [`RatingSheet::parse`] is the one parser of a rating, for the public form and the JSON API.

use std::collections::BTreeMap;

use crate::engine::case::Channel;
use crate::problem::FieldError;

/// The five grades (国办发〔2019〕51号).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    VerySatisfied,
    Satisfied,
    FairlySatisfied,
    Dissatisfied,
    VeryDissatisfied,
}

impl Grade {
    pub const ALL: [Grade; 5] =
        [Grade::VerySatisfied, Grade::Satisfied, Grade::FairlySatisfied, Grade::Dissatisfied, Grade::VeryDissatisfied];

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::VerySatisfied => "very_satisfied",
            Grade::Satisfied => "satisfied",
            Grade::FairlySatisfied => "fairly_satisfied",
            Grade::Dissatisfied => "dissatisfied",
            Grade::VeryDissatisfied => "very_dissatisfied",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Grade::VerySatisfied => "非常满意",
            Grade::Satisfied => "满意",
            Grade::FairlySatisfied => "基本满意",
            Grade::Dissatisfied => "不满意",
            Grade::VeryDissatisfied => "非常不满意",
        }
    }

    pub fn parse(s: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.as_str() == s.trim())
    }

    /// The grade chosen for `field` (`what`: the indicator's name, or empty for the whole
    /// service); a missing or unknown one is refused naming the field.
    pub fn parse_field(field: &str, what: &str, value: &str) -> Result<Grade, FieldError> {
        Grade::parse(value).ok_or_else(|| {
            let what = if what.is_empty() { String::new() } else { format!("“{what}”的") };
            FieldError::new(
                field,
                "unknown_grade",
                format!("请选择{what}评价：非常满意、满意、基本满意、不满意或非常不满意"),
            )
        })
    }

    /// 好评: 非常满意, 满意 and 基本满意; 差评: 不满意 and 非常不满意 (国办发〔2019〕51号).
    pub fn is_good(self) -> bool {
        matches!(self, Grade::VerySatisfied | Grade::Satisfied | Grade::FairlySatisfied)
    }
}

/// How the service rated was given: 线上 (一事一评) or 线下 (一次一评).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RatingChannel {
    Online,
    Offline,
}

impl RatingChannel {
    pub const ALL: [RatingChannel; 2] = [RatingChannel::Online, RatingChannel::Offline];

    /// A case applied for online is rated as an online service; one taken at a window, on site.
    pub fn of_case(channel: Channel) -> RatingChannel {
        match channel {
            Channel::Online => RatingChannel::Online,
            Channel::Window => RatingChannel::Offline,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RatingChannel::Online => "online",
            RatingChannel::Offline => "offline",
        }
    }

    pub fn parse(s: &str) -> Option<RatingChannel> {
        RatingChannel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            RatingChannel::Online => "线上服务",
            RatingChannel::Offline => "线下服务",
        }
    }

    /// The indicators rated for this channel, 整体满意度 first (国办发〔2019〕51号).
    pub fn dimensions(self) -> &'static [Dimension] {
        match self {
            RatingChannel::Online => &[
                Dimension::Overall,
                Dimension::Efficiency,
                Dimension::GuideAccuracy,
                Dimension::Convenience,
                Dimension::Usability,
            ],
            RatingChannel::Offline => {
                &[Dimension::Overall, Dimension::Efficiency, Dimension::ServiceLevel, Dimension::Attitude]
            }
        }
    }
}

/// One indicator a rater grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dimension {
    /// 整体满意度 (both channels).
    Overall,
    /// 办事效率 online, 服务效率 on site.
    Efficiency,
    /// 办事指南精确度 (online).
    GuideAccuracy,
    /// 办事便捷度 (online).
    Convenience,
    /// 平台操作性 (online).
    Usability,
    /// 服务水平 (on site).
    ServiceLevel,
    /// 服务态度 (on site).
    Attitude,
}

impl Dimension {
    pub const ALL: [Dimension; 7] = [
        Dimension::Overall,
        Dimension::Efficiency,
        Dimension::GuideAccuracy,
        Dimension::Convenience,
        Dimension::Usability,
        Dimension::ServiceLevel,
        Dimension::Attitude,
    ];

    /// The key: the form's field and the API's.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Overall => "overall",
            Dimension::Efficiency => "efficiency",
            Dimension::GuideAccuracy => "guide_accuracy",
            Dimension::Convenience => "convenience",
            Dimension::Usability => "usability",
            Dimension::ServiceLevel => "service_level",
            Dimension::Attitude => "attitude",
        }
    }

    pub fn parse(s: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// Its name as the channel's rating sheet words it.
    pub fn name_zh(self, channel: RatingChannel) -> &'static str {
        match (self, channel) {
            (Dimension::Overall, _) => "整体满意度",
            (Dimension::Efficiency, RatingChannel::Online) => "办事效率",
            (Dimension::Efficiency, RatingChannel::Offline) => "服务效率",
            (Dimension::GuideAccuracy, _) => "办事指南精确度",
            (Dimension::Convenience, _) => "办事便捷度",
            (Dimension::Usability, _) => "平台操作性",
            (Dimension::ServiceLevel, _) => "服务水平",
            (Dimension::Attitude, _) => "服务态度",
        }
    }
}

/// The longest comment kept, in characters.
pub const COMMENT_MAX: usize = 500;

/// A rating as given: a grade for every indicator of its channel and the rater's comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingSheet {
    pub channel: RatingChannel,
    /// In the channel's order, 整体满意度 first.
    pub grades: Vec<(Dimension, Grade)>,
    pub comment: String,
}

impl RatingSheet {
    /// Parses `grades` (indicator key → grade key) for `channel`: every indicator of the channel
    /// graded, none of another, the comment at most [`COMMENT_MAX`] characters. Every problem at
    /// once, each naming its field (the indicator's key, or `comment`).
    pub fn parse(
        channel: RatingChannel,
        grades: &BTreeMap<String, String>,
        comment: &str,
    ) -> Result<RatingSheet, Vec<FieldError>> {
        let mut problems = Vec::new();
        for key in grades.keys() {
            if !Dimension::parse(key).is_some_and(|d| channel.dimensions().contains(&d)) {
                problems.push(FieldError::new(
                    key,
                    "unknown_rating_dimension",
                    format!("{}没有这一评价项", channel.name_zh()),
                ));
            }
        }
        let mut parsed = Vec::new();
        for &dimension in channel.dimensions() {
            let value = grades.get(dimension.as_str()).map_or("", String::as_str);
            match Grade::parse_field(dimension.as_str(), dimension.name_zh(channel), value) {
                Ok(grade) => parsed.push((dimension, grade)),
                Err(problem) => problems.push(problem),
            }
        }
        let comment = comment.trim();
        if comment.chars().count() > COMMENT_MAX {
            problems.push(FieldError::new("comment", "comment_too_long", format!("评价意见不能超过{COMMENT_MAX}个字")));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(RatingSheet { channel, grades: parsed, comment: comment.to_string() })
    }

    /// 整体满意度's grade.
    pub fn overall(&self) -> Grade {
        self.grades.iter().find(|(d, _)| *d == Dimension::Overall).map_or(Grade::VeryDissatisfied, |(_, g)| *g)
    }

    /// The lowest grade of any indicator: a 差评 here is a 差评 of the service.
    pub fn lowest(&self) -> Grade {
        self.grades.iter().map(|(_, g)| *g).max().unwrap_or(Grade::VeryDissatisfied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn grades_parse_and_split_into_good_and_bad() {
        for grade in Grade::ALL {
            assert_eq!(Grade::parse(grade.as_str()), Some(grade));
        }
        assert_eq!(Grade::parse("great"), None);
        let good: Vec<&str> = Grade::ALL.into_iter().filter(|g| g.is_good()).map(Grade::name_zh).collect();
        assert_eq!(good, ["非常满意", "满意", "基本满意"]);
    }

    #[test]
    fn each_channel_rates_its_own_indicators() {
        let names = |c: RatingChannel| c.dimensions().iter().map(|d| d.name_zh(c)).collect::<Vec<_>>();
        assert_eq!(
            names(RatingChannel::Online),
            ["整体满意度", "办事效率", "办事指南精确度", "办事便捷度", "平台操作性"]
        );
        assert_eq!(names(RatingChannel::Offline), ["整体满意度", "服务效率", "服务水平", "服务态度"]);
        assert_eq!(RatingChannel::of_case(Channel::Window), RatingChannel::Offline);
        assert_eq!(RatingChannel::of_case(Channel::Online), RatingChannel::Online);
        for d in Dimension::ALL {
            assert_eq!(Dimension::parse(d.as_str()), Some(d));
        }
    }

    #[test]
    fn a_full_sheet_parses_and_its_lowest_grade_decides_a_bad_rating() {
        let grades = sheet(&[
            ("overall", "satisfied"),
            ("efficiency", "very_satisfied"),
            ("service_level", "fairly_satisfied"),
            ("attitude", "dissatisfied"),
        ]);
        let s = RatingSheet::parse(RatingChannel::Offline, &grades, "  窗口态度生硬 ").expect("parses");
        assert_eq!(s.overall(), Grade::Satisfied);
        assert_eq!(s.lowest(), Grade::Dissatisfied, "a 差评 on one indicator");
        assert!(!s.lowest().is_good());
        assert_eq!(s.comment, "窗口态度生硬");
        assert_eq!(s.grades.first().map(|g| g.0), Some(Dimension::Overall));
    }

    #[test]
    fn every_missing_or_foreign_indicator_is_named() {
        let grades = sheet(&[("overall", "satisfied"), ("attitude", "satisfied"), ("efficiency", "great")]);
        let problems = RatingSheet::parse(RatingChannel::Online, &grades, &"字".repeat(COMMENT_MAX + 1)).unwrap_err();
        let fields: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
        assert_eq!(
            fields,
            [
                ("attitude", "unknown_rating_dimension"),
                ("efficiency", "unknown_grade"),
                ("guide_accuracy", "unknown_grade"),
                ("convenience", "unknown_grade"),
                ("usability", "unknown_grade"),
                ("comment", "comment_too_long"),
            ]
        );
        assert!(problems[1].message.contains("办事效率"), "{}", problems[1].message);
        let at_limit = sheet(&[
            ("overall", "satisfied"),
            ("efficiency", "satisfied"),
            ("service_level", "satisfied"),
            ("attitude", "very_satisfied"),
        ]);
        let s = RatingSheet::parse(RatingChannel::Offline, &at_limit, &"字".repeat(COMMENT_MAX)).expect("at the limit");
        assert_eq!(s.lowest(), Grade::Satisfied);
    }
}
