//! The examples with a section's command line (every one of
//! `Kind::Example` in `harness::programs::PROGRAMS`), run as real programs, as a user runs
//! them: the same tests as each section crate's `tests/cli.rs`.
//!
//! `cargo test` builds the examples before it runs the tests; they sit next
//! to the test binaries, in `target/<profile>/examples/`.

mod counting_sentinels {
    use harness::programs::COUNTING_SENTINELS as SECTION;
    harness::program_tests!(
        SECTION,
        &harness::testing::example_path("counting_sentinels")
    );
}

mod disconnect {
    use harness::programs::DISCONNECT as SECTION;
    harness::program_tests!(SECTION, &harness::testing::example_path("disconnect"));
}

mod event_timeout {
    use harness::programs::EVENT_TIMEOUT as SECTION;
    harness::program_tests!(SECTION, &harness::testing::example_path("event_timeout"));
}

mod forgotten_sender {
    use harness::programs::FORGOTTEN_SENDER as SECTION;
    harness::program_tests!(SECTION, &harness::testing::example_path("forgotten_sender"));
}

mod shutdown {
    use harness::programs::SHUTDOWN as SECTION;
    harness::program_tests!(SECTION, &harness::testing::example_path("shutdown"));
}

mod shutdown_immediate {
    use harness::programs::SHUTDOWN_IMMEDIATE as SECTION;
    harness::program_tests!(
        SECTION,
        &harness::testing::example_path("shutdown_immediate")
    );
}

mod select {
    use harness::programs::SELECT as SECTION;
    harness::program_tests!(SECTION, &harness::testing::example_path("select"));
}

mod task_done {
    use harness::programs::TASK_DONE as SECTION;
    harness::program_tests!(SECTION, &harness::testing::example_path("task_done"));
}

mod backpressure {
    use harness::programs::BACKPRESSURE as SECTION;
    harness::program_tests!(SECTION, &harness::testing::example_path("backpressure"));
}

mod async_consumers {
    use harness::programs::ASYNC_CONSUMERS as SECTION;
    harness::program_tests!(SECTION, &harness::testing::example_path("async_consumers"));
}

mod async_one_one {
    use harness::programs::ASYNC_ONE_ONE as SECTION;
    harness::program_tests!(
        SECTION,
        &harness::testing::example_path("async_one_one"),
        tasks
    );
}

mod async_many_one {
    use harness::programs::ASYNC_MANY_ONE as SECTION;
    harness::program_tests!(
        SECTION,
        &harness::testing::example_path("async_many_one"),
        tasks
    );
}

mod async_one_many {
    use harness::programs::ASYNC_ONE_MANY as SECTION;
    harness::program_tests!(
        SECTION,
        &harness::testing::example_path("async_one_many"),
        tasks
    );
}

mod async_many_many {
    use harness::programs::ASYNC_MANY_MANY as SECTION;
    harness::program_tests!(
        SECTION,
        &harness::testing::example_path("async_many_many"),
        tasks
    );
}

/// `spawn_and_join` prints one line, with `writeln!` instead of `println!`:
/// a full disk is an error with one line and exit code 3, not a panic.
#[test]
fn spawn_and_join_reports_output_it_cannot_write() {
    use std::process::{Command, Stdio};
    let exe = harness::testing::example_path("spawn_and_join");
    let output = harness::testing::run_program(&exe, &[]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "worker finished; the scoped threads summed [1, 2, 3] to 6\n"
    );
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let mut command = Command::new(&exe);
    command.stdout(Stdio::from(full)).stderr(Stdio::piped());
    let output = harness::testing::run_bounded(command, "spawn_and_join > /dev/full");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert_eq!(
        stderr,
        "spawn_and_join: error: cannot write the output: No space left on device (os error 28)\n"
    );
}

/// `spawn_and_join` takes no flags: one it is given anyway is refused in
/// one line with exit code 2, as every program here refuses a flag it
/// does not know; `--help` says so.
#[test]
fn spawn_and_join_refuses_flags_it_does_not_take() {
    let exe = harness::testing::example_path("spawn_and_join");
    for flag in ["--seed", "--bogus", "x"] {
        let output = harness::testing::run_program(&exe, &[flag, "1"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flag}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(&format!("unexpected argument '{flag}'")),
            "{stderr}"
        );
        assert!(output.stdout.is_empty());
    }
    let help = harness::testing::run_program(&exe, &["--help"]);
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("no flags"));
}

/// `event_timeout`'s own flag, `--timeout`, is checked like the others:
/// clap's message, which names it, exit code 2.
#[test]
fn event_timeout_refuses_a_timeout_it_cannot_use() {
    let exe = harness::testing::example_path("event_timeout");
    for value in ["0", "x", "-5", "60001"] {
        let output = harness::testing::run_program(&exe, &["--timeout", value]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{value}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains("--timeout <MS>"), "{stderr}");
    }
    let run = ["--seed", "1", "--time-scale", "0", "--timeout", "5"];
    assert!(harness::testing::run_program(&exe, &run).status.success());
}

/// Zero effort costs nothing, in consumer tasks as in threads: a zero
/// or nearly zero sleep on tokio's timer would wait for its next tick, a
/// millisecond, and 600,000 items would take minutes.
#[test]
fn async_consumers_spend_no_time_on_zero_effort() {
    let exe = harness::testing::example_path("async_consumers");
    for time_scale in ["0", "1e-9"] {
        let args = [
            "--seed",
            "1",
            "--items",
            "200000",
            "--time-scale",
            time_scale,
        ];
        // `run_program` fails the test if the run takes longer than its
        // hang bound (30 s); at a millisecond an item it would take minutes.
        let output = harness::testing::run_program(&exe, &args);
        assert!(output.status.success(), "{args:?}");
        let got = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| line.contains(" got "))
            .count();
        assert_eq!(got, 600_000, "{args:?}");
    }
}

/// A blocking call inside a task stops every task on its thread: while
/// the other task blocks the thread for 100 ms, the ticker's 10 ms timer
/// cannot fire, so it fires at least 90 ms late (a lower bound that holds
/// by construction, however busy the machine). The book shows a run.
#[test]
fn a_blocking_call_in_a_task_delays_every_task_on_its_thread() {
    let exe = harness::testing::example_path("blocking_task");
    let output = harness::testing::run_program(&exe, &[]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let late = |line: &str| -> u64 {
        let after = line.split("up to ").nth(1).expect("a delay");
        after
            .split(' ')
            .next()
            .expect("ms")
            .parse()
            .expect("a number")
    };
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("with std::thread::sleep"), "{stdout}");
    assert!(late(lines[0]) >= 90, "{stdout}");
    let shown = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("book/src/outputs/blocking_task-report.md"),
    )
    .expect("the book's run");
    let shown_line = shown
        .lines()
        .find(|l| l.starts_with("with std::thread::sleep"));
    assert!(late(shown_line.expect("the shown run")) >= 90, "{shown}");
}
