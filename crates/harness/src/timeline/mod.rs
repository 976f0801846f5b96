//! Timelines: a picture of a run on a time axis, drawn from the same kept
//! events that the printed lines come from.
//!
//! [`Timeline::from_events`] turns the events into lanes of spans (working,
//! waiting for an item, waiting for room, waiting at the barrier), the
//! number of items in the buffer over time, and the sentinel's path;
//! [`Timeline::to_svg`] draws them. This file holds the model; `svg.rs`
//! draws it, and only reads it.

use std::collections::HashMap;
use std::time::Duration;

use crate::check::plural;
use crate::events::{Actor, Event, Role, What};
use crate::item::Item;
use crate::section::{Section, Settings};

mod svg;

/// What a thread is doing during a span of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// Simulated work on an item.
    Working,
    /// A consumer waiting in `recv` for a message: the buffer is empty.
    WaitingForItem,
    /// A producer waiting in `send`: the buffer is full (or, at capacity 0,
    /// no consumer is ready to take the item yet).
    WaitingForRoom,
    /// A producer waiting for other threads: at the barrier for the other
    /// producers, or in `join` for the consumers.
    AtBarrier,
}

impl Activity {
    /// Every activity, in the legend's order.
    pub const ALL: [Activity; 4] = [
        Activity::Working,
        Activity::WaitingForItem,
        Activity::WaitingForRoom,
        Activity::AtBarrier,
    ];
}

/// A stretch of time in one thread's lane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    /// What the thread was doing.
    pub activity: Activity,
    /// Start, in seconds since the run began.
    pub start: f64,
    /// End, in seconds since the run began.
    pub end: f64,
    /// The item worked on, for working spans.
    pub item: Option<Item>,
    /// The number of the producer that made the item, where the run
    /// tells.
    pub made_by: Option<usize>,
}

/// One thread's row of the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// Whose lane it is.
    pub actor: Actor,
    /// When it printed `Running`.
    pub running: f64,
    /// Its spans, in time order; they never overlap.
    pub spans: Vec<Span>,
    /// When it printed `Done`, if it did (a thread that panicked did not).
    pub done: Option<f64>,
    /// When it panicked, if its panic's message said so.
    pub panicked: Option<f64>,
}

/// A run, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The title: the section's name.
    pub title: String,
    /// The line under the title: the run's settings.
    pub settings: String,
    /// One lane per thread: producers first, then consumers, each in
    /// number order.
    pub lanes: Vec<Lane>,
    /// Items in the buffer: `(time, count)` from each change on.
    pub buffer: Vec<(f64, usize)>,
    /// The buffer's capacity, if bounded.
    pub capacity: Option<usize>,
    /// The sentinel's path: `(lane, time)` of each producer that sent one,
    /// then of each consumer that stopped, in order.
    pub sentinel: Vec<(usize, f64)>,
    /// When a consumer shut the queue down, if one did.
    pub shut_down: Option<f64>,
    /// Items a shutdown kept from being processed: `(lane, time, item,
    /// "refused" or "dropped")`.
    pub lost: Vec<(usize, f64, Item, &'static str)>,
    /// The time of the last event.
    pub end: f64,
}

impl Timeline {
    /// Builds the timeline of a run from its kept events. Events without
    /// marks, as a plain program prints them, get theirs rebuilt first
    /// (see [`with_marks`]).
    pub fn from_events(
        section: &Section,
        config: &Settings,
        events: &[(Duration, Event)],
    ) -> Timeline {
        let rebuilt;
        // Work marks already there (a log that kept them) are drawn as
        // they are; otherwise they are rebuilt from the lines.
        let has_work_marks = |e: &Event| matches!(e.what, What::Working(_) | What::Worked(_));
        let events = if events.iter().any(|(_, e)| has_work_marks(e)) {
            events
        } else {
            rebuilt = with_marks(section, config, events);
            &rebuilt
        };
        let mut drawing = Drawing::new(section.barrier, events);
        for (at, event) in events {
            drawing.apply(at.as_secs_f64(), event);
        }
        drawing.finish(section, config)
    }
}

