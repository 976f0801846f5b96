//! `cargo xtask exercise NAME --watch` grades the exercise, then again
//! each time a file of its folder changes: tested on a real process,
//! whose file is touched as an editor's save would.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

/// A hang bound: the first grading may build the exercises first.
const BOUND: Duration = Duration::from_secs(240);

/// Kills the watch when the test ends, passed or failed.
struct Watching(Child);

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Reads lines from `lines` until one contains `wanted`; fails with what
/// was read if none does within [`BOUND`].
fn wait_for(lines: &mpsc::Receiver<String>, wanted: &str, seen: &mut Vec<String>) {
    let until = Instant::now() + BOUND;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                let found = line.contains(wanted);
                seen.push(line);
                if found {
                    return;
                }
            }
            Err(why) => panic!(
                "no line with {wanted:?} within {BOUND:?} ({why}); read:\n{}",
                seen.join("\n")
            ),
        }
    }
}

#[test]
fn a_save_grades_the_exercise_again() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let solution = root.join("exercises/sentinel/solution.rs");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["exercise", "sentinel", "--solution", "--watch"])
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("xtask starts");
    let stdout = child.stdout.take().expect("piped");
    let _watching = Watching(child);
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    wait_for(&lines, "Solved", &mut seen);
    wait_for(
        &lines,
        "watching exercises/sentinel/ for changes",
        &mut seen,
    );
    // A save, as far as the watch can tell: the file's time changes.
    std::fs::File::options()
        .append(true)
        .open(&solution)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .expect("the solution's time set");
    wait_for(&lines, "----", &mut seen);
    wait_for(&lines, "Solved", &mut seen);
    wait_for(
        &lines,
        "watching exercises/sentinel/ for changes",
        &mut seen,
    );
}
