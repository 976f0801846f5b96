//! The two failure examples: a consumer that panics halfway, and every
//! consumer gone while the producers still send. Their runs end in a
//! failure on purpose, so they have their own tests instead of the
//! checker's sweep.

use harness::events::parse_output;
use harness::programs::{CONSUMER_PANIC, CONSUMERS_GONE, PANICKED, watch_output};
use harness::testing::{
    DEADLOCK_BOUND, assert_hostile_values_refused, example_path, run_program, within,
};
use harness::{Event, Log, Role, What};

/// The message of the first panic on stderr: the line after "panicked at".
fn panic_message(stderr: &str) -> &str {
    stderr
        .lines()
        .skip_while(|line| !line.contains("panicked at"))
        .nth(1)
        .unwrap_or_else(|| panic!("no panic on stderr: {stderr}"))
}

#[test]
fn a_consumer_panicking_halfway_loses_only_its_item() {
    let exe = example_path("consumer_panic");
    for capacity in ["0", "1", "100"] {
        let args = [
            "--seed",
            "8",
            "--time-scale",
            "0.001",
            "--capacity",
            capacity,
        ];
        let output = run_program(&exe, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(PANICKED), "{args:?}: {stderr}");
        let events = parse_output(&String::from_utf8_lossy(&output.stdout)).expect("its lines");
        let halfway = harness::item::expected_items(8, 0, 10)[5];
        // The panic names the consumer and the item it was processing.
        let message = panic_message(&stderr);
        assert!(
            message.starts_with("Consumer ")
                && message.ends_with(&format!("cannot process {halfway}")),
            "{message}"
        );
        // The other consumers went on: every other item was processed, and
        // they finished normally.
        let got: Vec<_> = events
            .iter()
            .filter_map(|e| match e.what {
                What::Got(item) => Some(item),
                _ => None,
            })
            .collect();
        assert_eq!(got.len(), 9, "{args:?}");
        assert!(!got.contains(&halfway), "{args:?}");
        let done = events
            .iter()
            .filter(|e| e.actor.role == Role::Consumer && e.what == What::Done)
            .count();
        assert_eq!(done, 2, "{args:?}");
    }
}