/// A timeline being built, event by event.
struct Drawing {
    /// Whether the producers meet at a barrier before the sentinel.
    barrier: bool,
    lanes: Vec<Lane>,
    lane_of: HashMap<Actor, usize>,
    /// Per lane: the time its current stretch began, and the item being
    /// worked on.
    since: Vec<f64>,
    working: Vec<Option<(f64, Item)>>,
    added_at: HashMap<(usize, u64), f64>,
    taken_at: Vec<(f64, (usize, u64))>,
    sentinel: Vec<(usize, f64)>,
    stopped: Vec<(usize, f64)>,
    shut_down: Option<f64>,
    lost: Vec<(usize, f64, Item, &'static str)>,
    end: f64,
}

impl Drawing {
    /// One lane per thread, from its first line on: producers first, then
    /// consumers, each in number order, as a reader looks for them.
    fn new(barrier: bool, events: &[(Duration, Event)]) -> Drawing {
        let mut first_seen: Vec<(Actor, f64)> = Vec::new();
        for (at, event) in events {
            if !first_seen.iter().any(|(actor, _)| *actor == event.actor) {
                first_seen.push((event.actor, at.as_secs_f64()));
            }
        }
        first_seen.sort_by_key(|(actor, _)| (actor.role == Role::Consumer, actor.id));
        let lanes: Vec<Lane> = first_seen
            .iter()
            .map(|&(actor, running)| Lane {
                actor,
                running,
                spans: Vec::new(),
                done: None,
                panicked: None,
            })
            .collect();
        Drawing {
            barrier,
            lane_of: (lanes.iter().enumerate())
                .map(|(index, lane)| (lane.actor, index))
                .collect(),
            since: lanes.iter().map(|lane| lane.running).collect(),
            working: vec![None; lanes.len()],
            lanes,
            added_at: HashMap::new(),
            taken_at: Vec::new(),
            sentinel: Vec::new(),
            stopped: Vec::new(),
            shut_down: None,
            lost: Vec::new(),
            end: 0.0,
        }
    }

    /// Ends lane `lane`'s current stretch at `until`, as `activity`. A work
    /// span is kept even when it has no width (read from the outside, two
    /// lines can arrive at once): it still names its item.
    fn close(&mut self, lane: usize, activity: Activity, until: f64, item: Option<Item>) {
        let start = std::mem::replace(&mut self.since[lane], until);
        if until > start || (activity == Activity::Working && until == start) {
            self.lanes[lane].spans.push(Span {
                activity,
                start,
                end: until,
                item,
                made_by: None,
            });
        }
    }

    /// What `event`, at time `t`, ends or begins in its thread's lane.
    fn apply(&mut self, t: f64, event: &Event) {
        self.end = self.end.max(t);
        let lane = self.lane_of[&event.actor];
        match event.what {
            What::Running | What::Got(_) | What::Reclaimed(_) | What::Duplicated(_) => {
                self.since[lane] = t;
            }
            What::Working(item) => {
                if event.actor.role == Role::Consumer {
                    // Until now the consumer was waiting in `recv`.
                    self.close(lane, Activity::WaitingForItem, t, None);
                    self.taken_at.push((t, key(&item)));
                }
                self.since[lane] = t;
                self.working[lane] = Some((t, item));
            }
            What::Worked(item) => {
                self.close(lane, Activity::Working, t, Some(item));
                self.working[lane] = None;
            }
            What::Added(item) => {
                // From the end of the work to here, `send` was waiting.
                self.close(lane, Activity::WaitingForRoom, t, None);
                self.added_at.insert(key(&item), t);
            }
            What::ShutDown => {
                self.since[lane] = t;
                self.shut_down = self.shut_down.or(Some(t));
            }
            What::Refused(item) => {
                self.close(lane, Activity::WaitingForRoom, t, None);
                self.lost.push((lane, t, item, "refused"));
            }
            What::Dropped(item) => {
                self.since[lane] = t;
                self.taken_at.push((t, key(&item)));
                self.lost.push((lane, t, item, "dropped"));
            }
            // Until now the producer waited for the consumers, in `join`.
            What::Joined => self.close(lane, Activity::AtBarrier, t, None),
            What::SendingSentinel => {
                if self.barrier {
                    self.close(lane, Activity::AtBarrier, t, None);
                }
                self.since[lane] = t;
                self.sentinel.push((lane, t));
            }
            What::Done | What::Killed => self.ended(lane, event.actor.role, t),
            // The thread died with the item in its hands (a consumer's
            // work on it was drawn up to here): its lane ends.
            What::Failed(item) => {
                self.since[lane] = t;
                self.lost.push((lane, t, item, "panicked on"));
                self.lanes[lane].panicked = Some(t);
            }
        }
    }

