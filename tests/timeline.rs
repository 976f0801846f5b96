//! Timelines: the picture of a run must show every thread and every item,
//! never two things at once in one lane, and always be a well-formed SVG.

use harness::Kind;
use harness::programs::of_kind;
use harness::testing::{count_in_svg, run_timed};
use harness::timeline::{Activity, Timeline};
use harness::{Role, Settings};

fn timeline(name: &str, change: impl Fn(&mut Settings)) -> (Settings, Timeline) {
    let section = harness::programs::named(name).expect("a program of that name");
    let mut config = section.settings(3);
    config.time_scale = 0.001;
    change(&mut config);
    let events = run_timed(&section, &config);
    let timeline = Timeline::from_events(&section, &config, &events);
    (config, timeline)
}

#[test]
fn every_thread_has_a_lane_and_every_item_a_work_span() {
    for section in of_kind(Kind::Section) {
        for capacity in [Some(0), Some(1), None] {
            let (config, timeline) = timeline(section.name, |c| c.capacity = capacity);
            let lanes = config.producers + config.consumers;
            assert_eq!(timeline.lanes.len(), lanes, "{}", section.name);
            for role in [Role::Producer, Role::Consumer] {
                let work = timeline
                    .lanes
                    .iter()
                    .filter(|lane| lane.actor.role == role)
                    .flat_map(|lane| &lane.spans)
                    .filter(|span| span.activity == Activity::Working)
                    .count();
                assert_eq!(
                    work,
                    harness::section::total_items(&config),
                    "{} {role:?}",
                    section.name
                );
            }
            let svg = timeline.to_svg();
            assert_eq!(count_in_svg(&svg, "lane"), lanes);
            assert_eq!(
                count_in_svg(&svg, "working"),
                2 * harness::section::total_items(&config)
            );
            assert_eq!(count_in_svg(&svg, "done"), lanes);
        }
    }
}

#[test]
fn spans_never_overlap_within_a_lane() {
    for section in of_kind(Kind::Section) {
        let (_, timeline) = timeline(section.name, |c| c.capacity = Some(1));
        for lane in &timeline.lanes {
            assert!(lane.spans.iter().all(|span| span.start <= span.end));
            for pair in lane.spans.windows(2) {
                assert!(pair[0].end <= pair[1].start, "{}: {pair:?}", lane.actor);
            }
            if let (Some(first), Some(done)) = (lane.spans.first(), lane.done) {
                assert!(lane.running <= first.start && lane.spans.last().unwrap().end <= done);
            }
        }
    }
}

#[test]
fn the_sentinel_goes_from_a_producer_through_every_consumer() {
    for section in of_kind(Kind::Section) {
        let (config, timeline) = timeline(section.name, |_| {});
        let path: Vec<Role> = timeline
            .sentinel
            .iter()
            .map(|&(lane, _)| timeline.lanes[lane].actor.role)
            .collect();
        let mut expected = vec![Role::Producer];
        expected.extend(vec![Role::Consumer; config.consumers]);
        assert_eq!(path, expected, "{}", section.name);
        assert!(
            timeline
                .sentinel
                .windows(2)
                .all(|pair| pair[0].1 <= pair[1].1)
        );
    }
}

#[test]
fn the_buffer_fills_up_to_its_capacity_and_empties() {
    for capacity in [1, 2] {
        // Eight producers and one consumer: the buffer is full most of the time.
        let (_, timeline) = timeline("many-one", |c| {
            c.producers = 8;
            c.capacity = Some(capacity);
        });
        let peak = timeline.buffer.iter().map(|&(_, n)| n).max().unwrap();
        assert_eq!(peak, capacity, "the buffer never showed as full");
        assert_eq!(
            timeline.buffer.last().unwrap().1,
            0,
            "every item left the buffer"
        );
    }
    // Unbounded, with the same eight producers, it holds more than two.
    let (_, timeline) = timeline("many-one", |c| c.producers = 8);
    assert!(timeline.buffer.iter().any(|&(_, n)| n > 2));
}

#[test]
fn empty_and_large_runs_render() {
    let (_, empty) = timeline("many-many", |c| c.items = 0);
    assert_eq!(count_in_svg(&empty.to_svg(), "working"), 0);
    let (config, large) = timeline("many-many", |c| {
        c.items = 2_000;
        c.time_scale = 0.0;
    });
    assert_eq!(
        count_in_svg(&large.to_svg(), "working"),
        2 * harness::section::total_items(&config)
    );
}

#[test]
fn the_same_run_gives_the_same_picture() {
    let section = harness::programs::MANY_ONE;
    let config = section.settings(9);
    let events = run_timed(
        &section,
        &Settings {
            time_scale: 0.001,
            ..config.clone()
        },
    );
    let draw = || Timeline::from_events(&section, &config, &events).to_svg();
    assert_eq!(draw(), draw());
}

#[test]
fn a_run_without_a_sentinel_draws_no_sentinel_path() {
    let (_, timeline) = timeline("disconnect", |_| {});
    assert!(timeline.sentinel.is_empty(), "{:?}", timeline.sentinel);
    assert_eq!(count_in_svg(&timeline.to_svg(), "sentinel"), 0);
}

#[test]
fn a_shutdown_draws_its_line_and_every_item_it_kept_from_processing() {
    for name in ["shutdown", "shutdown_immediate", "select"] {
        let section = harness::programs::named(name).expect("a program");
        let mut config = section.settings(42);
        config.time_scale = 0.01;
        config.capacity = Some(2);
        let events = run_timed(&section, &config);
        let count =
            |pick: fn(&harness::What) -> bool| events.iter().filter(|(_, e)| pick(&e.what)).count();
        let svg = Timeline::from_events(&section, &config, &events).to_svg();
        let shut_down = count(|w| *w == harness::What::ShutDown);
        assert_eq!(count_in_svg(&svg, "shutdown"), shut_down, "{name}");
        assert_eq!(
            count_in_svg(&svg, "refused"),
            count(|w| matches!(w, harness::What::Refused(_))),
            "{name}"
        );
        assert_eq!(
            count_in_svg(&svg, "dropped"),
            count(|w| matches!(w, harness::What::Dropped(_))),
            "{name}"
        );
        if name != "select" {
            assert_eq!(
                shut_down, 1,
                "{name}: half the items are processed, then it shuts down"
            );
        }
    }
}
