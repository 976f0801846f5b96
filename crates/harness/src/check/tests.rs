//! The checker's rules, each shown on a run broken in one way, and runs
//! that differ from the usual one and are still good.

use super::*;
use crate::Count;

const SECTION: Section = Section {
    name: "many-one",
    producers: Count::Many(2),
    consumers: Count::One,
    items: 3,
    prints_added: false,

    barrier: true,

    kind: crate::section::Kind::Section,
    sentinel: true,
    one_thread: false,
    page: "many-one.md",
    effort: (1.0, 1.0),
};

fn config() -> Settings {
    SECTION.settings(5)
}

/// A run that keeps every rule: both producers' items, interleaved.
fn good_run() -> Vec<Event> {
    let config = config();
    let running = |actor| Event {
        actor,
        what: What::Running,
    };
    let done = |actor| Event {
        actor,
        what: What::Done,
    };
    let got = |item| Event {
        actor: Actor::CONSUMER,
        what: What::Got(item),
    };
    let a = expected_items(config.seed, 0, 3);
    let b = expected_items(config.seed, 1, 3);
    vec![
        running(Actor::CONSUMER),
        running(Actor::producer(1)),
        running(Actor::producer(0)),
        got(b[0]),
        got(a[0]),
        got(a[1]),
        got(b[1]),
        done(Actor::producer(1)),
        got(b[2]),
        got(a[2]),
        done(Actor::producer(0)),
        done(Actor::CONSUMER),
    ]
}

fn problems(events: &[Event]) -> Vec<String> {
    check(&SECTION, &config(), events).problems
}

#[test]
fn a_good_run_passes() {
    let verdict = check(&SECTION, &config(), &good_run());
    assert_eq!(verdict.problems, Vec::<String>::new());
    assert_eq!(verdict.consumed.len(), 6);
}

#[test]
fn a_lost_item_is_found() {
    let mut events = good_run();
    events.remove(4);
    let found = problems(&events);
    assert!(
        found
            .iter()
            .any(|p| p.contains("of producer 0 was never consumed")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|p| p.contains("5 items consumed")),
        "{found:?}"
    );
}

#[test]
fn an_item_consumed_twice_is_found() {
    let mut events = good_run();
    events.insert(5, events[4]);
    let found = problems(&events);
    assert!(
        found.iter().any(|p| p.contains("was consumed 2 times")),
        "{found:?}"
    );
}

#[test]
fn an_item_reclaimed_may_be_processed_twice_and_no_other() {
    // The consumer got a[1]; a second one, taking over from it after
    // it died, reclaims and processes it again.
    let mut events = good_run();
    let a1 = match events[5].what {
        What::Got(item) => item,
        other => panic!("{other:?}"),
    };
    let reclaim = Event {
        actor: Actor::CONSUMER,
        what: What::Reclaimed(a1),
    };
    events.insert(8, reclaim);
    assert_eq!(problems(&events), Vec::<String>::new());
    // Reclaimed once, processed three times: one too many.
    events.insert(9, events[5]);
    let found = problems(&events);
    assert!(
        found.iter().any(|p| p.contains("was consumed 3 times")),
        "{found:?}"
    );
    // A reclaimed item that nobody lost is still found missing elsewhere:
    // reclaiming does not make up for an item never consumed.
    let mut events = good_run();
    events[5] = reclaim;
    assert_eq!(problems(&events), Vec::<String>::new());
    events.remove(4);
    assert!(!problems(&events).is_empty());
}

#[test]
fn a_duplicated_item_needs_a_reclaim() {
    // A paused consumer finishes a[1] after another consumer claimed
    // and processed it: twice, allowed once per reclaim.
    let mut events = good_run();
    let a1 = match events[5].what {
        What::Got(item) => item,
        other => panic!("{other:?}"),
    };
    events[5].what = What::Reclaimed(a1);
    let late = Event {
        actor: Actor::CONSUMER,
        what: What::Duplicated(a1),
    };
    events.insert(8, late);
    assert_eq!(problems(&events), Vec::<String>::new());
    // Without the reclaim, it is one processing too many.
    events[5].what = What::Got(a1);
    let found = problems(&events);
    assert!(
        found.iter().any(|p| p.contains("was consumed 2 times")),
        "{found:?}"
    );
}

#[test]
fn a_killed_process_ends_without_done() {
    let mut events = good_run();
    let last = events.len() - 1;
    events[last].what = What::Killed;
    assert_eq!(problems(&events), Vec::<String>::new());
    events.push(Event {
        actor: Actor::CONSUMER,
        what: What::Done,
    });
    assert!(!problems(&events).is_empty(), "Killed, then Done");
}

