//! Throttling of failed logins ([`LoginThrottle`]: at most 5 failed attempts per account and 20
//! per address in 15 minutes) and of failed public case look-ups ([`TrackThrottle`], per client).
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

/// Failures by key, each counted for [`WINDOW_MINUTES`] from when it happened.
#[derive(Debug, Default)]
struct Failures(Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>);

impl Failures {
    fn count(&self, key: &str, now: DateTime<Utc>) -> usize {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let Some(times) = map.get_mut(key) else {
            return 0;
        };
        while times.front().is_some_and(|t| now - *t >= window()) {
            times.pop_front();
        }
        times.len()
    }

    fn push(&self, keys: &[String], now: DateTime<Utc>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.clear(); // bounded memory under a spray of keys
        }
        for key in keys {
            map.entry(key.clone()).or_default().push_back(now);
        }
    }

    fn remove(&self, key: &str) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Failures,
}

impl LoginThrottle {
    fn count(&self, key: &str, now: DateTime<Utc>) -> usize {
        self.failures.count(key, now)
    }

    /// Whether a login for this account from this address may be tried at `now`.
    pub fn allowed(&self, username: &str, address: &str, now: DateTime<Utc>) -> bool {
        self.count(&format!("u:{username}"), now) < MAX_PER_ACCOUNT
            && self.count(&format!("a:{address}"), now) < MAX_PER_ADDRESS
    }

    pub fn failed(&self, username: &str, address: &str, now: DateTime<Utc>) {
        self.failures.push(&[format!("u:{username}"), format!("a:{address}")], now);
    }

    pub fn succeeded(&self, username: &str) {
        self.failures.remove(&format!("u:{username}"));
    }
}

/// Failed look-ups of one case number from one client before that client is refused it.
pub const TRACK_MAX_PER_CLIENT_NUMBER: usize = 5;
/// Failed look-ups from one client, whatever the numbers, before it is refused every number.
pub const TRACK_MAX_PER_CLIENT: usize = 20;
/// Failed look-ups of one case number from all clients together before the short check (the
/// last 4 characters of the applicant's ID number) stops being accepted for it; the 8-digit
/// 查询码 still is.
pub const TRACK_MAX_PER_NUMBER_SHORT: usize = 10;

/// Why a public look-up is refused before the case is even read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackRefusal {
    /// This client failed too often (for this number, or in all).
    Client,
    /// This number failed too often from everywhere: only the full 查询码 is accepted for it.
    ShortCheckClosed,
}

/// Throttling of the public case look-up (`/track`, and 好差评 which checks the same way).
///
/// Failures are counted per client (the address `web::extract::ClientAddr` resolves: the peer, or the
/// `X-Forwarded-For` client behind a trusted proxy), never per case number alone: a lock keyed on
/// the number alone let anyone who knew (or guessed) a number lock its citizen out of their
/// own case by typing wrong checks at it. So:
///
/// - per (client, number), [`TRACK_MAX_PER_CLIENT_NUMBER`]: one client cannot walk the ~11,000
///   values of one number's 4-character ID tail (3 digits and a check character);
/// - per client, [`TRACK_MAX_PER_CLIENT`]: one client cannot walk many numbers (enumeration);
/// - per number, from all clients together, [`TRACK_MAX_PER_NUMBER_SHORT`]: against a guess
///   spread over many addresses, the *weak* check (the 4-character ID tail) is closed for that
///   number, while the strong one (the 8-hex-digit 查询码, 32 bits of a keyed hash, printed on the
///   submission page and every notice) is still accepted. A number-wide limit that refused every
///   check would be the lock-out again; this one cannot lock out a citizen who has the 查询码, and
///   it is decided before the case is read, for known and unknown numbers alike, so it tells
///   nothing about whether the number exists.
///
/// The counts come from the caller's `now` (the app's clock); each failure counts for exactly
/// [`WINDOW_MINUTES`].
#[derive(Debug, Default)]
pub struct TrackThrottle {
    failures: Failures,
}

impl TrackThrottle {
    fn keys(client: &str, number: &str) -> [String; 3] {
        [format!("cn:{client}\u{0}{number}"), format!("c:{client}"), format!("n:{number}")]
    }

