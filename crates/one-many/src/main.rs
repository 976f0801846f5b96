//! `cargo run -p one-many`: one producer, many consumers.

use std::process::ExitCode;

fn main() -> ExitCode {
    harness::cli::main(&one_many::SECTION, one_many::run)
}
