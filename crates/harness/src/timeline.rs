//! Timelines: a picture of a run on a time axis, drawn from the same kept
//! events that the printed lines come from.
//!
//! [`Timeline::from_events`] turns the events into lanes of spans (working,
//! waiting for an item, waiting for room, waiting at the barrier), the
//! number of items in the buffer over time, and the sentinel's path;
//! [`Timeline::to_svg`] draws them.

use std::collections::HashMap;
use std::fmt::Write;
use std::time::Duration;

use svg::Document;
use svg::node::element::{Circle, Group, Line, Path, Polyline, Rectangle, Text, Title};

use crate::check::plural;
use crate::events::{Actor, Event, Role, What};
use crate::item::Item;
use crate::section::{Section, Settings};

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

    /// The CSS class of its spans in the SVG.
    pub fn class(self) -> &'static str {
        match self {
            Activity::Working => "working",
            Activity::WaitingForItem => "waiting-for-item",
            Activity::WaitingForRoom => "waiting-for-room",
            Activity::AtBarrier => "at-barrier",
        }
    }

    fn colour(self) -> &'static str {
        // From the Okabe-Ito palette, which stays distinct for colour-blind
        // readers; idle time is a light grey.
        match self {
            Activity::Working => "#0072B2",
            Activity::WaitingForItem => "#DDDDDD",
            Activity::WaitingForRoom => "#D55E00",
            Activity::AtBarrier => "#F0E442",
        }
    }

    fn legend(self) -> &'static str {
        match self {
            Activity::Working => "working on item i",
            Activity::WaitingForItem => "waiting for an item (buffer empty)",
            Activity::WaitingForRoom => "waiting to put (no room in the buffer)",
            Activity::AtBarrier => "waiting for others (barrier, join)",
        }
    }
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
        let events = if events.iter().any(|(_, e)| e.what.is_mark()) {
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
                });
            }
        }
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
/// scale. A consumer's work on an item ends at its `got` line. A producer
/// works on its items one after another from its `Running` line; where it
/// prints `added` lines, the time from the end of its work to that line was
/// spent waiting for room; where it does not, it is shown as never
/// waiting. The sentinel (every plain program sends one) leaves from the
/// last producer to be done; where several producers do not meet at a
/// barrier, each sends its own as it is done.
pub fn with_marks(
    section: &Section,
    config: &Settings,
    printed: &[(Duration, Event)],
) -> Vec<(Duration, Event)> {
    let effort = |item: &Item| Duration::from_secs_f64(item.value * config.time_scale);
    let mut events: Vec<(Duration, Event)> = Vec::new();
    let mut mark =
        |at: Duration, actor: Actor, what: What| events.push((at, Event { actor, what }));
    // Per thread: when it last finished something.
    let mut free_at: HashMap<Actor, Duration> = HashMap::new();
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
            (Role::Consumer, What::Got(item) | What::Reclaimed(item) | What::Duplicated(item)) => {
                let start = at.saturating_sub(effort(&item)).max(free);
                mark(start, actor, What::Working(item));
                mark(at, actor, What::Worked(item));
                free_at.insert(actor, at);
            }
            (Role::Producer, What::Added(item) | What::Refused(item)) => {
                let end = (free + effort(&item)).min(at);
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
                    let end = (start + effort(&item)).min(at);
                    mark(start, actor, What::Working(item));
                    mark(end, actor, What::Worked(item));
                    mark(end, actor, What::Added(item));
                    start = end;
                }
            }
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

// The picture's layout, in SVG user units (pixels at 100%).
const WIDTH: f64 = 960.0;
const LEFT: f64 = 110.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 62.0;
const LANE: f64 = 22.0;
const LANE_GAP: f64 = 6.0;
const CHART: f64 = 60.0;
const FONT: &str = "font-family:sans-serif";

