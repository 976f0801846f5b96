//! The invariant checker: what must be true of every run, whatever the
//! order the threads ran in.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write};

use crate::events::{Actor, Event, Role, What};
use crate::item::{Item, expected_items};
use crate::section::{Kind, Section, Settings};

/// What the checker found in a run: its problems (none for a good run), and
/// the consumed items, each with the producer that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Each broken rule, in words; empty when the run is good.
    pub problems: Vec<String>,
    /// Every item a consumer got, in the order they were printed, with the
    /// producer that made it (`None` for an item no producer made).
    pub consumed: Vec<(Option<usize>, Item)>,
    /// Every item put in the buffer (or due to be) that no consumer got
    /// and no shutdown dropped, with the producer that made it.
    pub never_consumed: Vec<(usize, Item)>,
}

impl Verdict {
    /// Whether the run kept every rule.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The actors a run of `section` with `config` must show, in the order the
/// checker reports them.
pub fn expected_actors(section: &Section, config: &Settings) -> Vec<Actor> {
    let numbered = |role, count: crate::Count, n: usize| -> Vec<Actor> {
        let n = if count.numbered() { n } else { 1 };
        (0..n)
            .map(|id| Actor::nth(role, count.numbered(), id))
            .collect()
    };
    let mut actors = numbered(Role::Producer, section.producers, config.producers);
    actors.extend(numbered(
        Role::Consumer,
        section.consumers,
        config.consumers,
    ));
    actors
}

/// Checks a run's events against every rule the pattern promises:
///
/// - each thread prints exactly one `Running` line, first, and exactly one
///   `Done` line, last; no other thread prints anything;
/// - every item the producers make is consumed exactly once, and nothing
///   else is consumed;
/// - each consumer gets each producer's items in the order they were made
///   (the buffer is first in, first out);
/// - producers that print `added` lines print their items in order;
/// - a bounded buffer never holds more items than its capacity (seen
///   from the `added` lines, where the section prints them);
/// - no consumer gets ahead of a producer's `added` lines by more than
///   one item (where the section prints them);
/// - every value is in `[0, 1)`.
///
/// The items the producers make are known from the seed, so the checker
/// works on printed output as well as on kept events.
pub fn check(section: &Section, config: &Settings, events: &[Event]) -> Verdict {
    let run = Run::new(section, config, events);
    let mut problems = Vec::new();
    run.consumers_left_early(&mut problems);
    run.status_lines(&mut problems);
    let sent = run.sent(&mut problems);
    let taken = run.taken(&mut problems);
    let never_consumed = run.counts(&sent, &taken, &mut problems);
    run.added_in_order(&sent, &taken.added, &mut problems);
    run.buffer_lines(&mut problems);
    Verdict {
        problems,
        consumed: taken.consumed,
        never_consumed,
    }
}

/// A run under check: its settings, its events by thread, and the items
/// its producers made (known from the seed).
struct Run<'a> {
    section: &'a Section,
    config: &'a Settings,
    events: &'a [Event],
    /// The threads the run must show, producers first.
    actors: Vec<Actor>,
    /// What each thread printed, in order.
    per_actor: HashMap<Actor, Vec<What>>,
    /// Each producer's items.
    made: Vec<Vec<Item>>,
    /// Which producer made the item `(i, value bits)`.
    maker: HashMap<(usize, u64), usize>,
    /// Whether a consumer shut the queue down.
    shut_down: bool,
}

/// What the consumers took, as the events say.
struct Taken {
    /// Every item a consumer got, with its producer, in printed order.
    consumed: Vec<(Option<usize>, Item)>,
    /// How many times each `(producer, i)` was taken (got or dropped).
    times: HashMap<(usize, usize), usize>,
    /// How many times each item was reclaimed from a consumer that died.
    reclaimed: HashMap<(usize, u64), usize>,
    /// Items dropped by a shutdown.
    dropped: usize,
    /// Each producer's `added` items, in order.
    added: HashMap<Actor, Vec<Item>>,
}

