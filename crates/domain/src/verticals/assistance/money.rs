//! Money as integer fen (分): no floating point in an amount that is paid.

/// "512", "512.5", "512.50" → fen. Refuses a negative, more than two decimals, or more than
/// 100 million yuan (a typing error, never a monthly income).
pub fn parse_yuan(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    if whole.is_empty() || whole.len() > 9 || frac.len() > 2 {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    Some(whole * 100 + frac)
}

/// Fen as yuan for people: "512", "512.50", "-3.05".
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    if abs.is_multiple_of(100) {
        format!("{sign}{}", abs / 100)
    } else {
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_round_trips() {
        assert_eq!(parse_yuan("512"), Some(51_200));
        assert_eq!(parse_yuan("512.5"), Some(51_250));
        assert_eq!(parse_yuan(" 0.05 "), Some(5));
        assert_eq!(format_yuan(51_250), "512.50");
        assert_eq!(format_yuan(51_200), "512");
        assert_eq!(format_yuan(-305), "-3.05");
        for bad in ["", "-1", "1.234", "abc", "1e3", ".5", "1234567890"] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
    }
}