/// Where things go in a picture: the time scale and the rows.
struct Frame {
    /// The run's end, in seconds (1 for an empty run).
    end: f64,
    /// The lanes' bottom edge.
    lanes_bottom: f64,
    /// The time axis.
    axis_y: f64,
    /// The buffer chart's top and bottom.
    chart_top: f64,
    chart_bottom: f64,
    /// The legend's first row.
    legend_y: f64,
    /// Whether the legend explains a shutdown (no sentinel, but a
    /// shutdown line or items it refused or dropped).
    shutdown_legend: bool,
}

impl Frame {
    /// The x of time `t`.
    fn x(&self, t: f64) -> f64 {
        LEFT + (WIDTH - LEFT - RIGHT) * (t / self.end)
    }

    /// The top of lane number `lane`.
    fn lane_y(lane: usize) -> f64 {
        TOP + lane as f64 * (LANE + LANE_GAP)
    }
}

impl Timeline {
    /// Draws the timeline as an SVG document: lanes, time axis, the buffer
    /// chart under them, and a legend.
    pub fn to_svg(&self) -> String {
        let frame = self.frame();
        let height = frame.legend_y + if frame.shutdown_legend { 70.0 } else { 50.0 };
        let mut document = Document::new()
            .set("viewBox", format!("0 0 {WIDTH} {}", round(height)))
            .set("width", WIDTH)
            .set("height", round(height))
            .set("style", FONT)
            .add(
                Rectangle::new()
                    .set("width", "100%")
                    .set("height", "100%")
                    .set("fill", "white"),
            )
            .add(text(LEFT, 24.0, &self.title, 17.0, "start").set("font-weight", "bold"))
            .add(text(LEFT, 44.0, &self.settings, 14.0, "start"));
        for (index, lane) in self.lanes.iter().enumerate() {
            document = document.add(self.lane(&frame, index, lane));
        }
        if !self.sentinel.is_empty() {
            document = document.add(self.sentinel_path(&frame));
        }
        document = self.shutdown_marks(&frame, document);
        document = document
            .add(axis(&frame))
            .add(self.buffer_chart(&frame))
            .add(self.legend(&frame));
        let mut svg = document.to_string();
        svg.push('\n');
        svg
    }

    /// The picture's geometry, from the number of lanes and the run's end.
    fn frame(&self) -> Frame {
        let lanes_bottom = Frame::lane_y(self.lanes.len());
        let axis_y = lanes_bottom + 4.0;
        let chart_top = axis_y + 34.0;
        let chart_bottom = chart_top + CHART;
        Frame {
            end: if self.end > 0.0 { self.end } else { 1.0 },
            lanes_bottom,
            axis_y,
            chart_top,
            chart_bottom,
            legend_y: chart_bottom + 34.0,
            shutdown_legend: self.sentinel.is_empty()
                && (self.shut_down.is_some() || !self.lost.is_empty()),
        }
    }

    /// One thread's lane: its name, its line from start to end, a box per
    /// span (numbered where the number fits), and its end.
    fn lane(&self, frame: &Frame, index: usize, lane: &Lane) -> Group {
        let y = Frame::lane_y(index);
        let mut group = Group::new()
            .set("class", "lane")
            .set("data-actor", lane.actor.to_string())
            .add(text(
                LEFT - 8.0,
                y + LANE * 0.72,
                &lane.actor.to_string(),
                14.0,
                "end",
            ))
            .add(
                Line::new()
                    .set("x1", round(frame.x(lane.running)))
                    .set("x2", round(frame.x(lane.done.unwrap_or(self.end))))
                    .set("y1", round(y + LANE / 2.0))
                    .set("y2", round(y + LANE / 2.0))
                    .set("stroke", "#999999")
                    .set("stroke-width", 1),
            );
        for span in &lane.spans {
            group = span_boxes(frame, y, lane.actor, span, group);
        }
        if let Some(done) = lane.done {
            let mark = Rectangle::new()
                .set("class", "done")
                .set("x", round(frame.x(done) - 1.0))
                .set("y", round(y - 2.0))
                .set("width", 2)
                .set("height", LANE + 4.0)
                .set("fill", "black")
                .add(Title::new(format!(
                    "{}: Done at {}",
                    lane.actor,
                    seconds(done)
                )));
            group = group.add(mark);
        }
        group
    }

