//! A stream used by hand: `redis-streams open` makes it ready for a
//! session of producers and consumers, `redis-streams close` says that
//! the session's producers are done, and `redis-streams remove` deletes
//! what the session left.

use crate::connection::{Error, Redis};
use crate::flags::Place;
use crate::stream::{GROUP, Keys};

// ANCHOR: open
/// Makes the stream and its group unless they exist, and removes the
/// close marker an earlier session left, in one step: a consumer of this
/// session must never stop at the last session's "no more items".
const OPEN: &str = r"
local kind = redis.call('TYPE', KEYS[1])['ok']
if kind ~= 'none' and kind ~= 'stream' then
    return redis.error_reply('WRONGTYPE ' .. KEYS[1] .. ' holds a ' .. kind .. ', not a stream')
end
redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
return redis.call('DEL', KEYS[2])
";
// ANCHOR_END: open

/// `redis-streams open`.
pub fn open(place: &Place) -> Result<(), Error> {
    let mut redis = place.connect()?;
    let keys = Keys::of(&place.stream);
    check_rights(&mut redis, &keys)?;
    let script = redis::Script::new(OPEN);
    let mut call = script.key(&keys.stream);
    call.key(&keys.closed).arg(GROUP);
    let stale: i64 = redis.call(|con| call.invoke(con))?;
    println!("{} is open: start its producers and consumers", keys.stream);
    if stale == 1 {
        println!("(removed {}, left by an earlier session)", keys.closed);
    }
    Ok(())
}

/// `redis-streams close`.
pub fn close(place: &Place) -> Result<(), Error> {
    let mut redis = place.connect()?;
    let keys = Keys::of(&place.stream);
    check(&mut redis, &keys, false)?;
    redis.call(|con| redis::cmd("SET").arg(&keys.closed).arg(1).exec(con))?;
    println!(
        "{} is closed: its consumers stop once it is empty",
        keys.stream
    );
    Ok(())
}

/// `redis-streams remove`: deletes the stream's keys (the stream, its
/// close marker, the producers' ledger, the consumers' last
/// acknowledgements and the dead-letter stream), and
/// says what each held. Only keys of the right type go: a key of another
/// program's, under one of these names, stays, and is named.
pub fn remove(place: &Place) -> Result<(), Error> {
    let mut redis = place.connect()?;
    let keys = Keys::of(&place.stream);
    let expected = [
        (&keys.stream, "stream", "the stream"),
        (&keys.closed, "string", "the close marker"),
        (&keys.made, "hash", "the producers' ledger"),
        (&keys.acked, "hash", "the consumers' last acknowledgements"),
        (&keys.dead, "stream", "the dead-letter stream"),
    ];
    let mut removed = Vec::new();
    for (key, kind, what) in expected {
        let found: String = redis.call(|con| redis::cmd("TYPE").arg(key).query(con))?;
        if found == "none" {
            continue;
        }
        if found != kind {
            println!("{key} holds a {found}, not {what} of this stream: left alone");
            continue;
        }
        let entries: usize = if kind == "stream" {
            redis.call(|con| redis::cmd("XLEN").arg(key).query(con))?
        } else {
            0
        };
        redis.call(|con| redis::cmd("DEL").arg(key).exec(con))?;
        removed.push(if kind == "stream" {
            format!("{what} {key} ({entries} entries)")
        } else {
            format!("{what} {key}")
        });
    }
    if removed.is_empty() {
        println!("nothing of {} to remove", keys.stream);
    } else {
        println!("removed {}", removed.join(", "));
    }
    Ok(())
}

/// Checks, before anything is taken or added, that the server lets this
/// program's user run every command the programs use: a right missing is
/// found now, and named, not after work was taken. One line, exit code 5.
pub fn check_rights(redis: &mut Redis, keys: &Keys) -> Result<(), Error> {
    let script = redis::Script::new(crate::stream::PROBE);
    let mut call = script.key(format!("{}:probe", keys.stream));
    call.key(format!("{}:probe:hash", keys.stream))
        .key(format!("{}:probe:string", keys.stream));
    let denied: Vec<String> = match redis.call(|con| call.invoke(con)) {
        Ok(denied) => denied,
        Err(error) if error.to_string().contains("NOPERM") => {
            vec!["EVALSHA and EVAL (its scripts)".to_string()]
        }
        Err(error) => return Err(error),
    };
    if denied.is_empty() {
        return Ok(());
    }
    let rights: Vec<String> = denied
        .iter()
        .filter(|d| !d.contains(' '))
        .map(|d| format!("+{}", d.to_lowercase()))
        .collect();
    Err(Error::Redis(format!(
        "Redis at {}: this user may not run {}, which these programs need: grant it \
         (ACL SETUSER <user> {}) or use another user",
        redis.server(),
        denied.join(", "),
        if rights.is_empty() {
            "+eval +evalsha".to_string()
        } else {
            rights.join(" ")
        }
    )))
}

/// Checks that the stream exists, and its group if `group`, with a
/// message that names what is missing.
pub fn check(redis: &mut Redis, keys: &Keys, group: bool) -> Result<(), Error> {
    let stream = &keys.stream;
    let kind: String = redis.call(|con| redis::cmd("TYPE").arg(stream).query(con))?;
    let missing = match kind.as_str() {
        "stream" if !group => return Ok(()),
        "stream" => {
            let groups: redis::streams::StreamInfoGroupsReply =
                redis.call(|con| redis::cmd("XINFO").arg("GROUPS").arg(stream).query(con))?;
            if groups.groups.iter().any(|g| g.name == GROUP) {
                return Ok(());
            }
            format!("the stream {stream} has no group '{GROUP}'")
        }
        "none" => format!("there is no stream {stream}"),
        other => {
            return Err(Error::Redis(format!(
                "{stream} holds a {other}, not a stream: choose another --stream"
            )));
        }
    };
    Err(Error::Redis(format!(
        "{missing}: make it with `redis-streams open --stream {stream}`"
    )))
}
