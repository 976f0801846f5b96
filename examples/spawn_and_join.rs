//! Threads without a queue: `spawn` and `join`, then scoped threads.
//!
//! Python's `Thread(target=f, args=(x,))`, `start()` and `join()` map onto
//! `std::thread::spawn` and `JoinHandle::join`. Run it with:
//!
//! ```text
//! cargo run --example spawn_and_join
//! ```

use std::io::{self, ErrorKind, Write};
use std::process::ExitCode;
use std::thread;

fn main() -> ExitCode {
    // It takes no flags: a flag given anyway is a mistake, and says so.
    match std::env::args().nth(1).as_deref() {
        None => {}
        Some("-h" | "--help") => {
            let help = "spawn_and_join: spawn and join, then scoped threads; no flags";
            return match writeln!(io::stdout(), "{help}") {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(3),
            };
        }
        Some(flag) => {
            let _ = writeln!(
                io::stderr(),
                "spawn_and_join: error: unexpected argument '{flag}' found (it takes none)"
            );
            return ExitCode::from(2);
        }
    }

    // ANCHOR: spawn
    let name = String::from("worker");
    // `spawn` starts the thread at once (there is no separate `start`).
    // `move` hands `name` to the thread: the thread may outlive `main`'s
    // stack frame, so it must own what it uses.
    let handle = thread::spawn(move || format!("{name} finished"));
    // `join` waits for the thread and returns what it returned, or `Err`
    // if it panicked.
    let message = handle.join().expect("the worker panicked");
    assert_eq!(message, "worker finished");
    // ANCHOR_END: spawn

    // ANCHOR: scope
    let items = vec![1, 2, 3];
    let mut total = 0;
    // Scoped threads may borrow from the enclosing function, because the
    // scope joins every thread before it returns.
    thread::scope(|scope| {
        let sum = scope.spawn(|| items.iter().sum::<i32>());
        let count = scope.spawn(|| items.len());
        total = sum.join().expect("sum panicked");
        assert_eq!(count.join().expect("count panicked"), 3);
    });
    assert_eq!(total, 6);
    // ANCHOR_END: scope
    // `println!` panics when stdout cannot be written (a full disk, a closed
    // pipe); `writeln!` returns the error, to end with the workspace's exit
    // codes instead (3: cannot write; 141: the reader went away).
    match writeln!(
        io::stdout(),
        "{message}; the scoped threads summed {items:?} to {total}"
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == ErrorKind::BrokenPipe => ExitCode::from(141),
        Err(error) => {
            let _ = writeln!(
                io::stderr(),
                "spawn_and_join: error: cannot write the output: {error}"
            );
            ExitCode::from(3)
        }
    }
}
