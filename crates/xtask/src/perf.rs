//! `cargo xtask perf-report`: runs the channel benchmarks, the same
//! workload in Python, and the section programs against their ideal
//! makespan, then writes the book's Performance report.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use harness::Log;
use harness::item::expected_items;
use svg::Document;
use svg::node::element::{Group, Line, Rectangle, Text, Title};

use crate::ideal::ideal_makespan;
use crate::{section, workspace_root};

/// Topologies and capacities, as in `benches/channels.rs`.
const TOPOLOGIES: [(usize, usize); 5] = [(1, 1), (2, 1), (1, 2), (2, 2), (4, 4)];
const CAPACITIES: [&str; 5] = ["0", "1", "64", "1024", "unbounded"];
/// Columns of the throughput table, in order.
const CHANNELS: [&str; 7] = [
    "flume",
    "std mpsc",
    "crossbeam-channel",
    "kanal",
    "Mutex+Condvar queue",
    "Python Queue",
    "Python SimpleQueue",
];
/// Time scales for the makespan comparison: mean sleeps of 2, 10, 50 ms.
const TIME_SCALES: [f64; 3] = [0.004, 0.02, 0.1];
const SEEDS: std::ops::RangeInclusive<u64> = 1..=5;

/// Nanoseconds per message, one number per sample or repeat.
type Samples = Vec<f64>;

pub fn report() -> Result<(), String> {
    crate::build_programs()?;
    let started = Instant::now();
    let root = workspace_root();
    let out_dir = root.join("book/src/performance");
    fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;

    eprintln!("perf-report: cargo bench --bench channels (a few minutes)");
    let criterion_dir = target_dir(&root).join("criterion");
    let _ = fs::remove_dir_all(&criterion_dir); // Only this run's results.
    let log_path = target_dir(&root).join("perf-bench.log");
    let log = fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["bench", "--quiet", "--bench", "channels"])
        .current_dir(&root)
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err(format!("cargo bench failed; see {}", log_path.display()));
    }
    let mut results = read_criterion(&criterion_dir)?;

    eprintln!("perf-report: the same workload in Python");
    python_throughput(&root, &mut results)?;

    eprintln!("perf-report: the section programs against their ideal makespan");
    let efficiency = efficiency(&root)?;

    let minutes = started.elapsed().as_secs_f64() / 60.0;
    let markdown = markdown(&results, &efficiency, minutes);
    // The targets are the project's own bookkeeping, for whoever runs the
    // report, not a lesson: they are printed, and kept out of the book.
    let (report, targets) = markdown
        .split_once("\n### Targets\n")
        .unwrap_or((markdown.as_str(), ""));
    fs::write(out_dir.join("report.md"), report).map_err(|e| e.to_string())?;
    fs::write(out_dir.join("channels.svg"), chart(&results)).map_err(|e| e.to_string())?;
    println!("{report}\nTargets:\n{targets}");
    eprintln!(
        "perf-report: wrote book/src/performance/report.md and channels.svg ({minutes:.1} min)"
    );
    Ok(())
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// `(group, channel, parameter)` -> samples, from criterion's JSON files.
type Results = BTreeMap<(String, String, String), Samples>;

fn read_criterion(dir: &Path) -> Result<Results, String> {
    let mut results = Results::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.ends_with("new/benchmark.json") {
                let id = json(&path)?;
                let sample = json(&path.with_file_name("sample.json"))?;
                let field = |name: &str| id[name].as_str().unwrap_or_default().to_string();
                let numbers = |name: &str| -> Vec<f64> {
                    sample[name]
                        .as_array()
                        .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
                        .unwrap_or_default()
                };
                let per_message = numbers("times")
                    .iter()
                    .zip(numbers("iters"))
                    .map(|(time, iters)| time / iters)
                    .collect();
                results.insert(
                    (field("group_id"), field("function_id"), field("value_str")),
                    per_message,
                );
            }
        }
    }
    if results.is_empty() {
        return Err(format!("no benchmark results in {}", dir.display()));
    }
    Ok(results)
}

