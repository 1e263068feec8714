//! The two windows of a divorce by agreement (民法典 Art. 1077, [`basis::COOLING_OFF`]):
//!
//! 1. 离婚冷静期: 30 days from the registry's receipt of the application; either party may
//!    withdraw until its last day.
//! 2. 申请发证期: the 30 days after the cooling-off period ends; both parties must appear in
//!    person and ask for the certificate, else the application is deemed withdrawn (视为撤回) on
//!    the day after the window's last day.
//!
//! Both are natural days counted by 民法典 Art. 201–203 ([`basis::PERIODS`]): the receipt day is
//! not counted (day 1 is the day after receipt), and a last day that is a statutory holiday (or
//! another day off) moves to the next working day ([`WorkCalendar::add_days`]). The second
//! window counts from the first's (possibly moved) last day. Applying Art. 203 to Art. 1077 is
//! practice [unconfirmed] (民法典婚姻家庭编; 婚姻登记条例).

use chrono::NaiveDate;

use crate::calendar::{CalendarError, WorkCalendar};
use crate::engine::refusal::Refusal;
use crate::marriage::basis;

/// The length of each window in natural days (民法典 Art. 1077).
pub const WINDOW_DAYS: u32 = 30;

/// Both windows of one application, from its receipt date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DivorceWindows {
    /// The day the registry received the application (受理回执). Not counted.
    pub received: NaiveDate,
    /// The last day either party may withdraw.
    pub cooling_off_ends: NaiveDate,
    /// The last day both parties may ask for the certificate.
    pub certificate_window_ends: NaiveDate,
    /// Whether either last day was moved past a day off (Art. 203).
    pub cooling_off_moved: bool,
    pub certificate_window_moved: bool,
}

/// Where an application stands on a given date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DivorcePhase {
    /// Before or on the receipt day: not yet counting (the receipt day itself is day 0).
    Received,
    /// Days 1..=cooling-off end: either party may withdraw; no certificate yet.
    CoolingOff,
    /// The 30 days after: both parties may ask for the certificate.
    CertificateWindow,
    /// From the day after the window: deemed withdrawn (视为撤回).
    Lapsed,
}

/// The windows for an application received on `received` (a Shanghai date). Errs when the
/// calendar has no data for a day it must look at (never a guess).
pub fn divorce_windows(received: NaiveDate, calendar: &WorkCalendar) -> Result<DivorceWindows, CalendarError> {
    let plain = |start: NaiveDate| start.checked_add_days(chrono::Days::new(u64::from(WINDOW_DAYS)));
    let cooling_off_ends = calendar.add_days(received, WINDOW_DAYS)?;
    let certificate_window_ends = calendar.add_days(cooling_off_ends, WINDOW_DAYS)?;
    Ok(DivorceWindows {
        received,
        cooling_off_ends,
        certificate_window_ends,
        cooling_off_moved: plain(received) != Some(cooling_off_ends),
        certificate_window_moved: plain(cooling_off_ends) != Some(certificate_window_ends),
    })
}

impl DivorceWindows {
    /// The phase on `date`.
    pub fn phase_on(&self, date: NaiveDate) -> DivorcePhase {
        if date <= self.received {
            DivorcePhase::Received
        } else if date <= self.cooling_off_ends {
            DivorcePhase::CoolingOff
        } else if date <= self.certificate_window_ends {
            DivorcePhase::CertificateWindow
        } else {
            DivorcePhase::Lapsed
        }
    }

    /// Either party may withdraw on `date` (the receipt day included: the application exists).
    pub fn may_withdraw(&self, date: NaiveDate) -> bool {
        matches!(self.phase_on(date), DivorcePhase::Received | DivorcePhase::CoolingOff)
    }

    /// A withdrawal by either party on `date`: in time until the cooling-off period's last day
    /// (民法典第一千零七十七条第一款: 自婚姻登记机关收到离婚登记申请之日起三十日内，任何一方不愿意
    /// 离婚的，可以向婚姻登记机关撤回). The Code gives no withdrawal after it: an application that
    /// either party no longer pursues lapses when neither asks for the certificate in time
    /// (第二款), so a withdrawal then is refused and the explanation says so.
    pub fn check_withdrawal(&self, date: NaiveDate) -> Result<(), Refusal> {
        if self.may_withdraw(date) {
            return Ok(());
        }
        Err(Refusal::new(
            "withdrawal_period_over",
            format!(
                "离婚冷静期已于 {} 届满，不能再撤回离婚登记申请；双方未在 {} 前共同申请发给离婚证的，{} 视为撤回",
                self.cooling_off_ends,
                self.certificate_window_ends,
                self.deemed_withdrawn_on()
            ),
        )
        .with_basis(basis::COOLING_OFF))
    }

    /// Both parties may ask for the certificate on `date`.
    pub fn may_ask_for_certificate(&self, date: NaiveDate) -> bool {
        self.phase_on(date) == DivorcePhase::CertificateWindow
    }

    /// The day the system records the application as deemed withdrawn.
    pub fn deemed_withdrawn_on(&self) -> NaiveDate {
        self.certificate_window_ends.succ_opt().unwrap_or(self.certificate_window_ends)
    }

