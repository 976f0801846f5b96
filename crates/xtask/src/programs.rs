//! The programs as xtask builds and names them: built in its own profile,
//! found by name in the one table, and the command a reader types.

use harness::Section;
use harness::programs::named;

/// How long a tool lets one run of a program take: far more than any run
/// it makes needs, so that a hang ends with an error instead of waiting.
pub const RUN_BOUND: std::time::Duration = std::time::Duration::from_secs(600);

/// Builds the plain programs in this tool's own profile, so that the
/// harness finds them next to it.
pub fn build_programs() -> Result<(), String> {
    harness::programs::build().map_err(|why| format!("building the programs failed: {why}"))
}

/// The program called `name`, from the one table.
pub fn section(name: &str) -> Result<Section, String> {
    named(name).ok_or_else(|| format!("no section or example named {name}"))
}

/// The command a reader types to run `section` with `args`, as the book
/// shows it.
pub fn command(section: &Section, args: &str) -> String {
    format!("$ {}", section.command_with(args))
}
