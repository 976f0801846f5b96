// Does not compile, on purpose: threads-and-channels.md shows the error,
// and `tests/book.rs` checks that rustc still gives it.
// ANCHOR: program
use std::rc::Rc;
use std::sync::mpsc;
use std::thread;

fn main() {
    let (sender, receiver) = mpsc::channel();
    let producer = thread::spawn(move || {
        for i in 0..3 {
            sender.send(Rc::new(i)).unwrap();
        }
    });
    for item in receiver {
        println!("got {item}");
    }
    producer.join().unwrap();
}
// ANCHOR_END: program
