//! Tests of one example alone: its own flag, or a property only it has.
//! The tests every example shares come from the table of programs, in
//! `tests/every_program.rs`.
//!
//! The examples are found next to the test binaries, in
//! `target/<profile>/examples/`, built first if their sources changed
//! (`harness::programs::program_path`).

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
        harness::programs::workspace_root().join("book/src/outputs/blocking_task-report.md"),
    )
    .expect("the book's run");
    let shown_line = shown
        .lines()
        .find(|l| l.starts_with("with std::thread::sleep"));
    assert!(late(shown_line.expect("the shown run")) >= 90, "{shown}");
}
