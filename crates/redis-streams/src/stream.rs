//! What the producer, the consumer and the run share: how an item
//! travels in a stream entry, how to connect with bounded waits, and how to
//! name a server without showing its password.

use std::collections::HashMap;
use std::time::Duration;

use crate::common::Item;
use redis::{Connection, RedisResult, Value};

/// Where a producer and a consumer meet: the server, and the stream on it.
/// (Both programs take these two flags.)
#[derive(clap::Args, Debug)]
pub struct Place {
    /// The Redis server, as a URL (redis://host:port/, redis+unix:///path).
    #[arg(long)]
    pub redis: String,
    /// The stream.
    #[arg(long, default_value = "producer-consumer")]
    pub stream: String,
}

// ANCHOR: entry
/// The consumer group every consumer reads in: each entry goes to one of
/// its consumers.
pub const GROUP: &str = "consumers";

/// The key the run sets once every producer is done: the stream's
/// "no more items", which consumers read next to the group's state.
pub fn closed_key(stream: &str) -> String {
    format!("{stream}:closed")
}

/// The fields of one stream entry: who made the item, and the item.
pub fn fields(producer: usize, item: Item) -> [(&'static str, String); 3] {
    [
        ("producer", producer.to_string()),
        ("i", item.i.to_string()),
        // `{:?}` writes the shortest text that reads back as the same f64.
        ("value", format!("{:?}", item.value)),
    ]
}

/// The item in a stream entry's fields, if they hold one.
pub fn item_of(fields: &HashMap<String, Value>) -> Option<Item> {
    let text =
        |name: &str| -> Option<String> { redis::from_redis_value_ref(fields.get(name)?).ok() };
    Some(Item {
        i: text("i")?.parse().ok()?,
        value: text("value")?.parse().ok()?,
    })
}

/// How long any command may wait for the server before it fails: a
/// server that went away is an error, never a hang.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// Connects to the server at `url`, waiting at most [`COMMAND_TIMEOUT`]
/// for it, and for each command's answer from then on.
pub fn connect(url: &str) -> RedisResult<Connection> {
    let client = redis::Client::open(url)?;
    let connection = client.get_connection_with_timeout(COMMAND_TIMEOUT)?;
    connection.set_read_timeout(Some(COMMAND_TIMEOUT))?;
    connection.set_write_timeout(Some(COMMAND_TIMEOUT))?;
    Ok(connection)
}
// ANCHOR_END: entry

/// `url` as it may be printed: a password in it is replaced by `***`.
pub fn shown(url: &str) -> String {
    // redis://user:password@host:port/db: the password sits between the
    // first ':' after "//" and the '@'.
    let Some((scheme, rest)) = url.split_once("//") else {
        return url.to_string();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}//{user}:***@{host}"),
        None => format!("{scheme}//***@{host}"),
    }
}

/// Exit code of a program that could not reach its Redis server, or lost
/// it during the run.
pub const NO_SERVER: u8 = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_never_shown() {
        assert_eq!(
            shown("redis://:s3cret@host:6379/0"),
            "redis://:***@host:6379/0"
        );
        assert_eq!(shown("redis://me:s3cret@host/"), "redis://me:***@host/");
        assert_eq!(shown("redis://s3cret@host/"), "redis://***@host/");
        assert_eq!(shown("redis://host:6379"), "redis://host:6379");
        assert_eq!(
            shown("redis+unix:///tmp/r.sock"),
            "redis+unix:///tmp/r.sock"
        );
    }

    #[test]
    fn an_item_reads_back_exactly() {
        let item = Item {
            i: 7,
            value: 0.1 + 0.2,
        };
        let map: HashMap<String, Value> = fields(3, item)
            .into_iter()
            .map(|(name, text)| (name.to_string(), Value::BulkString(text.into_bytes())))
            .collect();
        assert_eq!(item_of(&map), Some(item));
    }
}
