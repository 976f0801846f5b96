//! The report's markdown: time per message, batches against a ring
//! buffer, the section programs against their ideal, and the targets.

use std::fmt::Write as _;
use std::fs;
use std::process::Command;

use super::efficiency::{Efficiency, SEEDS};
use super::{CAPACITIES, CHANNELS, Results, TOPOLOGIES, median, min_max, time};

/// A range of times in one unit, the unit of the larger: `14.9–39.1 µs`.
pub fn range(min: f64, max: f64) -> String {
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

/// The whole report: where it was measured, then every table.
pub fn markdown(results: &Results, efficiency: &[Efficiency], minutes: f64) -> String {
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
