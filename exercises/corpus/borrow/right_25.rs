//! Right: scoped threads with borrowed settings; the thread names are owned Strings made with str::to_owned (nothing of the settings is cloned).

use std::thread;

use common::{Item, Message, Program, Settings};
use flume::{Receiver, Sender};

const PROGRAM: Program = Program {
    name: "borrow",
    about: "Exercise: threads that borrow what main owns",
    producers: 1,
    consumers: 1,
    items: 10,
};

fn producer(queue: Sender<Message>, settings: &Settings) {
    let me: String = "Producer".to_owned();
    println!("{me}: Running");
    let mut rng = settings.rng(0);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
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
fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let settings = &settings;
    thread::scope(|scope| {
        let roles: [Box<dyn FnOnce() + Send + '_>; 2] = [
            Box::new(move || consumer(receiver, settings)),
            Box::new(move || producer(sender, settings)),
        ];
        let handles: Vec<_> = roles.into_iter().map(|role| scope.spawn(role)).collect();
        for handle in handles {
            handle.join().expect("a thread");
        }
    });
}