#[test]
fn an_item_out_of_order_is_found() {
    let mut events = good_run();
    events.swap(4, 5);
    let found = problems(&events);
    assert!(
        found
            .iter()
            .any(|p| p.contains("got item 0 of producer 0 after item 1")),
        "{found:?}"
    );
}

#[test]
fn an_item_nobody_made_is_found() {
    let mut events = good_run();
    let item = Item { i: 0, value: 0.5 };
    events[3] = Event {
        actor: Actor::CONSUMER,
        what: What::Got(item),
    };
    let found = problems(&events);
    assert!(
        found
            .iter()
            .any(|p| p.contains("(0, 0.5) was taken but never produced")),
        "{found:?}"
    );
}

#[test]
fn a_value_out_of_range_is_found() {
    let mut events = good_run();
    let item = Item { i: 7, value: 1.5 };
    events.insert(
        3,
        Event {
            actor: Actor::CONSUMER,
            what: What::Got(item),
        },
    );
    let found = problems(&events);
    assert!(
        found.iter().any(|p| p.contains("outside [0, 1)")),
        "{found:?}"
    );
}

#[test]
fn status_lines_out_of_place_are_found() {
    let mut events = good_run();
    // The consumer says Done before its last item.
    let done = events.pop().unwrap();
    events.insert(9, done);
    assert!(problems(&events).contains(&"Consumer must print `Done` once, last".to_string()));
    // A producer that never says Running.
    let mut events = good_run();
    events.remove(1);
    assert!(problems(&events).contains(&"Producer 1 must print `Running` once, first".to_string()));
    // A thread the run does not have.
    let mut events = good_run();
    events.push(Event {
        actor: Actor::producer(2),
        what: What::Done,
    });
    assert!(
        problems(&events)
            .iter()
            .any(|p| p.contains("unexpected thread"))
    );
}

#[test]
fn added_lines_must_match_the_section() {
    let mut events = good_run();
    let item = expected_items(5, 0, 1)[0];
    let added = Event {
        actor: Actor::producer(0),
        what: What::Added(item),
    };
    events.insert(3, added);
    // Kept events may have `added`, but then all of them, in order.
    let expected = "Producer 0 must add each of its items once, in order";
    assert!(problems(&events).iter().any(|p| p == expected));
    // Printed output of this section has none at all.
    let printed = check_printed(&SECTION, &config(), &events).problems;
    let expected = "many-one does not print \">producer 0 added";
    assert!(
        printed.iter().any(|p| p.starts_with(expected)),
        "{printed:?}"
    );
}

/// A one-producer shape whose producer prints `added` lines, with
/// `consumers` consumers.
const fn adding(consumers: Count) -> Section {
    Section {
        name: "adding",
        producers: Count::One,
        consumers,
        items: 3,
        prints_added: true,
        barrier: false,
        kind: crate::section::Kind::Example,
        sentinel: false,
        one_thread: false,
        page: "many-one.md",
        effort: (1.0, 1.0),
    }
}

fn line(actor: Actor, what: What) -> Event {
    Event { actor, what }
}

/// The problems of `events`, a run of `section` with seed 5 and
/// `capacity`.
fn bounded(section: &Section, capacity: Option<usize>, events: &[Event]) -> Vec<String> {
    let mut config = section.settings(5);
    config.capacity = capacity;
    check(section, &config, events).problems
}

/// The lines of a one-one run in which the producer adds its three
/// items before the consumer gets any.
fn all_added_first() -> (Vec<Event>, Vec<Item>) {
    let items = expected_items(5, 0, 3);
    let mut events = vec![
        line(Actor::PRODUCER, What::Running),
        line(Actor::CONSUMER, What::Running),
    ];
    events.extend(items.iter().map(|&x| line(Actor::PRODUCER, What::Added(x))));
    events.push(line(Actor::PRODUCER, What::Done));
    events.extend(items.iter().map(|&x| line(Actor::CONSUMER, What::Got(x))));
    events.push(line(Actor::CONSUMER, What::Done));
    (events, items)
}

