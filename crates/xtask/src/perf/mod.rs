//! `cargo xtask perf-report`: runs the channel benchmarks, the same
//! workload in Python, and the section programs against their ideal
//! makespan, then writes the book's Performance report.
//!
//! One file per job: `criterion.rs` reads the benchmarks' results,
//! `python.rs` runs the same workload in Python, `efficiency.rs` times the
//! section programs against their ideal, `tables.rs` writes the report's
//! tables and `chart.rs` its chart. This file runs them in order, and
//! holds what several of them use.

mod chart;
mod criterion;
mod efficiency;
mod python;
mod tables;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use harness::programs::workspace_root;

pub use chart::blank_chart;

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

/// Nanoseconds per message, one number per sample or repeat.
type Samples = Vec<f64>;

/// `(group, channel, parameter)` -> samples, from criterion's JSON files.
type Results = BTreeMap<(String, String, String), Samples>;

pub fn report() -> Result<(), String> {
    crate::programs::build_programs()?;
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
    let mut results = criterion::read(&criterion_dir)?;

    eprintln!("perf-report: the same workload in Python");
    python::throughput(&root, &mut results)?;

    eprintln!("perf-report: the section programs against their ideal makespan");
    let efficiency = efficiency::measure(&root)?;

    let minutes = started.elapsed().as_secs_f64() / 60.0;
    let markdown = tables::markdown(&results, &efficiency, minutes);
    // The targets are the project's own bookkeeping, for whoever runs the
    // report, not a lesson: they are printed, and kept out of the book.
    let (report, targets) = markdown
        .split_once("\n### Targets\n")
        .unwrap_or((markdown.as_str(), ""));
    fs::write(out_dir.join("report.md"), report).map_err(|e| e.to_string())?;
    fs::write(out_dir.join("channels.svg"), chart::chart(&results)).map_err(|e| e.to_string())?;
    println!("{report}\nTargets:\n{targets}");
    eprintln!(
        "perf-report: wrote book/src/performance/report.md and channels.svg ({minutes:.1} min)"
    );
    Ok(())
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

fn json(path: &Path) -> Result<serde_json::Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
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

#[cfg(test)]
mod tests {
    use super::*;
    use chart::tick;
    use tables::range;

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
