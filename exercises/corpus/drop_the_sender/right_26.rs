//! Right: every thread is a Role enum value (Producer owns a Sender, Consumer a Receiver) built into a Vec and spawned in one loop; main's own ends are moved in, none kept.

use std::thread;

use common::{Item, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "drop_the_sender",
    about: "Exercise: the end of the items without a sentinel",
    producers: 3,
    consumers: 5,
    items: 10,
};
/// Makes its items and sends them. Returning drops `queue`, this
/// producer's `Sender`: that is its whole shutdown.
fn producer(id: usize, queue: Sender<Item>, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if queue.send(item).is_err() {
            break; // Every consumer is gone.
        }
    }
    println!("{me}: Done");
}
/// Processes items until the channel is empty and disconnected.
fn consumer(id: usize, queue: Receiver<Item>, settings: &Settings) {
    let me = format!("Consumer {id}");
    println!("{me}: Running");
    // The loop waits while the channel is empty, and ends once it is empty
    // and every sender has been dropped.
    for item in queue {
        thread::sleep(settings.effort(&me, item));
        println!(">consumer {id} got {item}");
    }
    println!("{me}: Done");
}
enum Role {
    Producer(usize, Sender<Item>),
    Consumer(usize, Receiver<Item>),
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let mut roles: Vec<Role> = (1..settings.consumers)
        .map(|id| Role::Consumer(id, receiver.clone()))
        .chain((1..settings.producers).map(|id| Role::Producer(id, sender.clone())))
        .collect();
    roles.push(Role::Consumer(0, receiver));
    roles.push(Role::Producer(0, sender));
    thread::scope(|scope| {
        let settings = &settings;
        for role in roles {
            scope.spawn(move || match role {
                Role::Producer(id, queue) => producer(id, queue, settings),
                Role::Consumer(id, queue) => consumer(id, queue, settings),
            });
        }
    });
}
