//! The same workload as the channel benchmarks, in Python: `queue.Queue`
//! and `SimpleQueue`, timed by `benches/python/queue_throughput.py`.

use std::path::Path;
use std::process::{Command, Stdio};

use super::{CAPACITIES, Results, TOPOLOGIES};

/// Runs the Python workload at every topology and capacity it has, and
/// adds its samples to `results`.
pub fn throughput(root: &Path, results: &mut Results) -> Result<(), String> {
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
