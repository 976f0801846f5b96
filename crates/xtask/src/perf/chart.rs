//! The report's chart: time per message, a bar per channel, on a
//! logarithmic axis.

use svg::Document;
use svg::node::element::{Group, Line, Rectangle, Text, Title};

use super::{CAPACITIES, CHANNELS, Results, TOPOLOGIES, median, time};

/// The charts' width, and where the bars start.
const CHART_WIDTH: f64 = 960.0;
const CHART_LEFT: f64 = 190.0;
/// One bar's height.
const BAR: f64 = 7.0;
/// A colour per channel, in `CHANNELS`' order.
const COLOURS: [&str; 7] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999",
];
/// A group of bars: one per channel, and a gap.
const GROUP_HEIGHT: f64 = BAR * CHANNELS.len() as f64 + 8.0;
/// A panel: a group per topology, its title and its axis.
const PANEL_HEIGHT: f64 = GROUP_HEIGHT * TOPOLOGIES.len() as f64 + 56.0;
const LEGEND_HEIGHT: f64 = 60.0;

/// The x of `ns` nanoseconds, on a logarithmic axis from 10 ns to 1 ms.
fn bar_x(ns: f64) -> f64 {
    let (low, high) = (10.0_f64, 1e6_f64);
    let plot = CHART_WIDTH - CHART_LEFT - 30.0;
    CHART_LEFT + plot * ((ns.clamp(low, high) / low).log10() / (high / low).log10())
}

/// A chart's text at (`x`, `y`).
fn label(x: f64, y: f64, content: String, size: f64, anchor: &str) -> Text {
    Text::new(content)
        .set("x", x)
        .set("y", y)
        .set("font-size", size)
        .set("text-anchor", anchor.to_string())
}

/// An empty chart of `width` by `height`, on white.
pub fn blank_chart(width: f64, height: f64) -> Document {
    Document::new()
        .set("viewBox", format!("0 0 {width} {height}"))
        .set("width", width)
        .set("height", height)
        .set("style", "font-family:sans-serif")
        .add(
            Rectangle::new()
                .set("width", "100%")
                .set("height", "100%")
                .set("fill", "white"),
        )
}

/// Bar charts of time per message: one panel per capacity, one group of
/// bars per topology, one bar per channel, on a logarithmic axis.
pub fn chart(results: &Results) -> String {
    let height = 50.0 + PANEL_HEIGHT * CAPACITIES.len() as f64 + LEGEND_HEIGHT;
    let title = "Time per message (log scale; shorter is faster)";
    let mut document = blank_chart(CHART_WIDTH, height)
        .add(label(CHART_LEFT, 26.0, title.into(), 17.0, "start").set("font-weight", "bold"));
    for (panel, capacity) in CAPACITIES.iter().enumerate() {
        let top = 50.0 + panel as f64 * PANEL_HEIGHT;
        document = document.add(chart_panel(results, capacity, top));
    }
    let mut svg = document.add(chart_legend(height)).to_string();
    svg.push('\n');
    svg
}

/// The panel of capacity `capacity`, from `top` down: its title, its
/// axis, and a group of bars per topology.
fn chart_panel(results: &Results, capacity: &str, top: f64) -> Group {
    let mut group = Group::new().set("class", "panel").add(
        label(
            CHART_LEFT,
            top + 14.0,
            capacity_title(capacity),
            15.0,
            "start",
        )
        .set("font-weight", "bold"),
    );
    for exponent in 1..=6 {
        let ns = 10f64.powi(exponent);
        let gx = bar_x(ns);
        let bottom = top + PANEL_HEIGHT;
        group = group
            .add(
                Line::new()
                    .set("x1", gx)
                    .set("x2", gx)
                    .set("y1", top + 20.0)
                    .set("y2", bottom - 30.0)
                    .set("stroke", "#DDDDDD"),
            )
            .add(label(gx, bottom - 16.0, tick(ns), 12.0, "middle"));
    }
    for (row, &(producers, consumers)) in TOPOLOGIES.iter().enumerate() {
        let y0 = top + 22.0 + row as f64 * GROUP_HEIGHT;
        let name = format!(
            "{producers} producer{} / {consumers} consumer{}",
            plural(producers),
            plural(consumers)
        );
        let middle = y0 + GROUP_HEIGHT / 2.0;
        group = group.add(label(CHART_LEFT - 8.0, middle, name, 12.0, "end"));
        for (bar, channel) in CHANNELS.iter().enumerate() {
            let key = (
                format!("p{producers}c{consumers}"),
                channel.to_string(),
                capacity.to_string(),
            );
            if let Some(samples) = results.get(&key) {
                let m = median(samples);
                group = group.add(
                    Rectangle::new()
                        .set("x", CHART_LEFT)
                        .set("y", y0 + bar as f64 * BAR)
                        .set("width", (bar_x(m) - CHART_LEFT).max(1.0))
                        .set("height", BAR - 1.0)
                        .set("fill", COLOURS[bar])
                        .add(Title::new(format!(
                            "{channel}, {producers}/{consumers}, {}: {}",
                            capacity_title(capacity),
                            time(m)
                        ))),
                );
            }
        }
    }
    group
}

/// The charts' legend: a colour per channel, four to a row.
fn chart_legend(height: f64) -> Group {
    let legend_top = height - LEGEND_HEIGHT + 10.0;
    let mut legend = Group::new().set("class", "legend");
    for (n, channel) in CHANNELS.iter().enumerate() {
        let (lx, ly) = (
            CHART_LEFT + (n % 4) as f64 * 190.0,
            legend_top + (n / 4) as f64 * 22.0,
        );
        legend = legend
            .add(
                Rectangle::new()
                    .set("x", lx)
                    .set("y", ly)
                    .set("width", 22)
                    .set("height", 12)
                    .set("fill", COLOURS[n]),
            )
            .add(label(
                lx + 28.0,
                ly + 11.0,
                channel.to_string(),
                13.0,
                "start",
            ));
    }
    legend
}

/// A label for a power of ten on the chart's axis.
pub fn tick(ns: f64) -> String {
    match ns {
        n if n >= 1e6 => format!("{} ms", n / 1e6),
        n if n >= 1e3 => format!("{} µs", n / 1e3),
        n => format!("{n} ns"),
    }
}

fn capacity_title(capacity: &str) -> String {
    match capacity {
        "unbounded" => "unbounded".to_string(),
        "0" => "capacity 0 (rendezvous)".to_string(),
        slots => format!("capacity {slots}"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
