//! `cargo run -p many-one`: many producers, one consumer.

use std::process::ExitCode;

fn main() -> ExitCode {
    harness::cli::main(&many_one::SECTION, many_one::run)
}
