//! What producers and consumers agree on: the keys of one stream, how an
//! item travels in an entry, and the scripts that change the stream in one
//! step on the server.

use crate::common::Item;
use redis::Value;

// ANCHOR: keys
/// The consumer group every consumer reads in: each entry goes to one of
/// its consumers.
pub const GROUP: &str = "consumers";

/// The keys of one stream. A run makes a stream of its own with a random
/// name, and touches no other key: a server is often shared.
#[derive(Clone, Debug)]
pub struct Keys {
    /// The stream of items.
    pub stream: String,
    /// Set once every producer is done: the stream's "no more items".
    pub closed: String,
    /// How many items each producer process has added: it makes a
    /// retried add harmless.
    pub made: String,
    /// Entries no consumer can process, kept with the reason.
    pub dead: String,
    /// Each consumer's last acknowledgement, the entries it acknowledged:
    /// it makes an acknowledgement sent again after a lost answer say
    /// "done", not "another consumer took it".
    pub acked: String,
}

impl Keys {
    /// The keys of stream `stream`.
    pub fn of(stream: &str) -> Keys {
        Keys {
            stream: stream.to_string(),
            closed: format!("{stream}:closed"),
            made: format!("{stream}:made"),
            dead: format!("{stream}:dead"),
            acked: format!("{stream}:acked"),
        }
    }

    /// Keys of a new run: a random name, never a process id (two
    /// containers often have the same one). The braces make the run's keys
    /// one hash slot, so the scripts work on Redis Cluster too.
    pub fn for_new_run() -> Keys {
        let run: u64 = rand::random();
        Keys::of(&format!("producer-consumer:{{{run:016x}}}"))
    }

    /// All of them, for `DEL` at the end of a run.
    pub fn all(&self) -> [&str; 5] {
        [
            &self.stream,
            &self.closed,
            &self.made,
            &self.dead,
            &self.acked,
        ]
    }
}
// ANCHOR_END: keys

/// A stream entry as the server sends it: its id, and its fields as
/// bytes. Any client may write a stream, and a field's name or value may
/// be any bytes, text or not: every entry reads as one.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: String,
    pub fields: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Entry {
    /// The value of field `name`, as text, if it is there and is text.
    pub fn text(&self, name: &str) -> Option<&str> {
        let (_, value) = self.fields.iter().find(|(n, _)| n == name.as_bytes())?;
        std::str::from_utf8(value).ok()
    }
}

/// The entries in a reply of `XREADGROUP` (streams, then their entries),
/// `XAUTOCLAIM` (a cursor, then entries) or `XRANGE` (entries): whatever
/// nests lists of `[id, [name, value, ...]]`. An entry deleted meanwhile
/// comes without fields, and is left out.
pub fn entries_in(reply: &Value) -> Vec<Entry> {
    let mut found = Vec::new();
    collect(reply, &mut found);
    found
}

fn collect(value: &Value, found: &mut Vec<Entry>) {
    let bytes = |v: &Value| match v {
        Value::BulkString(b) => Some(b.clone()),
        Value::SimpleString(s) => Some(s.clone().into_bytes()),
        _ => None,
    };
    let Value::Array(items) = value else {
        if let Value::Map(pairs) = value {
            for (_, v) in pairs {
                collect(v, found);
            }
        }
        return;
    };
    // An entry: an id, then a flat list of names and values.
    if let [id, Value::Array(fields)] = items.as_slice()
        && let Some(id) = bytes(id).and_then(|b| String::from_utf8(b).ok())
        && id.contains('-')
        && !fields.is_empty()
        && fields.len() % 2 == 0
        && fields.iter().all(|f| bytes(f).is_some())
    {
        let fields = fields
            .chunks(2)
            .map(|pair| {
                (
                    bytes(&pair[0]).unwrap_or_default(),
                    bytes(&pair[1]).unwrap_or_default(),
                )
            })
            .collect();
        found.push(Entry { id, fields });
        return;
    }
    for item in items {
        collect(item, found);
    }
}

/// The item in a stream entry's fields, if they hold one.
pub fn item_of(entry: &Entry) -> Option<Item> {
    let item = Item {
        i: entry.text("i")?.parse().ok()?,
        value: entry.text("value")?.parse().ok()?,
    };
    (0.0..1.0).contains(&item.value).then_some(item)
}

