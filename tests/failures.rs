//! The two failure examples: a consumer that panics halfway, and every
//! consumer gone while the producers still send. Their runs end in a
//! failure on purpose, so they have their own tests instead of the
//! checker's sweep.

use harness::log::parse_output;
use harness::testing::{
    DEADLOCK_BOUND, assert_hostile_values_refused, example_path, run_kept, run_program, within,
};
use harness::{Config, Role, What};
use producer_consumer::{consumer_panic, consumers_gone};

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
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        let events = parse_output(&String::from_utf8_lossy(&output.stdout)).expect("its lines");
        let halfway = harness::item::expected_items(8, 0, 10)[5];
        // The error names the consumer and the item it was processing.
        let error = stderr
            .lines()
            .find(|line| line.starts_with("consumer_panic: error: "))
            .expect("an error line");
        assert!(
            error.ends_with(&format!("cannot process {halfway}")),
            "{error}"
        );
        // The account names that item and no other.
        assert!(
            stderr.contains(&format!(
                "consumer_panic: 1 item was never processed: {halfway} from producer\n"
            )),
            "{stderr}"
        );
        // The other consumers went on: every other item was processed, and
        // they finished normally.
        let got = events
            .iter()
            .filter(|e| matches!(e.what, What::Got(_)))
            .count();
        assert_eq!(got, 9, "{args:?}");
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
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // Item 5 was in flight; the producer's next send failed, so items 6 to
    // 9 were never processed either (6 may have been in the buffer).
    assert!(
        stderr.contains("consumer_panic: 5 items were never processed: (5, "),
        "{stderr}"
    );
}

#[test]
fn the_failure_examples_refuse_bad_input() {
    assert!(
        assert_hostile_values_refused(&consumer_panic::SECTION, &example_path("consumer_panic"))
            > 0
    );
    assert!(
        assert_hostile_values_refused(&consumers_gone::SECTION, &example_path("consumers_gone"))
            > 0
    );
}

#[test]
fn producers_stop_when_every_consumer_is_gone() {
    let section = consumers_gone::SECTION;
    for capacity in [Some(0), Some(1), Some(4), None] {
        for seed in 0..20 {
            let mut config = Config::new(&section, seed);
            config.time_scale = 0.0;
            config.capacity = capacity;
            let command = config.command(&section);
            let events = within(DEADLOCK_BOUND, &command.clone(), move || {
                run_kept(&section, consumers_gone::run, &config)
            });
            // Every thread finished.
            let done = events.iter().filter(|e| e.what == What::Done).count();
            assert_eq!(done, 4, "{command}");
            // Each consumer left after three items.
            let (got, lost, refused) = consumers_gone::fates(&events);
            assert_eq!(got, 6, "{command}");
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

/// The book's output of a failure example: its command line, then its lines.
fn book_output(name: &str) -> (Vec<harness::Event>, Vec<String>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("book/src/outputs")
        .join(format!("{name}.log"));
    let text = std::fs::read_to_string(&path).expect("the book's output");
    let mut lines = text.lines().skip(1); // The command line.
    let events: Vec<harness::Event> = lines
        .by_ref()
        .take_while(|line| !line.starts_with(&format!("{name}:")))
        .map(|line| line.parse().expect("an event line"))
        .collect();
    let after: Vec<String> = text
        .lines()
        .filter(|line| line.starts_with(&format!("{name}:")))
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
        after[0].ends_with(&format!("cannot process {halfway}")),
        "{after:?}"
    );
    assert_eq!(
        after[1],
        format!("consumer_panic: 1 item was never processed: {halfway} from producer")
    );

    let (events, after) = book_output("consumers_gone");
    let (got, lost, refused) = consumers_gone::fates(&events);
    assert_eq!(
        after,
        [format!(
            "consumers_gone: {got} items processed, {lost} left in the buffer and dropped with \
             the channel, {refused} refused by a failed send"
        )]
    );
}

#[test]
fn the_failure_examples_draw_their_timelines() {
    for (name, code) in [("consumer_panic", 1), ("consumers_gone", 0)] {
        let file = std::env::temp_dir().join(format!("{name}-{}.svg", std::process::id()));
        let path = file.to_str().expect("a UTF-8 path");
        let args = ["--seed", "3", "--time-scale", "0.001", "--timeline", path];
        let output = run_program(&example_path(name), &args);
        assert_eq!(output.status.code(), Some(code), "{name}");
        let svg = std::fs::read_to_string(&file).expect("the timeline was written");
        std::fs::remove_file(&file).expect("cleaned up");
        let document = roxmltree::Document::parse(&svg).expect("a well-formed SVG");
        let lanes = document
            .descendants()
            .filter(|node| node.attribute("class") == Some("lane"))
            .count();
        assert_eq!(lanes, 4, "{name}: one lane per thread");
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
    // (A run of `consumer_panic` that goes to its end panics on purpose.)
    system::assert_timeline_never_destroys_a_file(&example_path("consumers_gone"));
}
