//! The real `one-many` program, run as a user runs it: what only it is
//! tested for. The tests every section shares come from the table of
//! programs, in `tests/every_program.rs`.

use harness::programs::ONE_MANY as SECTION;

const EXE: &str = env!("CARGO_BIN_EXE_one-many");

#[test]
fn a_panicking_thread_is_reported_and_nothing_hangs() {
    use harness::testing::check_panicking_program;
    for capacity in ["0", "1", "100"] {
        let args = ["--seed", "4", "--time-scale", "0", "--capacity", capacity];
        // The producer still sends the sentinel, so every consumer stops.
        let producer = [&args[..], &["--panic-at", "producer:6"]].concat();
        let verdict = check_panicking_program(&SECTION, EXE, &producer, "the producer");
        let lost: Vec<_> = verdict
            .problems
            .iter()
            .filter(|p| p.contains("never consumed"))
            .collect();
        assert_eq!(lost.len(), 4, "{:?}", verdict.problems);

        // With one consumer, which item it panics on is certain.
        let consumer = [
            &args[..],
            &["--consumers", "1", "--panic-at", "consumer-0:2"],
        ]
        .concat();
        let verdict = check_panicking_program(&SECTION, EXE, &consumer, "consumer 0");
        assert!(
            verdict
                .problems
                .iter()
                .any(|p| p.contains("Consumer 0 must print `Done`"))
        );
    }
}

/// `--panic-at consumer:2`, without a number: whichever consumer starts
/// item 2 first panics, and only it; the others go on to the end.
#[test]
fn a_side_without_a_number_panics_in_one_of_its_threads() {
    use harness::testing::run_program;
    use harness::{check_printed, events::parse_output, settings::parse};
    for capacity in ["0", "1", "100"] {
        let args = [
            "--seed",
            "4",
            "--time-scale",
            "0",
            "--capacity",
            capacity,
            "--panic-at",
            "consumer:2",
        ];
        let output = run_program(EXE, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(101), "{args:?}: {stderr}");
        let failed: Vec<&str> = stderr
            .lines()
            .filter(|line| line.contains(" failed while working on item (2,"))
            .collect();
        assert_eq!(failed.len(), 1, "{args:?}: {stderr}");
        assert!(failed[0].starts_with("Consumer "), "{stderr}");
        // Only item 2 is lost, and only the dead consumer never ends.
        let config = parse(&SECTION, args).expect("a run");
        let stdout = String::from_utf8(output.stdout).expect("UTF-8");
        let events = parse_output(&stdout).expect("the checker reads it");
        let problems = check_printed(&SECTION, &config, &events).problems;
        let lost: Vec<_> = problems
            .iter()
            .filter(|p| p.contains("never consumed"))
            .collect();
        assert_eq!(lost.len(), 1, "{problems:?}");
        assert!(lost[0].starts_with("item (2,"), "{problems:?}");
        let unfinished: Vec<_> = problems
            .iter()
            .filter(|p| p.contains("must print `Done`"))
            .collect();
        assert_eq!(unfinished.len(), 1, "{problems:?}");
    }
}
