//! 行业协会商会与行政机关脱钩: 中共中央办公厅、国务院办公厅《行业协会商会与行政机关脱钩总体方案》
//! (2015) separates an association from its administrative organ in five respects (机构分离,
//! 职能分离, 资产财务分离, 人员管理分离, 党建外事等事项分离) [the 方案's text was not checked
//! beyond these five]. An association is decoupled when all five are done, each with its date and
//! evidence; the status is derived from them, never stored. After it, supervision goes on
//! (脱钩不脱责): complaints and inspections stay on its record.

use chrono::NaiveDate;

/// One of the five separations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Separation {
    /// 机构分离.
    Institution,
    /// 职能分离.
    Function,
    /// 资产财务分离.
    AssetsFinance,
    /// 人员管理分离.
    Personnel,
    /// 党建、外事等事项分离.
    PartyForeignAffairs,
}

impl Separation {
    pub const ALL: [Separation; 5] = [
        Separation::Institution,
        Separation::Function,
        Separation::AssetsFinance,
        Separation::Personnel,
        Separation::PartyForeignAffairs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Separation::Institution => "institution",
            Separation::Function => "function",
            Separation::AssetsFinance => "assets_finance",
            Separation::Personnel => "personnel",
            Separation::PartyForeignAffairs => "party_foreign_affairs",
        }
    }

    pub fn parse(s: &str) -> Option<Separation> {
        Separation::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Separation::Institution => "机构分离",
            Separation::Function => "职能分离",
            Separation::AssetsFinance => "资产财务分离",
            Separation::Personnel => "人员管理分离",
            Separation::PartyForeignAffairs => "党建外事分离",
        }
    }
}

/// A separation done: when, and the document that shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeparationDone {
    pub separation: Separation,
    pub on: NaiveDate,
    pub evidence: String,
}

/// Where an association's decoupling stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecouplingStatus {
    NotStarted,
    /// Some of the five done by that day.
    InProgress {
        done: usize,
    },
    /// All five done; the day the last one was.
    Completed {
        on: NaiveDate,
    },
}

impl DecouplingStatus {
    pub fn name_zh(self) -> &'static str {
        match self {
            DecouplingStatus::NotStarted => "未启动",
            DecouplingStatus::InProgress { .. } => "推进中",
            DecouplingStatus::Completed { .. } => "已完成脱钩",
        }
    }
}

/// The status on `on` from the separations on record (one counted per kind, the earliest).
pub fn status(done: &[SeparationDone], on: NaiveDate) -> DecouplingStatus {
    let mut last = None;
    let mut count = 0;
    for separation in Separation::ALL {
        let Some(first) = done.iter().filter(|d| d.separation == separation && d.on <= on).map(|d| d.on).min() else {
            continue;
        };
        count += 1;
        last = last.max(Some(first));
    }
    match (count, last) {
        (0, _) | (_, None) => DecouplingStatus::NotStarted,
        (5, Some(day)) => DecouplingStatus::Completed { on: day },
        (n, _) => DecouplingStatus::InProgress { done: n },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn done(separation: Separation, on: NaiveDate) -> SeparationDone {
        SeparationDone { separation, on, evidence: "达州市民政局脱钩验收意见".into() }
    }

    #[test]
    fn complete_on_the_day_of_the_fifth() {
        let mut all: Vec<SeparationDone> =
            Separation::ALL.iter().enumerate().map(|(i, s)| done(*s, d(2021, 3, 1 + i as u32))).collect();
        assert_eq!(status(&all, d(2021, 2, 28)), DecouplingStatus::NotStarted);
        assert_eq!(status(&all, d(2021, 3, 3)), DecouplingStatus::InProgress { done: 3 });
        assert_eq!(status(&all, d(2021, 3, 5)), DecouplingStatus::Completed { on: d(2021, 3, 5) });
        // The same separation twice counts once.
        all.pop();
        all.push(done(Separation::Institution, d(2021, 4, 1)));
        assert_eq!(status(&all, d(2021, 12, 31)), DecouplingStatus::InProgress { done: 4 });
        assert_eq!(status(&[], d(2021, 12, 31)).name_zh(), "未启动");
    }

    #[test]
    fn names_round_trip() {
        for s in Separation::ALL {
            assert_eq!(Separation::parse(s.as_str()), Some(s));
        }
    }
}
