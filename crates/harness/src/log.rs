//! Where the events read from a run go: kept with the time each arrived,
//! for tests and pictures, and printed as they come if asked.

use std::io::{self, Write};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::events::{Actor, Event, What};
use crate::section::Section;

/// Where the events read from a run go: kept in memory with the time each
/// arrived, and printed to standard output too if asked.
#[derive(Debug)]
pub struct Log {
    start: Instant,
    // The section whose lines are printed, if any.
    print: Option<Section>,
    // One lock for printing and keeping, so the kept order is the printed one.
    kept: Mutex<Vec<(Duration, Event)>>,
}

impl Log {
    /// Keeps every event, marks included, and prints nothing (what tests
    /// use).
    pub fn keeping() -> Log {
        Log::new(None)
    }

    /// Prints each of the section's lines and keeps every event (what
    /// `cargo xtask timeline` does, so that the run shows as it goes).
    pub fn printing_and_keeping(section: &Section) -> Log {
        Log::new(Some(*section))
    }

    fn new(print: Option<Section>) -> Log {
        Log {
            start: Instant::now(),
            print,
            kept: Mutex::new(Vec::new()),
        }
    }

    fn prints(&self, event: &Event) -> bool {
        self.print.is_some_and(|section| section.prints(event))
    }

    /// Records that `actor` did `what`, printing it as one whole line.
    pub fn event(&self, actor: Actor, what: What) {
        let event = Event { actor, what };
        // A thread that panicked while holding the lock cannot have left the
        // list half-written (a push is all it does), so go on past poisoning.
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if self.prints(&event) {
            // Each line is written under stdout's lock, so it is never split.
            // A line that cannot be written fails as `println!` does, and the
            // panic hook of `common::end_cleanly_when_refused` ends the program.
            if let Err(error) = writeln!(io::stdout().lock(), "{event}") {
                panic!("failed printing to stdout: {error}");
            }
        }
        kept.push((self.start.elapsed(), event));
    }

    /// `actor` started.
    pub fn running(&self, actor: Actor) {
        self.event(actor, What::Running);
    }

    /// `actor` is about to end.
    pub fn done(&self, actor: Actor) {
        self.event(actor, What::Done);
    }

    /// The kept events, in the order they happened.
    pub fn events(&self) -> Vec<Event> {
        self.timed_events().into_iter().map(|(_, e)| e).collect()
    }

    /// The kept events with the time each happened, since the log was made.
    pub fn timed_events(&self) -> Vec<(Duration, Event)> {
        self.kept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Actor, What};

    #[test]
    fn kept_events_are_in_order_with_times() {
        let log = Log::keeping();
        log.running(Actor::PRODUCER);
        log.done(Actor::PRODUCER);
        let events = log.timed_events();
        assert_eq!(events.len(), 2);
        assert!(events[0].0 <= events[1].0);
        assert_eq!(events[1].1.what, What::Done);
    }
}
