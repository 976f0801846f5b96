//! How a program ends, and what it does when the system says no.
//!
//! Two calls that every threaded program makes can fail for reasons that
//! have nothing to do with its producers and consumers:
//!
//! - `println!` panics when standard output cannot be written: the disk is
//!   full, or the reader of a pipe (`| head -1`) has gone away;
//! - `thread::scope`'s `spawn` panics when the system refuses a new thread
//!   (too many processes, too little memory).
//!
//! Left alone, either panic prints a message and a backtrace, and a refused
//! thread can even hang the program: the threads already started wait for
//! one that never will be. [`install`] sets `common`'s panic hook, one place
//! for the whole program, that ends the process at once instead, with one
//! line and an exit code of its own, so that producers and consumers stay
//! plain. Every other panic (a bug, or `--panic-at`) is reported as usual.

use std::io::{self, Write};

/// Every thread was joined and every item accounted for.
pub const OK: u8 = 0;
/// A thread panicked: the program names it, and the items never processed.
pub const PANICKED: u8 = 1;
/// Bad command-line input, as for any Unix tool.
pub const USAGE: u8 = 2;
/// The output could not be written: standard output (a full disk) or the
/// `--timeline` file.
pub const CANNOT_WRITE: u8 = 3;
/// The system refused to start a thread.
pub const NO_THREAD: u8 = 4;
/// Standard output was closed by its reader (`| head -1`): the program
/// stops quietly, with the code a shell gives a program ended by `SIGPIPE`
/// (128 + 13).
pub const CLOSED_PIPE: u8 = 141;

/// The exit codes and what each means, for `--help`.
pub const CODES: &str = "\
Exit codes:
  0    the run finished, every thread joined
  1    a thread panicked
  2    bad command-line input, or a --timeline file that cannot be written
  3    the output, or the --timeline file after the run, could not be written
  4    the system refused to start a thread
  141  standard output was closed by its reader (as in `| head -1`)";

/// Makes the system's refusals end the program `name` with one line and
/// their own exit code; other panics are reported as before. The same
/// panic hook as the plain programs' ([`common::end_cleanly_when_refused`]).
pub fn install(name: &'static str) {
    common::end_cleanly_when_refused(name);
}

/// Writes one line on stderr, if stderr can be written at all: a message
/// that cannot be shown must not turn into a panic of its own.
pub fn say(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}
