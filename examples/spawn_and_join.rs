//! Threads without a queue: `spawn` and `join`, then scoped threads.
//!
//! Python's `Thread(target=f, args=(x,))`, `start()` and `join()` map onto
//! `std::thread::spawn` and `JoinHandle::join`. Run it with:
//!
//! ```text
//! cargo run --example spawn_and_join
//! ```

use std::thread;

fn main() {
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
    println!("{message}; the scoped threads summed {items:?} to {total}");
}
