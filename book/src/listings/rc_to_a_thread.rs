// ANCHOR: program
use std::rc::Rc;
use std::thread;

fn main() {
    let names = Rc::new(vec!["Ada", "Grace"]);
    let theirs = Rc::clone(&names);
    let handle = thread::spawn(move || theirs.len());
    println!("{} names, {} counted", names.len(), handle.join().unwrap());
}
// ANCHOR_END: program
// Does not compile, on purpose: threads-and-channels.md shows the error,
// and `tests/book.rs` checks that rustc still gives it.
