//! 双随机、一公开: the random inspection of social organizations (《社会组织抽查暂行办法》,
//! 民发〔2017〕45号), drawn so that anyone can re-run it.
//!
//! - 第五条: the register authority draws the organizations it registered, at random; a regular
//!   (定期) draw each year covers at least 3% (county), 4% (city) or 5% (province) of them
//!   ([`minimum_count`]); a special (不定期) draw sets its own number.
//! - An on-site inspection is made by at least two inspectors, who show their credentials
//!   (行政处罚法 第四十二条 for an inspection that may lead to a penalty, and the same rule of the
//!   抽查办法); an inspector with an interest in the organization recuses himself (行政处罚法
//!   第四十三条): a declared conflict keeps the pair out of the draw.
//! - 一公开: the draw (its seed, the lists it drew from, what it drew) is published at once, and
//!   each result within [`RESULT_PUBLICATION_WORKDAYS`] working days of the inspection. The 办法
//!   says only that the problems found are made public according to law (依法向社会公开) and
//!   sets no period; no 民政 text with one was found, so the bureau applies by analogy the 20
//!   working days in which information on an enterprise produced by a supervising department is
//!   published (企业信息公示暂行条例 第六条第二款).
//!
//! The draw is a pure function of its [`DrawInput`]: the targets sorted by credit code, the
//! inspectors by certificate number, the declared conflicts, the number, and a 256-bit seed.
//! The random stream is SM3 in counter mode (block `i` = SM3(seed ‖ i as 8 bytes big-endian), its
//! first 8 bytes a big-endian u64), a number below `n` taken by rejection (no modulo bias);
//! targets are chosen by a partial Fisher–Yates shuffle, then for each target in draw order the
//! first and second inspector from the inspectors without a conflict with it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};

use crate::calendar::{CalendarError, WorkCalendar};
use crate::division::Level;
use crate::problem::FieldError;

/// The basis cited by the draw's rules.
pub const BASIS_DRAW: &str = "《社会组织抽查暂行办法》（民发〔2017〕45号）第五条";
pub const BASIS_INSPECTORS: &str = "《中华人民共和国行政处罚法》第四十二条、第四十三条";
pub const BASIS_RESULT: &str = "参照《企业信息公示暂行条例》第六条第二款";

/// The bureau's limit for publishing a result, by analogy with 企业信息公示暂行条例 第六条第二款
/// (20 working days from the day the information is produced): the 抽查办法 sets none.
pub const RESULT_PUBLICATION_WORKDAYS: u32 = 20;

/// The most organizations one draw takes (a page's worth; a larger campaign is several draws).
pub const MAX_COUNT: usize = 500;

/// A regular yearly draw or a special one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrawKind {
    /// 定期抽查: yearly, at least the ratio of 第五条.
    Regular,
    /// 不定期抽查: the number set by the need.
    Special,
}

impl DrawKind {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "regular" => Some(Self::Regular),
            "special" => Some(Self::Special),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Regular => "regular",
            Self::Special => "special",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Regular => "定期抽查",
            Self::Special => "不定期抽查",
        }
    }
}

/// An organization of the inspection list (检查对象名录库).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub credit_code: String,
    pub name: String,
}

/// An inspector of the officers' register (执法检查人员名录库) with a valid credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspector {
    pub id: i64,
    pub name: String,
    pub certificate_no: String,
}

/// A declared conflict of interest: the inspector may not inspect the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub officer: i64,
    pub credit_code: String,
}

/// Everything a draw depends on; published with it, so that anyone can re-run [`draw`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawInput {
    /// 64 hex digits.
    pub seed: String,
    pub count: usize,
    pub targets: Vec<Target>,
    pub inspectors: Vec<Inspector>,
    pub conflicts: Vec<Conflict>,
}

