//! The examples beyond the tutorial: they move exactly the items the
//! tutorial's sections move, survive a panicking thread without hanging,
//! and show what they set out to show. (`tests/invariants.rs` sweeps their
//! settings with the sections'.)

use std::time::Duration;

use harness::programs::{
    DISCONNECT, EVENT_TIMEOUT, FORGOTTEN_SENDER, SELECT, SHUTDOWN, SHUTDOWN_IMMEDIATE, TASK_DONE,
    watch, watch_output,
};
use harness::programs::{MANY_ONE, named, of_kind};
use harness::testing::{DEADLOCK_BOUND, run_kept, within};
use harness::{Kind, Log, Role, What, check, summary};

#[test]
fn disconnection_moves_the_same_items_as_each_section() {
    // The same producers, consumers and seed as each tutorial section: the
    // same items made and consumed, without any sentinel.
    for section in of_kind(Kind::Section) {
        let mut config = section.settings(21);
        config.time_scale = 0.0;
        let tutorial = check(&section, &config, &run_kept(&section, &config));
        let events = run_kept(&DISCONNECT, &config);
        let verdict = harness::testing::assert_kept(
            &DISCONNECT,
            &config,
            &events,
            &DISCONNECT.command(&config).clone(),
        );
        let sorted = |mut items: Vec<_>| {
            items.sort_by(|a: &(Option<usize>, harness::Item), b| {
                a.0.cmp(&b.0).then(a.1.i.cmp(&b.1.i))
            });
            items
        };
        assert_eq!(
            sorted(verdict.consumed),
            sorted(tutorial.consumed),
            "{}",
            section.name
        );
    }
}

#[test]
fn counting_sentinels_gives_the_same_summary_as_the_barrier() {
    let many_one = MANY_ONE;
    let mut config = many_one.settings(8);
    config.time_scale = 0.0;
    let barrier = summary(&many_one, &config, &run_kept(&many_one, &config));
    let section = named("counting_sentinels").expect("an example");
    let counting = summary(&section, &config, &run_kept(&section, &config));
    // Only the name differs.
    assert_eq!(
        counting.replacen("counting_sentinels", "many-one", 1),
        barrier
    );
}

#[test]
fn a_panicking_thread_never_hangs_the_run() {
    let mut cases = 0;
    for section in of_kind(Kind::Example) {
        // Item 0: every thread works on one before anything can stop it
        // (a shutdown or a cancellation comes after a consumer's first item).
        // Each side without its number (its only thread, or the first of
        // them to start the item), and a thread by its number where there
        // are several.
        for who in ["producer", "consumer", "producer 1", "consumer 0"] {
            for capacity in [Some(0), Some(1), None] {
                let mut config = section.settings(2);
                config.time_scale = 0.0;
                config.capacity = capacity;
                config.consumers = config.consumers.min(1); // So the panic surely happens.
                config.panic_at = Some((who.to_string(), 0));
                if harness::settings::accepts(&section, &config).is_err() {
                    assert!(who.contains(' '), "{who} is refused");
                    continue; // That thread does not exist in this example.
                }
                let command = section.command(&config);
                let outcome = within(DEADLOCK_BOUND, &command.clone(), move || {
                    watch(&section, &config, &harness::Log::keeping())
                });
                let error = outcome.expect_err("the panic is reported").to_string();
                assert!(
                    error.contains("failed while working on item ("),
                    "{command}: {error}"
                );
                cases += usize::from(!who.contains(' '));
            }
        }
    }
    assert_eq!(
        cases,
        2 * 3 * of_kind(Kind::Example).len(),
        "each side, three capacities, every example"
    );
}

