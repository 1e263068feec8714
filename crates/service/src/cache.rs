//! A small keyed cache whose entries expire after a fixed time: for data every request needs
//! and that changes rarely (delegations, live sessions). Uses the monotonic clock, not the
//! domain clock: it is an optimisation and must not follow a simulated clock.
//!
//! A change made by this process clears the cache ([`TtlCache::clear`]) once it is committed; a
//! change made by another process is seen when the entry expires. A value read from the database
//! is put with the [`Stamp`] taken *before* the read, and is dropped if the cache was cleared
//! since: a read that raced a change can never put back what the change ended (a session read
//! just before its logout committed).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries beyond which a put first drops the expired ones (a bound on the memory of a cache
/// keyed by something clients choose, such as their session).
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug)]
pub(crate) struct TtlCache<T> {
    ttl: Duration,
    inner: Mutex<Inner<T>>,
}

#[derive(Debug)]
struct Inner<T> {
    /// How many times the cache was cleared.
    generation: u64,
    entries: HashMap<String, (Instant, T)>,
}

/// The cache's generation when a read from the database began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp(u64);

impl<T: Clone> TtlCache<T> {
    pub(crate) fn new(ttl: Duration) -> TtlCache<T> {
        TtlCache { ttl, inner: Mutex::new(Inner { generation: 0, entries: HashMap::new() }) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<T>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn get(&self, key: &str) -> Option<T> {
        let inner = self.lock();
        inner.entries.get(key).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, value)| value.clone())
    }

    /// Take before reading what will be put.
    pub(crate) fn stamp(&self) -> Stamp {
        Stamp(self.lock().generation)
    }

    /// Keeps `value`, read after `stamp` was taken, unless the cache was cleared since.
    pub(crate) fn put(&self, stamp: Stamp, key: &str, value: T) {
        let mut inner = self.lock();
        if inner.generation != stamp.0 {
            return;
        }
        if inner.entries.len() >= PRUNE_ABOVE {
            let ttl = self.ttl;
            inner.entries.retain(|_, (at, _)| at.elapsed() < ttl);
        }
        inner.entries.insert(key.to_string(), (Instant::now(), value));
    }

    /// Forgets every entry, and every read in flight.
    pub(crate) fn clear(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_clear() {
        let cache = TtlCache::new(Duration::from_millis(50));
        assert_eq!(cache.get("a"), None);
        cache.put(cache.stamp(), "a", 1);
        assert_eq!(cache.get("a"), Some(1));
        cache.clear();
        assert_eq!(cache.get("a"), None);
        cache.put(cache.stamp(), "a", 2);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get("a"), None, "expired");
    }

    #[test]
    fn a_read_that_raced_a_clear_is_not_kept() {
        let cache = TtlCache::new(Duration::from_secs(60));
        let before = cache.stamp();
        cache.clear();
        cache.put(before, "a", 1);
        assert_eq!(cache.get("a"), None, "read before the clear");
        cache.put(cache.stamp(), "a", 2);
        assert_eq!(cache.get("a"), Some(2));
    }

    #[test]
    fn many_keys_drop_the_expired_ones() {
        let cache = TtlCache::new(Duration::from_millis(20));
        for i in 0..PRUNE_ABOVE {
            cache.put(cache.stamp(), &i.to_string(), i);
        }
        std::thread::sleep(Duration::from_millis(30));
        cache.put(cache.stamp(), "fresh", 0);
        assert_eq!(cache.lock().entries.len(), 1);
    }
}
