//! Right: a Consumer struct with methods; take_while over iter(); receiver dropped (by moving self apart) before passing on.
use std::panic::{self, AssertUnwindSafe};
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "pass_it_on",
    about: "Exercise: one producer, many consumers, one sentinel",
    producers: 1,
    consumers: 3,
    items: 10,
};

fn producer(queue: Sender<Message>, settings: &Settings) {
    println!("Producer: Running");
    // Even if making the items panics, the sentinel goes out before the
    // panic is passed on: the consumers hold senders, so the channel never
    // closes by itself, and without it they would wait for ever.
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = settings.rng(0);
        for i in 0..settings.items {
            let item = Item {
                i,
                value: rng.random(),
            };
            thread::sleep(settings.effort("Producer", item));
            let _ = queue.send(Message::Item(item));
        }
    }));
    let _ = queue.send(Message::Sentinel);
    if let Err(panic) = made {
        panic::resume_unwind(panic);
    }
    println!("Producer: Done");
}

struct Consumer<'a> {
    id: usize,
    queue: Receiver<Message>,
    requeue: Sender<Message>,
    settings: &'a Settings,
}

impl Consumer<'_> {
    fn name(&self) -> String {
        format!("Consumer {}", self.id)
    }

    fn process(&self, item: Item) {
        thread::sleep(self.settings.effort(&self.name(), item));
        println!(">consumer {} got {item}", self.id);
    }

    fn run(self) {
        let me = self.name();
        println!("{me}: Running");
        for message in self
            .queue
            .iter()
            .take_while(|m| matches!(m, Message::Item(_)))
        {
            if let Message::Item(item) = message {
                self.process(item);
            }
        }
        let Consumer { queue, requeue, .. } = self;
        drop(queue);
        // The loop ends only at the sentinel: the channel cannot close
        // while I hold requeue. Hand it to whoever is still receiving.
        let _ = requeue.send(Message::Sentinel);
        println!("{me}: Done");
    }
}

fn consumer(id: usize, queue: Receiver<Message>, requeue: Sender<Message>, settings: &Settings) {
    Consumer {
        id,
        queue,
        requeue,
        settings,
    }
    .run();
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    thread::scope(|scope| {
        for id in 0..settings.consumers {
            let (receiver, requeue) = (receiver.clone(), sender.clone());
            let settings = &settings;
            scope.spawn(move || consumer(id, receiver, requeue, settings));
        }
        drop(receiver);
        scope.spawn(|| producer(sender, &settings));
    });
}