// ANCHOR: probe
/// Runs, on scratch keys of the stream's own (`KEYS[1..3]`: a stream, a
/// hash, a string, deleted at the end), each command the programs use,
/// and returns those the server's user may not run. A script is checked
/// command by command, as a user's rights are.
pub const PROBE: &str = r"
local denied = {}
local function try(...)
    local answer = redis.pcall(...)
    -- In a script, a right missing reads 'The user executing the script
    -- can't run this command', or can't access its key.
    local refused = type(answer) == 'table' and answer.err and (
        string.find(answer.err, 'NOPERM', 1, true) or
        string.find(answer.err, 'user executing the script', 1, true))
    if refused then
        denied[#denied + 1] = string.upper((select(1, ...)))
    end
end
try('XADD', KEYS[1], '*', 'probe', '1')
try('XGROUP', 'CREATE', KEYS[1], 'probe', '0', 'MKSTREAM')
try('XREADGROUP', 'GROUP', 'probe', 'probe', 'COUNT', '1', 'STREAMS', KEYS[1], '>')
try('XAUTOCLAIM', KEYS[1], 'probe', 'probe', '0', '0-0', 'COUNT', '1')
try('XPENDING', KEYS[1], 'probe')
try('XACK', KEYS[1], 'probe', '0-1')
try('XDEL', KEYS[1], '0-1')
try('XLEN', KEYS[1])
try('XRANGE', KEYS[1], '-', '+', 'COUNT', '1')
try('XINFO', 'GROUPS', KEYS[1])
try('TYPE', KEYS[1])
try('EXISTS', KEYS[1])
try('HSET', KEYS[2], 'probe', '1')
try('HGET', KEYS[2], 'probe')
try('HDEL', KEYS[2], 'probe')
try('SET', KEYS[3], '1')
try('DEL', KEYS[1], KEYS[2], KEYS[3])
return denied
";
// ANCHOR_END: probe

// ANCHOR: add
/// Adds items of producer `ARGV[2]` (`ARGV[5]` is the first one's
/// number, the values follow) and returns how many items this producer
/// process (`ARGV[1]`, its name in the ledger) has added in all. A script
/// runs alone on the server, so each check and its add are one step:
/// - an item the ledger already counts is not added again, so a producer
///   that lost the answer can send the same call again;
/// - with a capacity (`ARGV[3]`), it adds only while the stream holds
///   fewer entries, so that producers racing for the last slot cannot
///   both take it;
/// - with a maxlen (`ARGV[4]`), it trims the oldest entries, read or not.
pub const ADD: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then
    return redis.error_reply('NOSTREAM ' .. KEYS[1] .. ' is gone')
end
local made = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or 0)
local capacity, maxlen, first = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
for k = 6, #ARGV do
    local i = first + k - 6
    if i >= made then
        if capacity > 0 and redis.call('XLEN', KEYS[1]) >= capacity then
            break
        end
        if maxlen > 0 then
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', maxlen, '*',
                'producer', ARGV[2], 'i', i, 'value', ARGV[k])
        else
            redis.call('XADD', KEYS[1], '*', 'producer', ARGV[2], 'i', i, 'value', ARGV[k])
        end
        made = i + 1
    end
end
redis.call('HSET', KEYS[2], ARGV[1], made)
return made
";
// ANCHOR_END: add

