//! Acts dated as they happened. Where the law counts a period from the day something happened
//! (the corrected request received by post, the third party's opinion come back, the answer
//! sent: 《政府信息公开条例》第三十条、第三十二条、第三十三条), an item declares
//! `[procedure] dated_acts` and an act may state the day it was done; the engine then applies it
//! on that day, so every period counts from it, while the record keeps the instant it was
//! entered. The day may not be in the future, nor before the case's last act (the engine never
//! reorders a case's history: `time_before_last_act`).

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::{shanghai_date, shanghai_offset};
use crate::catalog::ServiceItem;
use crate::engine::case::Case;
use crate::engine::refusal::Refusal;
use crate::engine::table::latest_instant;

/// The instant the engine applies an act stated to have been done on `on`, entered at `now`:
/// `now` for today, else 12:00 Asia/Shanghai that day (or the case's last act, when that came
/// later the same day). Refused for an item that does not date its acts
/// (`act_date_not_allowed`), for a day after today (`date_in_future`) and for a day before the
/// case's last act (`act_date_before_last`).
pub fn act_instant(
    item: &ServiceItem,
    case: &Case,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, Refusal> {
    let Some(basis) = &item.procedure.dated_acts else {
        return Err(Refusal::new("act_date_not_allowed", "本事项的办理按录入之时记录，不能另填办理日期"));
    };
    let today = shanghai_date(now);
    if on > today {
        return Err(Refusal::new("date_in_future", "日期不能晚于今天").with_basis(basis));
    }
    let last = latest_instant(case);
    let last_day = shanghai_date(last);
    if on < last_day {
        return Err(Refusal::new(
            "act_date_before_last",
            format!("办理日期不能早于本件上一次办理的日期（{last_day}）"),
        )
        .with_basis(basis));
    }
    if on == today {
        return Ok(now.max(last));
    }
    let noon = on
        .and_hms_opt(12, 0, 0)
        .and_then(|t| t.and_local_timezone(shanghai_offset()).single())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| Refusal::new("invalid_date", "日期应为 YYYY-MM-DD 格式的有效日期"))?;
    Ok(noon.max(last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testkit::{at, date, draft, ItemBuilder};

    #[test]
    fn an_act_takes_the_day_stated_within_the_cases_history() {
        let plain = ItemBuilder::new().build();
        let mut item = plain.clone();
        item.procedure.dated_acts = Some("《中华人民共和国政府信息公开条例》第三十条".into());
        // The draft was made on Monday 2021-09-27 09:00; entered on Friday 10-08.
        let mut case = draft(&item);
        case.submitted_at = Some(at(2021, 9, 28, 16, 0));
        let now = at(2021, 10, 8, 9, 30);
        // A day between: noon of that day (国庆 is a day like any other for the record).
        assert_eq!(act_instant(&item, &case, date(2021, 10, 2), now), Ok(at(2021, 10, 2, 12, 0)));
        // Today: the instant entered.
        assert_eq!(act_instant(&item, &case, date(2021, 10, 8), now), Ok(now));
        // The day of the last act: after it.
        assert_eq!(act_instant(&item, &case, date(2021, 9, 28), now), Ok(at(2021, 9, 28, 16, 0)));
        // Before it, after today, or on an item that does not date its acts: refused.
        assert_eq!(act_instant(&item, &case, date(2021, 9, 27), now).unwrap_err().code, "act_date_before_last");
        assert_eq!(act_instant(&item, &case, date(2021, 10, 9), now).unwrap_err().code, "date_in_future");
        assert_eq!(act_instant(&plain, &case, date(2021, 10, 8), now).unwrap_err().code, "act_date_not_allowed");
    }
}