impl DrawInput {
    /// The input in its canonical order (targets by credit code, inspectors by certificate
    /// number, conflicts by officer and code; duplicates dropped): the order the draw runs on.
    pub fn canonical(mut self) -> Self {
        self.targets.sort_by(|a, b| a.credit_code.cmp(&b.credit_code));
        self.targets.dedup_by(|a, b| a.credit_code == b.credit_code);
        self.inspectors.sort_by(|a, b| a.certificate_no.cmp(&b.certificate_no).then(a.id.cmp(&b.id)));
        self.inspectors.dedup_by(|a, b| a.id == b.id);
        self.conflicts.sort_by(|a, b| (a.officer, &a.credit_code).cmp(&(b.officer, &b.credit_code)));
        self.conflicts.dedup();
        self
    }
}

/// One organization drawn, with its two inspectors (register ids, in the order drawn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drawn {
    pub credit_code: String,
    pub name: String,
    pub inspectors: [i64; 2],
}

/// Why a draw cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawError {
    Seed,
    Count,
    BelowRatio { minimum: usize },
    TooFewInspectors { credit_code: String },
}

impl DrawError {
    pub fn field_error(&self) -> FieldError {
        match self {
            Self::Seed => FieldError::new("seed", "draw_seed", "随机种子应为64位十六进制数字"),
            Self::Count => FieldError::new(
                "count",
                "draw_count",
                format!("抽查数量应为1至{MAX_COUNT}之间的整数，且不超过检查对象名录库中的数量"),
            ),
            Self::BelowRatio { minimum } => FieldError::new(
                "count",
                "draw_below_ratio",
                format!("定期抽查的数量不得低于本级登记社会组织总数的法定比例，本次至少应抽取{minimum}家（{BASIS_DRAW}）"),
            ),
            Self::TooFewInspectors { credit_code } => FieldError::new(
                "inspectors",
                "draw_inspectors",
                format!(
                    "可对统一社会信用代码为{credit_code}的社会组织实施检查且无需回避的持证执法人员不足两名（{BASIS_INSPECTORS}）"
                ),
            ),
        }
    }
}

/// 第五条: the least a regular draw takes out of `total` organizations registered by a body at
/// `level` (county 3%, city 4%, province 5%; rounded up, at least one when there is any).
pub fn minimum_count(total: usize, level: Level) -> usize {
    let percent = match level {
        Level::Province => 5,
        Level::Prefecture => 4,
        _ => 3,
    };
    (total * percent).div_ceil(100)
}

/// The last day to publish the result of an inspection made on `checked_on`.
pub fn result_publication_due(cal: &WorkCalendar, checked_on: NaiveDate) -> Result<NaiveDate, CalendarError> {
    cal.add_workdays(checked_on, RESULT_PUBLICATION_WORKDAYS)
}

/// The random stream of a seed: SM3 in counter mode.
struct Stream {
    seed: [u8; 32],
    counter: u64,
}

impl Stream {
    fn next_u64(&mut self) -> u64 {
        let mut hasher = Sm3::new();
        hasher.update(self.seed);
        hasher.update(self.counter.to_be_bytes());
        self.counter += 1;
        let block = hasher.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&block[..8]);
        u64::from_be_bytes(first)
    }

    /// A uniform number in `0..n` (`n > 0`), by rejection.
    fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.next_u64();
            if x < zone {
                return (x % n) as usize;
            }
        }
    }
}

/// Parses a seed of 64 hex digits.
pub fn parse_seed(text: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(text.trim()).ok()?;
    bytes.try_into().ok()
}

