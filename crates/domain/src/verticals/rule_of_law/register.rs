//! The registers as data: each [`Register`] is a list of [`Field`]s, and [`parse`] checks a
//! record of any register against its fields. The same parser reads the page form, the JSON API
//! and every row of an imported workbook, so a value refused in one is refused in all, with the
//! same code and message.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::division::{DivisionCode, Divisions};
use crate::problem::{text_field, FieldError};

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text, at most this many characters.
    Text(usize),
    /// A day `YYYY-MM-DD`, between 2000 and 2100.
    Date,
    /// A whole number from 0 to this maximum.
    Count(i64),
    /// One of (key, Chinese name); the key or the name is accepted.
    Choice(&'static [(&'static str, &'static str)]),
    /// A division of the platform's table, chosen with the division picker.
    Division,
    /// 是 or 否.
    YesNo,
    /// An 执法证号 of the enforcement area's officers' register (the service checks it is there).
    Certificate,
}

/// One field of a register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The key in the form, the API and the stored record.
    pub key: &'static str,
    /// The Chinese label: the form's label and the workbook's column header.
    pub label: &'static str,
    pub kind: FieldKind,
    pub required: bool,
}

const fn f(key: &'static str, label: &'static str, kind: FieldKind, required: bool) -> Field {
    Field { key, label, kind, required }
}

use FieldKind::{Certificate, Choice, Count, Date, Division, Text, YesNo};

const GROUP_ROLES: &[(&str, &str)] = &[("leader", "组长"), ("deputy", "副组长"), ("member", "成员")];
const STUDY_KINDS: &[(&str, &str)] =
    &[("party_group", "党组中心组学法"), ("office_meeting", "局长办公会会前学法"), ("other", "其他集中学法")];
const ADVISER_KINDS: &[(&str, &str)] = &[("adviser", "法律顾问"), ("public_lawyer", "公职律师")];

const LEADING_GROUP: &[Field] = &[
    f("group", "领导小组名称", Text(60), true),
    f("role", "在领导小组中的职务", Choice(GROUP_ROLES), true),
    f("post", "本单位职务", Text(60), true),
    f("name", "姓名", Text(30), false),
    f("division", "单位所在行政区划", Division, true),
    f("from", "起始日期", Date, true),
    f("to", "截止日期", Date, false),
];
const STUDY: &[Field] = &[
    f("date", "日期", Date, true),
    f("kind", "学法形式", Choice(STUDY_KINDS), true),
    f("topic", "学习内容", Text(300), true),
    f("presenter", "主讲人", Text(30), false),
    f("attendees", "参加人数", Count(10_000), false),
    f("attendee_names", "参加人员", Text(500), false),
    f("division", "单位所在行政区划", Division, true),
];
const TRAINING: &[Field] = &[
    f("date", "日期", Date, true),
    f("topic", "培训主题", Text(200), true),
    f("hours", "学时", Count(1_000), true),
    f("organizer", "举办单位", Text(60), false),
    f("attendees", "参训人数", Count(10_000), false),
    f("attendee_names", "参训人员", Text(500), false),
    f("division", "单位所在行政区划", Division, true),
];
const EXAM: &[Field] = &[
    f("date", "考试日期", Date, true),
    f("name", "姓名", Text(30), true),
    f("unit", "工作单位", Text(60), true),
    f("score", "成绩", Count(100), false),
    f("passed", "是否合格", YesNo, true),
    f("certificate_no", "取得的执法证号", Certificate, false),
    f("division", "单位所在行政区划", Division, true),
];
const PUBLICITY: &[Field] = &[
    f("date", "日期", Date, true),
    f("theme", "主题", Text(200), true),
    f("place", "地点", Text(100), false),
    f("partners", "联合开展的单位", Text(200), false),
    f("audience", "受众人数", Count(10_000_000), false),
    f("materials", "宣传资料", Text(200), false),
    f("unit", "负责单位（谁执法谁普法）", Text(60), true),
    f("division", "活动所在行政区划", Division, true),
];
const VILLAGE: &[Field] = &[
    f("batch", "批次", Text(60), true),
    f("name", "村（社区）名称", Text(60), true),
    f("division", "所在行政区划", Division, true),
    f("date", "命名日期", Date, true),
    f("organ", "命名机关", Text(60), true),
];
const ADVISER: &[Field] = &[
    f("name", "姓名", Text(30), true),
    f("kind", "类别", Choice(ADVISER_KINDS), true),
    f("firm", "律师事务所或工作单位", Text(100), true),
    f("from", "聘任起始日期", Date, true),
    f("to", "聘任截止日期", Date, false),
    f("matters", "提供法律意见件数", Count(100_000), false),
    f("division", "聘任单位所在行政区划", Division, true),
];
const OPENNESS: &[Field] = &[
    f("date", "检查日期", Date, true),
    f("division", "村（社区）所在行政区划", Division, true),
    f("finding", "检查发现", Text(500), true),
    f("rectified", "是否已整改", YesNo, true),
    f("remedy", "整改情况", Text(300), false),
];

