//! How the timeline is drawn: the picture's layout, its lanes, the
//! sentinel's path, the buffer's chart and the legend, as SVG. The model it
//! draws is in the parent module; nothing here changes it.

use std::fmt::Write;

use svg::Document;
use svg::node::element::{Circle, Group, Line, Path, Polyline, Rectangle, Style, Text, Title};

use super::{Activity, Lane, Span, Timeline};
use crate::events::{Actor, Role};

impl Activity {
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

/// The colour of the work on producer `p`'s items: blue for the first,
/// then colours that stay apart from it and from the waits' colours.
fn producer_colour(p: usize) -> &'static str {
    const COLOURS: [&str; 5] = ["#0072B2", "#009E73", "#7B3294", "#8C510A", "#4D4D4D"];
    COLOURS[p % COLOURS.len()]
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
        let rows = if self.several_producers() { 20.0 } else { 0.0 };
        let height = frame.legend_y + rows + if frame.shutdown_legend { 70.0 } else { 50.0 };
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
            .add(Style::new(self.follow_items()))
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

    /// Whether more than one producer made items: then each producer's
    /// items get a colour of their own, and labels name the producer.
    fn several_producers(&self) -> bool {
        let producers = self.lanes.iter().filter(|l| l.actor.role == Role::Producer);
        producers.count() > 1
    }

