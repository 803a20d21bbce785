//! The time limit for one file (`Options::max_millis`). Work that could run
//! long on a hostile file — the walk over millions of elements, the rules,
//! the pixel scan — asks `passed()` as it goes, one unit of work at a time
//! (`passed_after(n)` for n units at once: a rule family over n elements;
//! `expired()` reads the clock now). The clock is read once in 1,024 units,
//! so a check in an inner loop costs a counter, and the walk and the rules
//! of a CT slice's 220 elements read it once (it is a call into
//! JavaScript in WASM). When the time is up the work stops where it is,
//! the report keeps what was done, and one `integrity.limit` finding says
//! what was left out.

use std::cell::Cell;

use crate::report::{Finding, Severity};

/// Milliseconds on a monotonic clock (JavaScript's `Date.now()` in the
/// browser, where `std::time::Instant` is not available).
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn now_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

/// When the time for one file runs out.
#[derive(Debug)]
pub struct Deadline {
    end: Option<f64>,
    max_millis: u64,
    /// Units of work asked about so far.
    asks: Cell<u64>,
    passed: Cell<bool>,
}

impl Deadline {
    /// Starts the clock; `None` never runs out.
    pub fn start(max_millis: Option<u64>) -> Deadline {
        Deadline { end: max_millis.map(|ms| now_ms() + ms as f64), max_millis: max_millis.unwrap_or(0), asks: Cell::new(0), passed: Cell::new(false) }
    }

    /// Whether the time is up, reading the clock now: for checks between
    /// stages.
    pub fn expired(&self) -> bool {
        let Some(end) = self.end else { return false };
        if !self.passed.get() && now_ms() > end {
            self.passed.set(true);
        }
        self.passed.get()
    }

    /// Whether the time is up after one more unit of work, reading the
    /// clock once in 1,024 units (not on the first: the clock was read when
    /// it started): for checks in inner loops. Once up, it stays up.
    pub fn passed(&self) -> bool {
        self.passed_after(1)
    }

    /// Whether the time is up after `work` more units of work (at least
    /// one), reading the clock when the work done crosses a multiple of
    /// 1,024 units: for checks between stages that each went over `work`
    /// elements.
    pub fn passed_after(&self, work: u64) -> bool {
        let Some(end) = self.end else { return false };
        if self.passed.get() {
            return true;
        }
        let before = self.asks.get();
        let after = before.saturating_add(work.max(1));
        self.asks.set(after);
        if after / 1024 != before / 1024 && now_ms() > end {
            self.passed.set(true);
        }
        self.passed.get()
    }

    /// The finding for work left out when the time ran out.
    pub fn finding(&self, left_out: &str) -> Finding {
        Finding::new(
            "integrity.limit",
            Severity::Medium,
            format!("stopped after the time limit of {} ms for one file: {left_out}", self.max_millis),
        )
        .explain("A file this slow to read is unusual, and may be built to tie up whatever opens it. What was read before the limit is reported; raise max_millis (--max-millis) to read it all.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_limit_never_passes_and_a_zero_limit_passes_at_once() {
        let none = Deadline::start(None);
        assert!((0..5000).all(|_| !none.passed()));
        let zero = Deadline::start(Some(0));
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(!zero.passed(), "the first ask does not read the clock");
        assert!((0..1024).any(|_| zero.passed()), "one in 1,024 does");
        assert!(zero.passed(), "stays passed");
        assert!(zero.expired());
        let later = Deadline::start(Some(60_000));
        assert!(!later.expired() && !later.passed() && !later.passed_after(5000));
        let zero = Deadline::start(Some(0));
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(!zero.passed_after(1000), "1,001 units of work: under 1,024, no clock");
        assert!(zero.passed_after(100), "crossing 1,024 reads it");
        let zero = Deadline::start(Some(0));
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(zero.passed_after(5000), "more than 1,024 at once reads it");
        assert!(zero.finding("the rules").message.contains("time limit of 0 ms"));
    }
}