/// The draw: `count` organizations and two inspectors for each, from the canonical input.
pub fn draw(input: &DrawInput, kind: DrawKind, level: Level) -> Result<Vec<Drawn>, DrawError> {
    let input = input.clone().canonical();
    let seed = parse_seed(&input.seed).ok_or(DrawError::Seed)?;
    if input.count == 0 || input.count > MAX_COUNT || input.count > input.targets.len() {
        return Err(DrawError::Count);
    }
    let minimum = minimum_count(input.targets.len(), level);
    if kind == DrawKind::Regular && input.count < minimum {
        return Err(DrawError::BelowRatio { minimum });
    }
    let mut stream = Stream { seed, counter: 0 };
    let mut order: Vec<usize> = (0..input.targets.len()).collect();
    for i in 0..input.count {
        let j = i + stream.below(order.len() - i);
        order.swap(i, j);
    }
    let mut out = Vec::with_capacity(input.count);
    for &t in &order[..input.count] {
        let target = &input.targets[t];
        let mut free: Vec<i64> = input
            .inspectors
            .iter()
            .filter(|i| !input.conflicts.iter().any(|c| c.officer == i.id && c.credit_code == target.credit_code))
            .map(|i| i.id)
            .collect();
        if free.len() < 2 {
            return Err(DrawError::TooFewInspectors { credit_code: target.credit_code.clone() });
        }
        let first = free.remove(stream.below(free.len()));
        let second = free.remove(stream.below(free.len()));
        out.push(Drawn {
            credit_code: target.credit_code.clone(),
            name: target.name.clone(),
            inspectors: [first, second],
        });
    }
    Ok(out)
}

/// The SM3 of the canonical input as JSON: printed beside the draw, so that a re-run starts from
/// the same lists.
pub fn input_digest(input: &DrawInput) -> String {
    let canonical = input.clone().canonical();
    let text = serde_json::to_string(&canonical).unwrap_or_default();
    hex::encode(Sm3::digest(text.as_bytes()))
}

/// One draw as the year's account reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub kind: DrawKind,
    pub drawn_on: NaiveDate,
    /// Organizations on the inspection list the draw was made from.
    pub listed: usize,
    /// Per organization drawn: the day inspected, the finding, the day its result was published.
    pub lines: Vec<(Option<NaiveDate>, Option<Finding>, Option<NaiveDate>)>,
}

/// A body's random inspections in one year, against the share of 第五条: how many it had to
/// draw in its regular (定期) inspection, how many it drew, inspected and published, and how many
/// results were published after their [`RESULT_PUBLICATION_WORKDAYS`] working days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearAccount {
    pub year: i32,
    /// Organizations on the list of the year's largest regular draw (0 without one).
    pub listed: usize,
    /// 第五条: the least a regular draw takes from that list.
    pub minimum: usize,
    pub regular_draws: usize,
    pub regular_drawn: usize,
    pub special_drawn: usize,
    pub inspected: usize,
    pub problems: usize,
    pub late: usize,
}

impl YearAccount {
    /// 第五条: the year had a regular draw of at least its share.
    pub fn share_met(&self) -> bool {
        self.regular_draws > 0 && self.regular_drawn >= self.minimum
    }
}

/// The account of `year` from the draws of one body at `level` (draws of other years ignored).
pub fn year_account(cal: &WorkCalendar, level: Level, year: i32, draws: &[Tally]) -> YearAccount {
    use chrono::Datelike;
    let mut account = YearAccount { year, ..YearAccount::default() };
    for tally in draws.iter().filter(|t| t.drawn_on.year() == year) {
        match tally.kind {
            DrawKind::Regular => {
                account.regular_draws += 1;
                account.regular_drawn += tally.lines.len();
                account.listed = account.listed.max(tally.listed);
            }
            DrawKind::Special => account.special_drawn += tally.lines.len(),
        }
        for (checked, finding, published) in &tally.lines {
            let Some(checked) = checked else { continue };
            account.inspected += 1;
            if finding.is_some_and(Finding::problem_found) {
                account.problems += 1;
            }
            let due = result_publication_due(cal, *checked).ok();
            if let (Some(due), Some(published)) = (due, published) {
                if *published > due {
                    account.late += 1;
                }
            }
        }
    }
    account.minimum = minimum_count(account.listed, level);
    account
}