/// A register of the area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Register {
    /// 法治政府建设（普法依法治理）工作领导小组 and its members.
    LeadingGroup,
    /// 党组中心组学法, 局长办公会会前学法.
    Study,
    /// 依法行政专题培训.
    Training,
    /// 行政执法资格考试 results.
    Exam,
    /// 普法 activities (谁执法谁普法).
    Publicity,
    /// 民主法治示范村(社区).
    Village,
    /// 法律顾问 and 公职律师.
    Adviser,
    /// 村(居)务公开 supervision.
    Openness,
}

impl Register {
    pub const ALL: [Register; 8] = [
        Register::LeadingGroup,
        Register::Study,
        Register::Training,
        Register::Exam,
        Register::Publicity,
        Register::Village,
        Register::Adviser,
        Register::Openness,
    ];

    /// The key in addresses and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Register::LeadingGroup => "leading-group",
            Register::Study => "study",
            Register::Training => "training",
            Register::Exam => "exam",
            Register::Publicity => "publicity",
            Register::Village => "villages",
            Register::Adviser => "advisers",
            Register::Openness => "openness",
        }
    }

    pub fn parse(s: &str) -> Option<Register> {
        Register::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Register::LeadingGroup => "领导小组成员",
            Register::Study => "学法记录",
            Register::Training => "依法行政专题培训",
            Register::Exam => "行政执法资格考试",
            Register::Publicity => "普法活动",
            Register::Village => "民主法治示范村（社区）",
            Register::Adviser => "法律顾问和公职律师",
            Register::Openness => "村（居）务公开监督",
        }
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Register::LeadingGroup => LEADING_GROUP,
            Register::Study => STUDY,
            Register::Training => TRAINING,
            Register::Exam => EXAM,
            Register::Publicity => PUBLICITY,
            Register::Village => VILLAGE,
            Register::Adviser => ADVISER,
            Register::Openness => OPENNESS,
        }
    }

    pub fn field(self, key: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.key == key)
    }

    /// The field that dates a record (and puts it in a year), and the one that ends a period
    /// (a membership, an engagement), if the register has periods.
    fn date_keys(self) -> (&'static str, Option<&'static str>) {
        match self {
            Register::LeadingGroup | Register::Adviser => ("from", Some("to")),
            _ => ("date", None),
        }
    }

    /// The field whose value names a record in lists and in the report's links.
    fn title_key(self) -> &'static str {
        match self {
            Register::LeadingGroup => "post",
            Register::Study | Register::Training => "topic",
            Register::Exam | Register::Village | Register::Adviser => "name",
            Register::Publicity => "theme",
            Register::Openness => "finding",
        }
    }
}

/// The raw values of a record, by field key, as typed or as read from a workbook's row.
pub type RecordInput = BTreeMap<String, String>;

/// A checked record: its canonical values (dates `YYYY-MM-DD`, choices by key, 是/否 as
/// `yes`/`no`, divisions by code; an optional field left empty is ""), with its division and
/// dates pulled out for scoping and years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub register: Register,
    pub division: DivisionCode,
    /// The day that dates the record.
    pub date: NaiveDate,
    /// The end of its period (a membership, an engagement), if any.
    pub until: Option<NaiveDate>,
    pub values: BTreeMap<String, String>,
}