    /// Whether `client` may look `number` up at `now`; `short` when the check presented is not
    /// the full 查询码 (it can only match the ID tail).
    pub fn allowed(&self, client: &str, number: &str, short: bool, now: DateTime<Utc>) -> Result<(), TrackRefusal> {
        let [pair, client, number] = Self::keys(client, number);
        if self.failures.count(&pair, now) >= TRACK_MAX_PER_CLIENT_NUMBER
            || self.failures.count(&client, now) >= TRACK_MAX_PER_CLIENT
        {
            return Err(TrackRefusal::Client);
        }
        if short && self.failures.count(&number, now) >= TRACK_MAX_PER_NUMBER_SHORT {
            return Err(TrackRefusal::ShortCheckClosed);
        }
        Ok(())
    }

    /// A failed look-up (unknown number or wrong check) of `number` by `client` at `now`.
    pub fn failed(&self, client: &str, number: &str, now: DateTime<Utc>) {
        self.failures.push(&Self::keys(client, number), now);
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

    #[test]
    fn a_strangers_failures_on_a_number_do_not_lock_out_another_client() {
        let throttle = TrackThrottle::default();
        for _ in 0..TRACK_MAX_PER_CLIENT_NUMBER {
            assert_eq!(throttle.allowed("10.0.0.66", "N-1", true, t0()), Ok(()));
            throttle.failed("10.0.0.66", "N-1", t0());
        }
        assert_eq!(throttle.allowed("10.0.0.66", "N-1", true, t0()), Err(TrackRefusal::Client));
        assert_eq!(throttle.allowed("10.0.0.66", "N-1", false, t0()), Err(TrackRefusal::Client));
        assert_eq!(throttle.allowed("10.0.0.66", "N-2", true, t0()), Ok(()), "other numbers: under the client limit");
        assert_eq!(throttle.allowed("10.0.0.7", "N-1", true, t0()), Ok(()), "the citizen elsewhere is not locked out");
    }

    #[test]
    fn a_client_walking_numbers_is_refused_every_number() {
        let throttle = TrackThrottle::default();
        for i in 0..TRACK_MAX_PER_CLIENT {
            throttle.failed("10.0.0.66", &format!("N-{i}"), t0());
        }
        assert_eq!(throttle.allowed("10.0.0.66", "N-fresh", false, t0()), Err(TrackRefusal::Client));
        assert_eq!(throttle.allowed("10.0.0.7", "N-fresh", true, t0()), Ok(()));
    }

    #[test]
    fn a_number_guessed_from_many_clients_keeps_only_the_full_code() {
        let throttle = TrackThrottle::default();
        for i in 0..TRACK_MAX_PER_NUMBER_SHORT {
            throttle.failed(&format!("10.0.1.{i}"), "N-1", t0());
        }
        assert_eq!(throttle.allowed("10.0.0.7", "N-1", true, t0()), Err(TrackRefusal::ShortCheckClosed));
        assert_eq!(throttle.allowed("10.0.0.7", "N-1", false, t0()), Ok(()), "the 查询码 still opens it");
        assert_eq!(throttle.allowed("10.0.0.7", "N-2", true, t0()), Ok(()));
        let later = t0() + window();
        assert_eq!(
            throttle.allowed("10.0.0.7", "N-1", true, later - Duration::milliseconds(1)),
            Err(TrackRefusal::ShortCheckClosed)
        );
        assert_eq!(throttle.allowed("10.0.0.7", "N-1", true, later), Ok(()));
    }

    #[test]
    fn a_track_lock_lifts_exactly_fifteen_minutes_after_the_failures() {
        let throttle = TrackThrottle::default();
        for _ in 0..TRACK_MAX_PER_CLIENT_NUMBER {
            throttle.failed("10.0.0.66", "N-1", t0());
        }
        let lifted = t0() + Duration::minutes(WINDOW_MINUTES);
        assert_eq!(
            throttle.allowed("10.0.0.66", "N-1", true, lifted - Duration::milliseconds(1)),
            Err(TrackRefusal::Client)
        );
        assert_eq!(throttle.allowed("10.0.0.66", "N-1", true, lifted), Ok(()));
    }
}
