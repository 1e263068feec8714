//! Suspension (暂停服务), closure (终止服务) and resumption of an institution, as reported to the
//! 民政 that holds its file.
//!
//! Sources: 《中华人民共和国老年人权益保障法》第四十六条 (an institution that changes or ends
//! shall properly resettle (妥善安置) the elderly it houses, and the departments concerned help it);
//! 《养老机构管理办法》（民政部令第66号，2020-11-01施行）第五章, as published guides give it: an
//! institution that suspends or ends its service tells the residents (or their agents) and 民政
//! in advance, with a resettlement plan (安置方案: how many residents, where they go, how it is
//! paid). The 60 days of notice are the guides' and the former rule's (民政部令第49号); the
//! article of the 2020 办法 that sets the length was not confirmed, so the period is data
//! ([`NOTICE_BEFORE_STOP`]) and a shorter notice is **flagged, not refused**: the register records
//! what happened, and the flag is what the bureau follows up.

use chrono::NaiveDate;

use super::institution::{past_date, Status};
use crate::problem::{text_field, FieldError};

/// The notice before suspending or ending the service: natural days between the day the
/// institution reported (and told its residents) and the first day without service.
pub const NOTICE_BEFORE_STOP: NoticeRule = NoticeRule {
    days: 60,
    basis: "《养老机构管理办法》（民政部令第66号）：暂停、终止服务前提前告知老年人及其代理人并向民政部门报告，\
            提交老年人安置方案（提前期限按办事指南为60日）",
};

/// A notice period counted back from the day service stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeRule {
    pub days: i64,
    pub basis: &'static str,
}

impl NoticeRule {
    /// Whether a notice given on `reported_on` for a stop on `effective_on` was shorter than the rule.
    pub fn short(&self, reported_on: NaiveDate, effective_on: NaiveDate) -> bool {
        (effective_on - reported_on).num_days() < self.days
    }
}

/// What is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusAct {
    Suspend,
    Close,
    Resume,
}

impl StatusAct {
    pub const ALL: [StatusAct; 3] = [StatusAct::Suspend, StatusAct::Close, StatusAct::Resume];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusAct::Suspend => "suspend",
            StatusAct::Close => "close",
            StatusAct::Resume => "resume",
        }
    }

    pub fn parse(s: &str) -> Option<StatusAct> {
        StatusAct::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            StatusAct::Suspend => "暂停服务",
            StatusAct::Close => "终止服务",
            StatusAct::Resume => "恢复服务",
        }
    }

    /// The status after the act.
    pub fn to(self) -> Status {
        match self {
            StatusAct::Suspend => Status::Suspended,
            StatusAct::Close => Status::Closed,
            StatusAct::Resume => Status::Operating,
        }
    }

    /// Whether the act may follow `from`: suspend a serving one, end a serving or suspended one,
    /// resume a suspended one; an ended institution files anew.
    pub fn allowed_from(self, from: Status) -> bool {
        matches!(
            (self, from),
            (StatusAct::Suspend, Status::Operating)
                | (StatusAct::Close, Status::Operating | Status::Suspended)
                | (StatusAct::Resume, Status::Suspended)
        )
    }
}

/// A report as typed (the page form and the JSON body alike).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusInput {
    pub act: String,
    /// The day the institution reported to 民政 and told its residents (`YYYY-MM-DD`).
    pub reported_on: String,
    /// The first day without service, or the day service resumed (`YYYY-MM-DD`).
    pub effective_on: String,
    /// Residents housed when the notice was given.
    pub residents: String,
    /// The resettlement plan: where the residents go and how it is paid.
    pub placement: String,
    pub reason: String,
}

/// A checked report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub act: StatusAct,
    pub reported_on: NaiveDate,
    pub effective_on: NaiveDate,
    pub residents: i64,
    pub placement: String,
    pub reason: String,
}