    /// Thread `lane` (of role `role`) ended at `t`: what it was doing until
    /// then.
    fn ended(&mut self, lane: usize, role: Role, t: f64) {
        let sent = self.sentinel.iter().any(|&(l, _)| l == lane);
        match role {
            // A consumer waits in `recv` until the sentinel comes.
            Role::Consumer => {
                self.close(lane, Activity::WaitingForItem, t, None);
                self.stopped.push((lane, t));
            }
            // A producer that did not send the sentinel was at the
            // barrier; the one that did was sending it.
            Role::Producer if self.barrier && !sent => {
                self.close(lane, Activity::AtBarrier, t, None);
            }
            Role::Producer => self.close(lane, Activity::WaitingForRoom, t, None),
        }
        self.lanes[lane].done = Some(t);
    }

    /// Marks each worked item with the producer that made it: the producer
    /// whose lane shows the work on it, or else the one whose sequence,
    /// from the run's seed, holds it.
    fn name_the_makers(&mut self, config: &Settings) {
        let mut maker: HashMap<(usize, u64), usize> = HashMap::new();
        for p in 0..config.producers {
            for item in crate::item::expected_items(config.seed, p, config.items) {
                maker.insert(key(&item), p);
            }
        }
        for lane in self.lanes.iter().filter(|l| l.actor.role == Role::Producer) {
            for item in lane.spans.iter().filter_map(|span| span.item) {
                maker.insert(key(&item), lane.actor.id.unwrap_or(0));
            }
        }
        for lane in &mut self.lanes {
            for span in &mut lane.spans {
                span.made_by = span.item.and_then(|item| maker.get(&key(&item)).copied());
            }
        }
    }