    /// The CSS that lets a reader follow an item: hovering its work in one
    /// lane outlines it in every lane (the producer's and the consumer's).
    fn follow_items(&self) -> String {
        let mut items: Vec<String> = (self.lanes.iter())
            .flat_map(|lane| &lane.spans)
            .filter_map(item_id)
            .collect();
        items.sort();
        items.dedup();
        let mut css = String::from(".working:hover{stroke:black;stroke-width:2}");
        for id in items {
            let _ = write!(
                css,
                "svg:has([data-item=\"{id}\"]:hover) [data-item=\"{id}\"]{{stroke:black;stroke-width:2}}"
            );
        }
        css
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
                    .set(
                        "x2",
                        round(frame.x(lane.done.or(lane.panicked).unwrap_or(self.end))),
                    )
                    .set("y1", round(y + LANE / 2.0))
                    .set("y2", round(y + LANE / 2.0))
                    .set("stroke", "#999999")
                    .set("stroke-width", 1),
            );
        let several = self.several_producers();
        for span in &lane.spans {
            let taken = (lane.actor.role == Role::Producer)
                .then(|| self.taken(span))
                .flatten();
            group = span_boxes(frame, y, (lane.actor, several, taken), span, group);
        }
        if let Some(done) = lane.done {
            // Inside the lane, so that threads done at once read as one
            // mark per lane, not one line down the picture.
            let mark = Rectangle::new()
                .set("class", "done")
                .set("x", round(frame.x(done) - 1.0))
                .set("y", round(y + 3.0))
                .set("width", 2)
                .set("height", LANE - 6.0)
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

    /// Who took the item a producer's span worked on, and when it began
    /// the work: the consumer's lane where that item's work starts.
    fn taken(&self, span: &Span) -> Option<(Actor, f64)> {
        let item = span.item?;
        let consumers = self.lanes.iter().filter(|l| l.actor.role == Role::Consumer);
        consumers.into_iter().find_map(|lane| {
            (lane.spans.iter())
                .find(|s| s.activity == Activity::Working && s.item == Some(item))
                .map(|s| (lane.actor, s.start))
        })
    }

    /// The sentinel's path, over the lanes, with a dot where each thread
    /// sent or read it.
    fn sentinel_path(&self, frame: &Frame) -> Group {
        let at = |lane: usize, t: f64| (round(frame.x(t)), round(Frame::lane_y(lane) + LANE / 2.0));
        let point = |&(lane, t): &(usize, f64)| {
            let (x, y) = at(lane, t);
            format!("{x},{y}")
        };
        let dashed = |points: Vec<String>| {
            Polyline::new()
                .set("points", points.join(" "))
                .set("fill", "none")
                .set("stroke", SENTINEL)
                .set("stroke-width", 2)
                .set("stroke-dasharray", "5 3")
        };
        // Each sentinel a producer sends goes to the first consumer to
        // stop; from there, one sentinel passes from consumer to consumer.
        let is_producer =
            |&&(lane, _): &&(usize, f64)| self.lanes[lane].actor.role == Role::Producer;
        let senders: Vec<&(usize, f64)> = self.sentinel.iter().filter(is_producer).collect();
        let readers: Vec<String> = self
            .sentinel
            .iter()
            .filter(|s| !is_producer(s))
            .map(point)
            .collect();
        let mut group = Group::new().set("class", "sentinel");
        for sender in senders {
            let first_reader = readers.first().cloned().into_iter();
            group = group.add(dashed(
                std::iter::once(point(sender)).chain(first_reader).collect(),
            ));
        }
        if readers.len() > 1 {
            group = group.add(dashed(readers));
        }
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
                LEFT - 30.0,
                frame.chart_top + 26.0,
                "items in",
                13.0,
                "end",
            ))
            .add(text(
                LEFT - 30.0,
                frame.chart_top + 42.0,
                "the buffer",
                13.0,
                "end",
            ))
            .add(
                Line::new()
                    .set("x1", LEFT)
                    .set("x2", LEFT)
                    .set("y1", round(y(peak.max(1))))
                    .set("y2", round(frame.chart_bottom))
                    .set("stroke", "black"),
            );
        // The scale: none, the peak, and half way where it is a whole
        // number of items.
        let mut ticks = vec![0, peak.max(1)];
        if peak >= 4 && peak % 2 == 0 {
            ticks.push(peak / 2);
        }
        for n in ticks {
            chart = chart
                .add(
                    Line::new()
                        .set("x1", LEFT - 4.0)
                        .set("x2", LEFT)
                        .set("y1", round(y(n)))
                        .set("y2", round(y(n)))
                        .set("stroke", "black"),
                )
                .add(text(LEFT - 6.0, y(n) + 4.0, &n.to_string(), 12.0, "end"));
        }
        chart = chart
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
                .add(text(
                    lx + 28.0,
                    ly + 11.0,
                    &self.legend_of(activity),
                    14.0,
                    "start",
                ));
        }
        if self.several_producers() {
            legend = self.makers_legend(legend_y + 40.0, legend);
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

    /// What the legend says of `activity`: work on whose item is the next
    /// row's story when several producers made items.
    fn legend_of(&self, activity: Activity) -> String {
        if activity == Activity::Working && self.several_producers() {
            "working on item p:i (colour: p)".to_string()
        } else {
            activity.legend().to_string()
        }
    }

    /// The legend's row for whose items are whose: a colour per producer,
    /// and how a label names the producer and the item.
    fn makers_legend(&self, ly: f64, mut legend: Group) -> Group {
        legend = legend.add(text(LEFT, ly + 11.0, "p, the producer:", 14.0, "start"));
        let producers = self.lanes.iter().filter(|l| l.actor.role == Role::Producer);
        // Four fit beside the row for how the run ended; the colours go
        // round again after five.
        for (n, lane) in producers.enumerate() {
            let p = lane.actor.id.unwrap_or(0);
            if n == 4 {
                legend = legend.add(text(LEFT + 600.0, ly + 11.0, "...", 14.0, "start"));
                break;
            }
            let lx = LEFT + 160.0 + n as f64 * 110.0;
            legend = legend
                .add(
                    Rectangle::new()
                        .set("x", lx)
                        .set("y", ly)
                        .set("width", 22)
                        .set("height", 12)
                        .set("fill", producer_colour(p)),
                )
                .add(text(
                    lx + 28.0,
                    ly + 11.0,
                    &format!("Producer {p}"),
                    14.0,
                    "start",
                ));
        }
        legend
    }

    /// The legend's row for how the run ended: a shutdown, the sentinel's
    /// path, or nothing (shut down by disconnection).
    fn shutdown_or_sentinel_legend(&self, frame: &Frame, lx: f64, legend: Group) -> Group {
        let legend_y = frame.legend_y;
        if frame.shutdown_legend {
            // What the crosses stand for: the kinds this run has.
            let kinds: Vec<&str> = [
                ("refused", "refused"),
                ("dropped", "dropped"),
                ("panicked on", "a panic"),
            ]
            .into_iter()
            .filter(|(kind, _)| self.lost.iter().any(|lost| lost.3 == *kind))
            .map(|(_, words)| words)
            .collect();
            let crosses = if kinds.is_empty() {
                "refused, dropped".to_string()
            } else {
                kinds.join(", ")
            };
            let legend = if self.shut_down.is_some() || self.lost.is_empty() {
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
            } else {
                legend
            };
            legend
                .add(text(lx + 11.0, legend_y + 55.0, "\u{2715}", 16.0, "middle"))
                .add(text(lx + 28.0, legend_y + 53.0, &crosses, 14.0, "start"))
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
/// the span, and its item's label where it fits inside. With `several`
/// producers, work is coloured by the item's producer and its label names
/// both (`1:3` is producer 1's item 3); `taken` is who took the item from
/// the buffer, and when, for a producer's span.
fn span_boxes(
    frame: &Frame,
    y: f64,
    (actor, several, taken): (Actor, bool, Option<(Actor, f64)>),
    span: &Span,
    group: Group,
) -> Group {
    let (x1, x2) = (frame.x(span.start), frame.x(span.end));
    let mut title = describe(actor, span);
    if span.activity == Activity::Working {
        if let (Role::Consumer, Some(p)) = (actor.role, span.made_by) {
            let maker = if several {
                format!("Producer {p}")
            } else {
                "the producer".into()
            };
            let _ = write!(title, "\nmade by {maker}");
        }
        if let Some((consumer, at)) = taken {
            let _ = write!(title, "\ntaken by {consumer} at {}", seconds(at));
        }
    }
    let fill = match (span.activity, span.made_by) {
        (Activity::Working, Some(p)) if several => producer_colour(p),
        (activity, _) => activity.colour(),
    };
    let mut rect = Rectangle::new()
        .set("class", span.activity.class())
        .set("x", round(x1))
        .set("y", round(y))
        .set("width", round((x2 - x1).max(0.3)))
        .set("height", LANE)
        .set("fill", fill)
        .add(Title::new(title));
    if let Some(id) = item_id(span) {
        rect = rect.set("data-item", id);
    }
    // A white edge keeps items apart; on a box a few pixels wide it would
    // cover the box, and a lane of quick items would read as idle.
    if span.activity == Activity::Working && x2 - x1 >= 3.0 {
        rect = rect.set("stroke", "white").set("stroke-width", 0.5);
    }
    let group = group.add(rect);
    let Some(item) = span.item else {
        return group;
    };
    let label = match span.made_by {
        Some(p) if several => format!("{p}:{}", item.i),
        _ => item.i.to_string(),
    };
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

/// The name a worked item goes by in the picture's CSS: its producer's
/// number and its index, `1-3`.
fn item_id(span: &Span) -> Option<String> {
    match (span.activity, span.item) {
        (Activity::Working, Some(item)) => {
            Some(format!("{}-{}", span.made_by.unwrap_or(0), item.i))
        }
        _ => None,
    }
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