// ANCHOR: ack
/// Acknowledges and deletes the entries `ARGV[3..]` that consumer
/// `ARGV[2]` processed, all in one step, and says for each whether it was
/// still this consumer's: 1 it was, and now it is done; 0 another consumer
/// has claimed it meanwhile; -1 it is gone (processed by another). An
/// entry already gone that this consumer's last acknowledgement (kept in
/// `KEYS[2]`) named is 1: the same call, sent again after its answer was
/// lost, finds its own work done.
pub const ACK: &str = r"
local answers, mine, before = {}, {}, nil
for k = 3, #ARGV do
    local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[k], ARGV[k], 1)
    if #pending == 0 then
        before = before or redis.call('HGET', KEYS[2], ARGV[2]) or ''
        if string.find(before, ',' .. ARGV[k] .. ',', 1, true) then
            answers[#answers + 1] = 1
        else
            answers[#answers + 1] = -1
        end
    elseif pending[1][2] ~= ARGV[2] then
        answers[#answers + 1] = 0
    else
        answers[#answers + 1] = 1
        mine[#mine + 1] = ARGV[k]
    end
end
-- One XACK and one XDEL for up to a thousand entries: a call per entry
-- costs the server more than the work (and unpack takes a few thousand).
for first = 1, #mine, 1000 do
    local last = math.min(first + 999, #mine)
    redis.call('XACK', KEYS[1], ARGV[1], unpack(mine, first, last))
    redis.call('XDEL', KEYS[1], unpack(mine, first, last))
end
if #mine > 0 then
    redis.call('HSET', KEYS[2], ARGV[2], ',' .. table.concat(mine, ',') .. ',')
end
return answers
";
// ANCHOR_END: ack

// ANCHOR: dead
/// Moves entry `ARGV[2]` to the dead-letter stream `KEYS[2]`, with the
/// reason `ARGV[3]` and its own fields (`ARGV[4..]`), and acknowledges it,
/// in one step; an entry no longer pending (a second try) is left alone.
pub const DEAD_LETTER: &str = r"
if #redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1) == 0 then
    return 0
end
redis.call('XADD', KEYS[2], '*', 'entry', ARGV[2], 'reason', ARGV[3], unpack(ARGV, 4))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
";
// ANCHOR_END: dead

// ANCHOR: create
/// Makes a new run's stream and its group, only if none of the run's keys
/// exists: a run never takes over a key it did not make.
pub const CREATE: &str = r"
for _, key in ipairs(KEYS) do
    if redis.call('EXISTS', key) == 1 then
        return redis.error_reply('EXISTS ' .. key .. ' exists already')
    end
end
redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
return 1
";
// ANCHOR_END: create

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(fields: &[(&str, &str)]) -> Entry {
        Entry {
            id: "1-0".to_string(),
            fields: fields
                .iter()
                .map(|(name, text)| (name.as_bytes().to_vec(), text.as_bytes().to_vec()))
                .collect(),
        }
    }

    #[test]
    fn any_bytes_read_as_an_entry() {
        let bulk = |b: &[u8]| Value::BulkString(b.to_vec());
        // XREADGROUP: [[stream, [[id, [name, value, ...]], ...]]]
        let reply = Value::Array(vec![Value::Array(vec![
            bulk(b"k"),
            Value::Array(vec![
                Value::Array(vec![
                    bulk(b"1-0"),
                    Value::Array(vec![bulk(b"i"), bulk(b"0"), bulk(b"value"), bulk(b"0.5")]),
                ]),
                Value::Array(vec![
                    bulk(b"2-0"),
                    Value::Array(vec![bulk(&[0xff, 0xfe]), bulk(&[0x80])]),
                ]),
                // Deleted since it was delivered: no fields.
                Value::Array(vec![bulk(b"3-0"), Value::Nil]),
            ]),
        ])]);
        let entries = entries_in(&reply);
        assert_eq!(entries.len(), 2);
        assert_eq!(item_of(&entries[0]), Some(Item { i: 0, value: 0.5 }));
        assert_eq!(entries[1].fields, vec![(vec![0xff, 0xfe], vec![0x80])]);
        assert_eq!(item_of(&entries[1]), None);
        // XAUTOCLAIM: [cursor, [entries], [deleted ids]]
        let claimed = Value::Array(vec![
            bulk(b"0-0"),
            Value::Array(vec![]),
            Value::Array(vec![]),
        ]);
        assert!(entries_in(&claimed).is_empty());
        assert!(entries_in(&Value::Nil).is_empty());
    }

    #[test]
    fn an_item_reads_back_exactly() {
        let value = 0.1 + 0.2;
        let text = format!("{value:?}");
        let fields = entry(&[("producer", "3"), ("i", "7"), ("value", &text)]);
        assert_eq!(item_of(&fields), Some(Item { i: 7, value }));
    }

    #[test]
    fn an_entry_that_is_no_item_is_none() {
        assert_eq!(item_of(&entry(&[("garbage", "x")])), None);
        assert_eq!(item_of(&entry(&[("i", "-1"), ("value", "0.5")])), None);
        assert_eq!(item_of(&entry(&[("i", "1"), ("value", "NaN")])), None);
        assert_eq!(item_of(&entry(&[("i", "1"), ("value", "7")])), None);
    }

    #[test]
    fn a_new_run_s_keys_are_its_own() {
        let (a, b) = (Keys::for_new_run(), Keys::for_new_run());
        assert_ne!(a.stream, b.stream);
        assert!(a.stream.starts_with("producer-consumer:{"), "{}", a.stream);
        assert_eq!(a.closed, format!("{}:closed", a.stream));
    }
}
