//! `cargo xtask soak`: every checked program run many times with small
//! settings, at `--time-scale 0`, each output checked.

use std::time::Instant;

use harness::check_printed;
use harness::events::parse_output;
use harness::programs::{checked, path_of};
use harness::run::HANG_BOUND;
use harness::settings::parse;

use crate::programs::build_programs;

/// Runs every section's real program, and the examples with the same
/// shape, `runs` times each, and checks each output. The programs are
/// built in this tool's own profile and found next to it, as the rest of
/// xtask finds them, so in whatever folder cargo builds into
/// (`CARGO_TARGET_DIR` included).
pub fn soak(runs: u64) -> Result<(), String> {
    build_programs()?;
    let capacities = ["", "--capacity 0", "--capacity 1", "--capacity 64"];
    for section in checked() {
        let exe = path_of(&section);
        let started = Instant::now();
        let mut lines = 0;
        for round in 0..runs {
            let args = format!(
                "--seed {round} --time-scale 0 {}",
                capacities[round as usize % capacities.len()]
            );
            let args: Vec<&str> = args.split_whitespace().collect();
            let config = parse(&section, args.iter().copied())
                .map_err(|error| format!("{args:?} is not a run: {error}"))?;
            let ran = harness::run::program(&exe, &args, HANG_BOUND)?;
            match ran.status {
                Some(status) if status.success() => {}
                Some(status) => return Err(format!("{} {args:?} failed: {status}", section.name)),
                None => return Err(format!("{} {args:?} hung", section.name)),
            }
            let stdout = ran.stdout_text();
            let events =
                parse_output(&stdout).map_err(|e| format!("{} {args:?}: {e}", section.name))?;
            let verdict = check_printed(&section, &config, &events);
            if !verdict.is_ok() {
                return Err(format!(
                    "{} {args:?} broke the rules:\n{verdict}",
                    section.name
                ));
            }
            lines += events.len();
        }
        println!(
            "{}: {runs} runs, {lines} lines checked, all ok ({:.1} s)",
            section.name,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
