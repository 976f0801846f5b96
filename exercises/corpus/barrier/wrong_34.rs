//! Wrong: the barrier's leader sends the one sentinel through a `Sender` of the file's own that lets it go, and the consumer ends only once every sender is gone: ending by disconnection, with a sentinel in the text and none in the channel
//! Exercise `barrier`, answered with a stand-in `Sender`.

use std::sync::Barrier;
use std::thread;

use common::{Item, Message, Program, Settings};
use flume::Receiver;

/// The channel's sender, but a sentinel never leaves: the consumer ends
/// once every sender is gone instead.
struct Sender<T>(flume::Sender<T>);

impl Sender<Message> {
    fn send(&self, message: Message) -> Result<(), flume::SendError<Message>> {
        match message {
            Message::Sentinel => Ok(()),
            item => self.0.send(item),
        }
    }
}

const PROGRAM: Program = Program {
    name: "barrier",
    about: "Exercise: many producers, one consumer, one sentinel",
    producers: 3,
    consumers: 1,
    items: 5,
};

fn producer(id: usize, queue: Sender<Message>, barrier: &Barrier, settings: &Settings) {
    let me = format!("Producer {id}");
    println!("{me}: Running");
    let mut rng = settings.rng(id);
    for i in 0..settings.items {
        let item = Item {
            i,
            value: rng.random(),
        };
        thread::sleep(settings.effort(&me, item));
        if queue.send(Message::Item(item)).is_err() {
            break; // The consumer is gone.
        }
    }
    // Wait for every producer's last item; one of them, the leader, then
    // tells the consumer that no more will come.
    if barrier.wait().is_leader() {
        let _ = queue.send(Message::Sentinel);
    }
    println!("{me}: Done");
}

fn consumer(queue: Receiver<Message>, settings: &Settings) {
    println!("Consumer: Running");
    loop {
        // Only the sentinel ends the stream: if the channel closes first,
        // every producer has ended and none sent it.
        let message = queue.recv().expect("no producer sent the sentinel");
        match message {
            Message::Item(item) => {
                thread::sleep(settings.effort("Consumer", item));
                println!(">consumer got {item}");
            }
            Message::Sentinel => break,
        }
    }
    println!("Consumer: Done");
}

fn main() {
    let settings = Settings::from_command_line(&PROGRAM);
    let (sender, receiver) = match settings.capacity {
        Some(capacity) => flume::bounded(capacity),
        None => flume::unbounded(),
    };
    let barrier = Barrier::new(settings.producers);
    thread::scope(|scope| {
        scope.spawn(|| consumer(receiver, &settings));
        for id in 0..settings.producers {
            let (sender, barrier, settings) = (Sender(sender.clone()), &barrier, &settings);
            scope.spawn(move || producer(id, sender, barrier, settings));
        }
        drop(sender);
    });
}