#[test]
fn a_consumer_may_be_one_item_ahead_of_the_added_lines_and_no_more() {
    let items = expected_items(5, 0, 3);
    let (p, c) = (Actor::PRODUCER, Actor::CONSUMER);
    let start = [line(p, What::Running), line(c, What::Running)];
    let end = [line(p, What::Done), line(c, What::Done)];
    // The producer was held between its `send` and its line: the
    // consumer got the item first.
    let mut one_ahead = start.to_vec();
    for &item in &items {
        one_ahead.extend([line(c, What::Got(item)), line(p, What::Added(item))]);
    }
    one_ahead.extend(end);
    let section = adding(Count::One);
    assert_eq!(bounded(&section, None, &one_ahead), Vec::<String>::new());
    assert_eq!(bounded(&section, Some(0), &one_ahead), Vec::<String>::new());
    // The producer kept its lines back and printed them at the end.
    let mut kept_back = start.to_vec();
    kept_back.extend(items.iter().map(|&x| line(c, What::Got(x))));
    kept_back.extend(items.iter().map(|&x| line(p, What::Added(x))));
    kept_back.extend(end);
    assert_eq!(
        bounded(&section, None, &kept_back),
        vec![format!(
            "Consumer took item 1 of producer 0 out of the buffer when producer 0 had \
             printed only 0 `added` line(s): a line came later than what it says (each \
             must be printed as it happens, an `added` line right after its `send`)"
        )]
    );
}

#[test]
fn a_buffer_that_held_more_than_its_capacity_is_found() {
    let (events, items) = all_added_first();
    let section = adding(Count::One);
    // Capacity 1: one item in the buffer, one in the consumer's hands;
    // the third had no room.
    let third = Event {
        actor: Actor::PRODUCER,
        what: What::Added(items[2]),
    };
    assert_eq!(
        bounded(&section, Some(1), &events),
        vec![format!(
            "the buffer held more items than its capacity: 3 added and 0 taken out after \
             the line {:?}, with --capacity 1 and 1 consumer(s) (or a line came later \
             than what it says: each must be printed as it happens)",
            third.to_string()
        )]
    );
    // Two in the buffer and one in hands fit capacity 2; an unbounded
    // buffer has no limit.
    assert_eq!(bounded(&section, Some(2), &events), Vec::<String>::new());
    assert_eq!(bounded(&section, None, &events), Vec::<String>::new());
}

#[test]
fn each_consumer_may_hold_one_item_outside_the_buffer() {
    // Three items added before either of two consumers printed a line:
    // at capacity 1, one in the buffer and one in each consumer's hands.
    let items = expected_items(5, 0, 3);
    let (c0, c1) = (Actor::consumer(0), Actor::consumer(1));
    let mut events = vec![
        line(Actor::PRODUCER, What::Running),
        line(c0, What::Running),
        line(c1, What::Running),
    ];
    events.extend(items.iter().map(|&x| line(Actor::PRODUCER, What::Added(x))));
    events.extend([
        line(Actor::PRODUCER, What::Done),
        line(c0, What::Got(items[0])),
        line(c1, What::Got(items[1])),
        line(c0, What::Got(items[2])),
        line(c0, What::Done),
        line(c1, What::Done),
    ]);
    let section = adding(Count::Many(2));
    assert_eq!(bounded(&section, Some(1), &events), Vec::<String>::new());
    let found = bounded(&section, Some(0), &events);
    assert!(
        found.len() == 1 && found[0].contains("with --capacity 0 and 2 consumer(s) ("),
        "{found:?}"
    );
}

/// A good run of `adding` with four items and capacity 0: after one item
/// processed, the consumer shuts the queue down and drops the next two as
/// they come; the fourth is refused.
fn immediate_shutdown() -> (Section, Settings, Vec<Event>, Vec<Item>) {
    let section = Section {
        items: 4,
        ..adding(Count::One)
    };
    let mut config = section.settings(5);
    config.capacity = Some(0);
    let items = expected_items(5, 0, 4);
    let (p, c) = (Actor::PRODUCER, Actor::CONSUMER);
    let events = vec![
        line(p, What::Running),
        line(c, What::Running),
        line(p, What::Added(items[0])),
        line(c, What::Got(items[0])),
        line(c, What::ShutDown),
        line(p, What::Added(items[1])),
        line(c, What::Dropped(items[1])),
        line(p, What::Added(items[2])),
        line(c, What::Dropped(items[2])),
        line(p, What::Refused(items[3])),
        line(p, What::Done),
        line(c, What::Done),
    ];
    (section, config, events, items)
}

#[test]
fn items_dropped_by_a_shutdown_leave_the_buffer() {
    // Never more than one item out of place at capacity 0, but only if
    // the dropped ones count as gone.
    let (section, config, events, _) = immediate_shutdown();
    assert_eq!(
        check(&section, &config, &events).problems,
        Vec::<String>::new()
    );
}

