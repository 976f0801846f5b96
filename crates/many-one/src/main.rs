//! `cargo run -p many-one`: many producers, one consumer.

use std::process::ExitCode;

fn main() -> ExitCode {
    common::cli::main(&many_one::SECTION, many_one::run)
}
