//! The workspace's root package: its `examples/` are the programs beyond
//! the tutorial's four sections, and its `tests/` run every program as a
//! reader would. Which programs there are is one table,
//! [`harness::programs::PROGRAMS`]; the harness runs each and reads what
//! it prints.

pub use harness;