impl<'a> Run<'a> {
    fn new(section: &'a Section, config: &'a Settings, events: &'a [Event]) -> Run<'a> {
        let mut per_actor: HashMap<Actor, Vec<What>> = HashMap::new();
        for event in events {
            per_actor.entry(event.actor).or_default().push(event.what);
        }
        let made: Vec<Vec<Item>> = (0..config.producers)
            .map(|p| expected_items(config.seed, p, config.items))
            .collect();
        let mut maker = HashMap::new();
        for (producer, items) in made.iter().enumerate() {
            for item in items {
                maker.insert((item.i, item.value.to_bits()), producer);
            }
        }
        Run {
            section,
            config,
            events,
            actors: expected_actors(section, config),
            per_actor,
            made,
            maker,
            shut_down: events.iter().any(|e| e.what == What::ShutDown),
        }
    }

    /// The producer that made `item`, if any did.
    fn maker_of(&self, item: &Item) -> Option<usize> {
        self.maker.get(&(item.i, item.value.to_bits())).copied()
    }

    /// The producers, in number order.
    fn producers(&self) -> impl Iterator<Item = Actor> + '_ {
        self.actors
            .iter()
            .copied()
            .filter(|a| a.role == Role::Producer)
    }

    /// What thread `actor` printed.
    fn printed_by(&self, actor: &Actor) -> &[What] {
        self.per_actor.get(actor).map_or(&[], Vec::as_slice)
    }

    /// The cause, where the consumers stopped before the items did: every
    /// consumer printed `Done` while a producer still had items to add
    /// (it added fewer than it made, refused none, and printed its own
    /// `Done` after theirs), as its `send` failed with nobody left to read.
    /// Said first: the counts that follow show only the effect. Only where
    /// the section prints `added` lines.
    fn consumers_left_early(&self, problems: &mut Vec<String>) {
        if !self.section.prints_added || self.section.kind == Kind::Beyond {
            return;
        }
        let consumers: Vec<Actor> = self
            .actors
            .iter()
            .copied()
            .filter(|a| a.role == Role::Consumer)
            .collect();
        let done_at = |actor: &Actor| {
            self.events
                .iter()
                .position(|e| e.actor == *actor && e.what == What::Done)
        };
        let Some(last_consumer_done) = consumers
            .iter()
            .map(done_at)
            .collect::<Option<Vec<usize>>>()
            .and_then(|at| at.into_iter().max())
        else {
            return;
        };
        for (p, actor) in self.producers().enumerate() {
            let printed = self.printed_by(&actor);
            let added = printed
                .iter()
                .filter(|w| matches!(w, What::Added(_)))
                .count();
            let refused = printed.iter().any(|w| matches!(w, What::Refused(_)));
            let made = self.made[p].len();
            if added < made && !refused && done_at(&actor).is_some_and(|at| at > last_consumer_done)
            {
                problems.push(format!(
                    "the consumers stopped while {actor} still had items to add: every consumer \
                     printed `Done`, then {actor} added no more ({added} of its {made}), as its \
                     `send` failed with nobody left to read. A consumer must stop only once no \
                     more items can come"
                ));
            }
        }
    }

    /// Status lines: one `Running` first and one `Done` last, per thread,
    /// and no thread the run does not have.
    fn status_lines(&self, problems: &mut Vec<String>) {
        for event in self.events {
            if !self.actors.contains(&event.actor) {
                problems.push(format!("unexpected thread: {:?}", event.to_string()));
            }
        }
        for actor in &self.actors {
            let whats = self.printed_by(actor);
            let count = |wanted: What| whats.iter().filter(|&&w| w == wanted).count();
            if whats.first() != Some(&What::Running) || count(What::Running) != 1 {
                problems.push(format!("{actor} must print `Running` once, first"));
            }
            // A process that was killed cannot print `Done`: the program that
            // started it prints `Killed` for it instead.
            let ends = count(What::Done) + count(What::Killed);
            if !matches!(whats.last(), Some(What::Done | What::Killed)) || ends != 1 {
                problems.push(format!("{actor} must print `Done` once, last"));
            }
        }
    }