fn json(path: &Path) -> Result<serde_json::Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn python_throughput(root: &Path, results: &mut Results) -> Result<(), String> {
    let script = root.join("benches/python/queue_throughput.py");
    for (producers, consumers) in TOPOLOGIES {
        let group = format!("p{producers}c{consumers}");
        for capacity in &CAPACITIES[1..] {
            let mut kinds = vec!["Queue"];
            if *capacity == "unbounded" {
                kinds.push("SimpleQueue");
            }
            for kind in kinds {
                // A one-slot queue hands over one message per thread switch,
                // tens of microseconds each in Python: send fewer.
                let messages = if *capacity == "1" { "2000" } else { "20000" };
                let output = Command::new("python3")
                    .arg(&script)
                    .args([
                        "--kind",
                        kind,
                        "--capacity",
                        capacity,
                        "--messages",
                        messages,
                    ])
                    .args([
                        "--producers",
                        &producers.to_string(),
                        "--consumers",
                        &consumers.to_string(),
                    ])
                    .args(["--repeats", "5"])
                    .stderr(Stdio::inherit())
                    .output()
                    .map_err(|e| format!("cannot run python3: {e}"))?;
                if !output.status.success() {
                    return Err(format!("{} failed", script.display()));
                }
                let value: serde_json::Value = serde_json::from_slice(&output.stdout)
                    .map_err(|e| format!("python output: {e}"))?;
                let samples = value["ns_per_message"]
                    .as_array()
                    .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
                    .unwrap_or_default();
                let key = (
                    group.clone(),
                    format!("Python {kind}"),
                    capacity.to_string(),
                );
                results.insert(key, samples);
            }
        }
    }
    Ok(())
}

/// One section at one time scale: ideal/measured for each seed.
struct Efficiency {
    section: &'static str,
    time_scale: f64,
    rust: Vec<f64>,
    python: Vec<f64>,
}

