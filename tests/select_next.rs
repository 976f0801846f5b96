//! The unit tests that `examples/select.rs` carries (of its `next`: a
//! cancellation wakes a waiting consumer, and wins over an item). `cargo
//! test` builds examples as programs, not as tests, so they run here, with
//! the example's file as a module.

#[allow(dead_code)] // Its `main`, here unused.
#[path = "../examples/select.rs"]
mod select;
