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
