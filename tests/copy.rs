//! Copying a program works: each program the book teaches, copied into a
//! new crate exactly as its page says (its file as `src/main.rs`, with
//! `mod common;` on top, `common`'s file as `src/common.rs`, and
//! `cargo add flume@0.12 rand@0.10`), builds without a warning, runs, and
//! prints lines that keep every rule of the pattern (the two failure
//! examples: that end as they should). `spawn_and_join`, std only, is
//! copied alone.
//!
//! It builds offline, with the versions of the workspace's `Cargo.lock`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use harness::programs::{CONSUMER_PANIC, CONSUMERS_GONE, PANICKED, PLAIN};
use harness::testing::{run_program, run_within};
use harness::{Config, What, check_printed};

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What a reader's `main.rs` becomes: the program's file, with the one
/// line that makes the copied `common.rs` a module, after the `//!` header.
fn copied_main(program: &str) -> String {
    let header: String = program
        .lines()
        .take_while(|line| line.starts_with("//!"))
        .map(|line| format!("{line}\n"))
        .collect();
    let rest = &program[header.len()..];
    format!("{header}\nmod common;\n{rest}")
}

/// Makes the reader's crate for program `name` in `dir`; `example` says
/// whether its file is `examples/NAME.rs` rather than a crate's `main.rs`.
fn copy_into(dir: &Path, name: &str, example: bool) {
    fs::create_dir_all(dir.join("src")).expect("a scratch crate");
    // As `cargo new` and `cargo add flume@0.12 rand@0.10` leave it.
    let mut manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
         [dependencies]\nflume = \"0.12\"\nrand = \"0.10\"\n"
    );
    if name == "async_consumers" {
        // And `cargo add tokio@1 --features rt,time`, as its page says.
        manifest.push_str("tokio = { version = \"1\", features = [\"rt\", \"time\"] }\n");
    }
    fs::write(dir.join("Cargo.toml"), manifest).expect("Cargo.toml");
    let path = if example {
        workspace().join("examples").join(format!("{name}.rs"))
    } else {
        workspace().join("crates").join(name).join("src/main.rs")
    };
    let program = fs::read_to_string(path).expect("the program's file");
    fs::write(dir.join("src/main.rs"), copied_main(&program)).expect("main.rs");
    fs::copy(
        workspace().join("crates/common/src/lib.rs"),
        dir.join("src/common.rs"),
    )
    .expect("common.rs");
    // The versions this workspace is tested with.
    fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");
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
fn every_plain_program_copied_into_a_new_crate_builds_and_runs() {
    let scratch = std::env::temp_dir().join(format!("copy-test-{}", std::process::id()));
    // One target folder for every copy: the dependencies build once.
    let target: PathBuf = workspace().join("target/copy-test");
    for section in PLAIN {
        let dir = scratch.join(section.name);
        copy_into(&dir, section.name, section.example);
        build_copy(&dir, &target, section.name);
        let exe = target.join("debug").join(section.name);
        let args = ["--seed", "3", "--time-scale", "0", "--capacity", "1"];
        let output = run_program(exe.to_str().expect("UTF-8"), &args);
        let events = harness::log::parse_output(&String::from_utf8_lossy(&output.stdout))
            .expect("the tutorial's lines");
        if section.name == CONSUMER_PANIC.name {
            // It fails on purpose: a panic, after the others are done.
            assert_eq!(output.status.code(), Some(PANICKED));
            let done = events.iter().filter(|e| e.what == What::Done).count();
            assert_eq!(done, 3, "the producer and the two other consumers end");
            continue;
        }
        assert!(output.status.success(), "{}", section.name);
        if section.name == CONSUMERS_GONE.name {
            // It leaves items behind on purpose; every thread still ends.
            let done = events.iter().filter(|e| e.what == What::Done).count();
            assert_eq!(done, 4, "{}", section.name);
            continue;
        }
        let mut config = Config::new(&section, 3);
        config.time_scale = 0.0;
        config.capacity = Some(1);
        let verdict = check_printed(&section, &config, &events);
        assert!(verdict.is_ok(), "the copied {}:\n{verdict}", section.name);
    }
    fs::remove_dir_all(&scratch).expect("cleaned up");
}

#[test]
fn spawn_and_join_copied_into_a_new_crate_builds_and_runs() {
    // std only: the file as `src/main.rs`, nothing else.
    let dir = std::env::temp_dir().join(format!("copy-spawn-{}", std::process::id()));
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
    build_copy(&dir, &target, "spawn_and_join");
    let exe = target.join("debug/spawn_and_join");
    let output = run_program(exe.to_str().expect("UTF-8"), &[]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "worker finished; the scoped threads summed [1, 2, 3] to 6\n"
    );
    fs::remove_dir_all(&dir).expect("cleaned up");
}

/// The shell lines of the first `console` block after "## Copy it" on the
/// book page `page`.
fn copy_steps(page: &str) -> Vec<String> {
    let text = fs::read_to_string(workspace().join("book/src").join(page)).expect("the page");
    let section = text.split("## Copy it").nth(1).expect("a Copy it section");
    let block = section
        .split("```console\n")
        .nth(1)
        .expect("a console block");
    let block = block.split("```").next().expect("its end");
    block.lines().map(str::to_string).collect()
}

#[test]
fn the_redis_programs_copied_as_the_page_says_build_and_run() {
    // Every step of the Redis chapter's "Copy it", run as written (cargo
    // offline, and the repository where the page says
    // PATH/TO/THIS/REPOSITORY), but the last, `cargo run`, which the
    // test does itself to check what the copy prints.
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let mut dir = scratch.path().to_path_buf();
    let steps = copy_steps("redis.md");
    let (run, steps) = steps.split_last().expect("steps");
    assert!(
        run.starts_with("cargo run"),
        "the last step runs the copy: {run}"
    );
    for step in steps {
        if let Some(folder) = step.strip_prefix("cd ") {
            dir = dir.join(folder);
            continue;
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
    // The versions this workspace is tested with.
    fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");
    let target: PathBuf = workspace().join("target/copy-test");
    build_copy(&dir, &target, "redis-streams");
    let exe = target.join("debug/redis-streams");
    let args = [
        "--seed",
        "3",
        "--time-scale",
        "0",
        "--capacity",
        "2",
        "--batch",
        "2",
    ];
    let mut command = Command::new(&exe);
    command
        .args(args)
        .env_remove("REDIS_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let output = harness::testing::run_bounded(command, "the copied redis-streams");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let events = harness::log::parse_output(&String::from_utf8_lossy(&output.stdout))
        .expect("the lines of a run");
    let section = harness::programs::REDIS_STREAMS;
    let mut config = Config::new(&section, 3);
    config.time_scale = 0.0;
    config.capacity = Some(2);
    let verdict = check_printed(&section, &config, &events);
    assert!(verdict.is_ok(), "the copied redis-streams:\n{verdict}");
}
