//! `cargo run -p many-many`: many producers, many consumers.

use std::process::ExitCode;

fn main() -> ExitCode {
    harness::cli::main(&many_many::SECTION, many_many::run)
}