    /// The sentinel's path, over the lanes, with a dot where each thread
    /// sent or read it.
    fn sentinel_path(&self, frame: &Frame) -> Group {
        let at = |lane: usize, t: f64| (round(frame.x(t)), round(Frame::lane_y(lane) + LANE / 2.0));
        let points: Vec<String> = self
            .sentinel
            .iter()
            .map(|&(lane, t)| {
                let (x, y) = at(lane, t);
                format!("{x},{y}")
            })
            .collect();
        let mut group = Group::new().set("class", "sentinel").add(
            Polyline::new()
                .set("points", points.join(" "))
                .set("fill", "none")
                .set("stroke", SENTINEL)
                .set("stroke-width", 2)
                .set("stroke-dasharray", "5 3"),
        );
        for &(lane, t) in &self.sentinel {
            let who = self.lanes[lane].actor;
            let what = match who.role {
                Role::Producer => "sends the sentinel",
                Role::Consumer => "reads the sentinel and stops",
            };
            let (cx, cy) = at(lane, t);
            group = group.add(
                Circle::new()
                    .set("cx", cx)
                    .set("cy", cy)
                    .set("r", 4)
                    .set("fill", SENTINEL)
                    .add(Title::new(format!("{who} {what} at {}", seconds(t)))),
            );
        }
        group
    }

    /// The shutdown, across the lanes, and the items it kept from being
    /// processed.
    fn shutdown_marks(&self, frame: &Frame, mut document: Document) -> Document {
        if let Some(t) = self.shut_down {
            document = document.add(
                Line::new()
                    .set("class", "shutdown")
                    .set("x1", round(frame.x(t)))
                    .set("x2", round(frame.x(t)))
                    .set("y1", round(TOP - 4.0))
                    .set("y2", round(frame.lanes_bottom))
                    .set("stroke", "black")
                    .set("stroke-width", 1.5)
                    .set("stroke-dasharray", "2 2")
                    .add(Title::new(format!(
                        "the queue is shut down at {}",
                        seconds(t)
                    ))),
            );
        }
        for &(lane, t, item, what) in &self.lost {
            let who = self.lanes[lane].actor;
            let y = Frame::lane_y(lane) + LANE * 0.78;
            document = document.add(
                text(frame.x(t), y, "\u{2715}", 16.0, "middle")
                    .set("class", what)
                    .set("fill", "black")
                    .add(Title::new(format!(
                        "{who}: {item} {what} at {}",
                        seconds(t)
                    ))),
            );
        }
        document
    }

    /// Items in the buffer, as a step chart, with its peak and capacity.
    fn buffer_chart(&self, frame: &Frame) -> Group {
        let peak = self.buffer.iter().map(|&(_, n)| n).max().unwrap_or(0);
        let top = peak.max(1) as f64;
        let y = |n: usize| frame.chart_bottom - CHART * (n as f64 / top);
        let mut chart = Group::new()
            .set("class", "buffer")
            .add(text(
                LEFT - 8.0,
                frame.chart_top + 14.0,
                "in the buffer",
                14.0,
                "end",
            ))
            .add(text(
                LEFT - 8.0,
                frame.chart_top + 32.0,
                &format!("(peak {peak})"),
                13.0,
                "end",
            ))
            .add(
                Path::new()
                    .set("d", self.buffer_outline(frame, &y))
                    .set("fill", "#56B4E9")
                    .set("fill-opacity", 0.6)
                    .set("stroke", "#0072B2")
                    .set("stroke-width", 1),
            )
            .add(horizontal(frame.chart_bottom).set("stroke", "black"));
        if self.capacity == Some(0) {
            let note = "none: at capacity 0, each item passes straight from producer to consumer";
            let y = frame.chart_bottom - 8.0;
            chart = chart.add(text(LEFT + 8.0, y, note, 14.0, "start"));
        }
        if let Some(capacity) = self.capacity.filter(|&c| c > 0 && c <= peak) {
            let full = format!("full: capacity {capacity}");
            chart = chart
                .add(
                    horizontal(y(capacity))
                        .set("stroke", "#D55E00")
                        .set("stroke-dasharray", "4 3"),
                )
                .add(
                    text(WIDTH - RIGHT, y(capacity) - 4.0, &full, 13.0, "end")
                        .set("fill", "#D55E00"),
                );
        }
        chart
    }

