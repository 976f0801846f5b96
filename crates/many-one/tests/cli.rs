//! The real `many-one` program, run as a user runs it: what only it is
//! tested for. The tests every section shares come from the table of
//! programs, in `tests/every_program.rs`.

use harness::programs::MANY_ONE as SECTION;

const EXE: &str = env!("CARGO_BIN_EXE_many-one");

#[test]
fn a_panicking_thread_is_reported_and_nothing_hangs() {
    use harness::testing::check_panicking_program;
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
