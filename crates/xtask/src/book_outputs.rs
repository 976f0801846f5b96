//! `cargo xtask book-outputs`: every run the book shows
//! ([`harness::programs::BOOK_RUNS`]), made anew with its fixed seed,
//! checked, and written to `book/src/outputs/` by one writer; and the
//! table of what polling costs in `event_timeout`.

use std::fmt::Write;
use std::fs;
use std::path::Path;
use std::time::Instant;

use harness::Log;
use harness::check_printed;
use harness::programs::{BOOK_RUNS, BookRun, Shows, workspace_root};
use harness::timeline::Timeline;

use crate::perf;
use crate::programs::{build_programs, command, section};

/// Runs each of the book's programs, as a reader would, and writes what
/// the book shows of it. With `only`, just the runs whose file names start
/// with it.
pub fn write(only: Option<&str>) -> Result<(), String> {
    build_programs()?;
    let dir = workspace_root().join("book/src/outputs");
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let wanted = |file: &str| only.is_none_or(|prefix| file.starts_with(prefix));
    for run in BOOK_RUNS.iter().filter(|run| wanted(run.file)) {
        let started = Instant::now();
        let files = write_run(&dir, run)?;
        println!(
            "wrote book/src/outputs/{} ({:.1} s)",
            files.join(", "),
            started.elapsed().as_secs_f64()
        );
    }
    if wanted("event_timeout") {
        polling_costs(&dir)?;
    }
    Ok(())
}

/// Runs `run` and writes its files in `dir`; returns their names.
fn write_run(dir: &Path, run: &BookRun) -> Result<Vec<String>, String> {
    let section = section(run.program)?;
    let args: Vec<String> = run.args.split_whitespace().map(str::to_string).collect();
    let mut files = Vec::new();
    let mut put = |name: String, text: &str| -> Result<(), String> {
        fs::write(dir.join(&name), text).map_err(|e| format!("{name}: {e}"))?;
        files.push(name);
        Ok(())
    };
    let shown_command = command(&section, run.args);
    if run.shows == Shows::Console {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let path = harness::programs::path_of(&section);
        let ran = harness::run::program(&path, &args, crate::programs::RUN_BOUND)?;
        if !ran.status.is_some_and(|status| status.success()) {
            return Err(format!("{} failed: {:?}", run.program, ran.status));
        }
        let printed = [ran.stdout, ran.stderr].concat();
        let text = format!(
            "```console\n{shown_command}\n{}```\n",
            String::from_utf8_lossy(&printed)
        );
        put(format!("{}-report.md", run.file), &text)?;
        return Ok(files);
    }
    let config = harness::settings::parse(&section, args.iter().map(String::as_str))
        .map_err(|error| format!("{} {}: not a run: {error}", run.program, run.args))?;
    let log = Log::keeping();
    let (status, stderr) = harness::programs::watch_args(&section, &args, &log);
    let stderr = without_thread_numbers(&stderr);
    let timed = log.timed_events();
    let events: Vec<_> = timed.iter().map(|&(_, event)| event).collect();
    // What it printed: not the marks the harness learned elsewhere (a
    // panic's item, from stderr).
    let mut text = format!("{shown_command}\n");
    for event in events.iter().filter(|event| section.prints(event)) {
        let _ = writeln!(text, "{event}");
    }
    if run.shows == Shows::Lines {
        if !status.success() {
            return Err(format!("{} {} failed: {stderr}", run.program, run.args));
        }
        let verdict = check_printed(&section, &config, &events);
        if !verdict.is_ok() {
            return Err(format!(
                "{} {} broke the rules:\n{verdict}",
                run.program, run.args
            ));
        }
        put(format!("{}.txt", run.file), &text)?;
    } else {
        text.push_str(&stderr);
        put(format!("{}.log", run.file), &text)?;
    }
    let svg = Timeline::from_events(&section, &config, &timed).to_svg();
    put(format!("{}.svg", run.file), &svg)?;
    if !stderr.is_empty() {
        put(
            format!("{}-report.md", run.file),
            &format!("```console\n{stderr}```\n"),
        )?;
    }
    Ok(files)
}

/// `text` with the thread numbers of a panic's message ("thread 'main'
/// (4711) panicked at"), which change from run to run, shown as `(ID)`;
/// the book says so.
fn without_thread_numbers(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = match line.split_once("' (") {
            Some((name, rest)) if line.starts_with("thread '") => {
                let rest = rest.split_once(") ").map_or(rest, |(_, rest)| rest);
                format!("{name}' (ID) {rest}")
            }
            _ => line.to_string(),
        };
        let _ = writeln!(out, "{line}");
    }
    out
}

/// Measures what polling costs in `event_timeout` at its default settings
/// (items of half a second on average), with timeouts of 10, 100 and 1000
/// ms, and writes the table the book shows: medians over five seeds.
fn polling_costs(dir: &Path) -> Result<(), String> {
    let section = section("event_timeout")?;
    let mut table = String::from(
        "| timeout | idle wake-ups, all consumers | slowest stop after the flag |\n\
         |---|---|---|\n",
    );
    // The trade-off: a shorter timeout stops sooner and wakes more.
    for timeout_ms in [10, 100, 1000] {
        let mut wakeups = Vec::new();
        let mut latencies = Vec::new();
        for seed in 1..=5 {
            let config = section.settings(seed);
            let mut args = section.args(&config);
            args.push(format!("--timeout={timeout_ms}"));
            let log = Log::keeping();
            let (status, stderr) = harness::programs::watch_args(&section, &args, &log);
            if !status.success() {
                return Err(format!("event_timeout failed: {stderr}"));
            }
            let woke = stderr
                .split_whitespace()
                .find_map(|word| word.parse::<f64>().ok())
                .ok_or_else(|| format!("no count of wake-ups: {stderr}"))?;
            wakeups.push(woke);
            let stop = harness::programs::slowest_stop(&log.timed_events());
            latencies.push(stop.as_secs_f64() * 1000.0);
        }
        let _ = writeln!(
            table,
            "| {timeout_ms} ms | {:.0} | {:.0} ms |",
            perf::median(&wakeups),
            perf::median(&latencies)
        );
    }
    let file = dir.join("event_timeout-cost.md");
    fs::write(&file, table).map_err(|e| format!("{}: {e}", file.display()))?;
    println!("wrote book/src/outputs/event_timeout-cost.md");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_numbers_are_shown_as_id() {
        let stderr = "thread 'consumer 1' (4711) panicked at examples/x.rs:3:5:\nboom\n";
        assert_eq!(
            without_thread_numbers(stderr),
            "thread 'consumer 1' (ID) panicked at examples/x.rs:3:5:\nboom\n"
        );
    }
}