/// The conclusion of one inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// 未发现问题.
    Clean,
    /// 发现问题，责令整改.
    Rectify,
    /// 发现违法行为，立案查处.
    Filed,
    /// 未找到该社会组织（列入活动异常名录）.
    NotFound,
}

impl Finding {
    pub const ALL: [Finding; 4] = [Self::Clean, Self::Rectify, Self::Filed, Self::NotFound];

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == text.trim())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clean => "clean",
            Self::Rectify => "rectify",
            Self::Filed => "filed",
            Self::NotFound => "not_found",
        }
    }

    /// Whether the inspection found something the register authority deals with (《社会组织
    /// 抽查暂行办法》: a violation found is dealt with according to law), so that the result
    /// may open an enforcement case.
    pub fn problem_found(self) -> bool {
        matches!(self, Self::Rectify | Self::Filed)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Clean => "未发现问题",
            Self::Rectify => "发现问题，已责令整改",
            Self::Filed => "发现违法行为，依法立案查处",
            Self::NotFound => "通过登记的住所无法联系",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(n: usize) -> Vec<Target> {
        (0..n).map(|i| Target { credit_code: format!("51511700MJ{i:08}"), name: format!("协会{i}") }).collect()
    }

    fn inspectors(n: i64) -> Vec<Inspector> {
        (1..=n).map(|i| Inspector { id: i, name: format!("执法{i}"), certificate_no: format!("51-{i:04}") }).collect()
    }

    fn input(seed: &str, count: usize) -> DrawInput {
        DrawInput { seed: seed.into(), count, targets: targets(40), inspectors: inspectors(6), conflicts: vec![] }
    }

    const SEED_A: &str = "0000000000000000000000000000000000000000000000000000000000000001";
    const SEED_B: &str = "0000000000000000000000000000000000000000000000000000000000000002";

    #[test]
    fn the_same_seed_and_lists_give_the_same_draw_in_any_input_order() {
        let a = draw(&input(SEED_A, 5), DrawKind::Special, Level::County).unwrap();
        let mut shuffled = input(SEED_A, 5);
        shuffled.targets.reverse();
        shuffled.inspectors.reverse();
        assert_eq!(draw(&shuffled, DrawKind::Special, Level::County).unwrap(), a);
        assert_eq!(input_digest(&shuffled), input_digest(&input(SEED_A, 5)));
        let b = draw(&input(SEED_B, 5), DrawKind::Special, Level::County).unwrap();
        assert_ne!(a, b, "another seed draws otherwise");
        assert_eq!(a.len(), 5);
        let mut codes: Vec<_> = a.iter().map(|d| d.credit_code.clone()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 5, "no organization twice");
        for d in &a {
            assert_ne!(d.inspectors[0], d.inspectors[1], "two different inspectors");
        }
    }

    #[test]
    fn every_target_can_be_drawn() {
        // Over many seeds each of 40 organizations comes up (the shuffle reaches every index).
        let mut seen = std::collections::BTreeSet::new();
        for s in 0..200u32 {
            let seed = format!("{s:064x}");
            for d in draw(&input(&seed, 2), DrawKind::Special, Level::County).unwrap() {
                seen.insert(d.credit_code);
            }
        }
        assert_eq!(seen.len(), 40);
    }

    #[test]
    fn a_declared_conflict_keeps_the_inspector_away() {
        let mut with = input(SEED_A, 40);
        with.inspectors = inspectors(3);
        let code = with.targets[7].credit_code.clone();
        with.conflicts = vec![Conflict { officer: 1, credit_code: code.clone() }];
        let drawn = draw(&with, DrawKind::Special, Level::County).unwrap();
        let line = drawn.iter().find(|d| d.credit_code == code).unwrap();
        assert!(!line.inspectors.contains(&1));
        // Two conflicts on the same organization leave one inspector: refused.
        with.conflicts.push(Conflict { officer: 2, credit_code: code.clone() });
        assert_eq!(
            draw(&with, DrawKind::Special, Level::County),
            Err(DrawError::TooFewInspectors { credit_code: code })
        );
    }

    #[test]
    fn ratio_of_article_five_and_bad_inputs() {
        assert_eq!(minimum_count(40, Level::County), 2); // 1.2 → 2
        assert_eq!(minimum_count(100, Level::County), 3);
        assert_eq!(minimum_count(100, Level::Prefecture), 4);
        assert_eq!(minimum_count(100, Level::Province), 5);
        assert_eq!(minimum_count(0, Level::County), 0);
        assert_eq!(
            draw(&input(SEED_A, 1), DrawKind::Regular, Level::County),
            Err(DrawError::BelowRatio { minimum: 2 })
        );
        assert!(draw(&input(SEED_A, 2), DrawKind::Regular, Level::County).is_ok());
        assert_eq!(draw(&input(SEED_A, 0), DrawKind::Special, Level::County), Err(DrawError::Count));
        assert_eq!(draw(&input(SEED_A, 41), DrawKind::Special, Level::County), Err(DrawError::Count));
        assert_eq!(draw(&input("abc", 1), DrawKind::Special, Level::County), Err(DrawError::Seed));
        let mut one = input(SEED_A, 1);
        one.inspectors = inspectors(1);
        assert!(matches!(draw(&one, DrawKind::Special, Level::County), Err(DrawError::TooFewInspectors { .. })));
    }

    #[test]
    fn the_year_account_counts_the_share_the_inspections_and_late_results() {
        let cal = WorkCalendar::builtin();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let regular = Tally {
            kind: DrawKind::Regular,
            drawn_on: d(2021, 9, 1),
            listed: 40,
            lines: vec![
                // Due 2021-10-26 (see below): published that day is in time, the next day late.
                (Some(d(2021, 9, 23)), Some(Finding::Clean), Some(d(2021, 10, 26))),
                (Some(d(2021, 9, 23)), Some(Finding::Rectify), Some(d(2021, 10, 27))),
            ],
        };
        let special = Tally {
            kind: DrawKind::Special,
            drawn_on: d(2021, 11, 2),
            listed: 40,
            lines: vec![(Some(d(2021, 11, 3)), Some(Finding::Filed), Some(d(2021, 11, 3))), (None, None, None)],
        };
        let last_year = Tally { drawn_on: d(2020, 12, 31), ..regular.clone() };
        let account = year_account(cal, Level::County, 2021, &[regular.clone(), special.clone(), last_year]);
        assert_eq!(
            account,
            YearAccount {
                year: 2021,
                listed: 40,
                minimum: 2,
                regular_draws: 1,
                regular_drawn: 2,
                special_drawn: 2,
                inspected: 3,
                problems: 2,
                late: 1,
            }
        );
        assert!(account.share_met());
        // Only a special draw: the year's regular inspection is missing, whatever was drawn.
        let without = year_account(cal, Level::County, 2021, &[special]);
        assert!(!without.share_met());
        assert_eq!((without.regular_draws, without.minimum, without.special_drawn), (0, 0, 2));
        // A city body's share of 40 is 4% (2), of 60 is 3 (2.4 rounded up): two drawn fall short.
        let city = year_account(cal, Level::Prefecture, 2021, &[Tally { listed: 60, ..regular }]);
        assert_eq!(city.minimum, 3);
        assert!(!city.share_met());
    }

    #[test]
    fn results_published_within_twenty_working_days_across_national_day() {
        let cal = WorkCalendar::builtin();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Inspected Thursday 2021-09-23: 24, 26 (调休 Sunday), 27–30 are six; 国庆 10-01..07 off;
        // 10-08, 09 (调休 Saturday) make eight; 11–15 thirteen; 18–22 eighteen; 25, 26 twenty.
        assert_eq!(result_publication_due(cal, d(2021, 9, 23)).unwrap(), d(2021, 10, 26));
    }
}