    /// The outline of the buffer's step chart, as an SVG path, with `y`
    /// the height of a count of items.
    fn buffer_outline(&self, frame: &Frame, y: &dyn Fn(usize) -> f64) -> String {
        let x = |t: f64| round(frame.x(t));
        let mut path = format!("M{},{}", x(0.0), round(y(0)));
        let mut level = 0;
        for &(t, n) in &self.buffer {
            let _ = write!(
                path,
                " L{},{} L{},{}",
                x(t),
                round(y(level)),
                x(t),
                round(y(n))
            );
            level = n;
        }
        let end = frame.end;
        let _ = write!(
            path,
            " L{},{} L{},{} Z",
            x(end),
            round(y(level)),
            x(end),
            round(y(0))
        );
        path
    }

    /// The legend: the activities in two rows, then what the marks mean.
    fn legend(&self, frame: &Frame) -> Group {
        let legend_y = frame.legend_y;
        let mut legend = Group::new().set("class", "legend");
        for (n, activity) in Activity::ALL.into_iter().enumerate() {
            let (lx, ly) = (
                LEFT + (n % 2) as f64 * 300.0,
                legend_y + (n / 2) as f64 * 20.0,
            );
            legend = legend
                .add(
                    Rectangle::new()
                        .set("x", lx)
                        .set("y", ly)
                        .set("width", 22)
                        .set("height", 12)
                        .set("fill", activity.colour()),
                )
                .add(text(lx + 28.0, ly + 11.0, activity.legend(), 14.0, "start"));
        }
        let lx = LEFT + 660.0;
        legend = self.shutdown_or_sentinel_legend(frame, lx, legend);
        legend
            .add(
                Rectangle::new()
                    .set("x", lx + 10.0)
                    .set("y", legend_y + 20.0)
                    .set("width", 2)
                    .set("height", 16)
                    .set("fill", "black"),
            )
            .add(text(lx + 28.0, legend_y + 33.0, "Done", 14.0, "start"))
    }

    /// The legend's row for how the run ended: a shutdown, the sentinel's
    /// path, or nothing (shut down by disconnection).
    fn shutdown_or_sentinel_legend(&self, frame: &Frame, lx: f64, legend: Group) -> Group {
        let legend_y = frame.legend_y;
        if frame.shutdown_legend {
            legend
                .add(
                    Line::new()
                        .set("x1", lx + 11.0)
                        .set("x2", lx + 11.0)
                        .set("y1", legend_y - 2.0)
                        .set("y2", legend_y + 14.0)
                        .set("stroke", "black")
                        .set("stroke-width", 1.5)
                        .set("stroke-dasharray", "2 2"),
                )
                .add(text(lx + 28.0, legend_y + 10.0, "shut down", 14.0, "start"))
                .add(text(lx + 11.0, legend_y + 55.0, "\u{2715}", 16.0, "middle"))
                .add(text(
                    lx + 28.0,
                    legend_y + 53.0,
                    "refused, dropped",
                    14.0,
                    "start",
                ))
        } else if !self.sentinel.is_empty() {
            let path = "the sentinel's path";
            legend
                .add(
                    Line::new()
                        .set("x1", lx)
                        .set("x2", lx + 22.0)
                        .set("y1", legend_y + 6.0)
                        .set("y2", legend_y + 6.0)
                        .set("stroke", SENTINEL)
                        .set("stroke-width", 2)
                        .set("stroke-dasharray", "5 3"),
                )
                .add(text(lx + 28.0, legend_y + 10.0, path, 14.0, "start"))
        } else {
            legend
        }
    }
}

