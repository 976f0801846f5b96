//! The flags the programs share, and the checks every flag's value passes
//! before anything reaches the network: a bad value is one line and exit
//! code 2, never a panic or a loop that never ends.

use std::time::Duration;

use crate::connection::{Error, Redis, Server};

/// Where a producer or a consumer started by hand meets the others.
#[derive(clap::Args, Debug)]
pub struct Place {
    /// The Redis server, as a URL: redis://host:port/, rediss://host:port/
    /// (TLS), redis+unix:///path. Better in REDIS_URL than on the command
    /// line, where `ps` shows it, password and all, to every user.
    #[arg(long, env = "REDIS_URL", hide_env_values = true, value_name = "URL")]
    pub redis: String,
    /// The stream (made by `redis-streams open`).
    #[arg(long, default_value = "producer-consumer")]
    pub stream: String,
    /// How long to keep trying while the server cannot be reached (it
    /// restarts, or this process was paused), in seconds.
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = seconds)]
    pub retry_for: u64,
}

impl Place {
    /// Connects to the server. Started by a run, which has reached the
    /// server already, a process waits out a server paused or restarting
    /// as it starts; started by hand, it reports at once one it cannot
    /// reach.
    pub fn connect(&self) -> Result<Redis, Error> {
        let server = Server::new(&self.redis)?;
        let retry_for = Duration::from_secs(self.retry_for);
        if std::env::var_os(crate::private_server::PARENT).is_some() {
            Redis::connect_waiting(&server, retry_for)
        } else {
            Redis::connect(&server, retry_for)
        }
    }
}

/// A whole number from `min` to `max`.
fn whole(text: &str, min: usize, max: usize) -> Result<usize, String> {
    match text.parse() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("must be a whole number from {min} to {max}")),
    }
}

/// `--time-scale`: a number from 0 to 1000.
pub fn time_scale(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(scale) if (0.0..=1000.0).contains(&scale) => Ok(scale),
        _ => Err("must be a number from 0 to 1000".into()),
    }
}

/// `--items`.
pub fn items(text: &str) -> Result<usize, String> {
    whole(text, 0, 1_000_000_000)
}

/// `--capacity`, `--maxlen`: at least one entry.
pub fn positive(text: &str) -> Result<usize, String> {
    whole(text, 1, 1_000_000_000)
}

/// `--producers`, `--consumers`: processes.
pub fn processes(text: &str) -> Result<usize, String> {
    whole(text, 1, 64)
}

/// `--batch`: items in one round trip.
pub fn batch(text: &str) -> Result<usize, String> {
    whole(text, 1, 10_000)
}

/// `--max-deliveries`.
pub fn deliveries(text: &str) -> Result<usize, String> {
    whole(text, 1, 1_000)
}

/// `--retry-for`: seconds, up to an hour.
pub fn seconds(text: &str) -> Result<u64, String> {
    whole(text, 0, 3_600).map(|n| n as u64)
}

/// `--claim-after`: milliseconds, up to an hour.
pub fn millis(text: &str) -> Result<u64, String> {
    whole(text, 1, 3_600_000).map(|n| n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_that_cannot_run_are_refused() {
        for bad in ["nan", "NaN", "inf", "-1", "1001", "", "x"] {
            assert!(time_scale(bad).is_err(), "{bad}");
        }
        assert_eq!(time_scale("0"), Ok(0.0));
        assert!(positive("0").is_err());
        assert!(processes("65").is_err());
        assert!(batch("0").is_err());
        assert_eq!(items("0"), Ok(0));
    }
}