#[test]
fn a_lone_consumer_panicking_stops_the_producer() {
    let output = run_program(
        &example_path("consumer_panic"),
        &["--seed", "8", "--time-scale", "0", "--consumers", "1"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(PANICKED), "{stderr}");
    // Items 0 to 4 were processed; item 5 was in flight, and the producer's
    // next send failed: it stopped, and the run ended.
    let events = parse_output(&String::from_utf8_lossy(&output.stdout)).expect("its lines");
    let got = events
        .iter()
        .filter(|e| matches!(e.what, What::Got(_)))
        .count();
    assert_eq!(got, 5, "{stderr}");
    assert!(events.contains(&Event {
        actor: harness::Actor::PRODUCER,
        what: What::Done
    }));
}

#[test]
fn the_failure_examples_refuse_bad_input() {
    assert!(assert_hostile_values_refused(&CONSUMER_PANIC, &example_path("consumer_panic")) > 0);
    assert!(assert_hostile_values_refused(&CONSUMERS_GONE, &example_path("consumers_gone")) > 0);
}

/// What became of the items made, read from the printed lines: processed,
/// dropped with the channel (added but never received), refused by a
/// failed `send`.
fn fates(events: &[Event]) -> (usize, usize, usize) {
    let count = |pick: fn(&What) -> bool| events.iter().filter(|e| pick(&e.what)).count();
    let added = count(|w| matches!(w, What::Added(_)));
    let got = count(|w| matches!(w, What::Got(_)));
    let refused = count(|w| matches!(w, What::Refused(_)));
    (got, added - got, refused)
}

/// The line `consumers_gone` ends with, for these fates.
fn report((got, lost, refused): (usize, usize, usize)) -> String {
    format!(
        "consumers_gone: {got} items processed, {lost} left in the buffer and dropped with the \
         channel, {refused} refused by a failed send"
    )
}

#[test]
fn producers_stop_when_every_consumer_is_gone() {
    let section = CONSUMERS_GONE;
    for capacity in [Some(0), Some(1), Some(4), None] {
        for seed in 0..20 {
            let mut config = section.settings(seed);
            config.time_scale = 0.0;
            config.capacity = capacity;
            let command = section.command(&config);
            let (events, stderr) = within(DEADLOCK_BOUND, &command.clone(), move || {
                let log = Log::keeping();
                let (status, stderr) = watch_output(&section, &config, &log);
                assert!(status.success(), "{stderr}");
                (log.events(), stderr)
            });
            // Every thread finished.
            let done = events.iter().filter(|e| e.what == What::Done).count();
            assert_eq!(done, 4, "{command}");
            // Each consumer left after three items.
            let (got, lost, refused) = fates(&events);
            assert_eq!(got, 6, "{command}");
            // The program's own count agrees with its lines.
            assert_eq!(stderr.trim_end(), report((got, lost, refused)), "{command}");
            // A producer stops at its first failed send, with the item the
            // error gave back, right after the items it did send.
            for p in 0..2 {
                let me = harness::Actor::producer(p);
                let made: Vec<_> = events
                    .iter()
                    .filter(|e| e.actor == me)
                    .filter_map(|e| match e.what {
                        What::Added(item) | What::Refused(item) => Some(item),
                        _ => None,
                    })
                    .collect();
                let expected = harness::item::expected_items(seed, p, 10);
                assert_eq!(made, expected[..made.len()], "{command}");
            }
            if let Some(slots) = capacity {
                // 6 items processed and at most `slots` waiting: of 20,
                // some producer had more to send, and was refused.
                assert!(refused >= 1, "{command}: someone was still sending");
                assert!(lost <= slots, "{command}: {lost} items in {slots} slots");
            }
        }
    }
}

/// The book's output of a failure example: its command line, then its
/// lines, then what it wrote on stderr.
fn book_output(name: &str) -> (Vec<Event>, Vec<String>) {
    let path = harness::programs::workspace_root()
        .join("book/src/outputs")
        .join(format!("{name}.log"));
    let text = std::fs::read_to_string(&path).expect("the book's output");
    let mut lines = text.lines().skip(1); // The command line.
    let events: Vec<Event> = lines.by_ref().map_while(|line| line.parse().ok()).collect();
    let after: Vec<String> = text
        .lines()
        .skip(1 + events.len())
        .map(str::to_string)
        .collect();
    (events, after)
}

#[test]
fn the_books_failure_outputs_are_real() {
    let (events, after) = book_output("consumer_panic");
    let halfway = harness::item::expected_items(42, 0, 10)[5];
    let got = events
        .iter()
        .filter(|e| matches!(e.what, What::Got(_)))
        .count();
    assert_eq!(got, 9);
    assert!(
        after
            .iter()
            .any(|line| line.ends_with(&format!("cannot process {halfway}"))),
        "{after:?}"
    );

    let (events, after) = book_output("consumers_gone");
    assert_eq!(after, [report(fates(&events))]);
}

#[test]
fn the_failure_examples_draw_their_timelines() {
    for section in [CONSUMER_PANIC, CONSUMERS_GONE] {
        let mut config = section.settings(3);
        config.time_scale = 0.001;
        let log = Log::keeping();
        watch_output(&section, &config, &log);
        let timeline =
            harness::timeline::Timeline::from_events(&section, &config, &log.timed_events());
        let svg = timeline.to_svg();
        let lanes = harness::testing::count_in_svg(&svg, "lane");
        assert_eq!(lanes, 4, "{}: one lane per thread", section.name);
    }
}

#[test]
fn the_system_s_refusals_end_the_failure_examples_cleanly_too() {
    use harness::testing::system;
    for name in ["consumer_panic", "consumers_gone"] {
        let exe = example_path(name);
        system::assert_refused_threads_end_the_run(&exe);
        system::assert_unwritable_output_is_an_error(&exe);
        system::assert_closed_pipe_ends_the_run(&exe);
    }
}
