//! The section programs, in Rust and in Python, against their ideal
//! makespan: how close each comes to a run with no overhead at all.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use harness::Log;
use harness::item::expected_items;

use super::json;
use crate::ideal::ideal_makespan;
use crate::programs::section;

/// Time scales for the makespan comparison: mean sleeps of 2, 10, 50 ms.
const TIME_SCALES: [f64; 3] = [0.004, 0.02, 0.1];
/// The seeds every section runs with, in each language.
pub const SEEDS: std::ops::RangeInclusive<u64> = 1..=5;

/// One section at one time scale: ideal/measured for each seed.
pub struct Efficiency {
    pub section: &'static str,
    pub time_scale: f64,
    pub rust: Vec<f64>,
    pub python: Vec<f64>,
}

/// Runs each section at each time scale and seed, in both languages.
pub fn measure(root: &Path) -> Result<Vec<Efficiency>, String> {
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
    command.stdout(Stdio::piped());
    let mut first = None;
    let mut last = None;
    let ran = harness::run::run(command, crate::programs::RUN_BOUND, |_| {
        let now = Instant::now();
        first.get_or_insert(now);
        last = Some(now);
    })?;
    match (ran.status, first, last) {
        (Some(status), Some(first), Some(last)) if status.success() => {
            Ok((last - first).as_secs_f64())
        }
        _ => Err(format!("the Python program failed: {:?}", ran.status)),
    }
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
}
