//! `cargo run -p many-many`: many producers, many consumers.

use std::process::ExitCode;

fn main() -> ExitCode {
    common::cli::main(&many_many::SECTION, many_many::run)
}
