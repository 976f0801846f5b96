//! The examples beyond the tutorial: they move exactly the items the
//! tutorial's sections move, survive a panicking thread without hanging,
//! and show what they set out to show. (`tests/invariants.rs` sweeps their
//! settings with the sections'.)

use harness::testing::{DEADLOCK_BOUND, run_kept, within};
use harness::{Config, PanicAt, What, check, summary};
use producer_consumer::{
    EXAMPLES, SECTIONS, disconnect, event_timeout, forgotten_sender, select, shutdown, task_done,
};

#[test]
fn disconnection_moves_the_same_items_as_each_section() {
    // The same producers, consumers and seed as each tutorial section: the
    // same items made and consumed, without any sentinel.
    for (section, run) in SECTIONS {
        let mut config = Config::new(&section, 21);
        config.time_scale = 0.0;
        let tutorial = check(&section, &config, &run_kept(&section, run, &config));
        let events = run_kept(&disconnect::SECTION, disconnect::run, &config);
        let verdict = check(&disconnect::SECTION, &config, &events);
        assert!(
            verdict.is_ok(),
            "{}:\n{verdict}",
            config.command(&disconnect::SECTION)
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
    let (many_one, run) = SECTIONS[1];
    let mut config = Config::new(&many_one, 8);
    config.time_scale = 0.0;
    let barrier = summary(&many_one, &config, &run_kept(&many_one, run, &config));
    let (section, run) = producer_consumer::program("counting_sentinels").expect("an example");
    let counting = summary(&section, &config, &run_kept(&section, run, &config));
    // Only the name differs.
    assert_eq!(
        counting.replacen("counting_sentinels", "many-one", 1),
        barrier
    );
}

#[test]
fn a_panicking_thread_never_hangs_the_run() {
    let mut cases = 0;
    for (section, run) in EXAMPLES {
        // Item 0: every thread works on one before anything can stop it
        // (a shutdown or a cancellation comes after a consumer's first item).
        let who = ["producer-1:0", "producer:0", "consumer-0:0", "consumer:0"];
        for at in who {
            let Ok(panic_at) = at.parse::<PanicAt>() else {
                continue;
            };
            for capacity in [Some(0), Some(1), None] {
                let mut config = Config::new(&section, 2);
                config.time_scale = 0.0;
                config.capacity = capacity;
                config.consumers = config.consumers.min(1); // So the panic surely happens.
                config.panic_at = Some(panic_at);
                if config.validate(&section).is_err() {
                    continue; // That thread does not exist in this example.
                }
                let command = config.command(&section);
                let outcome = within(DEADLOCK_BOUND, &command.clone(), move || {
                    run(&config, &harness::Log::keeping())
                });
                let error = outcome.expect_err("the panic is reported").to_string();
                assert!(
                    error.contains("failed while working on item ("),
                    "{command}: {error}"
                );
                cases += 1;
            }
        }
    }
    assert_eq!(
        cases,
        2 * 3 * EXAMPLES.len(),
        "a producer and a consumer, three capacities, every example"
    );
}

#[test]
fn polling_costs_wake_ups_and_a_late_stop() {
    let section = event_timeout::SECTION;
    let mut config = Config::new(&section, 4);
    config.time_scale = 0.02; // Items of about 5 ms.
    let cost = |timeout_ms| {
        let config = config.clone();
        let timeout = std::time::Duration::from_millis(timeout_ms);
        within(DEADLOCK_BOUND, "polling", move || {
            let log = harness::Log::keeping();
            let polling =
                event_timeout::run_with_timeout(&config, &log, timeout).expect("no panic");
            let verdict = check(&event_timeout::SECTION, &config, &log.events());
            assert!(verdict.is_ok(), "{verdict}");
            polling
        })
    };
    let short = cost(1);
    // Three runs: the consumers idle when the flag is set notice it when
    // their wait runs out, at a moment that falls anywhere in the 60 ms.
    let long: Vec<_> = (0..3).flat_map(|_| cost(60)).collect();
    let wakeups =
        |polling: &[event_timeout::Polling]| polling.iter().map(|p| p.idle_wakeups).sum::<usize>();
    // Shorter waits wake the idle consumers more often (about 60 times as
    // often; a busy machine that stretches every wait lowers that)...
    assert!(
        wakeups(&short) > 2 * wakeups(&long) / 3,
        "{short:?} {long:?}"
    );
    // ...and each consumer stops after the flag, without hanging.
    for polling in short.iter().chain(&long) {
        assert!(polling.shutdown_latency < DEADLOCK_BOUND, "{polling:?}");
    }
    // With the long timeout, some idle consumer noticed the flag only when
    // its wait ran out, well after it was set (the chance that six idle
    // consumers all woke within 5 ms of it is below one in a million).
    let slowest = long.iter().map(|p| p.shutdown_latency).max().unwrap();
    assert!(slowest > std::time::Duration::from_millis(5), "{long:?}");
}

#[test]
fn a_forgotten_sender_keeps_the_channel_open() {
    for capacity in [Some(0), Some(1), None] {
        let mut config = Config::new(&forgotten_sender::SECTION, 6);
        config.time_scale = 0.0;
        config.capacity = capacity;
        let command = config.command(&forgotten_sender::SECTION);
        let (stuck, events) = within(DEADLOCK_BOUND, &command, move || {
            let log = harness::Log::keeping();
            let stuck =
                forgotten_sender::run_with_forgotten_sender(&config, &log).expect("no panic");
            (stuck, log.events())
        });
        // Every item got through, but the end never came: one sender (the
        // forgotten one) was still alive when the consumer gave up.
        assert_eq!(stuck, Some(1), "{command}");
        let verdict = check(
            &forgotten_sender::SECTION,
            &Config {
                capacity,
                ..Config::new(&forgotten_sender::SECTION, 6)
            },
            &events,
        );
        assert_eq!(verdict.consumed.len(), 5, "{command}");
    }
}

/// A shutdown's effect on a default run (three producers, two consumers:
/// the buffer fills up, and the producers are still at work when half the
/// items are processed): its events, and how many items were refused,
/// dropped, and processed after the shutdown.
fn shut_down_once(
    run: harness::Run,
    section: &harness::Section,
) -> (Vec<harness::Event>, usize, usize, usize) {
    let mut config = Config::new(section, 11);
    // Items of 100 ms on average: long next to what a busy machine adds to
    // a wake-up, so that three producers outpace two consumers by
    // construction.
    config.time_scale = 0.2;
    let events = run_kept(section, run, &config);
    let verdict = harness::check(section, &config, &events);
    assert!(verdict.is_ok(), "{}:\n{verdict}", config.command(section));
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
    let (_, refused, dropped, got_after) = shut_down_once(shutdown::run, &shutdown::SECTION);
    assert!(refused > 0, "producers still at work are refused");
    assert_eq!(dropped, 0, "shutdown() drops nothing");
    assert!(got_after > 0, "the buffered items are processed after it");

    let (events, refused, dropped, _) =
        shut_down_once(shutdown::run_immediate, &shutdown::SECTION_IMMEDIATE);
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
    // waiting on an empty buffer wakes for the cancellation is the unit
    // test `select::tests::a_cancellation_wakes_a_waiting_consumer`.)
    let section = select::SECTION;
    let mut cancelled = 0;
    for seed in 0..20 {
        let mut config = Config::new(&section, seed);
        config.time_scale = 0.02;
        let events = run_kept(&section, select::run, &config);
        let command = config.command(&section);
        let verdict = check(&section, &config, &events);
        assert!(verdict.is_ok(), "{command}:\n{verdict}");
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
        let mut started_after = std::collections::HashMap::new();
        for event in &events[at..] {
            if let What::Working(item) = event.what
                && event.actor.role == harness::Role::Consumer
            {
                let started = started_after.entry(event.actor).or_insert(0);
                *started += 1;
                // The finder drops what is left; another consumer may have
                // taken one item just before it saw the cancellation.
                assert!(
                    event.actor != finder && *started <= 1,
                    "{command}: {} started work on {item} after the cancellation",
                    event.actor
                );
            }
        }
    }
    assert!(cancelled >= 10, "only {cancelled} of 20 runs had a needle");
}

#[test]
fn join_waits_for_every_item_put_so_far_and_the_consumers_stay() {
    let section = task_done::SECTION;
    for capacity in [Some(0), Some(1), None] {
        for consumers in [1, 3] {
            let mut config = Config::new(&section, 4);
            config.time_scale = 0.001;
            config.capacity = capacity;
            config.consumers = consumers;
            let command = config.command(&section);
            let events = run_kept(&section, task_done::run, &config);
            let verdict = check(&section, &config, &events);
            assert!(verdict.is_ok(), "{command}:\n{verdict}");
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
                    What::Done if event.actor.role == harness::Role::Consumer => {
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
