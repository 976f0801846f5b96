//! Backpressure: a bounded buffer holds a fast producer back, an unbounded
//! one lets items pile up; and how far a producer can run ahead of its
//! consumer at capacities 0 and 1.

use harness::programs::{BACKPRESSURE as SECTION, watch_output};
use harness::testing::{DEADLOCK_BOUND, within};
use harness::{Log, What};

/// What the program reports after a run, read back from its stderr line.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pressure {
    /// The most items in the buffer at once, right after a `send`.
    most_waiting: usize,
    /// Seconds the producer waited in `send`, in all.
    producer_blocked: f64,
    /// Seconds the run took.
    run: f64,
}

/// Reads "backpressure: at most N items waited ...; the producer waited B s
/// in send, in a run of R s".
fn read_report(stderr: &str) -> Pressure {
    let line = stderr
        .lines()
        .find(|line| line.starts_with("backpressure: "))
        .unwrap_or_else(|| panic!("no report: {stderr}"));
    // The number after each of these words.
    let after = |words: &str| -> f64 {
        let (_, rest) = line
            .split_once(words)
            .unwrap_or_else(|| panic!("{line} lacks {words:?}"));
        let number = rest.split_whitespace().next().unwrap_or_default();
        number.parse().unwrap_or_else(|_| panic!("{line}"))
    };
    Pressure {
        most_waiting: after("at most ") as usize,
        producer_blocked: after("the producer waited "),
        run: after("in a run of "),
    }
}

/// One run at `capacity`, checked. The time scale makes every item's sleep
/// (the consumer's 30 ms on average, the producer's 3 ms) long next to what
/// a busy machine adds to each wake-up, so that the producer is faster by
/// construction, not by the scheduler's mood.
fn run(items: usize, capacity: Option<usize>) -> (Pressure, Vec<harness::Event>) {
    let mut config = SECTION.settings(3);
    config.time_scale = 3.0;
    config.items = items;
    config.capacity = capacity;
    let command = SECTION.command(&config);
    within(DEADLOCK_BOUND, &command.clone(), move || {
        let log = Log::keeping();
        let (status, stderr) = watch_output(&SECTION, &config, &log);
        assert!(status.success(), "{command}: {stderr}");
        let events = log.events();
        harness::testing::assert_kept(&SECTION, &config, &events, &command);
        (read_report(&stderr), events)
    })
}

#[test]
fn a_bounded_buffer_holds_the_producer_back() {
    let (bounded, _) = run(100, Some(20));
    let (unbounded, _) = run(100, None);
    assert_eq!(bounded.most_waiting, 20, "the buffer fills up: {bounded:?}");
    assert!(
        bounded.producer_blocked > bounded.run / 3.0,
        "the producer spends much of the run waiting: {bounded:?}"
    );
    assert!(
        unbounded.most_waiting > 50,
        "without a bound most items wait: {unbounded:?}"
    );
    assert!(
        unbounded.producer_blocked < bounded.producer_blocked / 10.0,
        "without a bound the producer never waits: {unbounded:?} vs {bounded:?}"
    );
}

/// The most items the producer had put and the consumer had not yet
/// finished, at any moment, as the printed lines tell it.
fn most_ahead(events: &[harness::Event]) -> i64 {
    let mut ahead = 0_i64;
    let mut most = 0;
    for event in events {
        match event.what {
            What::Added(_) => ahead += 1,
            What::Got(_) => ahead -= 1,
            _ => {}
        }
        most = most.max(ahead);
    }
    most
}

#[test]
fn capacity_sets_how_far_the_producer_runs_ahead() {
    // At capacity 0, `send` returns only once the consumer has taken the
    // item, so the producer is at most one item ahead: the one being
    // processed. Each slot lets it run one item further.
    for capacity in [0, 1, 4] {
        let (_, events) = run(30, Some(capacity));
        assert_eq!(
            most_ahead(&events),
            i64::try_from(capacity).expect("a small capacity") + 1,
            "capacity {capacity}"
        );
    }
}
