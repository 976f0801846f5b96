//! The real `many-many` program, run as a user runs it: what only it is
//! tested for. The tests every section shares come from the table of
//! programs, in `tests/every_program.rs`.

use harness::programs::MANY_MANY as SECTION;

const EXE: &str = env!("CARGO_BIN_EXE_many-many");

#[test]
fn a_panicking_thread_is_reported_and_nothing_hangs() {
    use harness::testing::check_panicking_program;
    for capacity in ["0", "1", "100"] {
        let args = ["--seed", "4", "--time-scale", "0", "--capacity", capacity];
        let producer = [&args[..], &["--panic-at", "producer-2:0"]].concat();
        let verdict = check_panicking_program(&SECTION, EXE, &producer, "producer 2");
        let lost: Vec<_> = verdict
            .problems
            .iter()
            .filter(|p| p.contains("never consumed"))
            .collect();
        assert_eq!(lost.len(), 10, "{:?}", verdict.problems);
        assert!(lost.iter().all(|p| p.contains("of producer 2")), "{lost:?}");

        // One consumer of several panics: the others go on and still stop.
        // Which consumer gets an item numbered 4 is up to the scheduler, so
        // consumer 1 may never see one; then the run is a good one.
        let consumer = [
            &args[..],
            &["--consumers", "3", "--panic-at", "consumer-1:4"],
        ]
        .concat();
        let output = harness::testing::run_program(EXE, &consumer);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let events = harness::events::parse_output(&stdout).expect("whole lines");
        let mut config = SECTION.settings(4);
        config.consumers = 3;
        let verdict = harness::check_printed(&SECTION, &config, &events);
        match output.status.code() {
            Some(0) => assert!(verdict.is_ok(), "{verdict}"),
            Some(harness::programs::PANICKED) => {
                let lost = verdict
                    .problems
                    .iter()
                    .filter(|p| p.contains("never consumed"));
                assert_eq!(lost.count(), 1, "{verdict}");
                let done = "Consumer 1 must print `Done` once, last".to_string();
                assert!(verdict.problems.contains(&done), "{verdict}");
            }
            other => panic!("{consumer:?} exited with {other:?}"),
        }
    }
}
