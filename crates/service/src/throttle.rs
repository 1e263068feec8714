//! Login throttling: at most 5 failed attempts per account and 20 per address in 15 minutes.
//! Kept in memory (one node serves a prefecture); a restart forgets, which errs on the side of
//! letting a locked-out clerk back in. The time is the caller's `now`, read from the app's
//! [`domain::clock::Clock`] like every other time in minzheng, so the window is tested on the
//! simulated clock. A failure counts for exactly [`WINDOW_MINUTES`]: from `t` to just before `t + 15 min`.
//! Moving a simulated clock forward therefore lifts locks early; only an admin can move it, and
//! only on a server started with `--simulated-clock`.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

pub const WINDOW_MINUTES: i64 = 15;
pub const MAX_PER_ACCOUNT: usize = 5;
pub const MAX_PER_ADDRESS: usize = 20;

fn window() -> Duration {
    Duration::minutes(WINDOW_MINUTES)
}

#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

impl LoginThrottle {
    fn count(&self, key: &str, now: DateTime<Utc>) -> usize {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let Some(times) = map.get_mut(key) else {
            return 0;
        };
        while times.front().is_some_and(|t| now - *t >= window()) {
            times.pop_front();
        }
        times.len()
    }

    /// Whether a login for this account from this address may be tried at `now`.
    pub fn allowed(&self, username: &str, address: &str, now: DateTime<Utc>) -> bool {
        self.count(&format!("u:{username}"), now) < MAX_PER_ACCOUNT
            && self.count(&format!("a:{address}"), now) < MAX_PER_ADDRESS
    }

    pub fn failed(&self, username: &str, address: &str, now: DateTime<Utc>) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.clear(); // bounded memory under a spray of usernames
        }
        for key in [format!("u:{username}"), format!("a:{address}")] {
            map.entry(key).or_default().push_back(now);
        }
    }

    pub fn succeeded(&self, username: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(&format!("u:{username}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2021, 6, 1, 1, 0, 0).unwrap()
    }

    #[test]
    fn locks_after_five_failures_per_account() {
        let throttle = LoginThrottle::default();
        for _ in 0..MAX_PER_ACCOUNT {
            assert!(throttle.allowed("clerk", "127.0.0.1", t0()));
            throttle.failed("clerk", "127.0.0.1", t0());
        }
        assert!(!throttle.allowed("clerk", "127.0.0.1", t0()));
        assert!(!throttle.allowed("clerk", "10.0.0.9", t0()), "per account, whatever the address");
        assert!(throttle.allowed("other", "127.0.0.2", t0()));
    }

    #[test]
    fn locks_an_address_spraying_usernames() {
        let throttle = LoginThrottle::default();
        for i in 0..MAX_PER_ADDRESS {
            throttle.failed(&format!("user{i}"), "127.0.0.9", t0());
        }
        assert!(!throttle.allowed("fresh", "127.0.0.9", t0()));
        assert!(throttle.allowed("fresh", "127.0.0.10", t0()));
    }

    #[test]
    fn a_failure_counts_for_exactly_fifteen_minutes_from_when_it_happened() {
        let throttle = LoginThrottle::default();
        // The first failure at t0, the other four a minute later each.
        for i in 0..MAX_PER_ACCOUNT as i64 {
            throttle.failed("clerk", "127.0.0.1", t0() + Duration::minutes(i));
        }
        let last_moment = t0() + window() - Duration::milliseconds(1);
        assert!(!throttle.allowed("clerk", "127.0.0.1", last_moment), "locked until the first failure is 15 min old");
        assert!(throttle.allowed("clerk", "127.0.0.1", t0() + window()), "one expired: four left, under the limit");
        // The lock is measured from each failure: one more failure locks again until the
        // second one expires.
        throttle.failed("clerk", "127.0.0.1", t0() + window());
        assert!(!throttle.allowed("clerk", "127.0.0.1", t0() + window() + Duration::seconds(59)));
        assert!(throttle.allowed("clerk", "127.0.0.1", t0() + window() + Duration::minutes(1)));
    }

    #[test]
    fn a_success_clears_the_account_but_not_the_address() {
        let throttle = LoginThrottle::default();
        for i in 0..MAX_PER_ADDRESS {
            throttle.failed(if i == 0 { "clerk" } else { "other" }, "127.0.0.9", t0());
        }
        throttle.succeeded("clerk");
        assert!(!throttle.allowed("clerk", "127.0.0.9", t0()), "the address is still spraying");
        assert!(throttle.allowed("clerk", "127.0.0.10", t0()));
    }
}
