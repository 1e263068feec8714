//! The injected clock. Nothing in minzheng reads the time except through a [`Clock`], so tests
//! and the demo generator can run a year of activity in seconds.

use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// True for a simulated clock: every page then shows a 模拟时钟 banner.
    fn is_simulated(&self) -> bool {
        false
    }
}

/// The real time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that starts at a chosen instant, runs at the speed of real time from there, and can
/// be moved forward (never back: acts already recorded must stay in the past).
#[derive(Debug)]
pub struct SimulatedClock {
    anchor: Mutex<(DateTime<Utc>, Instant)>,
}

impl SimulatedClock {
    pub fn starting_at(start: DateTime<Utc>) -> SimulatedClock {
        SimulatedClock { anchor: Mutex::new((start, Instant::now())) }
    }

    /// Moves the clock to `to`. Refused when `to` is before the current simulated time.
    pub fn set(&self, to: DateTime<Utc>) -> Result<(), ClockError> {
        let mut anchor = self.anchor.lock().unwrap_or_else(|e| e.into_inner());
        let now = current(&anchor);
        if to < now {
            return Err(ClockError::Backwards { now, requested: to });
        }
        *anchor = (to, Instant::now());
        Ok(())
    }

    pub fn advance(&self, by: Duration) -> Result<(), ClockError> {
        let now = self.now();
        self.set(now + by)
    }
}

fn current(anchor: &(DateTime<Utc>, Instant)) -> DateTime<Utc> {
    let elapsed = Duration::from_std(anchor.1.elapsed()).unwrap_or_else(|_| Duration::zero());
    anchor.0 + elapsed
}

impl Clock for SimulatedClock {
    fn now(&self) -> DateTime<Utc> {
        let anchor = self.anchor.lock().unwrap_or_else(|e| e.into_inner());
        current(&anchor)
    }
    fn is_simulated(&self) -> bool {
        true
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ClockError {
    #[error("模拟时钟只能向前拨动：当前为 {now}，请求为 {requested}")]
    Backwards { now: DateTime<Utc>, requested: DateTime<Utc> },
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn simulated_clock_moves_forward_only() {
        let start = Utc.with_ymd_and_hms(2021, 6, 1, 1, 0, 0).unwrap();
        let clock = SimulatedClock::starting_at(start);
        assert!(clock.now() >= start);
        assert!(clock.now() < start + Duration::seconds(5));
        let later = Utc.with_ymd_and_hms(2021, 12, 20, 1, 0, 0).unwrap();
        clock.set(later).unwrap();
        assert!(clock.now() >= later);
        assert!(matches!(clock.set(start), Err(ClockError::Backwards { .. })));
        assert!(clock.is_simulated());
        assert!(!SystemClock.is_simulated());
    }
}
