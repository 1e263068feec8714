//! Login throttling: at most 5 failed attempts per account and 20 per address in 15 minutes.
//! Kept in memory (one node serves a prefecture); a restart forgets, which errs on the side of
//! letting a locked-out clerk back in. Uses the real monotonic time, not the domain clock: it is
//! a defence, not a rule of law, and must not follow a simulated clock.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const MAX_PER_ACCOUNT: usize = 5;
pub const MAX_PER_ADDRESS: usize = 20;

#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginThrottle {
    fn count(&self, key: &str) -> usize {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let Some(times) = map.get_mut(key) else {
            return 0;
        };
        while times.front().is_some_and(|t| t.elapsed() > WINDOW) {
            times.pop_front();
        }
        times.len()
    }

    /// Whether a login for this account from this address may be tried now.
    pub fn allowed(&self, username: &str, address: &str) -> bool {
        self.count(&format!("u:{username}")) < MAX_PER_ACCOUNT && self.count(&format!("a:{address}")) < MAX_PER_ADDRESS
    }

    pub fn failed(&self, username: &str, address: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.clear(); // bounded memory under a spray of usernames
        }
        for key in [format!("u:{username}"), format!("a:{address}")] {
            map.entry(key).or_default().push_back(Instant::now());
        }
    }

    pub fn succeeded(&self, username: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(&format!("u:{username}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_five_failures_per_account() {
        let throttle = LoginThrottle::default();
        for _ in 0..MAX_PER_ACCOUNT {
            assert!(throttle.allowed("clerk", "127.0.0.1"));
            throttle.failed("clerk", "127.0.0.1");
        }
        assert!(!throttle.allowed("clerk", "127.0.0.1"));
        assert!(!throttle.allowed("clerk", "10.0.0.9"), "per account, whatever the address");
        assert!(throttle.allowed("other", "127.0.0.2"));
    }

    #[test]
    fn locks_an_address_spraying_usernames() {
        let throttle = LoginThrottle::default();
        for i in 0..MAX_PER_ADDRESS {
            throttle.failed(&format!("user{i}"), "127.0.0.9");
        }
        assert!(!throttle.allowed("fresh", "127.0.0.9"));
        assert!(throttle.allowed("fresh", "127.0.0.10"));
    }
}