    /// The items each producer put in the buffer: all it made, except
    /// that a shutdown ends a producer early: its first refused item, and
    /// nothing after it, stays out.
    fn sent(&self, problems: &mut Vec<String>) -> Vec<&[Item]> {
        let made = &self.made;
        let mut sent: Vec<&[Item]> = made.iter().map(Vec::as_slice).collect();
        for (p, actor) in self.producers().enumerate() {
            let refused: Vec<Item> = self
                .printed_by(&actor)
                .iter()
                .filter_map(|what| match what {
                    What::Refused(item) => Some(*item),
                    _ => None,
                })
                .collect();
            match refused.as_slice() {
                [] => {}
                [item] if made[p].get(item.i) == Some(item) && self.shut_down => {
                    sent[p] = &made[p][..item.i];
                }
                _ => problems.push(format!(
                    "{actor} may have one item refused, one of its own, and only after a shutdown"
                )),
            }
        }
        sent
    }

    /// What the consumers took, with what is wrong in each line: an item
    /// nobody made, dropped with no shutdown, out of its producer's order,
    /// or with a value outside `[0, 1)`.
    fn taken(&self, problems: &mut Vec<String>) -> Taken {
        let mut taken = Taken {
            consumed: Vec::new(),
            times: HashMap::new(),
            reclaimed: HashMap::new(),
            dropped: 0,
            added: HashMap::new(),
        };
        let mut last_seen: HashMap<(Actor, usize), usize> = HashMap::new();
        for event in self.events {
            match event.what {
                What::Got(item)
                | What::Reclaimed(item)
                | What::Duplicated(item)
                | What::Dropped(item) => {
                    self.take(event, item, &mut taken, problems);
                    if let Some(p) = self.maker_of(&item) {
                        in_order(event, item, p, &mut last_seen, problems);
                    }
                }
                What::Added(item) => taken.added.entry(event.actor).or_default().push(item),
                _ => {}
            }
            if let What::Got(item)
            | What::Reclaimed(item)
            | What::Duplicated(item)
            | What::Added(item)
            | What::Refused(item)
            | What::Dropped(item) = event.what
                && !(0.0..1.0).contains(&item.value)
            {
                problems.push(format!("{item} has a value outside [0, 1)"));
            }
        }
        taken
    }

    /// Counts one item a consumer took (or a shutdown dropped).
    fn take(&self, event: &Event, item: Item, taken: &mut Taken, problems: &mut Vec<String>) {
        let producer = self.maker_of(&item);
        if let What::Reclaimed(_) = event.what {
            let key = (item.i, item.value.to_bits());
            *taken.reclaimed.entry(key).or_default() += 1;
        }
        if let What::Dropped(_) = event.what {
            taken.dropped += 1;
            if !self.shut_down {
                problems.push(format!("{item} was dropped, but nobody shut down"));
            }
        } else {
            taken.consumed.push((producer, item));
        }
        match producer {
            None => problems.push(format!("{item} was taken but never produced")),
            Some(p) => *taken.times.entry((p, item.i)).or_default() += 1,
        }
    }

    /// Every item put in the buffer taken once, and the totals agree;
    /// returns the items never consumed. Delivery is at least once: an
    /// item taken over from a consumer that died may have been processed
    /// by it before; once more per reclaim at most.
    fn counts(
        &self,
        sent: &[&[Item]],
        taken: &Taken,
        problems: &mut Vec<String>,
    ) -> Vec<(usize, Item)> {
        let mut never_consumed = Vec::new();
        let mut repeats = 0;
        for (p, items) in self.made.iter().enumerate() {
            for (k, item) in items.iter().enumerate() {
                let wanted = usize::from(k < sent[p].len());
                let again = taken.reclaimed.get(&(item.i, item.value.to_bits()));
                match (taken.times.get(&(p, item.i)).copied().unwrap_or(0), wanted) {
                    (n, w) if n == w => {}
                    (n, 1) if n > 1 && n - 1 <= again.copied().unwrap_or(0) => repeats += n - 1,
                    (0, _) => {
                        problems.push(format!("item {item} of producer {p} was never consumed"));
                        never_consumed.push((p, *item));
                    }
                    (n, 0) => problems.push(format!(
                        "item {item} of producer {p} was taken {n} times, but never put in the buffer"
                    )),
                    (n, _) => problems.push(format!(
                        "item {item} of producer {p} was consumed {n} times"
                    )),
                }
            }
        }
        let put: usize = sent.iter().map(|items| items.len()).sum();
        let (consumed, dropped) = (taken.consumed.len(), taken.dropped);
        if consumed - repeats + dropped != put {
            problems.push(format!(
                "{consumed} items consumed and {dropped} dropped, but {put} were put in the buffer \
                 ({} producer{} x {} items, less any refused)",
                self.config.producers,
                if self.config.producers == 1 { "" } else { "s" },
                self.config.items
            ));
        }
        never_consumed
    }