fn efficiency(root: &Path) -> Result<Vec<Efficiency>, String> {
    let script = root.join("benches/python/sections.py");
    // Where the Python program writes each run's values; removed on drop.
    let json_file = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    let json_path = json_file.path();
    let mut rows = Vec::new();
    for name in ["one-one", "many-one", "one-many", "many-many"] {
        let section = section(name)?;
        for time_scale in TIME_SCALES {
            let mut rust = Vec::new();
            let mut python = Vec::new();
            for seed in SEEDS {
                let mut config = section.settings(seed);
                config.time_scale = time_scale;
                let values: Vec<Vec<f64>> = (0..config.producers)
                    .map(|p| {
                        let items = expected_items(seed, p, config.items);
                        items.iter().map(|item| item.value * time_scale).collect()
                    })
                    .collect();
                let ideal = ideal_makespan(&values, config.consumers, config.capacity);
                // Both languages are timed the same way, from outside: from
                // the arrival of a run's first line to that of its last, so
                // that neither pays for starting its process.
                let log = Log::keeping();
                harness::programs::watch(&section, &config, &log).map_err(|e| e.to_string())?;
                let timed = log.timed_events();
                let (first, last) = (timed[0].0, timed[timed.len() - 1].0);
                rust.push(ideal / last.checked_sub(first).unwrap().as_secs_f64());

                let mut python_run = Command::new("python3");
                python_run
                    .arg("-u") // Each line as it is printed, not at the end.
                    .arg(&script)
                    .args(["--section", name, "--seed", &seed.to_string()])
                    .args(["--time-scale", &time_scale.to_string()])
                    .arg("--json")
                    .arg(json_path);
                let measured = first_to_last_line(python_run)?;
                let run = json(json_path)?;
                let values: Vec<Vec<f64>> = run["values"]
                    .as_array()
                    .map(|producers| {
                        producers
                            .iter()
                            .map(|p| {
                                let items = p.as_array().cloned().unwrap_or_default();
                                items
                                    .iter()
                                    .filter_map(serde_json::Value::as_f64)
                                    .map(|v| v * time_scale)
                                    .collect()
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let ideal = ideal_makespan(&values, config.consumers, None);
                python.push(ideal / measured);
            }
            rows.push(Efficiency {
                section: section.name,
                time_scale,
                rust,
                python,
            });
        }
    }
    Ok(rows)
}

/// Runs `command`, and returns the seconds from the arrival of the first
/// line it prints to that of its last.
fn first_to_last_line(mut command: Command) -> Result<f64, String> {
    use std::io::{BufRead, BufReader};
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    let stdout = child.stdout.take().expect("a piped stdout");
    let mut first = None;
    let mut last = None;
    for line in BufReader::new(stdout).lines() {
        line.map_err(|e| e.to_string())?;
        let now = Instant::now();
        first.get_or_insert(now);
        last = Some(now);
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    match (status.success(), first, last) {
        (true, Some(first), Some(last)) => Ok((last - first).as_secs_f64()),
        _ => Err("the Python program failed".to_string()),
    }
}

pub fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => f64::midpoint(sorted[n / 2 - 1], sorted[n / 2]),
    }
}

fn min_max(samples: &[f64]) -> (f64, f64) {
    let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let max = samples.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (min, max)
}

pub fn time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns >= 10.0 {
        format!("{ns:.0} ns")
    } else {
        format!("{ns:.2} ns")
    }
}

/// A range of times in one unit, the unit of the larger: `14.9–39.1 µs`.
fn range(min: f64, max: f64) -> String {
    let (scale, unit) = match max {
        m if m >= 1e6 => (1e6, "ms"),
        m if m >= 1e3 => (1e3, "µs"),
        _ => (1.0, "ns"),
    };
    let number = |v: f64| {
        let v = v / scale;
        if v >= 10.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    };
    format!("{}–{}&nbsp;{unit}", number(min), number(max))
}

/// A label for a power of ten on the chart's axis.
fn tick(ns: f64) -> String {
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

fn machine() -> String {
    let run = |program: &str, args: &[&str]| {
        Command::new(program).args(args).output().ok().map_or_else(
            || "unknown".to_string(),
            |o| String::from_utf8_lossy(&o.stdout).trim().to_string(),
        )
    };
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let python = run("python3", &["--version"]);
    format!(
        "{cores} cores ({cpu}), {}, {}, {python}, {}",
        run("uname", &["-sr"]),
        run("rustc", &["--version"]),
        run("date", &["-u", "+%Y-%m-%d"]),
    )
}

fn markdown(results: &Results, efficiency: &[Efficiency], minutes: f64) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "<!-- Written by `cargo xtask perf-report`; run it again rather than editing. -->\n"
    );
    let _ = writeln!(
        md,
        "Measured on: {}. The whole report took {minutes:.1} minutes.\n",
        machine()
    );

    md.push_str(&times_table(results));
    let (table, batches) = batches_table(results);
    md.push_str(&table);
    md.push_str(&efficiency_table(efficiency));
    md.push_str(&targets_table(results, &batches, efficiency, minutes));
    md
}

/// The table of time per message: a row per topology and capacity, a
/// column per channel.
fn times_table(results: &Results) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "### Time per message\n\nMedian time per message over criterion's samples \
         (Python: over 5 repeats), the range from fastest to slowest sample under it, \
         and how many times slower than the fastest in its row.\n"
    );
    let _ = writeln!(md, "| threads, capacity | {} |", CHANNELS.join(" | "));
    let _ = writeln!(md, "|---|{}", "---|".repeat(CHANNELS.len()));
    for (producers, consumers) in TOPOLOGIES {
        let group = format!("p{producers}c{consumers}");
        for capacity in CAPACITIES {
            let medians: Vec<Option<f64>> = CHANNELS
                .iter()
                .map(|channel| {
                    results
                        .get(&(group.clone(), channel.to_string(), capacity.to_string()))
                        .map(|samples| median(samples))
                })
                .collect();
            let best = medians
                .iter()
                .flatten()
                .copied()
                .fold(f64::INFINITY, f64::min);
            let mut row = format!("| {producers}/{consumers}, {capacity} |");
            for (channel, median) in CHANNELS.iter().zip(&medians) {
                match median {
                    None => row.push_str(" n/a |"),
                    Some(m) => {
                        let samples =
                            &results[&(group.clone(), channel.to_string(), capacity.to_string())];
                        let (min, max) = min_max(samples);
                        let ratio = m / best;
                        let shown = if ratio < 1.05 {
                            format!("**{}**", time(*m).replace(' ', "&nbsp;"))
                        } else {
                            let ratio = if ratio < 10.0 {
                                format!("{ratio:.1}")
                            } else {
                                format!("{ratio:.0}")
                            };
                            format!("{}&nbsp;×{ratio}", time(*m).replace(' ', "&nbsp;"))
                        };
                        let _ = write!(row, " {shown}<br>{} |", range(min, max));
                    }
                }
            }
            let _ = writeln!(md, "{row}");
        }
    }
    let _ = writeln!(
        md,
        "\nThreads: producers/consumers. 4/4 runs eight threads on this machine's cores: it measures oversubscription as \
         much as the channels. `std mpsc` has a single receiver; with several consumers \
         they share it behind a `Mutex`. n/a: the Mutex+Condvar queue, like Python's \
         queues, has no capacity 0 (`maxsize=0` means unbounded), and `SimpleQueue` is \
         always unbounded.\n"
    );

    md
}