    /// The explanation shown on the case, e.g. "2021-03-01 受理，受理当日不计；离婚冷静期三十日，至
    /// 2021-03-31，期间任何一方可撤回；届满后三十日内双方亲自申请发给离婚证，至 2021-04-30；逾期未申请的，
    /// 2021-05-01 视为撤回（依据：…）".
    pub fn explanation(&self) -> String {
        let moved = |m: bool| if m { "（末日为休息日，顺延至次一工作日）" } else { "" };
        format!(
            "{} 受理，受理当日不计；离婚冷静期三十日，至 {}{}，期间任何一方可撤回申请；届满后三十日内双方应亲自到场申请发给离婚证，至 {}{}；逾期未申请的，{} 视为撤回离婚登记申请（依据：{}；{}）",
            self.received,
            self.cooling_off_ends,
            moved(self.cooling_off_moved),
            self.certificate_window_ends,
            moved(self.certificate_window_moved),
            self.deemed_withdrawn_on(),
            basis::COOLING_OFF,
            basis::PERIODS,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn day(received: NaiveDate, n: u64) -> NaiveDate {
        received.checked_add_days(Days::new(n)).unwrap()
    }

    #[test]
    fn windows_without_a_holiday_at_either_end() {
        // Received Monday 2021-03-01: day 30 = Wed 03-31, day 60 = Fri 04-30 (working days).
        let received = date(2021, 3, 1);
        let w = divorce_windows(received, WorkCalendar::builtin()).unwrap();
        assert_eq!(w.cooling_off_ends, date(2021, 3, 31));
        assert_eq!(w.certificate_window_ends, date(2021, 4, 30));
        assert!(!w.cooling_off_moved && !w.certificate_window_moved);
        assert_eq!(w.phase_on(received), DivorcePhase::Received);
        assert_eq!(w.phase_on(day(received, 1)), DivorcePhase::CoolingOff);
        // Withdrawal on day 30: allowed; not on day 31.
        assert!(w.may_withdraw(day(received, 30)));
        assert!(!w.may_withdraw(day(received, 31)));
        // The certificate: not on day 30, on day 31 and on day 60, not on day 61.
        assert!(!w.may_ask_for_certificate(day(received, 30)));
        assert!(w.may_ask_for_certificate(day(received, 31)));
        assert!(w.may_ask_for_certificate(day(received, 60)));
        assert!(!w.may_ask_for_certificate(day(received, 61)));
        // Deemed withdrawn on day 61.
        assert_eq!(w.deemed_withdrawn_on(), day(received, 61));
        assert_eq!(w.phase_on(day(received, 61)), DivorcePhase::Lapsed);
    }

    #[test]
    fn windows_ending_on_a_holiday_move_to_the_next_working_day() {
        // Received 2021-09-01: day 30 = 10-01 (国庆节) → 10-08 (first working day after the
        // holiday); then 10-08 + 30 = Sun 11-07 → Mon 11-08.
        let w = divorce_windows(date(2021, 9, 1), WorkCalendar::builtin()).unwrap();
        assert_eq!(w.cooling_off_ends, date(2021, 10, 8));
        assert!(w.cooling_off_moved);
        assert!(w.may_withdraw(date(2021, 10, 7)));
        assert!(w.may_withdraw(date(2021, 10, 8)));
        assert!(!w.may_ask_for_certificate(date(2021, 10, 8)));
        assert!(w.may_ask_for_certificate(date(2021, 10, 9)));
        assert_eq!(w.certificate_window_ends, date(2021, 11, 8));
        assert!(w.certificate_window_moved);
        assert_eq!(w.deemed_withdrawn_on(), date(2021, 11, 9));
        let text = w.explanation();
        assert!(text.contains("2021-10-08（末日为休息日，顺延至次一工作日）"), "{text}");
        assert!(text.contains("2021-11-09 视为撤回"), "{text}");
        assert!(text.contains("第一千零七十七条"), "{text}");
    }

    #[test]
    fn a_withdrawal_is_in_time_through_the_cooling_off_period_only() {
        let received = date(2021, 3, 1);
        let w = divorce_windows(received, WorkCalendar::builtin()).unwrap();
        assert!(w.check_withdrawal(received).is_ok(), "the receipt day: the application exists");
        assert!(w.check_withdrawal(day(received, 30)).is_ok());
        let refused = w.check_withdrawal(day(received, 31)).unwrap_err();
        assert_eq!(refused.code, "withdrawal_period_over");
        assert_eq!(refused.basis.as_deref(), Some(basis::COOLING_OFF));
        assert!(refused.message.contains("2021-03-31"), "{}", refused.message);
        // A moved last day (国庆节) moves the withdrawal's last day too.
        let w = divorce_windows(date(2021, 9, 1), WorkCalendar::builtin()).unwrap();
        assert!(w.check_withdrawal(date(2021, 10, 8)).is_ok());
        assert!(w.check_withdrawal(date(2021, 10, 9)).is_err());
    }

    #[test]
    fn a_year_without_calendar_data_is_an_error() {
        assert!(divorce_windows(date(2026, 12, 20), WorkCalendar::builtin()).is_err());
    }

    #[test]
    fn the_explanation_without_moves() {
        let w = divorce_windows(date(2021, 3, 1), WorkCalendar::builtin()).unwrap();
        assert_eq!(
            w.explanation(),
            format!(
                "2021-03-01 受理，受理当日不计；离婚冷静期三十日，至 2021-03-31，期间任何一方可撤回申请；届满后三十日内双方应亲自到场申请发给离婚证，至 2021-04-30；逾期未申请的，2021-05-01 视为撤回离婚登记申请（依据：{}；{}）",
                basis::COOLING_OFF,
                basis::PERIODS
            )
        );
    }
}
