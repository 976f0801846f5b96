//! The tests that apply to every program of a kind, made from the one
//! table of programs (`harness::programs::PROGRAMS`): a program added to
//! the table gets each of them, with nothing else to write. Each test runs
//! every program it applies to, side by side, and names each one that
//! fails. Tests of one program alone are in its own file
//! (`crates/NAME/tests/cli.rs`, `tests/failures.rs`, ...).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use harness::programs::{PROGRAMS, checked, of_kind, path_of, plain};
use harness::testing::{self, system};
use harness::{Kind, Section};

/// Runs `test` on each of `programs` (with the path of its built program),
/// two at a time (the tests of this file run side by side too), and fails
/// naming every program it failed for, with why.
fn for_each(programs: &[Section], test: impl Fn(&Section, &str) + Sync) {
    assert!(!programs.is_empty(), "no program to test");
    let next = AtomicUsize::new(0);
    let failed = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some(section) = programs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let exe = path_of(section);
                    let exe = exe.to_str().expect("a UTF-8 path");
                    if let Err(panic) = catch_unwind(AssertUnwindSafe(|| test(section, exe))) {
                        let why = format!("{}: {}", section.name, message(&*panic));
                        failed.lock().expect("no runner panics").push(why);
                    }
                }
            });
        }
    });
    let failed = failed.into_inner().expect("no runner panics");
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// A panic's message.
fn message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(ToString::to_string))
        .unwrap_or_else(|| "a panic without a message".to_string())
}

#[test]
fn every_checked_program_prints_lines_that_keep_the_rules() {
    for_each(&checked(), testing::assert_runs_keep_the_rules);
}

#[test]
fn every_checked_program_s_timeline_shows_every_thread_and_item() {
    for_each(&checked(), |section, _| {
        testing::assert_timeline_drawn(section);
    });
}

#[test]
fn every_checked_program_says_how_to_repeat_a_random_run() {
    for_each(&checked(), |_, exe| {
        testing::assert_random_run_names_its_seed(exe);
    });
}

#[test]
fn every_plain_program_refuses_bad_input_with_clap_s_message() {
    for_each(&plain(), |_, exe| {
        for (args, expected) in testing::BAD_INPUTS {
            testing::assert_refused(exe, args, expected);
        }
    });
}

#[test]
fn every_plain_program_refuses_hostile_values_of_every_flag() {
    for_each(&plain(), |section, exe| {
        let checked = testing::assert_hostile_values_refused(section, exe);
        assert!(checked >= 60, "only {checked} cases");
    });
}

#[test]
fn every_plain_program_s_help_explains_every_flag() {
    for_each(&plain(), testing::assert_help_explains_every_flag);
}

#[test]
fn every_checked_program_reports_output_it_cannot_write() {
    for_each(&checked(), |_, exe| {
        system::assert_unwritable_output_is_an_error(exe);
    });
}

#[test]
fn every_checked_program_ends_quietly_when_its_reader_goes_away() {
    for_each(&checked(), |_, exe| {
        system::assert_closed_pipe_ends_the_run(exe);
    });
}

#[test]
fn every_checked_program_ends_cleanly_when_refused_a_thread_or_needs_none() {
    for_each(&checked(), |section, exe| {
        if section.one_thread {
            system::assert_runs_on_one_thread(exe);
        } else {
            system::assert_refused_threads_end_the_run(exe);
        }
    });
}

/// An aside takes no flags: one it is given anyway is refused in one line
/// with exit code 2, as every program here refuses a flag it does not know,
/// and `--help` says so.
#[test]
fn every_aside_refuses_flags_it_does_not_take() {
    for_each(&of_kind(Kind::Aside), |_, exe| {
        for flag in ["--seed", "--bogus", "x"] {
            let output = testing::run_program(exe, &[flag, "1"]);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{flag}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(
                stderr.contains(&format!("unexpected argument '{flag}'")),
                "{stderr}"
            );
            assert!(output.stdout.is_empty());
        }
        let help = testing::run_program(exe, &["--help"]);
        assert!(help.status.success());
        assert!(String::from_utf8_lossy(&help.stdout).contains("no flags"));
    });
}