/// Batches of flume against the ring buffer, and each batch size's share
/// of the ring buffer's throughput.
fn batches_table(results: &Results) -> (String, Vec<f64>) {
    let mut md = String::new();
    let _ = writeln!(md, "### Batches against a ring buffer\n");
    let _ = writeln!(
        md,
        "| 1 producer, 1 consumer | time per number | of the ring buffer's throughput |"
    );
    let _ = writeln!(md, "|---|---|---|");
    let ring = results
        .get(&("batching".into(), "rtrb ring buffer".into(), "1".into()))
        .map(|s| median(s));
    let mut batches = Vec::new();
    for batch in ["16", "256", "4096"] {
        if let Some(samples) =
            results.get(&("batching".into(), "flume Vec batches".into(), batch.into()))
        {
            let m = median(samples);
            let share = ring.map_or(f64::NAN, |r| r / m);
            batches.push(share);
            let _ = writeln!(
                md,
                "| flume, batches of {batch} | {} | {:.0}% |",
                time(m),
                share * 100.0
            );
        }
    }
    if let Some(r) = ring {
        let _ = writeln!(
            md,
            "| rtrb ring buffer, one at a time | {} | 100% |",
            time(r)
        );
    }

    (md, batches)
}

/// The section programs against their ideal, in Rust and in Python.
fn efficiency_table(efficiency: &[Efficiency]) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "\n### The section programs against their ideal\n\nIdeal makespan divided by \
         measured makespan (1 is perfect), median and range over seeds {}–{}. The ideal \
         replays the run's own sleeps with no overhead. Both programs are timed from \
         outside, from the arrival of their first line to that of their last.\n",
        SEEDS.start(),
        SEEDS.end()
    );
    let _ = writeln!(md, "| program | mean sleep | Rust | Python |");
    let _ = writeln!(md, "|---|---|---|---|");
    for row in efficiency {
        let cell = |samples: &[f64]| {
            let (min, max) = min_max(samples);
            format!("{:.3}<br>{min:.3}–{max:.3}", median(samples))
        };
        let _ = writeln!(
            md,
            "| {} | {} ms | {} | {} |",
            row.section,
            row.time_scale * 500.0,
            cell(&row.rust),
            cell(&row.python)
        );
    }

    md
}

