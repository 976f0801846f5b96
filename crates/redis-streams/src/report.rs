//! The account at the end of a run: what the lines said, counted as they
//! pass; what the dead-letter stream holds; and the run's last word, with
//! its exit code, saying every shortfall.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::os::unix::process::ExitStatusExt;
use std::process::{ExitCode, ExitStatus};
use std::sync::mpsc::Receiver;

use nix::sys::signal::Signal;
use redis::Commands;

use crate::connection::{Error, Redis};
use crate::stream::{Keys, entries_in, item_of};

/// How the processes of a run ended, and what their lines said.
pub struct Outcome {
    pub tally: Tally,
    pub producers: Vec<ExitStatus>,
    pub consumers: Vec<ExitStatus>,
    /// Every consumer had ended while producers still ran: the run stopped
    /// them, as nothing would ever make room for them or process their
    /// items.
    pub consumers_gone: bool,
}

// ANCHOR: tally
/// What the lines say, counted: the run keeps no line. Items are
/// accounted by identity, an item being its index and its value: those
/// added and not yet processed, with their producer; a bit per item each
/// producer's processed; and the few processed lines no added line
/// matched (yet): another client's entries, or a line that came first.
#[derive(Default)]
pub struct Tally {
    /// Items each producer added.
    added: Vec<usize>,
    /// Items processed and acknowledged (`got`, `reclaimed`).
    processed: usize,
    reclaimed: usize,
    /// Items processed a second time by a consumer that had been paused.
    duplicated: usize,
    /// Consumers killed by a signal.
    killed: usize,
    /// Added, not processed yet: which producer added each.
    waiting: HashMap<(usize, u64), usize>,
    /// Per producer, a bit per item index: processed.
    done: Vec<Vec<u64>>,
    /// Processed, and matched by no added line (yet): how many times.
    unmatched: HashMap<(usize, u64), usize>,
    /// The run's seed, which says what each producer's items are.
    seed: u64,
}

/// An item's identity in a line, `(i, value)`: its index and its value's
/// bits.
fn identity(line: &str) -> Option<(usize, u64)> {
    let (_, item) = line.split_once(" (")?;
    let (i, value) = item.trim_end_matches(')').split_once(", ")?;
    Some((i.parse().ok()?, value.parse::<f64>().ok()?.to_bits()))
}

impl Tally {
    /// Prints every line from `printed` as it comes, and counts it.
    pub fn of_lines(printed: Receiver<String>, producers: usize, seed: u64) -> Tally {
        let mut tally = Tally {
            added: vec![0; producers],
            done: vec![Vec::new(); producers],
            seed,
            ..Tally::default()
        };
        for line in printed {
            println!("{line}");
            tally.count(&line);
        }
        tally
    }

    fn count(&mut self, line: &str) {
        let mut words = line.split(' ');
        match (words.next(), words.next(), words.next()) {
            (Some(">producer"), Some(id), Some("added")) => {
                let Some(p) = id.parse().ok().filter(|&p: &usize| p < self.added.len()) else {
                    return;
                };
                self.added[p] += 1;
                if let Some(item) = identity(line) {
                    // Its consumer's line may have come first.
                    match self.unmatched.get_mut(&item) {
                        Some(count) => {
                            *count -= 1;
                            if *count == 0 {
                                self.unmatched.remove(&item);
                            }
                            self.mark_done(p, item.0);
                        }
                        None => {
                            self.waiting.insert(item, p);
                        }
                    }
                }
            }
            (Some(">consumer"), _, Some(how @ ("got" | "reclaimed"))) => {
                self.processed += 1;
                self.reclaimed += usize::from(how == "reclaimed");
                if let Some(item) = identity(line) {
                    match self.waiting.remove(&item) {
                        Some(p) => self.mark_done(p, item.0),
                        None => *self.unmatched.entry(item).or_insert(0) += 1,
                    }
                }
            }
            (Some(">consumer"), _, Some("duplicated")) => self.duplicated += 1,
            (Some("Consumer"), _, Some("Killed")) => self.killed += 1,
            _ => {}
        }
    }
}
impl Tally {
    /// The items added that no consumer processed: `(producer, i, value)`,
    /// in order.
    fn never_processed(&self) -> Vec<(usize, usize, f64)> {
        let mut items: Vec<(usize, usize, f64)> = (self.waiting.iter())
            .map(|(&(i, bits), &p)| (p, i, f64::from_bits(bits)))
            .collect();
        items.sort_by_key(|&(p, i, _)| (p, i));
        items
    }

