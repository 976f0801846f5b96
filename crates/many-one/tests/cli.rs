//! The real `many-one` program, run as a user runs it.

use common::testing::{BAD_INPUTS, assert_refused, check_program, run_program};
use many_one::SECTION;

const EXE: &str = env!("CARGO_BIN_EXE_many-one");

#[test]
fn a_run_prints_lines_that_keep_the_rules() {
    for args in [
        &["--seed", "1", "--time-scale", "0.001"][..],
        &[
            "--seed",
            "2",
            "--time-scale",
            "0",
            "--items",
            "500",
            "--capacity",
            "1",
        ],
        &["--seed", "3", "--time-scale", "0", "--capacity", "0"],
    ] {
        let verdict = check_program(&SECTION, EXE, args);
        assert!(verdict.is_ok(), "{args:?}:\n{verdict}");
    }
}

#[test]
fn a_run_without_a_seed_says_how_to_repeat_it() {
    let output = run_program(EXE, &["--time-scale", "0"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("random run; repeat it with --seed "),
        "{stderr}"
    );
}

#[test]
fn bad_input_is_refused_with_one_line() {
    for (args, expected) in BAD_INPUTS {
        assert_refused(EXE, args, expected);
    }
}

#[test]
fn hostile_values_of_every_flag_are_refused() {
    let checked = common::testing::assert_hostile_values_refused(&SECTION, EXE);
    assert!(checked >= 60, "only {checked} cases");
}

#[test]
fn a_timeline_shows_every_thread_and_item() {
    common::testing::assert_timeline_drawn(&SECTION, EXE);
}

#[test]
fn help_explains_every_flag() {
    let output = run_program(EXE, &["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--items",
        "--seed",
        "--time-scale",
        "--capacity",
        "--version",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}

#[test]
fn a_panicking_thread_is_reported_and_nothing_hangs() {
    use common::testing::check_panicking_program;
    for capacity in ["0", "1", "100"] {
        let args = ["--seed", "4", "--time-scale", "0", "--capacity", capacity];
        // The other producers still reach the barrier, and the sentinel
        // still goes out: only the panicking producer's later items are lost.
        let producer = [&args[..], &["--panic-at", "producer-1:2"]].concat();
        let verdict = check_panicking_program(&SECTION, EXE, &producer, "producer 1");
        let lost: Vec<_> = verdict
            .problems
            .iter()
            .filter(|p| p.contains("never consumed"))
            .collect();
        assert_eq!(lost.len(), 3, "{:?}", verdict.problems);
        assert!(lost.iter().all(|p| p.contains("of producer 1")), "{lost:?}");

        let consumer = [&args[..], &["--panic-at", "consumer:4"]].concat();
        let verdict = check_panicking_program(&SECTION, EXE, &consumer, "the consumer");
        assert!(
            verdict
                .problems
                .iter()
                .any(|p| p.contains("Consumer must print `Done`"))
        );
    }
}