    /// The timeline, once every event is in.
    fn finish(mut self, section: &Section, config: &Settings) -> Timeline {
        // A thread that panicked mid-work: its last span ends with the run.
        for (lane, open) in self.working.iter().enumerate() {
            if let Some((start, item)) = *open {
                self.lanes[lane].spans.push(Span {
                    activity: Activity::Working,
                    start,
                    end: self.end,
                    item: Some(item),
                    made_by: None,
                });
            }
        }
        self.name_the_makers(config);
        self.sentinel.sort_by(|a, b| a.1.total_cmp(&b.1));
        // Without a sentinel (a shutdown by disconnection), there is no path.
        if !self.sentinel.is_empty() {
            self.sentinel.extend(self.stopped);
        }
        Timeline {
            title: section.name.to_string(),
            settings: settings(config),
            lanes: self.lanes,
            // At capacity 0 nothing ever waits in the buffer: each item goes
            // straight from a producer's hands to a consumer's.
            buffer: if config.capacity == Some(0) {
                vec![(0.0, 0)]
            } else {
                buffer_levels(&self.added_at, &self.taken_at, config.capacity)
            },
            capacity: config.capacity,
            sentinel: self.sentinel,
            shut_down: self.shut_down,
            lost: self.lost,
            end: self.end,
        }
    }
}

// ANCHOR: with_marks
/// Rebuilds, from the lines a program printed and the times they arrived,
/// the marks it does not print: when each thread worked on each item, and
/// when the sentinel left. An item's work lasts `value` times the time
/// scale, times the share of it the program's role works
/// ([`Section::effort`]). A consumer's work on an item ends at its `got`
/// line. A producer works on its items one after another from its
/// `Running` line; where it prints `added` lines, the time from the end of
/// its work to that line was spent waiting for room if the buffer was
/// full, as the lines so far tell, and in `send` otherwise (drawn as
/// work); where it does not print them, it is shown as never waiting. The sentinel (every plain program sends one) leaves from the
/// last producer to be done; where several producers do not meet at a
/// barrier, each sends its own as it is done.
pub fn with_marks(
    section: &Section,
    config: &Settings,
    printed: &[(Duration, Event)],
) -> Vec<(Duration, Event)> {
    // As long as the program works on an item, at the pace it sets.
    let effort = |role: Role, item: &Item| {
        let (producers, consumers) = section.effort;
        let share = if role == Role::Producer {
            producers
        } else {
            consumers
        };
        Duration::from_secs_f64(item.value * config.time_scale * share)
    };
    let mut events: Vec<(Duration, Event)> = Vec::new();
    let mut mark =
        |at: Duration, actor: Actor, what: What| events.push((at, Event { actor, what }));
    // Per thread: when it last finished something.
    let mut free_at: HashMap<Actor, Duration> = HashMap::new();
    // Items put and not yet taken, as far as the lines so far tell.
    let mut in_buffer = 0usize;
    // The sentinel leaves from the last producer to be done, before any
    // consumer stops (its `Done` line may arrive after a consumer's).
    let done = |role: Role| {
        printed
            .iter()
            .filter(move |(_, e)| e.actor.role == role && e.what == What::Done)
    };
    let sentinel = done(Role::Producer)
        .max_by_key(|(at, _)| *at)
        .map(|&(at, e)| {
            let first_stop = done(Role::Consumer).map(|&(at, _)| at).min();
            (first_stop.map_or(at, |stop| stop.min(at)), e.actor)
        });
    // Several producers that do not meet at a barrier each send their own.
    let each_sends_one = section.producers.numbered() && !section.barrier;
    for &(at, event) in printed {
        let actor = event.actor;
        let free = free_at.get(&actor).copied().unwrap_or(at).min(at);
        match (actor.role, event.what) {
            (
                Role::Consumer,
                What::Got(item)
                | What::Reclaimed(item)
                | What::Duplicated(item)
                | What::Failed(item),
            ) => {
                let start = at.saturating_sub(effort(actor.role, &item)).max(free);
                mark(start, actor, What::Working(item));
                mark(at, actor, What::Worked(item));
                free_at.insert(actor, at);
            }
            (Role::Producer, What::Added(item) | What::Refused(item)) => {
                // Time left after the work went to `send`: waiting for
                // room if the buffer was full, else nothing to speak of
                // (the work is drawn up to the line).
                let full = config.capacity.is_some_and(|slots| in_buffer >= slots);
                let worked = free + effort(actor.role, &item);
                let end = if full { worked.min(at) } else { at };
                mark(free, actor, What::Working(item));
                mark(end, actor, What::Worked(item));
                free_at.insert(actor, at);
            }
            // A thread's first item begins after its `Running` line; a
            // producer's next item, after its wait in `join`.
            (_, What::Running) | (Role::Producer, What::Joined) => {
                free_at.insert(actor, at);
            }
            (Role::Producer, What::Done) if !section.prints_added => {
                // Its items, one after another, as if `send` never waited.
                let id = actor.id.unwrap_or(0);
                let mut start = free;
                for item in crate::item::expected_items(config.seed, id, config.items) {
                    let end = (start + effort(actor.role, &item)).min(at);
                    mark(start, actor, What::Working(item));
                    mark(end, actor, What::Worked(item));
                    mark(end, actor, What::Added(item));
                    start = end;
                }
            }
            _ => {}
        }
        // What the buffer holds, as far as the lines tell.
        match event.what {
            What::Added(_) => in_buffer += 1,
            What::Got(_) | What::Dropped(_) => in_buffer = in_buffer.saturating_sub(1),
            _ => {}
        }
        mark(at, actor, event.what);
    }
    if !section.sentinel {
        // Its shutdown is not a sentinel: nothing to draw.
    } else if each_sends_one {
        for &(at, event) in done(Role::Producer) {
            mark(at, event.actor, What::SendingSentinel);
        }
    } else if let Some((at, producer)) = sentinel {
        mark(at, producer, What::SendingSentinel);
    }
    // Marks made later (a producer's items, found at its `Done`) go back
    // to their place in time; events at the same time keep their order.
    events.sort_by_key(|(at, _)| *at);
    events
}
// ANCHOR_END: with_marks

fn key(item: &Item) -> (usize, u64) {
    (item.i, item.value.to_bits())
}

/// Items in the buffer over time. An item enters when its `send` returns
/// and leaves when a consumer starts on it. Each thread reads the clock a
/// moment after the channel acted, so the times can be out of order by a
/// few microseconds: an item counts as entered no later than it left, and
/// the level never shows more than the channel can hold.
fn buffer_levels(
    added_at: &HashMap<(usize, u64), f64>,
    taken_at: &[(f64, (usize, u64))],
    capacity: Option<usize>,
) -> Vec<(f64, usize)> {
    let mut changes: Vec<(f64, i64)> = Vec::new();
    let mut entered = added_at.clone();
    for &(t, item) in taken_at {
        let put = entered.remove(&item).map_or(t, |added| added.min(t));
        changes.push((put, 1));
        changes.push((t, -1));
    }
    // Items nobody took (a consumer panicked) stay in the buffer.
    changes.extend(entered.values().map(|&t| (t, 1)));
    // At equal times, count arrivals first, so the level never dips below 0.
    changes.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut level: i64 = 0;
    let mut levels = vec![(0.0, 0)];
    for (t, change) in changes {
        level += change;
        let shown = (level.max(0) as usize).min(capacity.unwrap_or(usize::MAX));
        levels.push((t, shown));
    }
    levels
}

fn settings(config: &Settings) -> String {
    let buffer = match config.capacity {
        None => "unbounded buffer".to_string(),
        Some(0) => "rendezvous (capacity 0)".to_string(),
        Some(n) => format!("capacity {n}"),
    };
    format!(
        "{} x {}, {}, {buffer}, seed {}, time scale {}",
        plural(config.producers, "producer"),
        plural(config.items, "item"),
        plural(config.consumers, "consumer"),
        config.seed,
        config.time_scale,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programs::DISCONNECT;

    #[test]
    fn a_consumer_s_work_ends_at_its_line_and_lasted_its_effort() {
        let mut config = DISCONNECT.settings(1);
        config.time_scale = 1.0;
        let consumer = Actor::consumer(0);
        let (a, b) = (Item { i: 0, value: 0.3 }, Item { i: 1, value: 0.5 });
        let ms = Duration::from_millis;
        let line = |at, what| {
            (
                ms(at),
                Event {
                    actor: consumer,
                    what,
                },
            )
        };
        // Running at 0, idle until 200 ms, then two items back to back.
        let printed = [
            line(0, What::Running),
            line(500, What::Got(a)),
            line(1_000, What::Got(b)),
        ];
        let marks: Vec<_> = with_marks(&DISCONNECT, &config, &printed)
            .into_iter()
            .filter(|(_, e)| matches!(e.what, What::Working(_) | What::Worked(_)))
            .collect();
        let expected = [
            line(200, What::Working(a)),
            line(500, What::Worked(a)),
            line(500, What::Working(b)),
            line(1_000, What::Worked(b)),
        ];
        assert_eq!(marks, expected);
    }

    #[test]
    fn lanes_are_producers_then_consumers_in_number_order() {
        let config = DISCONNECT.settings(1);
        let started = [
            Actor::consumer(1),
            Actor::producer(1),
            Actor::consumer(0),
            Actor::producer(0),
        ];
        let printed: Vec<(Duration, Event)> = started
            .iter()
            .enumerate()
            .flat_map(|(n, &actor)| {
                let at = Duration::from_millis(n as u64);
                [What::Running, What::Done].map(|what| (at, Event { actor, what }))
            })
            .collect();
        let timeline = Timeline::from_events(&DISCONNECT, &config, &printed);
        let lanes: Vec<Actor> = timeline.lanes.iter().map(|lane| lane.actor).collect();
        assert_eq!(
            lanes,
            [
                Actor::producer(0),
                Actor::producer(1),
                Actor::consumer(0),
                Actor::consumer(1)
            ]
        );
    }

    #[test]
    fn work_never_starts_before_the_thread_is_running() {
        let config = DISCONNECT.settings(1);
        let consumer = Actor::consumer(0);
        let item = Item { i: 0, value: 0.9 };
        let ms = Duration::from_millis;
        // The lines came late and close together (a reader that fell behind).
        let printed = [
            (
                ms(100),
                Event {
                    actor: consumer,
                    what: What::Running,
                },
            ),
            (
                ms(300),
                Event {
                    actor: consumer,
                    what: What::Got(item),
                },
            ),
        ];
        let marks = with_marks(&DISCONNECT, &config, &printed);
        let started = marks.iter().find(|(_, e)| e.what == What::Working(item));
        assert_eq!(started.map(|&(at, _)| at), Some(ms(100)));
    }

    #[test]
    fn an_item_in_the_hands_of_a_thread_that_panicked_is_drawn_in_its_lane() {
        let section = crate::programs::ONE_ONE;
        let mut config = section.settings(1);
        config.time_scale = 1.0;
        let producer = Actor::nth(Role::Producer, false, 0);
        let consumer = Actor::nth(Role::Consumer, false, 0);
        let item = Item { i: 0, value: 0.2 };
        let ms = Duration::from_millis;
        let printed = [
            (
                ms(0),
                Event {
                    actor: producer,
                    what: What::Running,
                },
            ),
            (
                ms(0),
                Event {
                    actor: consumer,
                    what: What::Running,
                },
            ),
            (
                ms(250),
                Event {
                    actor: producer,
                    what: What::Added(item),
                },
            ),
            (
                ms(500),
                Event {
                    actor: consumer,
                    what: What::Failed(item),
                },
            ),
        ];
        let timeline = Timeline::from_events(&section, &config, &printed);
        let lane = &timeline.lanes[1];
        assert_eq!(lane.actor, consumer);
        // Its work on the item, 200 ms up to the panic; then the lane ends.
        let work = lane.spans.iter().find(|span| span.item == Some(item));
        assert_eq!(work.map(|span| (span.start, span.end)), Some((0.3, 0.5)));
        assert_eq!(lane.panicked, Some(0.5));
        assert!(timeline.lost.iter().any(|lost| lost.3 == "panicked on"));
        // The item left the buffer when the consumer took it.
        assert_eq!(timeline.buffer.last().map(|&(_, n)| n), Some(0));
    }
}