    fn mark_done(&mut self, p: usize, i: usize) {
        let bits = &mut self.done[p];
        if bits.len() <= i / 64 {
            bits.resize(i / 64 + 1, 0);
        }
        bits[i / 64] |= 1 << (i % 64);
    }

    fn is_done(&self, p: usize, i: usize) -> bool {
        self.done[p]
            .get(i / 64)
            .is_some_and(|word| word & (1 << (i % 64)) != 0)
    }

    /// The items processed that no producer of the run added: entries
    /// another client wrote, `(i, value)`, in order. A line no added line
    /// matched is the run's own only if it is an item a producer made
    /// (from the seed) and was processed before: processed again, after a
    /// claim.
    fn foreign(&self) -> Vec<(usize, f64)> {
        // Producer p's item i, from the seed (rarely asked: only for the
        // few lines no added line matched).
        let made = |p: usize, i: usize| {
            let mut values = crate::common::producer_rng(self.seed, p);
            (0..i).for_each(|_| {
                values.random();
            });
            values.random()
        };
        let ours = |i: usize, bits: u64| {
            (0..self.done.len()).any(|p| self.is_done(p, i) && made(p, i).to_bits() == bits)
        };
        let mut items: Vec<(usize, f64)> = (self.unmatched.keys())
            .filter(|&&(i, bits)| !ours(i, bits))
            .map(|&(i, bits)| (i, f64::from_bits(bits)))
            .collect();
        items.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        items
    }
}
// ANCHOR_END: tally

/// What the dead-letter stream held at the end: each entry's id and
/// reason, and how many of them were items.
#[derive(Default)]
pub struct DeadLetters {
    entries: Vec<(String, String)>,
    items: usize,
    /// The identity of each item among them.
    keys: Vec<(usize, u64)>,
}

// ANCHOR: clean_up
/// Removes the run's keys, and only those; a dead-letter stream with
/// entries stays for inspection (unless the server is the run's own).
pub fn clean_up(redis: &mut Redis, keys: &Keys, private: bool) -> Result<DeadLetters, Error> {
    let dead = &keys.dead;
    // Read as bytes: a dead letter keeps an entry's fields as they were.
    let reply: redis::Value = redis.call(|con| con.xrange_count(dead, "-", "+", 1000))?;
    let mut letters = DeadLetters::default();
    for entry in entries_in(&reply) {
        let reason = entry.text("reason").unwrap_or_default().to_string();
        if let Some(item) = item_of(&entry) {
            letters.items += 1;
            letters.keys.push((item.i, item.value.to_bits()));
        }
        let id = entry.text("entry").unwrap_or_default().to_string();
        letters.entries.push((id, reason));
    }
    let mut gone = vec![&keys.stream, &keys.closed, &keys.made, &keys.acked];
    if letters.entries.is_empty() || private {
        gone.push(dead);
    }
    redis.call(|con| con.del::<_, ()>(&gone))?;
    Ok(letters)
}
// ANCHOR_END: clean_up

/// The run's last word, on stderr, and its exit code.
pub struct Report<'a> {
    /// How many producers the run started.
    pub producers: usize,
    /// How many items each producer was to make.
    pub items: usize,
    pub keys: &'a Keys,
    pub private: bool,
    pub interrupted: Option<Signal>,
}

