//! Right: the two threads live in a Crew struct whose method finish(self) joins every handle, then re-raises the first panic.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "swallowed_panic",
    about: "Exercise: a consumer's panic that must not go unheard",
    producers: 1,
    consumers: 1,
    items: 10,
};

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort("Producer", item));
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
        println!(">producer added {item}");
    }
    let _ = queue.send(Message::Sentinel);
    println!("Producer: Done");
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    while let Ok(Message::Item(item)) = queue.recv() {
        thread::sleep(settings.effort("Consumer", item));
        println!(">consumer got {item}");
    }
    println!("Consumer: Done");
}
struct Crew {
    handles: Vec<thread::JoinHandle<()>>,
}

impl Crew {
    fn start(&mut self, work: impl FnOnce() + Send + 'static) {
        self.handles.push(thread::spawn(work));
    }

    /// Joins every thread, then passes on the first panic, if any.
    fn finish(self) {
        let mut first = None;
        for handle in self.handles {
            if let Err(panic) = handle.join() {
                first.get_or_insert(panic);
            }
        }
        if let Some(panic) = first {
            std::panic::resume_unwind(panic);
        }
    }
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let mut crew = Crew {
        handles: Vec::new(),
    };
    let for_consumer = settings.clone();
    crew.start(move || consumer(receiver, &for_consumer));
    let for_producer = settings.clone();
    crew.start(move || producer(sender, &for_producer));
    crew.finish();
}
