//! The workspace's top package: its `examples/` are the programs beyond
//! the tutorial's four sections, one plain file each, built with only what
//! they use (`common`, `flume`, `tokio`, `clap`). The suite that runs them
//! is the package in `tests/`; which programs there are is one table,
//! `harness::programs::PROGRAMS`.
