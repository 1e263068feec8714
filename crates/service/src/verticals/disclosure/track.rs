//! 依申请公开 seen by the public: the request number given on the receipt, its 查询码 (a keyed
//! hash of the number, like a case's), the public look-up by both (throttled per client like the
//! case look-up) and the verification of a printed notice. A wrong code reads exactly as an
//! unknown number; a look-up that matches is an event on the request's stream.

use chrono::Datelike;
use domain::audit::EventDraft;
use domain::verticals::disclosure as rules;
use serde_json::json;
use store::verticals::disclosure::RequestRow;
use store::StoreError;

use super::DisclosureView;
use crate::throttle::TrackRefusal;
use crate::{App, ErrorKind, ServiceError, ServiceResult};

/// The prefix of a request number, so that it is never taken for a case number.
const PREFIX: &str = "GK-";

/// The request number shown to the applicant: `GK-<division>-<year of receipt>-<id, 6 digits>`,
/// e.g. `GK-511702-2026-000005`. Derived from the record, never stored.
pub fn request_number(row: &RequestRow) -> String {
    format!("{PREFIX}{}-{}-{:06}", row.division, row.received_on.year(), row.id)
}

/// The number without its prefix, shaped like a case number (`<division>-<year>-<sequence>`),
/// for the 文号 helpers.
pub fn case_shaped(number: &str) -> &str {
    number.strip_prefix(PREFIX).unwrap_or(number)
}

/// The id a number names, if it has the shape of one.
fn number_id(number: &str) -> Option<i64> {
    let seq = case_shaped(number).rsplit('-').next()?;
    if seq.is_empty() || seq.len() > 12 || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    seq.parse().ok()
}

fn not_matched() -> ServiceError {
    ServiceError::new(ErrorKind::NotFound, "disclosure_not_found", "申请编号或查询码不正确")
}

impl App {
    /// The 查询码 of a request number: the first 8 hex digits of its keyed hash (the same
    /// construction as [`App::case_check_code`], under its own field name).
    pub fn disclosure_check_code(&self, number: &str) -> String {
        self.check_code("disclosure_number", number)
    }

    /// The number and 查询码 of a request just created, for its receipt.
    pub async fn disclosure_receipt(&self, id: i64) -> ServiceResult<(String, String)> {
        let full = self.store.disclosure_request(id).await.map_err(super::conflict)?;
        let number = request_number(&full.request);
        let code = self.disclosure_check_code(&number);
        Ok((number, code))
    }

    /// The request behind `number` if `check` is its 查询码, else not found (the same answer
    /// for an unknown number). The read is recorded on the request's stream as `actor`.
    async fn disclosure_by_code(&self, number: &str, check: &str, actor: &str) -> ServiceResult<DisclosureView> {
        let number = number.trim();
        let expected = self.disclosure_check_code(number);
        let presented = check.trim().to_ascii_lowercase();
        let equal = presented.len() == expected.len()
            && presented.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        let id = number_id(number).filter(|_| equal).ok_or_else(not_matched)?;
        let full = self.store.disclosure_request(id).await.map_err(|e| match e {
            StoreError::NotFound => not_matched(),
            other => other.into(),
        })?;
        if request_number(&full.request) != number {
            return Err(not_matched());
        }
        let limits = self.disclosure_limits(&full)?;
        let event = EventDraft::new(rules::stream(id), actor.to_string(), "disclosure.read", json!({ "public": true }))
            .in_division(full.request.division.clone());
        self.store.record(&event, self.now()).await?;
        Ok(DisclosureView { full, limits, today: self.today() })
    }

    /// The public look-up (`/disclosure/track`) by `client`: throttled like the case look-up
    /// ([`crate::throttle::TrackThrottle`], the full 查询码 being the only check accepted).
    pub async fn disclosure_track(&self, number: &str, check: &str, client: &str) -> ServiceResult<DisclosureView> {
        let key = format!("disclosure:{}", number.trim());
        if let Err(TrackRefusal::Client | TrackRefusal::ShortCheckClosed) =
            self.track_throttle.allowed(client, &key, false, self.now())
        {
            return Err(ServiceError::new(
                ErrorKind::TooManyRequests,
                "too_many_attempts",
                "查询失败次数过多，请15分钟后再试",
            ));
        }
        match self.disclosure_by_code(number, check, "public:track").await {
            Err(err) if err.kind == ErrorKind::NotFound => {
                self.track_throttle.failed(client, &key, self.now());
                Err(not_matched())
            }
            other => other,
        }
    }

    /// The public verification of a printed notice: the request behind `number` if `check`
    /// matches.
    pub async fn disclosure_verify(&self, number: &str, check: &str) -> ServiceResult<DisclosureView> {
        self.disclosure_by_code(number, check, "public:verify").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_name_their_id() {
        assert_eq!(number_id("GK-511702-2026-000005"), Some(5));
        assert_eq!(number_id("GK-511702-2026-"), None);
        assert_eq!(number_id("GK-511702-2026-12a"), None);
        assert_eq!(case_shaped("GK-511702-2026-000005"), "511702-2026-000005");
    }
}
