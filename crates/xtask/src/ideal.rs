//! The ideal makespan of a run: the same sleeps, replayed with no overhead.

use std::collections::VecDeque;

// ANCHOR: ideal
/// How long a run would take if threads cost nothing: each producer works
/// on its items in turn (`values[p]`, in seconds) and puts each in a FIFO
/// buffer of `capacity` slots (`None`: unbounded; `Some(0)`: handed
/// straight to a free consumer), waiting while there is no room; the first
/// free consumer takes the oldest item and works on it for its value.
pub fn ideal_makespan(values: &[Vec<f64>], consumers: usize, capacity: Option<usize>) -> f64 {
    let room = capacity.unwrap_or(usize::MAX);
    // Per producer: the index of the item in hand, and when its work ends.
    let mut hand: Vec<Option<(usize, f64)>> = values
        .iter()
        .map(|items| items.first().map(|&v| (0, v)))
        .collect();
    let mut buffer: VecDeque<f64> = VecDeque::new();
    let mut free_at = vec![0.0_f64; consumers.max(1)];
    let mut end = 0.0_f64;
    let mut now = 0.0_f64;
    loop {
        // Everything that can happen at `now`, until nothing more can.
        let mut changed = true;
        while changed {
            changed = false;
            for free in free_at.iter_mut().filter(|free| **free <= now) {
                if let Some(value) = buffer.pop_front() {
                    *free = now + value;
                    changed = true;
                }
            }
            // Producers waiting to put go in the order they started waiting,
            // as a channel queues its blocked senders.
            let mut waiting: Vec<usize> = (0..hand.len())
                .filter(|&p| hand[p].is_some_and(|(_, ready)| ready <= now))
                .collect();
            waiting.sort_by(|&a, &b| {
                hand[a]
                    .unwrap()
                    .1
                    .total_cmp(&hand[b].unwrap().1)
                    .then(a.cmp(&b))
            });
            for p in waiting {
                let slot = &mut hand[p];
                let Some((i, _)) = *slot else { continue };
                let value = values[p][i];
                if room == 0 {
                    // A rendezvous: only straight into a free consumer's hands.
                    let Some(free) = free_at.iter_mut().find(|free| **free <= now) else {
                        continue;
                    };
                    *free = now + value;
                } else if buffer.len() < room {
                    buffer.push_back(value);
                } else {
                    continue;
                }
                *slot = values[p].get(i + 1).map(|&next| (i + 1, now + next));
                end = end.max(now);
                changed = true;
            }
        }
        let next_ready = hand
            .iter()
            .flatten()
            .map(|&(_, ready)| ready)
            .filter(|&t| t > now);
        let next_free = free_at.iter().copied().filter(|&t| t > now);
        match next_ready.chain(next_free).min_by(f64::total_cmp) {
            Some(next) => now = next,
            None => break,
        }
    }
    free_at.into_iter().fold(end, f64::max)
}
// ANCHOR_END: ideal

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_producer_and_one_consumer_make_a_chain() {
        // Sent at 1, 2, 3; each takes the consumer 1 more.
        assert_eq!(ideal_makespan(&[vec![1.0, 1.0, 1.0]], 1, None), 4.0);
        assert_eq!(ideal_makespan(&[vec![1.0, 1.0, 1.0]], 1, Some(0)), 4.0);
    }

    #[test]
    fn a_second_consumer_works_in_parallel() {
        // The first item keeps a consumer busy from 3 to 6; the second, ready
        // at 4, waits for it, or goes to the other consumer.
        assert_eq!(ideal_makespan(&[vec![3.0, 1.0]], 1, None), 7.0);
        assert_eq!(ideal_makespan(&[vec![3.0, 1.0]], 2, None), 6.0);
        assert_eq!(ideal_makespan(&[vec![1.0, 3.0, 1.0]], 2, None), 7.0);
    }

    #[test]
    fn a_rendezvous_holds_the_producer_until_a_consumer_is_free() {
        // B's item waits in B's hands until the consumer is free at 2; B's
        // second item then starts only at 2 and is ready at 4.
        let values = [vec![1.0], vec![1.0, 2.0]];
        assert_eq!(ideal_makespan(&values, 1, Some(0)), 6.0);
        // With a slot, B puts its first item down at 1 and starts the
        // second at once: it is ready at 3, when the consumer is free.
        assert_eq!(ideal_makespan(&values, 1, Some(1)), 5.0);
    }

    #[test]
    fn no_items_take_no_time() {
        assert_eq!(ideal_makespan(&[vec![], vec![]], 3, None), 0.0);
    }
}