    /// `added` events: exactly the items the producer put, in order. Kept
    /// events always have them; printed output has them where the section
    /// prints them, which `check_printed` checks.
    fn added_in_order(
        &self,
        sent: &[&[Item]],
        added: &HashMap<Actor, Vec<Item>>,
        problems: &mut Vec<String>,
    ) {
        for (p, actor) in self.producers().enumerate() {
            let added = added.get(&actor).map_or(&[][..], Vec::as_slice);
            if (self.section.prints_added || !added.is_empty()) && added != sent[p] {
                problems.push(format!("{actor} must add each of its items once, in order"));
            }
        }
    }

    /// The buffer as the `added` and taken-out lines tell it, walked once,
    /// for two rules. Only where the section prints `added` lines.
    ///
    /// - A bounded buffer holds at most `capacity` items: at any point, the
    ///   items added and not yet taken out are those in the buffer, plus at
    ///   most one in each consumer's hands (a producer prints `added` after
    ///   its `send`, and a consumer `got` after its work, or `dropped` as it
    ///   throws the item away). An item is taken out once, at its first
    ///   line, whatever lines follow for it.
    /// - An item is added before it is taken out: a producer sends its next
    ///   item only after its `added` line, so the consumers can be ahead of
    ///   its lines by one item at the most, the one between its `send` and
    ///   its line. A producer whose lines come later than that (kept back
    ///   and printed at the end, say) shows a buffer emptier than it was.
    ///
    /// Not for the Redis program (`Kind::Beyond`): its consumers
    /// acknowledge a whole batch, which frees the room, before they print
    /// a line for any of it, and its lines come from separate processes,
    /// merged in the order they reach the parent, not the order things
    /// happened; its own tests look at the stream's length instead.
    fn buffer_lines(&self, problems: &mut Vec<String>) {
        if !self.section.prints_added || self.section.kind == Kind::Beyond {
            return;
        }
        let consumers = self
            .actors
            .iter()
            .filter(|a| a.role == Role::Consumer)
            .count();
        // Each rule says its first breach only.
        let mut capacity = self.config.capacity;
        let mut in_step = true;
        let (mut added, mut taken_out) = (0_usize, HashSet::new());
        let mut added_by = vec![0_usize; self.made.len()];
        let mut taken_out_of: Vec<HashSet<usize>> = vec![HashSet::new(); self.made.len()];
        for event in self.events {
            let (What::Added(item)
            | What::Got(item)
            | What::Dropped(item)
            | What::Reclaimed(item)
            | What::Duplicated(item)) = event.what
            else {
                continue;
            };
            let is_added = matches!(event.what, What::Added(_));
            if is_added {
                added += 1;
            } else {
                taken_out.insert((item.i, item.value.to_bits()));
            }
            let out = taken_out.len();
            if let Some(room) = capacity
                && added.saturating_sub(out) > room + consumers
            {
                problems.push(format!(
                    "the buffer held more items than its capacity: {added} added and {out} \
                     taken out after the line {:?}, with --capacity {room} and \
                     {consumers} consumer(s) (or a line came later than what it says: \
                     each must be printed as it happens)",
                    event.to_string()
                ));
                capacity = None;
            }
            if let Some(p) = self.maker_of(&item)
                && in_step
            {
                if is_added {
                    added_by[p] += 1;
                    continue;
                }
                taken_out_of[p].insert(item.i);
                if taken_out_of[p].len() > added_by[p] + 1 {
                    problems.push(format!(
                        "{} took item {} of producer {p} out of the buffer when producer {p} \
                         had printed only {} `added` line(s): a line came later than what it \
                         says (each must be printed as it happens, an `added` line right \
                         after its `send`)",
                        event.actor, item.i, added_by[p],
                    ));
                    in_step = false;
                }
            }
        }
    }
}