/// The boxes of one span of lane `actor` (top at `y`), added to `group`:
/// the span, and its item's number where it fits inside.
fn span_boxes(frame: &Frame, y: f64, actor: Actor, span: &Span, group: Group) -> Group {
    let (x1, x2) = (frame.x(span.start), frame.x(span.end));
    let mut rect = Rectangle::new()
        .set("class", span.activity.class())
        .set("x", round(x1))
        .set("y", round(y))
        .set("width", round((x2 - x1).max(0.3)))
        .set("height", LANE)
        .set("fill", span.activity.colour())
        .add(Title::new(describe(actor, span)));
    if span.activity == Activity::Working {
        rect = rect.set("stroke", "white").set("stroke-width", 0.5);
    }
    let group = group.add(rect);
    let Some(item) = span.item else {
        return group;
    };
    let label = item.i.to_string();
    if x2 - x1 < 8.0 * label.len() as f64 + 4.0 {
        return group;
    }
    let label = text(
        f64::midpoint(x1, x2),
        y + LANE * 0.72,
        &label,
        13.0,
        "middle",
    )
    .set("fill", "white")
    .set("pointer-events", "none");
    group.add(label)
}

/// The time axis, with a tick and its time at each step.
fn axis(frame: &Frame) -> Group {
    let axis_y = frame.axis_y;
    let mut axis = Group::new()
        .set("class", "axis")
        .add(horizontal(axis_y).set("stroke", "black"));
    let step = tick_step(frame.end);
    let mut tick = 0.0;
    while tick <= frame.end + step * 1e-9 {
        let x = frame.x(tick);
        axis = axis
            .add(
                Line::new()
                    .set("x1", round(x))
                    .set("x2", round(x))
                    .set("y1", round(axis_y))
                    .set("y2", round(axis_y + 4.0))
                    .set("stroke", "black"),
            )
            .add(text(x, axis_y + 18.0, &seconds(tick), 13.0, "middle"));
        tick += step;
    }
    axis
}

/// A line across the plot at height `y`.
fn horizontal(y: f64) -> Line {
    Line::new()
        .set("x1", LEFT)
        .set("x2", WIDTH - RIGHT)
        .set("y1", round(y))
        .set("y2", round(y))
}

const SENTINEL: &str = "#CC79A7";

fn text(x: f64, y: f64, content: &str, size: f64, anchor: &str) -> Text {
    Text::new(content)
        .set("x", round(x))
        .set("y", round(y))
        .set("font-size", size)
        .set("text-anchor", anchor)
}

fn describe(actor: Actor, span: &Span) -> String {
    let from_to = format!("from {} to {}", seconds(span.start), seconds(span.end));
    match (span.activity, span.item) {
        (Activity::Working, Some(item)) => format!("{actor} works on {item} {from_to}"),
        (activity, _) => format!("{actor} is {} {from_to}", activity.legend()),
    }
}

/// A round step for the time axis: about eight ticks.
fn tick_step(end: f64) -> f64 {
    let raw = end / 8.0;
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&step| step >= raw)
        .unwrap_or(10.0 * power)
}

/// A time for a label: seconds, or milliseconds below one second.
fn seconds(t: f64) -> String {
    if t == 0.0 {
        "0".to_string()
    } else if t < 1.0 {
        format!("{} ms", round(t * 1000.0))
    } else {
        format!("{} s", round(t))
    }
}

/// Rounds to a tenth, so the same run always gives the same text.
fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
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
}