#[test]
fn an_item_taken_out_twice_makes_room_once() {
    // Capacity 0, one consumer: the first item is printed as got twice,
    // then the other two are added before the consumer gets them: two
    // items out of the buffer's reach at once, with room for one.
    let items = expected_items(5, 0, 3);
    let (p, c) = (Actor::PRODUCER, Actor::CONSUMER);
    let events = vec![
        line(p, What::Running),
        line(c, What::Running),
        line(p, What::Added(items[0])),
        line(c, What::Got(items[0])),
        line(c, What::Got(items[0])),
        line(p, What::Added(items[1])),
        line(p, What::Added(items[2])),
        line(p, What::Done),
        line(c, What::Got(items[1])),
        line(c, What::Got(items[2])),
        line(c, What::Done),
    ];
    let found = bounded(&adding(Count::One), Some(0), &events);
    let expected = "the buffer held more items than its capacity: 3 added and 1 taken out";
    assert!(found.iter().any(|p| p.starts_with(expected)), "{found:?}");
}

#[test]
fn the_redis_program_is_not_held_to_the_bound() {
    // Its consumers acknowledge a batch before they print it, from
    // processes of their own: its lines cannot show the bound.
    let (events, _) = all_added_first();
    let section = Section {
        kind: crate::section::Kind::Beyond,
        ..adding(Count::One)
    };
    assert_eq!(bounded(&section, Some(0), &events), Vec::<String>::new());
}

#[test]
fn a_verdict_is_ok_exactly_when_it_has_no_problems() {
    let good = check(&SECTION, &config(), &good_run());
    assert!(good.is_ok());
    assert_eq!(good.to_string(), "ok: 6 items consumed");
    let mut events = good_run();
    events.remove(4);
    let bad = check(&SECTION, &config(), &events);
    assert!(!bad.is_ok());
    // Each problem on a line of its own.
    let lines: Vec<String> = bad.to_string().lines().map(String::from).collect();
    assert_eq!(lines, bad.problems);
    assert!(lines.len() >= 2, "{lines:?}");
}

#[test]
fn running_must_come_once_and_first() {
    // A consumer that says Running twice.
    let mut events = good_run();
    events.insert(5, events[0]);
    let expected = "Consumer must print `Running` once, first".to_string();
    assert!(problems(&events).contains(&expected), "{events:?}");
    // A consumer that says Running once, but after its first item.
    let mut events = good_run();
    let running = events.remove(0);
    events.insert(3, running);
    assert!(problems(&events).contains(&expected), "{events:?}");
}

/// The lines of a good `adding` run of `items` items, each added then
/// got, with nothing else.
fn added_and_got(items: &[Item]) -> Vec<Event> {
    let (p, c) = (Actor::PRODUCER, Actor::CONSUMER);
    let mut events = vec![line(p, What::Running), line(c, What::Running)];
    for &item in items {
        events.extend([line(p, What::Added(item)), line(c, What::Got(item))]);
    }
    events.extend([line(p, What::Done), line(c, What::Done)]);
    events
}

#[test]
fn an_item_may_be_refused_only_after_a_shutdown() {
    let (section, config, mut events, items) = immediate_shutdown();
    let refused = "Producer may have one item refused, one of its own, and only after a shutdown";
    // The same refusal with nobody shutting down: every item must then go
    // in, and the consumer must get them all.
    let mut quiet = added_and_got(&items[..3]);
    quiet.insert(8, line(Actor::PRODUCER, What::Refused(items[3])));
    let found = check(&section, &config, &quiet).problems;
    assert!(found.iter().any(|p| p == refused), "{found:?}");
    // After a shutdown, an item the producer never made.
    let stranger = Item { i: 3, value: 0.5 };
    events[9] = line(Actor::PRODUCER, What::Refused(stranger));
    let found = check(&section, &config, &events).problems;
    assert!(found.iter().any(|p| p == refused), "{found:?}");
    // Two refused: the first ends the producer.
    let (_, _, mut events, _) = immediate_shutdown();
    events.insert(10, line(Actor::PRODUCER, What::Refused(items[3])));
    let found = check(&section, &config, &events).problems;
    assert!(found.iter().any(|p| p == refused), "{found:?}");
}

#[test]
fn an_item_dropped_with_no_shutdown_is_found() {
    let (section, config, mut events, items) = immediate_shutdown();
    events.remove(4);
    let found = check(&section, &config, &events).problems;
    let expected = format!("{} was dropped, but nobody shut down", items[1]);
    assert!(found.contains(&expected), "{found:?}");
}