#[test]
fn polling_costs_wake_ups_and_a_late_stop() {
    // Items of 60 ms on average, and a timeout of 12 ms: three consumers
    // share one producer's items, so each is idle most of the run.
    let section = EVENT_TIMEOUT;
    let mut config = section.settings(4);
    config.time_scale = 0.12;
    let mut latest_stop = Duration::ZERO;
    // Three runs: the consumers idle when the flag is set notice it when
    // their wait runs out, at a moment that falls anywhere in the 12 ms.
    for _ in 0..3 {
        let run = config.clone();
        let command = section.command(&config);
        let (events, stderr) = within(DEADLOCK_BOUND, &command.clone(), move || {
            let log = Log::keeping();
            let (status, stderr) = watch_output(&section, &run, &log);
            assert!(status.success(), "{command}: {stderr}");
            let events = log.timed_events();
            let printed: Vec<_> = events.iter().map(|&(_, e)| e).collect();
            harness::testing::assert_kept(&section, &run, &printed, &command);
            (events, stderr)
        });
        // The program counts the waits that ran out with no item.
        let wakeups: usize = stderr
            .trim_end()
            .strip_prefix("event_timeout: the consumers woke ")
            .and_then(|rest| rest.strip_suffix(" times to find no item"))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no count of wake-ups: {stderr}"));
        // Every consumer wakes at least once for nothing: the wait that
        // finds the flag set.
        assert!(wakeups >= config.consumers, "{stderr}");
        // How late the slowest consumer stopped after it could have (that
        // it stopped at all, the run's own hang bound checks).
        let stop = harness::programs::slowest_stop(&events);
        latest_stop = latest_stop.max(stop);
    }
    // Some idle consumer noticed the flag only when its wait ran out, well
    // after it was set (the chance that every idle consumer of three runs
    // woke within 2 ms of it is far below one in a million).
    assert!(latest_stop > Duration::from_millis(2), "{latest_stop:?}");
}

#[test]
fn a_forgotten_sender_keeps_the_channel_open() {
    for capacity in [Some(0), Some(1), None] {
        let mut config = FORGOTTEN_SENDER.settings(6);
        config.time_scale = 0.0;
        config.capacity = capacity;
        let command = FORGOTTEN_SENDER.command(&config);
        let (verdict, stderr) = within(DEADLOCK_BOUND, &command.clone(), move || {
            let log = Log::keeping();
            let (status, stderr) = watch_output(&FORGOTTEN_SENDER, &config, &log);
            assert!(status.success(), "{stderr}");
            (check(&FORGOTTEN_SENDER, &config, &log.events()), stderr)
        });
        // Every item got through, but the end never came: one sender (the
        // forgotten one) was still alive when the consumer gave up.
        assert!(verdict.is_ok(), "{command}:\n{verdict}");
        assert_eq!(verdict.consumed.len(), 5, "{command}");
        assert!(
            stderr.contains("the consumer gave up waiting") && stderr.contains("(1 sender alive)"),
            "{command}: {stderr}"
        );
    }
}

/// A shutdown's effect on a default run (three producers, two consumers:
/// the buffer fills up, and the producers are still at work when half the
/// items are processed): its events, and how many items were refused,
/// dropped, and processed after the shutdown.
fn shut_down_once(section: &harness::Section) -> (Vec<harness::Event>, usize, usize, usize) {
    let mut config = section.settings(11);
    // Items of 100 ms on average: long next to what a busy machine adds to
    // a wake-up, so that three producers outpace two consumers by
    // construction.
    config.time_scale = 0.2;
    let events = run_kept(section, &config);
    harness::testing::assert_kept(section, &config, &events, &section.command(&config));
    let count = |pick: fn(&What) -> bool| events.iter().filter(|e| pick(&e.what)).count();
    let after = events
        .iter()
        .position(|e| e.what == What::ShutDown)
        .expect("a consumer shuts the queue down");
    let got_after = events[after..]
        .iter()
        .filter(|e| matches!(e.what, What::Got(_)))
        .count();
    let (refused, dropped) = (
        count(|w| matches!(w, What::Refused(_))),
        count(|w| matches!(w, What::Dropped(_))),
    );
    (events, refused, dropped, got_after)
}

