//! Joining threads and reporting the ones that panicked.

use std::any::Any;
use std::fmt;
use std::thread::ScopedJoinHandle;

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

// ANCHOR: join_all
/// Joins every thread, waiting for each in turn, and names those that
/// panicked. Joining all of them (not stopping at the first panic) is what
/// lets `thread::scope` return normally instead of panicking itself.
pub fn join_all<'scope, I>(threads: I) -> Result<(), Panicked>
where
    I: IntoIterator<Item = (String, ScopedJoinHandle<'scope, ()>)>,
{
    let mut panicked = Vec::new();
    for (name, handle) in threads {
        if let Err(payload) = handle.join() {
            panicked.push((name, panic_message(payload.as_ref())));
        }
    }
    if panicked.is_empty() {
        Ok(())
    } else {
        Err(Panicked { threads: panicked })
    }
}
// ANCHOR_END: join_all

/// The text a thread panicked with, when it was a string.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(no message)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;

    #[test]
    fn names_every_thread_that_panicked() {
        let result = thread::scope(|s| {
            let fine = s.spawn(|| {});
            let broken = s.spawn(|| panic!("item 3 was bad"));
            let also_broken = s.spawn(|| std::panic::panic_any(String::from("and so was 4")));
            join_all([
                ("producer".to_string(), fine),
                ("consumer 0".to_string(), broken),
                ("consumer 1".to_string(), also_broken),
            ])
        });
        let error = result.unwrap_err();
        assert_eq!(
            error.to_string(),
            "consumer 0 panicked: item 3 was bad; consumer 1 panicked: and so was 4"
        );
    }
}
