//! A small keyed cache whose entries expire after a fixed time: for data every request needs
//! and that changes rarely (delegations). Uses the monotonic clock, not the domain clock: it is
//! an optimisation and must not follow a simulated clock.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub(crate) struct TtlCache<T> {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, T)>>,
}

impl<T: Clone> TtlCache<T> {
    pub(crate) fn new(ttl: Duration) -> TtlCache<T> {
        TtlCache { ttl, entries: Mutex::new(HashMap::new()) }
    }

    pub(crate) fn get(&self, key: &str) -> Option<T> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(key).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, value)| value.clone())
    }

    pub(crate) fn put(&self, key: &str, value: T) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_string(), (Instant::now(), value));
    }

    pub(crate) fn clear(&self) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_clear() {
        let cache = TtlCache::new(Duration::from_millis(50));
        assert_eq!(cache.get("a"), None);
        cache.put("a", 1);
        assert_eq!(cache.get("a"), Some(1));
        cache.clear();
        assert_eq!(cache.get("a"), None);
        cache.put("a", 2);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get("a"), None, "expired");
    }
}
