//! The account at the end of a run: what the lines said, counted as they
//! pass; what the dead-letter stream holds; and the run's last word, with
//! its exit code, saying every shortfall.

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
/// What the lines say, counted: the run keeps no line, so its memory
/// stays the same however many items pass.
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
}

impl Tally {
    /// Prints every line from `printed` as it comes, and counts it.
    pub fn of_lines(printed: Receiver<String>, producers: usize) -> Tally {
        let mut tally = Tally {
            added: vec![0; producers],
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
                if let Some(added) = id.parse().ok().and_then(|p: usize| self.added.get_mut(p)) {
                    *added += 1;
                }
            }
            (Some(">consumer"), _, Some("got")) => self.processed += 1,
            (Some(">consumer"), _, Some("reclaimed")) => {
                self.processed += 1;
                self.reclaimed += 1;
            }
            (Some(">consumer"), _, Some("duplicated")) => self.duplicated += 1,
            (Some("Consumer"), _, Some("Killed")) => self.killed += 1,
            _ => {}
        }
    }
}
// ANCHOR_END: tally

/// What the dead-letter stream held at the end: each entry's id and
/// reason, and how many of them were items.
#[derive(Default)]
pub struct DeadLetters {
    entries: Vec<(String, String)>,
    items: usize,
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
        letters.items += usize::from(item_of(&entry).is_some());
        let id = entry.text("entry").unwrap_or_default().to_string();
        letters.entries.push((id, reason));
    }
    let mut gone = vec![&keys.stream, &keys.closed, &keys.made];
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
        eprintln!(
            "redis-streams: stopped by {signal}: {counts}; every process of the run stopped, {keys}"
        );
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
        let lost = added.saturating_sub(tally.processed + dead.items);
        if lost > 0 {
            say(format!("{} of {added} added never processed", items(lost)));
        }
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
                eprintln!("  {entry}: {reason}");
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

fn say(line: String) {
    eprintln!("redis-streams: {line}");
}

/// "1 item", "2 items".
fn items(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}
