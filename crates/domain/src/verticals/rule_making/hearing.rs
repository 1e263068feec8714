//! 听证报名 online: a citizen applies to take part in a hearing announced for a decision, and the
//! organ decides each application (遴选) before it publishes the list of participants
//! (重大行政决策程序暂行条例第十六条: where participants are selected, the organ publishes how
//! in advance, selects them fairly and openly so that every side concerned is represented, and
//! publishes the list in advance). Applications are taken for the hearing announced and not yet
//! held, before its day, until its list is published
//! (`DecisionHistory::hearing_unlisted`); the list may not be published while an application is
//! undecided ([`check_list`]).

use super::consultation::long_text;
use crate::problem::FieldError;

/// The side an applicant speaks for (第十六条: 保证相关各方都有代表参加听证会).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Directly affected by the decision (e.g. residents near a planned site).
    Affected,
    /// A business or individual trader.
    Business,
    /// A social organization.
    Organization,
    /// Any other member of the public.
    Public,
}

impl Side {
    pub const ALL: [Side; 4] = [Side::Affected, Side::Business, Side::Organization, Side::Public];

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Affected => "affected",
            Side::Business => "business",
            Side::Organization => "organization",
            Side::Public => "public",
        }
    }

    pub fn parse(s: &str) -> Option<Side> {
        Side::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Side::Affected => "与决策事项有直接利害关系的公民",
            Side::Business => "企业或个体工商户",
            Side::Organization => "社会组织",
            Side::Public => "其他社会公众",
        }
    }
}

/// An application as typed (the one parser for the form and any client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub side: Side,
    /// What the applicant wishes to say at the hearing, in brief.
    pub statement: String,
}

impl NewApplication {
    pub fn parse(side: &str, statement: &str) -> Result<NewApplication, Vec<FieldError>> {
        let mut problems = Vec::new();
        let side = Side::parse(side.trim());
        if side.is_none() {
            problems.push(FieldError::new("side", "bad_choice", "请选择您代表的一方"));
        }
        let statement = long_text("statement", statement, 5, 500).map_err(|e| problems.push(e)).ok();
        match (side, statement) {
            (Some(side), Some(statement)) if problems.is_empty() => Ok(NewApplication { side, statement }),
            _ => Err(problems),
        }
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    Applied,
    Selected,
    NotSelected,
}

impl Selection {
    pub fn as_str(self) -> &'static str {
        match self {
            Selection::Applied => "applied",
            Selection::Selected => "selected",
            Selection::NotSelected => "not_selected",
        }
    }

    pub fn parse(s: &str) -> Option<Selection> {
        [Selection::Applied, Selection::Selected, Selection::NotSelected].into_iter().find(|x| x.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Selection::Applied => "待遴选",
            Selection::Selected => "选为听证参加人",
            Selection::NotSelected => "未选定",
        }
    }
}

/// The organ's decision on an application: selected or not, with how it was decided (the
/// published 遴选办法 applied to it), so the selection can be shown to be fair and open.
pub fn parse_selection(status: &str, reason: &str) -> Result<(Selection, String), FieldError> {
    let selection = Selection::parse(status.trim())
        .filter(|s| *s != Selection::Applied)
        .ok_or_else(|| FieldError::new("status", "bad_choice", "请选择遴选结果"))?;
    let reason = long_text("reason", reason, 1, 500)?;
    Ok((selection, reason))
}

/// 第十六条: the list of participants is published after a fair and open selection, so not
/// while any application to the hearing is undecided.
pub fn check_list(undecided: usize) -> Result<(), FieldError> {
    if undecided == 0 {
        return Ok(());
    }
    Err(FieldError::new(
        "kind",
        "hearing_applications_undecided",
        format!(
            "尚有{undecided}份听证报名未作遴选决定，应当公平公开组织遴选后再公布听证参加人名单（《重大行政决策程序暂行条例》第十六条）"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::verticals::rule_making::decision::{DecisionHistory, Step};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_application_names_its_side_and_says_something() {
        let ok = NewApplication::parse("affected", "我家在规划公墓旁，希望说明对出行的影响。").unwrap();
        assert_eq!(ok.side, Side::Affected);
        let errs = NewApplication::parse("landlord", "好").unwrap_err();
        assert_eq!(
            errs.iter().map(|e| (e.field.as_str(), e.code)).collect::<Vec<_>>(),
            [("side", "bad_choice"), ("statement", "too_short")]
        );
    }

    #[test]
    fn a_selection_is_decided_with_its_reason() {
        assert_eq!(parse_selection("selected", "按利益相关方分组抽签选定").unwrap().0, Selection::Selected);
        assert_eq!(parse_selection("applied", "x").unwrap_err().code, "bad_choice");
        assert_eq!(parse_selection("not_selected", " ").unwrap_err().field, "reason");
    }

    #[test]
    fn the_list_waits_for_every_application() {
        assert!(check_list(0).is_ok());
        let err = check_list(2).unwrap_err();
        assert_eq!(err.code, "hearing_applications_undecided");
        assert!(err.message.contains("2份") && err.message.contains("第十六条"), "{}", err.message);
    }

    #[test]
    fn applications_are_taken_until_the_list_is_published() {
        let announced = Step::HearingAnnounced {
            on: d("2021-09-02"),
            held_on: d("2021-10-11"),
            place: "区民政局三楼会议室".into(),
            selection: "自愿报名，按利益相关方分组抽签".into(),
        };
        let mut h = DecisionHistory::default();
        assert_eq!(h.hearing_unlisted(), None);
        h.steps.push(announced);
        assert_eq!(h.hearing_unlisted(), Some((0, d("2021-10-11"))));
        h.steps.push(Step::HearingParticipants { on: d("2021-09-20"), participants: "居民代表3人".into() });
        assert_eq!(h.hearing_unlisted(), None);
    }
}
