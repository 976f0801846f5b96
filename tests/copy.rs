//! Copying a program works: each program the book teaches, copied into a
//! new crate by running its page's own "Copy it" steps as written (the
//! `cargo new` and `cargo add` lines too, offline; `book/src/copying.md`
//! explains them to the reader, and promises what follows), builds without a
//! warning, runs, and prints lines that keep every rule of the pattern
//! (the two failure examples: that end as they should). `spawn_and_join`,
//! std only, is copied alone.
//!
//! It builds with the versions of the workspace's `Cargo.lock`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use harness::What;
use harness::programs::{CONSUMER_PANIC, CONSUMERS_GONE, PANICKED, PROGRAMS, named};
use harness::testing::{run_program, run_within};

fn workspace() -> PathBuf {
    harness::programs::workspace_root()
}

/// Builds the reader's crate in `dir`, offline, as `cargo build` would;
/// fails on an error or on any warning.
fn build_copy(dir: &Path, target: &Path, name: &str) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut build = Command::new(cargo);
    build
        .args(["build", "--offline", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    // A first build compiles every dependency: minutes on a slow machine,
    // still bounded.
    let what = format!("cargo build of the copied {name}");
    let built = run_within(build, &what, std::time::Duration::from_secs(600));
    let messages = String::from_utf8_lossy(&built.stderr);
    assert!(built.status.success(), "{name}:\n{messages}");
    assert!(
        !messages.contains("warning"),
        "{name} builds with warnings:\n{messages}"
    );
}

#[test]
#[ignore = "slow (builds crates from scratch): cargo test --workspace -- --ignored"]
fn spawn_and_join_copied_into_a_new_crate_builds_and_runs() {
    // std only: the file as `src/main.rs`, nothing else.
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let dir = scratch.path();
    fs::create_dir_all(dir.join("src")).expect("a scratch crate");
    let manifest =
        "[package]\nname = \"spawn_and_join\"\nversion = \"0.1.0\"\nedition = \"2024\"\n";
    fs::write(dir.join("Cargo.toml"), manifest).expect("Cargo.toml");
    fs::copy(
        workspace().join("examples/spawn_and_join.rs"),
        dir.join("src/main.rs"),
    )
    .expect("main.rs");
    let target: PathBuf = workspace().join("target/copy-test");
    build_copy(dir, &target, "spawn_and_join");
    let exe = target.join("debug/spawn_and_join");
    let output = run_program(exe.to_str().expect("UTF-8"), &[]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "worker finished; the scoped threads summed [1, 2, 3] to 6\n"
    );
}

/// The shell lines of each `console` block of the "## Copy it" section
/// of the book page `page` (one block per program).
fn copy_blocks(page: &Path) -> Vec<Vec<String>> {
    let text = fs::read_to_string(page).expect("the page");
    let section = text.split("## Copy it").nth(1).expect("a Copy it section");
    let section = section.split("\n## ").next().expect("the section");
    let blocks: Vec<Vec<String>> = section
        .split("```console\n")
        .skip(1)
        .map(|block| {
            let block = block.split("```").next().expect("its end");
            block.lines().map(str::to_string).collect()
        })
        .collect();
    assert!(!blocks.is_empty(), "{}: no console block", page.display());
    blocks
}

/// Runs every step of `steps` as written, in `scratch` (cargo offline,
/// and this repository where a page says PATH/TO/THIS/REPOSITORY), but
/// the last, `cargo run -- ARGS`; returns the crate's folder, its name,
/// and the ARGS.
fn follow(steps: &[String], scratch: &Path) -> (PathBuf, String, Vec<String>) {
    let (run, steps) = steps.split_last().expect("steps");
    let args = run
        .strip_prefix("cargo run -- ")
        .unwrap_or_else(|| panic!("the last step runs the copy: {run}"));
    let mut dir = scratch.to_path_buf();
    let mut name = String::new();
    for step in steps {
        if let Some(folder) = step.strip_prefix("cd ") {
            dir = dir.join(folder);
            continue;
        }
        if let Some(new) = step.strip_prefix("cargo new ") {
            name = new.to_string();
        }
        let line = step.replace(
            "PATH/TO/THIS/REPOSITORY",
            workspace().to_str().expect("UTF-8"),
        );
        let mut command = Command::new("sh");
        command
            .args(["-c", &line])
            .current_dir(&dir)
            .env("CARGO_NET_OFFLINE", "true")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let done = run_within(command, &line, std::time::Duration::from_secs(120));
        let said = String::from_utf8_lossy(&done.stderr);
        assert!(done.status.success(), "{line}:\n{said}");
    }
    let args = args.split_whitespace().map(str::to_string).collect();
    (dir, name, args)
}

/// The program a copy is of, as the harness knows it.
fn section_named(name: &str) -> harness::Section {
    named(name).unwrap_or_else(|| panic!("no program {name}"))
}

/// Runs the copy `exe` of program `name` with `args`, with no simulated
/// effort, and checks what it prints.
fn check_copy_run(name: &str, exe: &Path, args: &[String]) {
    let mut args = args.to_vec();
    args.extend(["--time-scale".to_string(), "0".to_string()]);
    let mut command = Command::new(exe);
    command
        .args(&args)
        .env_remove("REDIS_URL")
        .env_remove("RUST_BACKTRACE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let output = harness::testing::run_bounded(command, name);
    let events = harness::events::parse_output(&String::from_utf8_lossy(&output.stdout))
        .expect("the tutorial's lines");
    let done = events.iter().filter(|e| e.what == What::Done).count();
    if name == CONSUMER_PANIC.name {
        // It fails on purpose: a panic, after the others are done.
        assert_eq!(output.status.code(), Some(PANICKED));
        assert_eq!(done, 3, "the producer and the two other consumers end");
        return;
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{name}: {stderr}");
    if name == CONSUMERS_GONE.name {
        // It leaves items behind on purpose; every thread still ends.
        assert_eq!(done, 4, "{name}");
        return;
    }
    let section = section_named(name);
    let config = harness::settings::parse(&section, args)
        .unwrap_or_else(|error| panic!("{name}: not a run: {error}"));
    harness::testing::assert_kept(&section, &config, &events, &format!("the copied {name}"));
}

#[test]
#[ignore = "slow (builds crates from scratch): cargo test --workspace -- --ignored"]
fn every_page_s_copy_steps_work_as_written() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    // One target folder for every copy: the dependencies build once.
    let target: PathBuf = workspace().join("target/copy-test");
    let mut copied = Vec::new();
    let mut pages: Vec<PathBuf> = fs::read_dir(workspace().join("book/src"))
        .expect("the book")
        .map(|entry| entry.expect("a page").path())
        .filter(|path| fs::read_to_string(path).is_ok_and(|text| text.contains("## Copy it")))
        .collect();
    pages.sort();
    for steps in pages.iter().flat_map(|page| copy_blocks(page)) {
        let (dir, name, args) = follow(&steps, scratch.path());
        // The versions this workspace is tested with.
        fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");
        build_copy(&dir, &target, &name);
        check_copy_run(&name, &target.join("debug").join(&name), &args);
        copied.push(name);
    }
    copied.sort();
    // An aside (`spawn_and_join`, std only) is copied alone, above.
    let mut expected: Vec<&str> = PROGRAMS
        .iter()
        .filter(|section| section.kind != harness::Kind::Aside)
        .map(|section| section.name)
        .collect();
    expected.sort_unstable();
    assert_eq!(
        copied, expected,
        "every program the book teaches has its steps"
    );
}

#[test]
#[ignore = "slow (builds crates from scratch): cargo test --workspace -- --ignored"]
fn a_copy_s_cargo_test_runs_the_tests_its_page_counts() {
    // select.md: "the program's two unit tests of `next()`, and `common`'s
    // own seven".
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let steps = copy_blocks(&workspace().join("book/src/select.md")).remove(0);
    let (dir, _, _) = follow(&steps, scratch.path());
    fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut test = Command::new(cargo);
    test.args(["test", "--offline", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", workspace().join("target/copy-test"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let tested = run_within(
        test,
        "cargo test of the copy",
        std::time::Duration::from_secs(600),
    );
    let said = String::from_utf8_lossy(&tested.stdout);
    // As many as the two files hold, and the pages say.
    let tests_in = |path: &str| {
        let text = fs::read_to_string(workspace().join(path)).expect("a source file");
        text.matches("#[test]").count()
    };
    let (own, common) = (
        tests_in("examples/select.rs"),
        tests_in("crates/common/src/lib.rs"),
    );
    let words = [
        "none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    let page = fs::read_to_string(workspace().join("book/src/select.md")).expect("select.md");
    let page = page.split_whitespace().collect::<Vec<_>>().join(" ");
    let says = format!(
        "the program's {} unit tests of `next()`, and `common`'s own {}.",
        words[own], words[common]
    );
    assert!(page.contains(&says), "select.md does not say {says:?}");
    let all = format!("test result: ok. {} passed", own + common);
    assert!(said.contains(&all), "{said}");
}

/// What a copy takes besides the program stays small: `common`'s code,
/// without its comments, blank lines and unit tests, is at most 250 lines
/// (200, and the 50 of `--pace`, `--jitter` and `--stall`, with which
/// grading makes one side of an exercise slower than the other, or stops
/// it for a while, and of the two kinds of message `--panic-at` panics
/// with).
#[test]
fn common_is_at_most_250_lines_of_code() {
    let file =
        fs::read_to_string(workspace().join("crates/common/src/lib.rs")).expect("common's file");
    let (copied, _tests) = file.split_once("#[cfg(test)]").expect("its unit tests");
    let code = copied
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .count();
    assert!(code <= 250, "common has {code} lines of code; at most 250");
}
