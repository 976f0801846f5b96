//! `cargo run -p one-one`: one producer, one consumer.

use std::process::ExitCode;

fn main() -> ExitCode {
    harness::cli::main(&one_one::SECTION, one_one::run)
}
