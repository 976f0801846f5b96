//! Wrong: off-by-one in the hand-made bound (`>` instead of `>=`): the buffer holds capacity+1 items, so with the consumer held up 3 items wait at --capacity 1 (capacity 0 is right).

use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "bound_it",
    about: "Exercise: a bounded buffer between a fast producer and a slow consumer",
    producers: 1,
    consumers: 1,
    items: 10,
};

/// Items sent and not yet taken, and whether the consumer has left.
struct Gate {
    state: Mutex<(usize, bool)>,
    changed: Condvar,
    capacity: Option<usize>,
}

impl Gate {
    fn lock(&self) -> std::sync::MutexGuard<'_, (usize, bool)> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
    /// Waits for room, then counts the item about to be sent.
    fn before_send(&self) {
        let mut s = self.lock();
        if let Some(c) = self.capacity {
            if c > 0 {
                while s.0 > c && !s.1 {
                    s = self.changed.wait(s).unwrap_or_else(|e| e.into_inner());
                }
            }
        }
        s.0 += 1;
    }
    /// At capacity 0, waits until the consumer has the item.
    fn after_send(&self) {
        if self.capacity == Some(0) {
            let mut s = self.lock();
            while s.0 > 0 && !s.1 {
                s = self.changed.wait(s).unwrap_or_else(|e| e.into_inner());
            }
        }
    }
    fn taken(&self) {
        let mut s = self.lock();
        s.0 = s.0.saturating_sub(1);
        self.changed.notify_all();
    }
    fn leave(&self) {
        let mut s = self.lock();
        s.1 = true;
        self.changed.notify_all();
    }
}

struct Leaving<'a>(&'a Gate);
impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        self.0.leave();
    }
}

/// What the consumer spends on each item, beyond its simulated effort:
/// it writes each one to a slow disk, say.
const SLOW: Duration = Duration::from_millis(2);

fn producer(queue: Sender<Message>, gate: &Gate, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        gate.before_send();
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
        gate.after_send();
        println!(">producer added {item}");
    }
    gate.before_send();
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}

fn consumer(queue: Receiver<Message>, gate: &Gate, settings: &Settings) {
    let _leaving = Leaving(gate);
    println!("Consumer: Running");
    while let Ok(message) = queue.recv() {
        gate.taken();
        let Message::Item(item) = message else { break };
        thread::sleep(settings.effort("Consumer", item));
        thread::sleep(SLOW);
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = flume::unbounded();
    let gate = Gate {
        state: Mutex::new((0, false)),
        changed: Condvar::new(),
        capacity: settings.capacity,
    };
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &gate, &settings));
        scope.spawn(|| producer(sender, &gate, &settings));
    });
}
