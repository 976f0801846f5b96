//! The examples with a section's command line (every one in
//! `producer_consumer::EXAMPLES`), run as real programs, as a user runs
//! them: the same tests as each section crate's `tests/cli.rs`.
//!
//! `cargo test` builds the examples before it runs the tests; they sit next
//! to the test binaries, in `target/<profile>/examples/`.

mod counting_sentinels {
    use producer_consumer::counting_sentinels::SECTION;
    common::program_tests!(
        SECTION,
        &common::testing::example_path("counting_sentinels")
    );
}

mod disconnect {
    use producer_consumer::disconnect::SECTION;
    common::program_tests!(SECTION, &common::testing::example_path("disconnect"));
}

mod event_timeout {
    use producer_consumer::event_timeout::SECTION;
    common::program_tests!(SECTION, &common::testing::example_path("event_timeout"));
}

mod forgotten_sender {
    use producer_consumer::forgotten_sender::SECTION;
    common::program_tests!(SECTION, &common::testing::example_path("forgotten_sender"));
}

mod shutdown {
    use producer_consumer::shutdown::SECTION;
    common::program_tests!(SECTION, &common::testing::example_path("shutdown"));
}

mod shutdown_immediate {
    use producer_consumer::shutdown::SECTION_IMMEDIATE;
    common::program_tests!(
        SECTION_IMMEDIATE,
        &common::testing::example_path("shutdown_immediate")
    );
}

mod select {
    use producer_consumer::select::SECTION;
    common::program_tests!(SECTION, &common::testing::example_path("select"));
}

mod task_done {
    use producer_consumer::task_done::SECTION;
    common::program_tests!(SECTION, &common::testing::example_path("task_done"));
}

mod backpressure {
    use producer_consumer::backpressure::SECTION;
    common::program_tests!(SECTION, &common::testing::example_path("backpressure"));
}

mod async_consumers {
    use producer_consumer::async_consumers::SECTION;
    common::program_tests!(SECTION, &common::testing::example_path("async_consumers"));
}