impl Report<'_> {
    /// The last word of a run stopped by `signal`: how far it got, if its
    /// lines were all read, and whether its keys could be removed; exit
    /// 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM).
    pub fn stopped(
        &self,
        signal: Signal,
        outcome: Option<&Outcome>,
        not_cleaned: Option<&Error>,
    ) -> ExitCode {
        let counts = outcome.map_or_else(
            || "how far it got is unknown".to_string(),
            |outcome| {
                let tally = &outcome.tally;
                let added: usize = tally.added.iter().sum();
                format!(
                    "{added} of {} items added, {} processed",
                    self.producers * self.items,
                    tally.processed
                )
            },
        );
        let keys = match not_cleaned {
            None => "its keys removed".to_string(),
            Some(error) => format!("its keys left ({error})"),
        };
        crate::eprint_line(&format!(
            "redis-streams: stopped by {signal}: {counts}; every process of the run stopped, {keys}"
        ));
        ExitCode::from(128 + signal as u8)
    }

    // ANCHOR: report
    pub fn print(&self, outcome: &Outcome, dead: &DeadLetters) -> ExitCode {
        let tally = &outcome.tally;
        let added: usize = tally.added.iter().sum();
        if let Some(signal) = self.interrupted {
            return self.stopped(signal, Some(outcome), None);
        }
        let mut short = false;
        if outcome.consumers_gone {
            say(
                "every consumer ended before the producers were done: the run stopped the \
                 producers, which nothing would ever make room for"
                    .to_string(),
            );
            short = true;
        }
        for (p, status) in outcome.producers.iter().enumerate() {
            let never_made = self.items - tally.added[p].min(self.items);
            if !status.success() && never_made > 0 {
                let how = if outcome.consumers_gone {
                    "was stopped"
                } else if status.signal().is_some() {
                    "died"
                } else {
                    "failed"
                };
                say(format!(
                    "producer {p} {how}: {} of its {} never made",
                    items(never_made),
                    self.items
                ));
                short = true;
            }
        }
        claims(tally);
        short |= self.dead_letters(dead);
        // By identity: which items, not only how many.
        let lost: Vec<String> = (tally.never_processed().into_iter())
            .filter(|&(_, i, value)| !dead.keys.contains(&(i, value.to_bits())))
            .map(|(p, i, value)| format!("producer {p}'s ({i}, {value:?})"))
            .collect();
        if !lost.is_empty() {
            say(format!(
                "{} of {added} added never processed: {}",
                items(lost.len()),
                first_few(&lost)
            ));
        }
        let foreign: Vec<String> = (tally.foreign().into_iter())
            .map(|(i, value)| format!("({i}, {value:?})"))
            .collect();
        if !foreign.is_empty() {
            say(format!(
                "{} processed that no producer of this run added (another client's entries): {}",
                items(foreign.len()),
                first_few(&foreign)
            ));
            short = true;
        }
        let lost = lost.len();
        let statuses = outcome.producers.iter().chain(&outcome.consumers);
        let codes: Vec<i32> = statuses.filter_map(ExitStatus::code).collect();
        if codes.contains(&5) {
            ExitCode::from(5) // A process lost Redis: what it said is above.
        } else if short || lost > 0 || codes.iter().any(|&code| code != 0) {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
    // ANCHOR_END: report

    /// Names the dead-letter stream and what is in it; whether it holds
    /// anything.
    fn dead_letters(&self, dead: &DeadLetters) -> bool {
        let n = dead.entries.len();
        if n == 0 {
            return false;
        }
        let noun = if n == 1 { "entry" } else { "entries" };
        if self.private {
            say(format!("{n} {noun} moved to the dead-letter stream:"));
            for (entry, reason) in &dead.entries {
                crate::eprint_line(&format!("  {entry}: {reason}"));
            }
        } else {
            say(format!(
                "{n} {noun} moved to the dead-letter stream {}, kept for inspection \
                 (redis-cli XRANGE {} - +)",
                self.keys.dead, self.keys.dead
            ));
        }
        true
    }
}

/// What was processed more than once, and why.
fn claims(tally: &Tally) {
    if tally.reclaimed > 0 {
        let from = if tally.killed > 0 {
            "a consumer that died"
        } else {
            "a consumer that held them too long (paused, or its connection lost)"
        };
        say(format!("{} reclaimed from {from}", items(tally.reclaimed)));
    }
    if tally.duplicated > 0 {
        say(format!(
            "{} processed twice: a consumer was paused longer than the claim time, \
             and another consumer claimed its items meanwhile",
            items(tally.duplicated)
        ));
    }
}

/// The first three of `items`, then how many more.
fn first_few(items: &[String]) -> String {
    let mut said = items.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > 3 {
        let _ = write!(said, " and {} more", items.len() - 3);
    }
    said
}

fn say(line: String) {
    crate::eprint_line(&format!("redis-streams: {line}"));
}

/// "1 item", "2 items".
fn items(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}