impl Entry {
    /// Whether the record counts in `year`: dated in it, or its period overlaps it.
    pub fn in_year(&self, year: i32) -> bool {
        match self.register.date_keys().1 {
            Some(_) => self.date.year() <= year && self.until.is_none_or(|u| u.year() >= year),
            None => self.date.year() == year,
        }
    }

    pub fn value(&self, key: &str) -> &str {
        self.values.get(key).map(String::as_str).unwrap_or("")
    }

    /// The record's name in lists and links.
    pub fn label(&self) -> String {
        let title = self.value(self.register.title_key());
        match self.register {
            Register::LeadingGroup => {
                let role = self.shown("role");
                let name = self.value("name");
                if name.is_empty() {
                    format!("{role}：{title}")
                } else {
                    format!("{role}：{title} {name}")
                }
            }
            _ => title.to_string(),
        }
    }

    /// A value as a reader sees it: a choice's or 是/否's Chinese name, a division's full name.
    pub fn shown(&self, key: &str) -> String {
        let value = self.value(key);
        match self.register.field(key).map(|f| f.kind) {
            Some(kind) => shown(kind, value, Divisions::builtin()),
            None => value.to_string(),
        }
    }

    /// A value as the workbook holds it: as shown, except a division by its code (what the
    /// import reads back).
    pub fn cell(&self, key: &str) -> String {
        let value = self.value(key);
        match self.register.field(key).map(|f| f.kind) {
            Some(FieldKind::Division) | None => value.to_string(),
            Some(kind) => shown(kind, value, Divisions::builtin()),
        }
    }
}

fn shown(kind: FieldKind, value: &str, divisions: &Divisions) -> String {
    match kind {
        FieldKind::Choice(choices) => {
            choices.iter().find(|(k, _)| *k == value).map(|(_, n)| n.to_string()).unwrap_or_else(|| value.to_string())
        }
        FieldKind::YesNo => match value {
            "yes" => "是".into(),
            "no" => "否".into(),
            other => other.into(),
        },
        FieldKind::Division => {
            DivisionCode::parse(value).ok().and_then(|c| divisions.full_name(&c)).unwrap_or_else(|| value.to_string())
        }
        _ => value.to_string(),
    }
}

/// Checks one value against its field; an empty optional value is `Ok("")`.
fn check(field: &Field, raw: &str, divisions: &Divisions) -> Result<String, FieldError> {
    let key = field.key;
    let v = raw.trim();
    if v.is_empty() {
        return if field.required {
            Err(FieldError::new(key, "required", "此项为必填项"))
        } else {
            Ok(String::new())
        };
    }
    match field.kind {
        FieldKind::Text(max) => text_field(key, v, max, field.required),
        FieldKind::Date => {
            let day = NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| FieldError::new(key, "date_format", "日期格式应为“年-月-日”，如2021-10-08"))?;
            if !(2000..=2100).contains(&day.year()) {
                return Err(FieldError::new(key, "record_year", "日期应在2000年至2100年之间"));
            }
            Ok(day.to_string())
        }
        FieldKind::Count(max) => match v.parse::<i64>() {
            Ok(n) if (0..=max).contains(&n) => Ok(n.to_string()),
            _ => Err(FieldError::new(key, "count_range", format!("应为0至{max}之间的整数"))),
        },
        FieldKind::Choice(choices) => {
            choices.iter().find(|(k, n)| *k == v || *n == v).map(|(k, _)| k.to_string()).ok_or_else(|| {
                let names: Vec<&str> = choices.iter().map(|(_, n)| *n).collect();
                FieldError::new(key, "unknown_choice", format!("应为{}之一", names.join("、")))
            })
        }
        FieldKind::YesNo => match v {
            "yes" | "是" => Ok("yes".into()),
            "no" | "否" => Ok("no".into()),
            _ => Err(FieldError::new(key, "bad_bool", "应选择“是”或“否”")),
        },
        FieldKind::Division => {
            let known = DivisionCode::parse(v).ok().filter(|c| divisions.get(c).is_some());
            known
                .map(|c| c.to_string())
                .ok_or_else(|| FieldError::new(key, "division_unknown", "行政区划不在本平台的行政区划表中"))
        }
        FieldKind::Certificate => {
            if v.chars().count() <= 40 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                Ok(v.to_string())
            } else {
                Err(FieldError::new(key, "certificate_no_format", "执法证号只能由字母、数字和“-”组成，至多40个字符"))
            }
        }
    }
}

