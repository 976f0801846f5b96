//! Right: both roles are started in a loop over an enum with thread::Builder::spawn_scoped (named threads), consumer first; the scope joins both.

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "rendezvous",
    about: "Exercise: a producer and a consumer on a bounded buffer",
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
            break;
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
enum Role {
    Consumer(Receiver<Message>),
    Producer(Sender<Message>),
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let settings = &settings;
    thread::scope(|scope| {
        for role in [Role::Consumer(receiver), Role::Producer(sender)] {
            let name = match role {
                Role::Consumer(_) => "consumer",
                Role::Producer(_) => "producer",
            };
            let started = thread::Builder::new()
                .name(name.into())
                .spawn_scoped(scope, move || match role {
                    Role::Consumer(queue) => consumer(queue, settings),
                    Role::Producer(queue) => producer(queue, settings),
                });
            if let Err(error) = started {
                // The same words as thread::spawn's, for common's hook.
                panic!("failed to spawn thread: {error:?}");
            }
        }
    });
}
