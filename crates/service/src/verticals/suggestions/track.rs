//! A reply letter seen by the public: the suggestion's number printed on it, its 查询码 (a keyed
//! hash of the number, like a case's) and the verification of the printed letter.

use chrono::Datelike;
use store::verticals::suggestions::SuggestionRow;
use store::StoreError;

use super::SuggestionView;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

const PREFIX: &str = "JY-";

/// The number printed on a reply letter: `JY-<division>-<year of 交办>-<id, 6 digits>`. Derived
/// from the record, never stored.
pub fn suggestion_number(row: &SuggestionRow) -> String {
    format!("{PREFIX}{}-{}-{:06}", row.division, row.suggestion.assigned_on.year(), row.id)
}

/// The number without its prefix, shaped like a case number, for the 文号 helpers.
pub fn case_shaped(number: &str) -> &str {
    number.strip_prefix(PREFIX).unwrap_or(number)
}

fn number_id(number: &str) -> Option<i64> {
    let seq = case_shaped(number).rsplit('-').next()?;
    if seq.is_empty() || seq.len() > 12 || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    seq.parse().ok()
}

fn not_matched() -> ServiceError {
    ServiceError::new(ErrorKind::NotFound, "suggestion_not_found", "编号或查询码不正确")
}

impl App {
    /// The 查询码 of a suggestion's number (the construction of [`App::check_code`]).
    pub fn suggestion_check_code(&self, number: &str) -> String {
        self.check_code("suggestion_number", number)
    }

    /// The suggestion behind `number` if `check` is its 查询码, else not found (the same answer
    /// for an unknown number): the public verification of a printed reply letter.
    pub async fn suggestion_verify(&self, number: &str, check: &str) -> ServiceResult<SuggestionView> {
        let number = number.trim();
        let expected = self.suggestion_check_code(number);
        let presented = check.trim().to_ascii_lowercase();
        let equal = presented.len() == expected.len()
            && presented.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        let id = number_id(number).filter(|_| equal).ok_or_else(not_matched)?;
        let full = self.store.suggestion(id).await.map_err(|e| match e {
            StoreError::NotFound => not_matched(),
            other => other.into(),
        })?;
        if suggestion_number(&full.row) != number {
            return Err(not_matched());
        }
        self.suggestion_viewed(full)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_name_their_id() {
        assert_eq!(number_id("JY-511700-2021-000017"), Some(17));
        assert_eq!(number_id("JY-511700-2021-"), None);
        assert_eq!(number_id("JY-511700-2021-1x"), None);
    }
}
