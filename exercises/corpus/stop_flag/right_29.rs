//! Right: right_3 plus the consumer sums its busy time with Instant and reports it on stderr; the clock decides nothing.
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use common::{Item, Program, Settings};
use flume::{Receiver, RecvTimeoutError, Sender};

const PROGRAM: Program = Program {
    name: "stop_flag",
    about: "Exercise: consumers that stop at a flag",
    producers: 1,
    consumers: 3,
    items: 10,
};

/// How long a consumer waits for an item before it looks at the flag.
const TIMEOUT: Duration = Duration::from_millis(5);

fn producer(queue: Sender<Item>, stop: &AtomicBool, settings: &Settings) {
    println!("Producer: Running");
    // Even if making the items panics, the flag goes up before the panic
    // is passed on: the channel never closes here, so without the flag
    // the consumers would wait for ever.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(0);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort("Producer", item));
            let _ = queue.send(item);
        }
    }));
    stop.store(true, Ordering::Release);
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("Producer: Done");
}

fn consumer(id: usize, queue: Receiver<Item>, stop: &AtomicBool, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    let mut busy = Duration::ZERO;
    'work: loop {
        // Read first: if the flag was already up, every item was already
        // sent, so a wait that finds nothing means nothing is left.
        let was_stopped = stop.load(Ordering::Acquire);
        let got = queue.recv_timeout(TIMEOUT);
        if matches!(got, Err(RecvTimeoutError::Disconnected))
            || (was_stopped && matches!(got, Err(RecvTimeoutError::Timeout)))
        {
            break 'work;
        }
        let Ok(item) = got else { continue 'work };
        let started = std::time::Instant::now();
        thread::sleep(settings.effort(&me, item));
        busy += started.elapsed();
        println!(">consumer {id} got {item}");
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("{me} busy {busy:?}\n").as_bytes(),
    );
    println!("{me}: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let stop = AtomicBool::new(false);
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, stop, settings) = (receiver.clone(), &stop, &settings);
            scope.spawn(move || consumer(id, receiver, stop, settings));
        }
        drop(receiver);
        // `main` keeps a sender until every thread is done, as a program
        // that may add more work would: the channel never closes here.
        scope.spawn(|| producer(sender.clone(), &stop, &settings));
    });
}
