//! `cargo xtask exercise`: the list of exercises with the learner's
//! progress, the next one to do, or the grading of one (once, on every
//! save with `--watch`, or one run over and over with `--until-fails`).

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use harness::grading::{EXERCISES, Exercise, build, folder, grade, named, runs};

/// `cargo xtask exercise`'s flags.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The exercise to grade, or `next`; without it, the list and your
    /// progress
    name: Option<String>,
    /// Grades the solution instead of your file
    #[arg(long)]
    solution: bool,
    /// Grades again each time the exercise's file is saved (Ctrl-C stops)
    #[arg(long, conflicts_with_all = ["hint", "until_fails"])]
    watch: bool,
    /// Shows the exercise's hint
    #[arg(long)]
    hint: bool,
    /// Runs the program with these flags until a run fails (at most 500
    /// times): for a failure that depends on timing
    #[arg(long, num_args = 0.., allow_hyphen_values = true, value_name = "FLAGS")]
    until_fails: Option<Vec<String>>,
}

/// What `args` asks for.
pub fn exercise(args: &Args) -> Result<(), String> {
    let Some(name) = args.name.as_deref() else {
        list();
        return Ok(());
    };
    if name == "next" {
        next();
        return Ok(());
    }
    let exercise = named(name).ok_or_else(|| {
        let names: Vec<&str> = EXERCISES.iter().map(|e| e.name).collect();
        format!(
            "no exercise {name}; there are: {}, and next",
            names.join(", ")
        )
    })?;
    if args.hint {
        let hint = folder().join(name).join("hint.md");
        let text = fs::read_to_string(&hint).map_err(|e| format!("{}: {e}", hint.display()))?;
        print!("{text}");
        return Ok(());
    }
    if let Some(flags) = &args.until_fails {
        return until_fails(&exercise, args.solution, flags);
    }
    if args.watch {
        return watch(&exercise, args.solution);
    }
    graded(&exercise, args.solution)
}

/// Grades `exercise` once, prints the result, and keeps it as progress.
fn graded(exercise: &Exercise, solution: bool) -> Result<(), String> {
    let name = exercise.name;
    let what = if solution { "solution" } else { "exercise" };
    println!(
        "grading the {what} {name} (exercises/{name}/{}): {} runs",
        if solution {
            "solution.rs"
        } else {
            "exercise.rs"
        },
        runs(exercise).len(),
    );
    let result = build(exercise, solution).and_then(|exe| grade(exercise, &exe, solution));
    if !solution {
        keep(exercise, result.is_ok());
    }
    let passed = result?;
    println!("{name}: all {passed} runs kept every rule. Solved.");
    if !solution && let Some(next) = next_to_do() {
        println!("Next: cargo xtask exercise {}", next.name);
    }
    Ok(())
}

/// Grades `exercise` now and again each time a file in its folder
/// changes, until Ctrl-C.
fn watch(exercise: &Exercise, solution: bool) -> Result<(), String> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| e.kind.is_modify() || e.kind.is_create()) {
            let _ = tx.send(());
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let dir = folder().join(exercise.name);
    watcher
        .watch(&dir, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    loop {
        // As a single grading says it (`xtask: ...`), on standard output:
        // the report is what the watch is for.
        if let Err(why) = graded(exercise, solution) {
            println!("xtask: {why}");
        }
        println!(
            "\nwatching exercises/{}/ for changes (Ctrl-C stops)",
            exercise.name
        );
        // One grading per save, however many events an editor makes.
        rx.recv().map_err(|_| "the watcher stopped".to_string())?;
        while rx.recv_timeout(Duration::from_millis(300)).is_ok() {}
        println!("\n----");
    }
}

/// Runs the program with `flags` again and again, until a run fails.
fn until_fails(exercise: &Exercise, solution: bool, flags: &[String]) -> Result<(), String> {
    let exe = build(exercise, solution)?;
    // `--until-fails -- FLAGS` hands the `--` on too.
    let flags: Vec<String> = flags.iter().filter(|f| *f != "--").cloned().collect();
    let tries = 500;
    for n in 1..=tries {
        if let Err(why) = harness::grading::run_with(exercise, &exe, &flags) {
            return Err(format!("run {n} failed: {why}"));
        }
    }
    println!("{tries} runs with these flags kept every rule");
    Ok(())
}

/// Where progress is kept: a line per exercise graded, its state and the
/// file's fingerprint when it was graded.
fn progress_file() -> PathBuf {
    folder().join("../target/exercises/progress")
}

/// The fingerprint of the learner's file of `exercise`, as it is now.
fn fingerprint(exercise: &Exercise) -> Option<u64> {
    let text = fs::read(folder().join(exercise.name).join("exercise.rs")).ok()?;
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    Some(hasher.finish())
}

/// Keeps the grading of `exercise`'s file as it is now.
fn keep(exercise: &Exercise, solved: bool) {
    keep_in(&progress_file(), exercise, solved, fingerprint(exercise));
}

/// Keeps in `path` the grading of `exercise`, whose file had `print`.
fn keep_in(path: &std::path::Path, exercise: &Exercise, solved: bool, print: Option<u64>) {
    let old = fs::read_to_string(path).unwrap_or_default();
    let mut lines: Vec<String> = old
        .lines()
        .filter(|line| line.split('\t').next() != Some(exercise.name))
        .map(str::to_string)
        .collect();
    let state = if solved { "solved" } else { "not solved" };
    let print = print.unwrap_or(0);
    lines.push(format!("{}\t{state}\t{print}", exercise.name));
    if let Some(dir) = path.parent() {
        let _ = fs::create_dir_all(dir);
    }
    let _ = fs::write(path, lines.join("\n") + "\n");
}

/// The state of `exercise` as progress keeps it: `solved`, `not solved`,
/// `not tried`, or `edited` if the file changed since its grading.
fn state(exercise: &Exercise) -> &'static str {
    state_in(&progress_file(), exercise, fingerprint(exercise))
}