/// The targets, each measured and marked met or missed.
fn targets_table(
    results: &Results,
    batches: &[f64],
    efficiency: &[Efficiency],
    minutes: f64,
) -> String {
    let mut md = String::new();
    let get = |group: &str, channel: &str, capacity: &str| {
        results
            .get(&(group.into(), channel.into(), capacity.into()))
            .map_or(f64::NAN, |s| median(s))
    };
    let python = get("p1c1", "Python Queue", "1024");
    let flume = python / get("p1c1", "flume", "1024");
    let best_rust = CHANNELS[..5]
        .iter()
        .map(|c| python / get("p1c1", c, "1024"))
        .fold(0.0, f64::max);
    let best_batch = batches.iter().copied().fold(0.0, f64::max);
    let at_10ms: Vec<&Efficiency> = efficiency.iter().filter(|e| e.time_scale == 0.02).collect();
    let worst_rust = at_10ms
        .iter()
        .map(|e| median(&e.rust))
        .fold(f64::INFINITY, f64::min);
    let beats_python = at_10ms.iter().all(|e| median(&e.rust) > median(&e.python));
    let mark = |ok: bool| if ok { "met" } else { "**missed**" };
    let _ = writeln!(md, "\n### Targets\n");
    let _ = writeln!(md, "| target | measured | |\n|---|---|---|");
    let _ = writeln!(
        md,
        "| flume at least 15x faster than `queue.Queue` (1/1, capacity 1024) | {flume:.1}x | {} |",
        mark(flume >= 15.0)
    );
    let _ = writeln!(
        md,
        "| the best Rust channel at least 50x faster | {best_rust:.1}x | {} |",
        mark(best_rust >= 50.0)
    );
    let _ = writeln!(
        md,
        "| batched flume at least a third of the ring buffer | {:.0}% | {} |",
        best_batch * 100.0,
        mark(best_batch >= 1.0 / 3.0)
    );
    let _ = writeln!(
        md,
        "| every section at least 0.97 of ideal at 10 ms mean sleep | {worst_rust:.3} (lowest median) | {} |",
        mark(worst_rust >= 0.97)
    );
    let _ = writeln!(
        md,
        "| and above the Python programs | {} | {} |",
        if beats_python {
            "above in every section"
        } else {
            "not in every section"
        },
        mark(beats_python)
    );
    let _ = writeln!(
        md,
        "| the report in under 10 minutes | {minutes:.1} min | {} |",
        mark(minutes < 10.0)
    );
    md
}

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
fn chart(results: &Results) -> String {
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use harness::testing::run_kept;

    /// No real run can beat the ideal: if one did, the model would be wrong.
    #[test]
    fn real_runs_never_beat_the_ideal() {
        for name in ["one-one", "many-one", "one-many", "many-many"] {
            let section = section(name).unwrap();
            for (seed, capacity) in [
                (1, Some(0)),
                (2, Some(0)),
                (3, Some(1)),
                (4, Some(1)),
                (5, None),
            ] {
                let mut config = section.settings(seed);
                config.time_scale = 0.005;
                config.capacity = capacity;
                let values: Vec<Vec<f64>> = (0..config.producers)
                    .map(|p| {
                        let items = expected_items(seed, p, config.items);
                        items
                            .iter()
                            .map(|item| item.value * config.time_scale)
                            .collect()
                    })
                    .collect();
                let ideal = ideal_makespan(&values, config.consumers, capacity);
                let clock = Instant::now();
                run_kept(&section, &config);
                let measured = clock.elapsed().as_secs_f64();
                assert!(
                    measured >= ideal,
                    "{name} {capacity:?}: {measured} beat the ideal {ideal}"
                );
            }
        }
    }

    #[test]
    fn times_read_well() {
        assert_eq!(time(0.62), "0.62 ns");
        assert_eq!(time(27.4), "27 ns");
        assert_eq!(time(32_600.0), "32.6 µs");
        assert_eq!(tick(1e3), "1 µs");
        assert_eq!(range(14_900.0, 39_100.0), "15–39&nbsp;µs");
        assert_eq!(range(368.0, 425.0), "368–425&nbsp;ns");
        assert_eq!(range(0.5, 2.5), "0.5–2.5&nbsp;ns");
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