/// A summary's lines for the items `consumed`, sorted by value.
fn sorted_by_value(consumed: &[Item]) -> String {
    let mut sorted = consumed.to_vec();
    sorted.sort_by(|a, b| a.value.total_cmp(&b.value));
    let lines: Vec<String> = sorted.iter().map(|item| format!("  {item}\n")).collect();
    format!("consumed, sorted by value:\n{}", lines.concat())
}

#[test]
fn a_summary_is_the_same_for_every_order_of_a_run() {
    let a = expected_items(5, 0, 3);
    let b = expected_items(5, 1, 3);
    let expected = format!(
        "many-one: 2 producers x 3 items, 1 consumer, capacity unbounded, seed 5\n\
         events: 3 Running, 6 got, 3 Done\n\
         producer 0 made: {} {} {}\n\
         producer 1 made: {} {} {}\n\
         {}checker: ok\n",
        a[0],
        a[1],
        a[2],
        b[0],
        b[1],
        b[2],
        sorted_by_value(&[a[0], a[1], a[2], b[0], b[1], b[2]]),
    );
    assert_eq!(summary(&SECTION, &config(), &good_run()), expected);
    // Another order of the same run: the producers first, then one of
    // them wholly before the other.
    let consumer = |what| line(Actor::CONSUMER, what);
    let mut other = vec![
        line(Actor::producer(0), What::Running),
        line(Actor::producer(1), What::Running),
        line(Actor::producer(0), What::Done),
        consumer(What::Running),
    ];
    other.extend(a.iter().chain(&b).map(|&x| consumer(What::Got(x))));
    other.extend([line(Actor::producer(1), What::Done), consumer(What::Done)]);
    assert_eq!(summary(&SECTION, &config(), &other), expected);
}

#[test]
fn a_summary_counts_a_shutdown_and_added_lines() {
    let (section, config, events, items) = immediate_shutdown();
    let expected = format!(
        "adding: 1 producer x 4 items, 1 consumer, capacity 0, seed 5\n\
         events: 2 Running, 3 added, 1 got, 2 Done\n\
         shutdown: 1 refused, 2 dropped\n\
         producer 0 made: {}\n\
         {}checker: ok\n",
        items[0],
        sorted_by_value(&items[..1]),
    );
    assert_eq!(summary(&section, &config, &events), expected);
    // A shutdown that refuses, and drops nothing: the rest is processed.
    let mut events = added_and_got(&items[..2]);
    events.insert(4, line(Actor::CONSUMER, What::ShutDown));
    events.insert(7, line(Actor::PRODUCER, What::Refused(items[2])));
    let config = Settings {
        capacity: None,
        items: 3,
        ..config
    };
    let text = summary(&section, &config, &events);
    assert!(
        text.contains("\nshutdown: 1 refused, 0 dropped\n"),
        "{text}"
    );
    assert!(text.ends_with("checker: ok\n"), "{text}");
}

#[test]
fn a_summary_shows_each_problem() {
    let mut events = good_run();
    events.remove(4);
    let verdict = check(&SECTION, &config(), &events);
    let text = summary(&SECTION, &config(), &events);
    let shown: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("checker: "))
        .collect();
    assert_eq!(shown, verdict.problems);
    assert!(!text.contains("checker: ok"), "{text}");
}

#[test]
fn consumers_that_stop_before_the_items_do_are_named_first() {
    let items = expected_items(5, 0, 3);
    let (p, c) = (Actor::PRODUCER, Actor::CONSUMER);
    // The consumer gets the first item and stops; the producer's next
    // `send` fails, and it adds no more.
    let early = vec![
        line(p, What::Running),
        line(c, What::Running),
        line(p, What::Added(items[0])),
        line(c, What::Got(items[0])),
        line(c, What::Done),
        line(p, What::Done),
    ];
    let section = adding(Count::One);
    let problems = bounded(&section, None, &early);
    assert_eq!(
        problems.first().map(String::as_str),
        Some(
            "the consumers stopped while Producer still had items to add: every consumer \
             printed `Done`, then Producer added no more (1 of its 3), as its `send` failed \
             with nobody left to read. A consumer must stop only once no more items can come"
        ),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("(1 producer x 3 items")),
        "{problems:?}"
    );
    // A producer done first, its items all added, is no such stop.
    let (whole, _) = all_added_first();
    assert_eq!(bounded(&section, None, &whole), Vec::<String>::new());
}