#[test]
fn a_shutdown_refuses_producers_and_drains_or_drops_the_buffer() {
    // (The checker has already made sure that each producer stopped at its
    // refused item, if it had one.)
    let (_, refused, dropped, got_after) = shut_down_once(&SHUTDOWN);
    assert!(refused > 0, "producers still at work are refused");
    assert_eq!(dropped, 0, "shutdown() drops nothing");
    assert!(got_after > 0, "the buffered items are processed after it");

    let (events, refused, dropped, _) = shut_down_once(&SHUTDOWN_IMMEDIATE);
    assert!(refused > 0, "producers still at work are refused");
    assert!(
        dropped > 0,
        "shutdown(immediate=True) drops the buffered items"
    );
    // A consumer may finish the item it was busy with; once it has seen the
    // shutdown (its first drop), it processes nothing more. The consumer
    // that shut the queue down processes nothing after it.
    let mut seen = std::collections::HashSet::new();
    for event in &events {
        match event.what {
            What::ShutDown | What::Dropped(_) => {
                seen.insert(event.actor);
            }
            What::Got(item) => assert!(
                !seen.contains(&event.actor),
                "{} processed {item} after it saw the shutdown",
                event.actor
            ),
            _ => {}
        }
    }
}

#[test]
fn after_a_cancellation_no_consumer_starts_another_item() {
    // When one consumer finds a needle, every other consumer stops: it may
    // finish the item it is busy with, but takes no other. (That a consumer
    // waiting on an empty buffer wakes for the cancellation is a unit test
    // in `examples/select.rs`.)
    let section = SELECT;
    let mut cancelled = 0;
    for seed in 0..20 {
        let mut config = section.settings(seed);
        config.time_scale = 0.02;
        let events = run_kept(&section, &config);
        let command = section.command(&config);
        harness::testing::assert_kept(&section, &config, &events, &command);
        let Some(at) = events.iter().position(|e| e.what == What::ShutDown) else {
            continue; // No needle in this run's items.
        };
        cancelled += 1;
        let finder = events[at].actor;
        let needle = events[..at]
            .iter()
            .rev()
            .find_map(|e| match e.what {
                What::Got(item) if e.actor == finder => Some(item),
                _ => None,
            })
            .expect("the needle was processed before the cancellation");
        assert!(needle.value >= 0.9, "{command}: {needle} is not a needle");
        // A consumer's `got` line comes after its work: one printed after
        // the cancellation may be the item it was busy with, never a second.
        let mut got_after = std::collections::HashMap::new();
        for event in &events[at..] {
            if let What::Got(item) = event.what {
                let got = got_after.entry(event.actor).or_insert(0);
                *got += 1;
                assert!(
                    event.actor != finder && *got <= 1,
                    "{command}: {} processed {item} after the cancellation",
                    event.actor
                );
            }
        }
    }
    assert!(cancelled >= 10, "only {cancelled} of 20 runs had a needle");
}

#[test]
fn join_waits_for_every_item_put_so_far_and_the_consumers_stay() {
    let section = TASK_DONE;
    for capacity in [Some(0), Some(1), None] {
        for consumers in [1, 3] {
            let mut config = section.settings(4);
            config.time_scale = 0.001;
            config.capacity = capacity;
            config.consumers = consumers;
            let command = section.command(&config);
            let events = run_kept(&section, &config);
            harness::testing::assert_kept(&section, &config, &events, &command);
            let mut put = std::collections::HashSet::new();
            let mut processed = std::collections::HashSet::new();
            let mut joins = 0;
            for event in &events {
                match event.what {
                    What::Added(item) => {
                        put.insert(item.i);
                    }
                    What::Got(item) => {
                        processed.insert(item.i);
                    }
                    What::Joined => {
                        joins += 1;
                        assert_eq!(put, processed, "{command}: join returned too early");
                    }
                    What::Done if event.actor.role == Role::Consumer => {
                        // Consumers outlive every batch: none leaves before the
                        // last join.
                        assert_eq!(joins, 3, "{command}: {} left early", event.actor);
                    }
                    _ => {}
                }
            }
            assert_eq!(joins, 3, "{command}: batches of 4, 4 and 2");
        }
    }
}
