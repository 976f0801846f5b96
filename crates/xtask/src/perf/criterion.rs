//! The channel benchmarks' results, read from the JSON files criterion
//! writes: time per message, one number per sample.

use std::fs;
use std::path::Path;

use super::{Results, json};

/// Every benchmark's samples under `dir`, by `(group, channel, parameter)`.
pub fn read(dir: &Path) -> Result<Results, String> {
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