/// The state of `exercise` as `path` keeps it, its file now having
/// `print`.
fn state_in(path: &std::path::Path, exercise: &Exercise, print: Option<u64>) -> &'static str {
    let kept = fs::read_to_string(path).unwrap_or_default();
    let Some(line) = kept
        .lines()
        .find(|line| line.split('\t').next() == Some(exercise.name))
    else {
        return "not tried";
    };
    let fields: Vec<&str> = line.split('\t').collect();
    let same = fields.get(2).and_then(|f| f.parse().ok()) == print;
    match (fields.get(1).copied(), same) {
        (_, false) => "edited",
        (Some("solved"), true) => "solved",
        _ => "not solved",
    }
}

/// The first exercise, in the book's order, not solved yet.
fn next_to_do() -> Option<Exercise> {
    EXERCISES.into_iter().find(|e| state(e) != "solved")
}

/// Names the next exercise to do, and what it practises.
fn next() {
    if let Some(e) = next_to_do() {
        println!(
            "next: {} ({}; level {} of 3; {})\n  cargo xtask exercise {} --watch",
            e.name,
            e.practises,
            e.level,
            state(&e),
            e.name
        );
    } else {
        println!("every exercise is solved");
    }
}

/// Each exercise in the book's order, what it practises, its level and
/// its state, from the progress kept (nothing is graded here).
fn list() {
    let rows: Vec<[String; 5]> = EXERCISES
        .iter()
        .map(|e| {
            [
                e.name.to_string(),
                state(e).to_string(),
                format!("{}/3", e.level),
                e.practises.to_string(),
                format!("book/src/{}", e.chapter),
            ]
        })
        .collect();
    let header = ["exercise", "state", "level", "practises", "chapter"].map(str::to_string);
    let widths: Vec<usize> = (0..5)
        .map(|c| {
            std::iter::once(&header)
                .chain(&rows)
                .map(|row| row[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
    let solved = EXERCISES.iter().filter(|e| state(e) == "solved").count();
    println!("\n{solved} of {} solved.", EXERCISES.len());
    println!(
        "Grade one: cargo xtask exercise NAME (--watch to grade on every save, --hint for a hint)"
    );
    if let Some(next) = next_to_do() {
        println!("Next:      cargo xtask exercise {}", next.name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_kept_per_exercise_and_forgotten_when_the_file_changes() {
        let dir = tempfile::tempdir().expect("a scratch folder");
        let path = dir.path().join("progress");
        let [first, second, ..] = EXERCISES;
        assert_eq!(state_in(&path, &first, Some(1)), "not tried");
        keep_in(&path, &first, false, Some(1));
        assert_eq!(state_in(&path, &first, Some(1)), "not solved");
        keep_in(&path, &first, true, Some(1));
        keep_in(&path, &second, true, Some(2));
        assert_eq!(state_in(&path, &first, Some(1)), "solved");
        assert_eq!(state_in(&path, &second, Some(2)), "solved");
        // Edited since: graded again before it counts.
        assert_eq!(state_in(&path, &first, Some(3)), "edited");
        let kept = fs::read_to_string(&path).expect("the file");
        assert_eq!(kept.lines().count(), 2, "one line per exercise: {kept}");
    }
}
