//! `cargo xtask stress`: every checked program at every capacity with
//! many threads and items, each run checked, and the most memory a
//! program took.

use std::process::Command;
use std::time::Instant;

use harness::programs::{checked, named};
use harness::{Log, Section, check};
use nix::sys::resource::{UsageWho, getrusage};

use crate::programs::build_programs;

/// How large the runs are, and which programs they take.
#[derive(clap::Args)]
pub struct Args {
    /// Producers and consumers, where a program has several
    #[arg(long, value_name = "N", default_value_t = 500)]
    threads: usize,
    /// Items in all, per run
    #[arg(long, value_name = "N", default_value_t = 2_000_000)]
    items: usize,
    /// Only these programs
    #[arg(long, value_name = "NAME,...", value_delimiter = ',')]
    only: Vec<String>,
}

/// Builds the programs, then runs them from a second process of this
/// tool (`stress-runs`). The kernel keeps, for each process, the peak
/// memory of the largest child it has waited for, and cargo, which builds
/// the programs, is a child too: at a few hundred megabytes, it would
/// hide theirs.
pub fn stress(args: &Args) -> Result<(), String> {
    if let Some(unknown) = args.only.iter().find(|name| named(name).is_none()) {
        return Err(format!("--only: no section or example named {unknown}"));
    }
    build_programs()?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this tool: {e}"))?;
    let mut runs = Command::new(exe);
    runs.arg("stress-runs")
        .arg(format!("--threads={}", args.threads))
        .arg(format!("--items={}", args.items));
    if !args.only.is_empty() {
        runs.arg(format!("--only={}", args.only.join(",")));
    }
    let status = runs
        .status()
        .map_err(|e| format!("cannot start the runs: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("the runs failed (see above)".to_string())
    }
}

/// Runs every section and example at capacities 0, 1, 64 and unbounded
/// with `threads` producers and consumers (where it has several) and
/// `items` items in all per run, only the programs named in `only` if
/// any, and checks every run. Reports the time, and the peak memory of
/// the largest program and of this process, which keeps every event.
pub fn runs(args: &Args) -> Result<(), String> {
    let (threads, total, only) = (args.threads, args.items, &args.only);
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
            let args = section.args(&config);
            let (status, stderr) =
                harness::programs::watch_within(&section, &args, &log, crate::programs::RUN_BOUND)?;
            if !status.success() {
                return Err(format!("{}: {status}: {stderr}", section.command(&config)));
            }
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
        "all ok: {items} items in {:.1} s; peak resident memory: {} for the largest \
         program run, {} for this tool (it keeps every event)",
        started.elapsed().as_secs_f64(),
        peak_memory(UsageWho::RUSAGE_CHILDREN),
        peak_memory(UsageWho::RUSAGE_SELF)
    );
    Ok(())
}

/// The peak resident memory, as the kernel accounts for it, of this
/// process (`RUSAGE_SELF`) or of the largest of the children it has
/// waited for (`RUSAGE_CHILDREN`): here, the programs it ran.
fn peak_memory(who: UsageWho) -> String {
    // Linux counts it in KiB.
    getrusage(who).map_or_else(
        |_| "unknown".to_string(),
        |usage| format!("{:.1} MB", usage.max_rss() as f64 / 1024.0),
    )
}
