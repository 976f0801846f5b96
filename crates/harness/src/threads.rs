//! A run in which a thread panicked, as the harness reports it.

use std::fmt;

/// The threads of a run that panicked, with their messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked {
    /// `(thread, message)` for each thread that panicked.
    pub threads: Vec<(String, String)>,
}

impl fmt::Display for Panicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (thread, message)) in self.threads.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{thread} panicked: {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Panicked {}
