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
//! one that never will be. [`install`] sets a panic hook, one place for the
//! whole program, that ends the process at once instead, with one line and
//! an exit code of its own, so that producers and consumers stay plain.
//! Every other panic (a bug, or `--panic-at`) is reported as usual.

use std::io::{self, Write};
use std::panic;
use std::process;

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

/// How the program ends after a failure of the system rather than of the
/// program: an exit code, and the line to say on stderr (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The exit code.
    pub code: u8,
    /// What to tell the user, or `None` to end quietly.
    pub line: Option<String>,
}

/// What a panic with this message means, if it is one of the system's
/// refusals: `None` for any other panic.
pub fn refusal(message: &str) -> Option<Refusal> {
    if let Some(error) = message.strip_prefix("failed printing to stdout: ") {
        // A reader that stops reading is not an error of this program.
        if error.contains("Broken pipe") {
            return Some(Refusal {
                code: CLOSED_PIPE,
                line: None,
            });
        }
        return Some(Refusal {
            code: CANNOT_WRITE,
            line: Some(format!("error: cannot write the output: {error}")),
        });
    }
    if message.starts_with("failed printing to stderr") {
        // Nowhere left to say it.
        return Some(Refusal {
            code: CANNOT_WRITE,
            line: None,
        });
    }
    if let Some(error) = message.strip_prefix("failed to spawn thread: ") {
        return Some(Refusal {
            code: NO_THREAD,
            line: Some(format!(
                "error: could not start a thread: the system refused it ({})",
                os_message(error)
            )),
        });
    }
    None
}

/// The readable part of a debug-printed `io::Error`:
/// `Os { code: 11, kind: WouldBlock, message: "Resource temporarily
/// unavailable" }` gives `Resource temporarily unavailable`.
fn os_message(error: &str) -> &str {
    error
        .split_once("message: \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or(error, |(message, _)| message)
}

// ANCHOR: install
/// Makes the system's refusals end the program `name` with one line and
/// their own exit code (see [`refusal`]); other panics are reported as
/// before. Call it first thing in `main`.
pub fn install(name: &'static str) {
    let report_as_usual = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        match refusal(&crate::threads::panic_message(info.payload())) {
            Some(Refusal { code, line }) => {
                if let Some(line) = line {
                    say(&format!("{name}: {line}"));
                }
                // Ends every thread now: the others may be waiting for this
                // one, and would wait for ever.
                process::exit(code.into());
            }
            None => report_as_usual(info),
        }
    }));
}
// ANCHOR_END: install

/// Writes one line on stderr, if stderr can be written at all: a message
/// that cannot be shown must not turn into a panic of its own.
pub fn say(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_an_error_with_its_own_code() {
        let refusal =
            refusal("failed printing to stdout: No space left on device (os error 28)").unwrap();
        assert_eq!(refusal.code, CANNOT_WRITE);
        assert_eq!(
            refusal.line.as_deref(),
            Some("error: cannot write the output: No space left on device (os error 28)")
        );
    }

    #[test]
    fn a_closed_pipe_ends_quietly() {
        let refusal = refusal("failed printing to stdout: Broken pipe (os error 32)").unwrap();
        assert_eq!(
            refusal,
            Refusal {
                code: CLOSED_PIPE,
                line: None
            }
        );
    }

    #[test]
    fn a_refused_thread_is_named_in_plain_words() {
        let message = "failed to spawn thread: Os { code: 11, kind: WouldBlock, \
                       message: \"Resource temporarily unavailable\" }";
        let refusal = refusal(message).unwrap();
        assert_eq!(refusal.code, NO_THREAD);
        assert_eq!(
            refusal.line.as_deref(),
            Some(
                "error: could not start a thread: the system refused it \
                 (Resource temporarily unavailable)"
            )
        );
    }

    #[test]
    fn other_panics_are_not_refusals() {
        for message in [
            "",
            "Consumer 2 failed while working on item (3, 0.5)",
            "failed to spawn",
        ] {
            assert_eq!(refusal(message), None, "{message:?}");
        }
    }
}