/// The one parser of a record of `register`: every problem at once, each with its field.
/// A key the register does not have is refused (`unknown_fact`), so a misspelt column or JSON
/// key is not silently dropped.
pub fn parse(register: Register, input: &RecordInput) -> Result<Entry, Vec<FieldError>> {
    let divisions = Divisions::builtin();
    let mut problems = Vec::new();
    for key in input.keys() {
        if register.field(key).is_none() {
            problems.push(FieldError::new(key, "unknown_fact", format!("表单中没有“{key}”这一项")));
        }
    }
    let mut values = BTreeMap::new();
    for field in register.fields() {
        let raw = input.get(field.key).map(String::as_str).unwrap_or("");
        match check(field, raw, divisions) {
            Ok(v) => {
                values.insert(field.key.to_string(), v);
            }
            Err(e) => problems.push(e),
        }
    }
    let (date_key, until_key) = register.date_keys();
    let day = |key: &str| values.get(key).and_then(|v: &String| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok());
    let date = day(date_key);
    let until = until_key.and_then(day);
    if let (Some(from), Some(to), Some(key)) = (date, until, until_key) {
        if to < from {
            problems.push(FieldError::new(key, "dates_reversed", "截止日期不能早于起始日期"));
        }
    }
    let division = values.get("division").and_then(|c| DivisionCode::parse(c).ok());
    match (date, division, problems.is_empty()) {
        (Some(date), Some(division), true) => Ok(Entry { register, division, date, until, values }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(pairs: &[(&str, &str)]) -> RecordInput {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn publicity() -> RecordInput {
        input(&[
            ("date", "2021-12-04"),
            ("theme", "“12·4”国家宪法日宣传进社区"),
            ("place", "开江县讲治镇"),
            ("partners", "达州市农业农村局"),
            ("unit", "达州市民政局"),
            ("division", "511723105"),
        ])
    }

    #[test]
    fn every_register_has_a_division_a_date_and_distinct_keys() {
        for r in Register::ALL {
            assert_eq!(Register::parse(r.as_str()), Some(r));
            let keys: std::collections::HashSet<_> = r.fields().iter().map(|f| f.key).collect();
            assert_eq!(keys.len(), r.fields().len(), "{r:?}");
            let labels: std::collections::HashSet<_> = r.fields().iter().map(|f| f.label).collect();
            assert_eq!(labels.len(), r.fields().len(), "{r:?}: a column header names one field");
            assert!(r.field("division").is_some_and(|f| f.required && f.kind == FieldKind::Division), "{r:?}");
            let (date, until) = r.date_keys();
            assert!(r.field(date).is_some_and(|f| f.required && f.kind == FieldKind::Date), "{r:?}");
            assert!(until.is_none_or(|k| r.field(k).is_some_and(|f| !f.required)), "{r:?}");
            assert!(r.field(r.title_key()).is_some(), "{r:?}");
        }
        assert_eq!(Register::parse("Study"), None);
    }

    #[test]
    fn a_record_is_canonical_and_dated() {
        let e = parse(Register::Publicity, &publicity()).unwrap();
        assert_eq!(e.date, NaiveDate::from_ymd_opt(2021, 12, 4).unwrap());
        assert_eq!(e.division.as_str(), "511723105");
        assert_eq!(e.value("audience"), "");
        assert_eq!(e.label(), "“12·4”国家宪法日宣传进社区");
        assert!(e.in_year(2021));
        assert!(!e.in_year(2022));
        assert!(e.shown("division").contains("讲治镇"), "{}", e.shown("division"));
        assert_eq!(e.cell("division"), "511723105");
    }

    #[test]
    fn every_problem_at_once_with_its_field() {
        let mut bad = publicity();
        bad.insert("date".into(), "2021-02-30".into());
        bad.insert("theme".into(), " ".into());
        bad.insert("audience".into(), "-3".into());
        bad.insert("division".into(), "511799999".into());
        bad.insert("colour".into(), "red".into());
        let problems = parse(Register::Publicity, &bad).unwrap_err();
        let got: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
        assert_eq!(
            got,
            [
                ("colour", "unknown_fact"),
                ("date", "date_format"),
                ("theme", "required"),
                ("audience", "count_range"),
                ("division", "division_unknown"),
            ]
        );
        assert!(problems.iter().all(|p| !p.message.is_empty()));
    }

    #[test]
    fn choices_and_yes_no_by_key_or_chinese_name() {
        let mut study = input(&[
            ("date", "2021-03-02"),
            ("kind", "局长办公会会前学法"),
            ("topic", "《法治政府建设实施纲要（2021—2025年）》"),
            ("division", "511700"),
        ]);
        let e = parse(Register::Study, &study).unwrap();
        assert_eq!(e.value("kind"), "office_meeting");
        assert_eq!(e.cell("kind"), "局长办公会会前学法");
        study.insert("kind".into(), "party_group".into());
        assert_eq!(parse(Register::Study, &study).unwrap().shown("kind"), "党组中心组学法");
        study.insert("kind".into(), "读书会".into());
        assert_eq!(parse(Register::Study, &study).unwrap_err()[0].code, "unknown_choice");

        let mut open = input(&[
            ("date", "2021-09-10"),
            ("division", "511702109"),
            ("finding", "财务公开栏未按季度更新"),
            ("rectified", "是"),
        ]);
        assert_eq!(parse(Register::Openness, &open).unwrap().value("rectified"), "yes");
        open.insert("rectified".into(), "on".into());
        assert_eq!(parse(Register::Openness, &open).unwrap_err()[0].code, "bad_bool");
    }

    #[test]
    fn periods_overlap_years_and_end_after_they_start() {
        let mut member = input(&[
            ("group", "普法依法治理工作领导小组"),
            ("role", "leader"),
            ("post", "党组书记、局长"),
            ("division", "511700"),
            ("from", "2019-05-01"),
        ]);
        let e = parse(Register::LeadingGroup, &member).unwrap();
        assert_eq!(e.label(), "组长：党组书记、局长");
        assert!(e.in_year(2019) && e.in_year(2021) && !e.in_year(2018));
        member.insert("to".into(), "2021-01-01".into());
        let e = parse(Register::LeadingGroup, &member).unwrap();
        assert!(e.in_year(2021) && !e.in_year(2022));
        // The last day of a period may be its first.
        member.insert("to".into(), "2019-05-01".into());
        assert!(parse(Register::LeadingGroup, &member).is_ok());
        member.insert("to".into(), "2019-04-30".into());
        let problems = parse(Register::LeadingGroup, &member).unwrap_err();
        assert_eq!((problems[0].field.as_str(), problems[0].code), ("to", "dates_reversed"));
    }

    #[test]
    fn bounds_of_counts_dates_and_certificates() {
        let mut exam = input(&[
            ("date", "2021-11-20"),
            ("name", "李明"),
            ("unit", "达州市民政局"),
            ("score", "100"),
            ("passed", "yes"),
            ("certificate_no", "51170021-0001"),
            ("division", "511700"),
        ]);
        assert!(parse(Register::Exam, &exam).is_ok());
        exam.insert("score".into(), "101".into());
        assert_eq!(parse(Register::Exam, &exam).unwrap_err()[0].code, "count_range");
        exam.insert("score".into(), "".into());
        exam.insert("date".into(), "1999-12-31".into());
        assert_eq!(parse(Register::Exam, &exam).unwrap_err()[0].code, "record_year");
        exam.insert("date".into(), "2000-01-01".into());
        exam.insert("certificate_no".into(), "证 1".into());
        assert_eq!(parse(Register::Exam, &exam).unwrap_err()[0].code, "certificate_no_format");
    }
}
