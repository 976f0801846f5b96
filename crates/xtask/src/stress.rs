//! `cargo xtask stress`: every checked program at every capacity with
//! many threads and items, each run checked.

use std::fs;
use std::time::Instant;

use harness::programs::{checked, named};
use harness::{Log, Section, check};

use crate::build_programs;

/// Runs every section at capacities 0, 1, 64 and unbounded with many
/// threads and items, checks every run, and reports the time and the
/// process's peak memory.
/// Runs every section and example at every capacity with `threads`
/// producers and consumers (where it has several) and `total` items in
/// all per run; only the programs named in `only`, if any.
pub fn stress(threads: usize, total: usize, only: &[String]) -> Result<(), String> {
    if let Some(unknown) = only.iter().find(|name| named(name).is_none()) {
        return Err(format!("--only: no section or example named {unknown}"));
    }
    build_programs()?;
    let started = Instant::now();
    let mut items = 0;
    let chosen = |section: &Section| only.is_empty() || only.iter().any(|n| n == section.name);
    for section in checked() {
        if !chosen(&section) {
            continue;
        }
        for capacity in [Some(0), Some(1), Some(64), None] {
            let mut config = section.settings(items as u64);
            if section.producers.numbered() {
                config.producers = threads;
            }
            if section.consumers.numbered() {
                config.consumers = threads;
            }
            config.items = (total / config.producers).max(1);
            config.time_scale = 0.0;
            config.capacity = capacity;
            // The program's own limits (threads, items) apply here too.
            harness::settings::accepts(&section, &config)?;
            let clock = Instant::now();
            let log = Log::keeping();
            harness::programs::watch(&section, &config, &log)
                .map_err(|e| format!("{}: {e}", section.command(&config)))?;
            let verdict = check(&section, &config, &log.events());
            if !verdict.is_ok() {
                return Err(format!("{}:\n{verdict}", section.command(&config)));
            }
            items += harness::section::total_items(&config);
            println!(
                "{:<18} capacity {:<9} {:>4} producers {:>4} consumers {:>9} items: ok in {:.1} s",
                section.name,
                capacity.map_or("unbounded".to_string(), |c| c.to_string()),
                config.producers,
                config.consumers,
                harness::section::total_items(&config),
                clock.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "all ok: {items} items in {:.1} s; peak memory {}",
        started.elapsed().as_secs_f64(),
        peak_memory()
    );
    Ok(())
}

/// The process's peak resident memory, from Linux's /proc.
fn peak_memory() -> String {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .map(|line| line["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}
