//! The real `one-one` program, run as a user runs it: what only it is
//! tested for. The tests every section shares come from the table of
//! programs, in `tests/every_program.rs`.

use harness::programs::ONE_ONE as SECTION;

const EXE: &str = env!("CARGO_BIN_EXE_one-one");

#[test]
fn a_panicking_thread_is_reported_and_nothing_hangs() {
    use harness::testing::check_panicking_program;
    for capacity in ["0", "1", "100"] {
        let args = ["--seed", "4", "--time-scale", "0", "--capacity", capacity];
        let consumer = [&args[..], &["--panic-at", "consumer:3"]].concat();
        let verdict = check_panicking_program(&SECTION, EXE, &consumer, "the consumer");
        let problems = verdict.problems.join("\n");
        assert!(
            problems.contains("Consumer must print `Done` once, last"),
            "{problems}"
        );
        assert!(problems.contains("item (3, "), "{problems}");

        let producer = [&args[..], &["--panic-at", "producer:5"]].concat();
        let verdict = check_panicking_program(&SECTION, EXE, &producer, "the producer");
        let problems = verdict.problems.join("\n");
        assert!(problems.contains("item (5, "), "{problems}");
        assert!(!problems.contains("item (4, "), "{problems}");
    }
}