impl StatusChange {
    /// Checks a report about an institution filed on `filed_on`, now `current`, typed on `today`:
    /// every problem at once. Recorded once it has taken effect (both days not after today), so
    /// the register's status is the institution's. A suspension or closure with residents needs
    /// the resettlement plan.
    pub fn parse(
        input: &StatusInput,
        current: Status,
        filed_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<StatusChange, Vec<FieldError>> {
        let mut problems = Vec::new();
        let act = StatusAct::parse(input.act.trim());
        match act {
            None => problems.push(FieldError::new("act", "invalid_choice", "请选择暂停服务、终止服务或恢复服务")),
            Some(a) if !a.allowed_from(current) => problems.push(FieldError::new(
                "act",
                "status_transition",
                format!("该机构目前为“{}”，不能办理“{}”", current.name_zh(), a.name_zh()),
            )),
            Some(_) => {}
        }
        let reported_on = match past_date("reported_on", &input.reported_on, today) {
            Ok(d) if d < filed_on => {
                problems.push(FieldError::new("reported_on", "before_filing", "报告日期不能早于备案日期"));
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let effective_on = past_date("effective_on", &input.effective_on, today).map_err(|e| problems.push(e)).ok();
        if let (Some(r), Some(e)) = (reported_on, effective_on) {
            if e < r {
                problems.push(FieldError::new("effective_on", "before_report", "生效日期不能早于报告日期"));
            }
        }
        let stops = act.is_some_and(|a| a != StatusAct::Resume);
        let residents = match input.residents.trim() {
            "" if !stops => Some(0),
            text => match text.parse::<i64>() {
                Ok(n) if (0..=100_000).contains(&n) => Some(n),
                _ => {
                    problems.push(FieldError::new("residents", "invalid_number", "在住老年人数应为0或正整数"));
                    None
                }
            },
        };
        let needs_plan = stops && residents.is_some_and(|n| n > 0);
        let placement = text_field("placement", &one_line(&input.placement), 2000, needs_plan)
            .map_err(|e| {
                problems.push(if e.code == "required" {
                    FieldError::new(
                        "placement",
                        "placement_required",
                        "有在住老年人的，请填写老年人安置方案（安置去向、资金保障等）",
                    )
                } else {
                    e
                })
            })
            .ok();
        let reason = text_field("reason", &one_line(&input.reason), 500, stops).map_err(|e| problems.push(e)).ok();
        match (act, reported_on, effective_on, residents, placement, reason) {
            (Some(act), Some(reported_on), Some(effective_on), Some(residents), Some(placement), Some(reason))
                if problems.is_empty() =>
            {
                Ok(StatusChange { act, reported_on, effective_on, residents, placement, reason })
            }
            _ => Err(problems),
        }
    }

    /// Whether the notice of a suspension or closure was shorter than [`NOTICE_BEFORE_STOP`].
    pub fn short_notice(&self) -> bool {
        self.act != StatusAct::Resume && NOTICE_BEFORE_STOP.short(self.reported_on, self.effective_on)
    }
}

/// A text typed over several lines (a textarea), as one line: the lines joined by "；".
fn one_line(text: &str) -> String {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("；")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn input(act: &str, reported: &str, effective: &str, residents: &str, placement: &str) -> StatusInput {
        StatusInput {
            act: act.into(),
            reported_on: reported.into(),
            effective_on: effective.into(),
            residents: residents.into(),
            placement: placement.into(),
            reason: "房屋租赁到期".into(),
        }
    }

    const FILED: (i32, u32, u32) = (2021, 3, 1);

    fn parse(i: &StatusInput, current: Status) -> Result<StatusChange, Vec<(String, &'static str)>> {
        StatusChange::parse(i, current, d(FILED.0, FILED.1, FILED.2), d(2021, 12, 31))
            .map_err(|e| e.into_iter().map(|p| (p.field, p.code)).collect())
    }

    /// 60 days counted back from the first day without service: reported 2021-08-02 for a stop
    /// on 2021-10-01 is 60 days (enough); one day later is short. Holidays do not move it.
    #[test]
    fn the_notice_is_sixty_days_before_the_stop() {
        assert!(!NOTICE_BEFORE_STOP.short(d(2021, 8, 2), d(2021, 10, 1)));
        assert!(NOTICE_BEFORE_STOP.short(d(2021, 8, 3), d(2021, 10, 1)));
        // Over a leap February: 2024-01-01 + 60 days = 2024-03-01.
        assert!(!NOTICE_BEFORE_STOP.short(d(2024, 1, 1), d(2024, 3, 1)));
        assert!(NOTICE_BEFORE_STOP.short(d(2024, 1, 1), d(2024, 2, 29)));
        let c = parse(
            &input("close", "2021-10-01", "2021-10-15", "12", "转入通川区社会福利院，费用由本院承担"),
            Status::Operating,
        )
        .unwrap();
        assert!(c.short_notice(), "14 days");
        assert_eq!(c.act.to(), Status::Closed);
    }

    #[test]
    fn residents_need_a_resettlement_plan() {
        assert_eq!(
            parse(&input("suspend", "2021-08-02", "2021-10-01", "12", " "), Status::Operating).unwrap_err(),
            [("placement".into(), "placement_required")]
        );
        // No resident housed: no plan needed.
        let s = parse(&input("suspend", "2021-08-02", "2021-10-01", "0", ""), Status::Operating).unwrap();
        assert!(!s.short_notice());
        // A plan typed over several lines is kept as one.
        let s = parse(
            &input("suspend", "2021-08-02", "2021-10-01", "3", "2人转入福利院\r\n 1人回家 \n"),
            Status::Operating,
        )
        .unwrap();
        assert_eq!(s.placement, "2人转入福利院；1人回家");
        // Resuming needs neither residents nor a plan nor a reason.
        let mut resume = input("resume", "2021-11-01", "2021-11-01", "", "");
        resume.reason.clear();
        let r = parse(&resume, Status::Suspended).unwrap();
        assert!(!r.short_notice() && r.act.to() == Status::Operating);
    }

    #[test]
    fn only_the_transitions_that_make_sense() {
        let suspend = input("suspend", "2021-08-02", "2021-10-01", "0", "");
        assert_eq!(parse(&suspend, Status::Suspended).unwrap_err(), [("act".into(), "status_transition")]);
        assert_eq!(parse(&suspend, Status::Closed).unwrap_err(), [("act".into(), "status_transition")]);
        let close = input("close", "2021-08-02", "2021-10-01", "0", "");
        assert!(parse(&close, Status::Suspended).is_ok());
        let resume = input("resume", "2021-08-02", "2021-10-01", "0", "");
        assert_eq!(parse(&resume, Status::Operating).unwrap_err(), [("act".into(), "status_transition")]);
        assert_eq!(parse(&resume, Status::Closed).unwrap_err(), [("act".into(), "status_transition")]);
    }

    #[test]
    fn dates_between_the_filing_and_today_in_order() {
        let codes = |i: &StatusInput| parse(i, Status::Operating).unwrap_err();
        assert_eq!(
            codes(&input("suspend", "2021-02-28", "2021-10-01", "0", "")),
            [("reported_on".into(), "before_filing")]
        );
        assert_eq!(
            codes(&input("suspend", "2021-10-02", "2021-10-01", "0", "")),
            [("effective_on".into(), "before_report")]
        );
        assert_eq!(
            codes(&input("suspend", "2021-10-01", "2022-01-01", "0", "")),
            [("effective_on".into(), "date_in_future")]
        );
        assert_eq!(
            codes(&input("pause", "2021-13-01", "", "多", "")),
            [
                ("act".into(), "invalid_choice"),
                ("reported_on".into(), "invalid_date"),
                ("effective_on".into(), "required"),
                ("residents".into(), "invalid_number")
            ]
        );
    }
}