/// An aside prints with `writeln!`, not `println!`: a full disk is an
/// error with one line and exit code 3, not a panic.
#[test]
fn every_aside_reports_output_it_cannot_write() {
    for_each(&of_kind(Kind::Aside), |section, exe| {
        let full = std::fs::File::options()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let mut command = std::process::Command::new(exe);
        command
            .stdout(std::process::Stdio::from(full))
            .stderr(std::process::Stdio::piped());
        let output = testing::run_bounded(command, &format!("{exe} > /dev/full"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{stderr}");
        assert_eq!(
            stderr,
            format!(
                "{}: error: cannot write the output: No space left on device (os error 28)\n",
                section.name
            )
        );
    });
}

/// Every program in the table has its source where the table says, and
/// every program's source is in the table: one cannot be added without
/// the tests above.
#[test]
fn every_program_file_is_a_row_of_the_table() {
    let root = harness::programs::workspace_root();
    let mut files: Vec<String> = std::fs::read_dir(root.join("examples"))
        .expect("examples/")
        .filter_map(|entry| {
            let name = entry.expect("an entry").file_name();
            let name = name.to_str()?.strip_suffix(".rs")?.to_string();
            Some(name)
        })
        .collect();
    for kind in [Kind::Section, Kind::Beyond] {
        files.extend(of_kind(kind).iter().map(|s| s.name.to_string()));
    }
    files.sort();
    let mut rows: Vec<String> = PROGRAMS.iter().map(|s| s.name.to_string()).collect();
    rows.sort();
    assert_eq!(files, rows, "examples/*.rs and the crates against PROGRAMS");
    for section in PROGRAMS {
        let source = if section.is_example() {
            root.join(format!("examples/{}.rs", section.name))
        } else {
            root.join(format!("crates/{}/src/main.rs", section.name))
        };
        assert!(
            source.is_file(),
            "{}: no {}",
            section.name,
            source.display()
        );
        let page = root.join("book/src").join(section.page);
        assert!(page.is_file(), "{}: no page {}", section.name, section.page);
    }
}

/// An example builds only what it uses: the packages a program's build
/// compiles (`cargo tree`: normal and build dependencies, and an example's
/// package's dev-dependencies, which cargo builds with it) number at most
/// 45 for the examples' package and each section, and never include the
/// harness or Redis, which only the tools and the tests need.
#[test]
fn every_program_builds_only_what_it_uses() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut packages: Vec<&str> = vec!["producer-consumer"];
    packages.extend(of_kind(Kind::Section).iter().map(|s| s.name));
    for package in packages {
        // An example is built with its package's dev-dependencies too.
        let kinds = if package == "producer-consumer" {
            "normal,build,dev"
        } else {
            "normal,build"
        };
        let mut command = std::process::Command::new(&cargo);
        command
            .args([
                "tree",
                "--quiet",
                "--offline",
                "--prefix",
                "none",
                "-e",
                kinds,
                "-p",
            ])
            .arg(package)
            .current_dir(harness::programs::workspace_root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let output =
            testing::run_within(command, "cargo tree", std::time::Duration::from_secs(120));
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let tree = String::from_utf8_lossy(&output.stdout);
        let mut crates: Vec<&str> = tree.lines().map(|l| l.trim_end_matches(" (*)")).collect();
        crates.sort_unstable();
        crates.dedup();
        assert!(
            crates.len() <= 45,
            "{package} builds {} crates:\n{}",
            crates.len(),
            crates.join("\n")
        );
        for heavy in ["harness ", "redis ", "criterion ", "proptest "] {
            assert!(
                !crates.iter().any(|c| c.starts_with(heavy)),
                "{package} builds {heavy}"
            );
        }
    }
}