/// Each consumer gets each producer's items in order: `item`, made by
/// producer `p`, must come after the last one `event`'s consumer got.
fn in_order(
    event: &Event,
    item: Item,
    p: usize,
    last_seen: &mut HashMap<(Actor, usize), usize>,
    problems: &mut Vec<String>,
) {
    if let What::Got(_) = event.what
        && let Some(&before) = last_seen.get(&(event.actor, p))
        && before >= item.i
    {
        problems.push(format!(
            "{} got item {} of producer {p} after item {before}",
            event.actor, item.i
        ));
    }
    // A reclaimed item is an old one, out of order by nature; so is the
    // late end of a claimed one.
    if !matches!(event.what, What::Reclaimed(_) | What::Duplicated(_)) {
        last_seen.insert((event.actor, p), item.i);
    }
}

/// Checks a program's printed output: every rule of [`check`], plus the
/// format of the section's lines: `added` lines where the section prints
/// them and nowhere else, and no marks.
pub fn check_printed(section: &Section, config: &Settings, events: &[Event]) -> Verdict {
    let mut verdict = check(section, config, events);
    for event in events {
        let wrong = match event.what {
            What::Added(_) => !section.prints_added,
            what => what.is_mark(),
        };
        if wrong {
            verdict.problems.push(format!(
                "{} does not print {:?}",
                section.name,
                event.to_string()
            ));
            break;
        }
    }
    verdict
}

/// A view of a run that is the same every time the run is repeated with
/// the same settings: what a snapshot test compares.
///
/// It holds the settings, how many events of each kind there were, the
/// items of each producer, every consumed item in sorted order, and the
/// checker's verdict; not the interleaving, which changes from run to run.
pub fn summary(section: &Section, config: &Settings, events: &[Event]) -> String {
    let verdict = check(section, config, events);
    let mut out = String::new();
    let capacity = match config.capacity {
        Some(slots) => slots.to_string(),
        None => "unbounded".to_string(),
    };
    let _ = writeln!(
        out,
        "{}: {} x {}, {}, capacity {capacity}, seed {}",
        section.name,
        plural(config.producers, "producer"),
        plural(config.items, "item"),
        plural(config.consumers, "consumer"),
        config.seed
    );
    // What the program printed (marks, which a timeline adds, left out).
    let count = |pick: fn(&What) -> bool| {
        let printed = events.iter().filter(|e| section.prints(e));
        printed.filter(|e| pick(&e.what)).count()
    };
    let added = if section.prints_added {
        format!("{} added, ", count(|w| matches!(w, What::Added(_))))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "events: {} Running, {added}{} got, {} Done",
        count(|w| matches!(w, What::Running)),
        count(|w| matches!(w, What::Got(_))),
        count(|w| matches!(w, What::Done)),
    );
    let (refused, dropped) = (
        count(|w| matches!(w, What::Refused(_))),
        count(|w| matches!(w, What::Dropped(_))),
    );
    if refused + dropped > 0 {
        let _ = writeln!(out, "shutdown: {refused} refused, {dropped} dropped");
    }
    for p in 0..config.producers {
        let mut items: Vec<Item> = verdict
            .consumed
            .iter()
            .filter(|(maker, _)| *maker == Some(p))
            .map(|&(_, item)| item)
            .collect();
        items.sort_by_key(|item| item.i);
        let _ = writeln!(out, "producer {p} made: {}", join(&items));
    }
    let mut all: Vec<Item> = verdict.consumed.iter().map(|&(_, item)| item).collect();
    all.sort_by(|a, b| a.value.total_cmp(&b.value).then(a.i.cmp(&b.i)));
    out.push_str("consumed, sorted by value:\n");
    for item in all {
        let _ = writeln!(out, "  {item}");
    }
    if verdict.is_ok() {
        out.push_str("checker: ok\n");
    } else {
        for problem in &verdict.problems {
            let _ = writeln!(out, "checker: {problem}");
        }
    }
    out
}

/// `1 item`, `3 items`.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn join(items: &[Item]) -> String {
    let mut text = String::new();
    for item in items {
        if !text.is_empty() {
            text.push(' ');
        }
        let _ = write!(text, "{item}");
    }
    text
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_ok() {
            return write!(f, "ok: {} items consumed", self.consumed.len());
        }
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
