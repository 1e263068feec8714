//! 提标: a new rule version that raises the standard governs every paying decision from the
//! month it takes effect. 社会救助暂行办法第十三条: the county 民政 department increases (增发)
//! payment when the circumstances change; a raised standard is such a change for every household
//! on the roll. The platform reads "from the month of the raise" as the month of the version's
//! `effective_from` (a raise from the 1st of a month, as standards are set; a mid-month date
//! still adjusts that whole month — [unconfirmed], local notices name the month), and never before
//! the decision's own first month.

use super::money::format_yuan;
use super::payment::YearMonth;
use super::recheck::{recheck_outcome, RecheckOutcome};
use super::rules::RuleVersion;

/// The month a decision paying from `first` is adjusted from under the raised `rule`.
pub fn raise_from(rule: &RuleVersion, first: YearMonth) -> YearMonth {
    YearMonth::of(rule.effective_from).max(first)
}

/// Whether a decision made under `applied` (its rule version) is one the raise `rule` adjusts:
/// a version that took effect before the raise (a decision already under the new version, or a
/// later one, is left as it is).
pub fn raised_by(rule: &RuleVersion, applied: &RuleVersion) -> bool {
    applied.id != rule.id && applied.effective_from < rule.effective_from
}

/// What a raise does to the monthly amount (增发, or 维持/减发 when the household's own
/// circumstances on record moved the other way — those are for an individual re-check).
pub fn raise_outcome(before_fen: i64, after_fen: i64) -> RecheckOutcome {
    recheck_outcome(before_fen, true, after_fen)
}

/// The trace line of an adjustment: the version, the old and new amounts, and the month.
pub fn raise_line(rule: &RuleVersion, before_fen: i64, after_fen: i64, from: YearMonth) -> String {
    format!(
        "提标：按{}（{}起施行）重新核算：原月救助金 {} 元 → {} 元（{}），自{}起执行",
        rule.id,
        rule.effective_from.format("%Y年%-m月%-d日"),
        format_yuan(before_fen),
        format_yuan(after_fen),
        raise_outcome(before_fen, after_fen).name_zh(),
        from.label_zh()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assistance::rules::RuleSet;

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).expect("month")
    }

    #[test]
    fn a_raise_adjusts_from_its_month_and_names_both_amounts() {
        let rules = RuleSet::builtin();
        let (old, new) = (rules.get("511700-2021-01").expect("old"), rules.get("511700-2021-07").expect("new"));
        assert!(raised_by(new, old));
        assert!(!raised_by(new, new), "a decision already under the new version");
        assert!(!raised_by(old, new), "a later version is not raised by an earlier one");
        // Paying since February: adjusted from July, the month of the raise.
        assert_eq!(raise_from(new, ym(2021, 2)), ym(2021, 7));
        // A decision paying from a later month (decided in June, paid from August under 跨月): its own month.
        assert_eq!(raise_from(new, ym(2021, 8)), ym(2021, 8));
        assert_eq!(
            raise_line(new, 27_600, 33_600, ym(2021, 7)),
            "提标：按511700-2021-07（2021年7月1日起施行）重新核算：原月救助金 276 元 → 336 元（增发），自2021年7月起执行"
        );
        assert_eq!(raise_outcome(100, 100), RecheckOutcome::Keep);
    }
}
