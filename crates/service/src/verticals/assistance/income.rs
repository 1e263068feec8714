//! Income as the officer has it: one month, a monthly average over a period, or a period's total
//! — one parser for the household form and the JSON API (`assistance::parse_version` calls it for
//! every income line). A period is stored month by month, so the evaluation
//! (`domain::assistance::eligibility::evaluate`) reads the same items whichever way they were
//! entered, and a month the officer did not cover stays missing (named by the evaluation) rather
//! than silently zero.

use domain::assistance::{parse_yuan, YearMonth};
use domain::problem::FieldError;

use crate::assistance::IncomeInput;

/// The longest period one income line may cover (36 months: three years, longer than any income
/// window in the rule data).
pub const MAX_PERIOD_MONTHS: u32 = 36;

/// The months one income line stands for, with the amount of each in fen; or its problems, on the
/// fields of `income[index]`.
///
/// - no `until` (or `until` = `month`): that month, the amount as entered;
/// - `basis` `monthly` (default): every month of `month..=until` at the amount (a monthly average);
/// - `basis` `total`: the total spread over the months in whole fen, the remainder one fen each
///   on the first months, so the months add up to the total exactly.
pub fn expand_income(item: &IncomeInput, index: usize) -> Result<Vec<(YearMonth, i64)>, Vec<FieldError>> {
    let at = |f: &str| format!("income[{index}].{f}");
    let mut p = Vec::new();
    let first = YearMonth::parse(&item.month);
    if first.is_none() {
        p.push(FieldError::new(&at("month"), "invalid_month", "月份格式应为 YYYY-MM"));
    }
    let until = item.until.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let last = match until {
        None => first,
        Some(text) => {
            let last = YearMonth::parse(text);
            if last.is_none() {
                p.push(FieldError::new(&at("until"), "invalid_month", "截止月份格式应为 YYYY-MM"));
            }
            last
        }
    };
    let total = match item.basis.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        None | Some("monthly") => false,
        Some("total") => true,
        Some(_) => {
            p.push(FieldError::new(
                &at("basis"),
                "invalid_income_basis",
                "金额口径无效（monthly：月平均；total：期间合计）",
            ));
            false
        }
    };
    let amount = parse_yuan(&item.amount_yuan);
    if amount.is_none() {
        p.push(FieldError::new(
            &at("amount_yuan"),
            "invalid_amount",
            "金额应为不小于0的数字，最多两位小数（单位：元）",
        ));
    }
    let (Some(first), Some(last), Some(amount)) = (first, last, amount) else { return Err(p) };
    let mut months = Vec::new();
    let mut m = first;
    while m <= last && months.len() <= MAX_PERIOD_MONTHS as usize {
        months.push(m);
        m = m.next();
    }
    if last < first {
        p.push(FieldError::new(&at("until"), "invalid_income_period", "截止月份不能早于起始月份"));
    } else if months.len() > MAX_PERIOD_MONTHS as usize {
        p.push(FieldError::new(
            &at("until"),
            "income_period_too_long",
            format!("一行收入的期间不能超过{MAX_PERIOD_MONTHS}个月"),
        ));
    }
    if !p.is_empty() {
        return Err(p);
    }
    if !total {
        return Ok(months.into_iter().map(|m| (m, amount)).collect());
    }
    let n = i64::try_from(months.len()).unwrap_or(1).max(1);
    let (base, rest) = (amount / n, amount % n);
    Ok(months.into_iter().enumerate().map(|(i, m)| (m, base + i64::from((i as i64) < rest))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(month: &str, until: Option<&str>, basis: Option<&str>, amount: &str) -> IncomeInput {
        IncomeInput {
            person_id: 1,
            month: month.into(),
            kind: "工资性收入".into(),
            amount_yuan: amount.into(),
            until: until.map(Into::into),
            basis: basis.map(Into::into),
        }
    }

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).expect("month")
    }

    #[test]
    fn one_month_as_before() {
        assert_eq!(expand_income(&line("2021-03", None, None, "850"), 0).unwrap(), vec![(ym(2021, 3), 85_000)]);
        assert_eq!(expand_income(&line("2021-03", Some(""), None, "850"), 0).unwrap(), vec![(ym(2021, 3), 85_000)]);
    }

    #[test]
    fn a_monthly_average_covers_every_month_of_its_period_across_the_year_end() {
        let months = expand_income(&line("2020-11", Some("2021-04"), Some("monthly"), "1024"), 0).unwrap();
        assert_eq!(months.len(), 6);
        assert_eq!(months[0], (ym(2020, 11), 102_400));
        assert_eq!(months[5], (ym(2021, 4), 102_400));
    }

    #[test]
    fn a_total_is_spread_to_the_fen_and_adds_up() {
        // 1000.00 元 over 3 months: 333.34 + 333.33 + 333.33.
        let months = expand_income(&line("2021-01", Some("2021-03"), Some("total"), "1000"), 0).unwrap();
        assert_eq!(months.iter().map(|m| m.1).collect::<Vec<_>>(), vec![33_334, 33_333, 33_333]);
        assert_eq!(months.iter().map(|m| m.1).sum::<i64>(), 100_000);
        // 2024-02 in a leap year is one month like any other.
        let months = expand_income(&line("2024-02", Some("2024-02"), Some("total"), "0.01"), 0).unwrap();
        assert_eq!(months, vec![(ym(2024, 2), 1)]);
    }

    #[test]
    fn bad_periods_are_refused_on_their_field() {
        let e = expand_income(&line("2021-05", Some("2021-04"), None, "1"), 2).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].code), ("income[2].until", "invalid_income_period"));
        let e = expand_income(&line("2020-01", Some("2023-01"), None, "1"), 0).unwrap_err();
        assert_eq!(e[0].code, "income_period_too_long");
        // 36 months is the limit, included.
        assert_eq!(expand_income(&line("2020-01", Some("2022-12"), None, "1"), 0).unwrap().len(), 36);
        let e = expand_income(&line("2021-01", Some("2021-13"), Some("sum"), "x"), 0).unwrap_err();
        let codes: Vec<&str> = e.iter().map(|p| p.code).collect();
        assert_eq!(codes, vec!["invalid_month", "invalid_income_basis", "invalid_amount"]);
        assert_eq!(e[0].field, "income[0].until");
    }
}
