//! A program's command line, read as the program itself reads it: with
//! `common`'s parser, or the Redis program's own, so that the harness can
//! never accept settings the program refuses, or the other way round.

use crate::section::{Kind, Section, Settings};

/// Reads a program's arguments (without its name) into its settings, with
/// the program's own parser, or says why the program refuses them, in the
/// one line it prints (or the help text, for `--help`).
pub fn parse<I, T>(section: &Section, args: I) -> Result<Settings, String>
where
    I: IntoIterator<Item = T>,
    T: Into<String>,
{
    let args = args.into_iter().map(Into::into);
    // The Redis program reads its own flags; every other, `common`'s.
    let parsed = if section.kind == Kind::Beyond {
        redis_streams::settings(args)
    } else {
        common::parse::<Settings>(&section.program(), args).map(|(settings, _)| settings)
    };
    match parsed {
        Ok(settings) => Ok(settings),
        Err(help) if !help.use_stderr() => Err(help.to_string()),
        Err(error) => Err(one_line(&error)),
    }
}

/// The first line of clap's message for `error`, without its "error: "
/// (the rest is the usage and a tip).
fn one_line(error: &clap::Error) -> String {
    let text = error.to_string();
    let line = text.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

/// Whether a run of `section` with `settings` is one the program accepts
/// (its threads exist, it can finish): an error says why not.
pub fn accepts(section: &Section, settings: &Settings) -> Result<(), String> {
    parse(section, section.args(settings)).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programs::ONE_MANY;

    fn parse_args(args: &[&str]) -> Result<Settings, String> {
        parse(&ONE_MANY, args.iter().copied())
    }

    #[test]
    fn a_run_s_arguments_read_back_as_its_settings() {
        let section = crate::programs::MANY_MANY;
        let mut settings = section.settings(1);
        settings.capacity = Some(0);
        settings.panic_at = Some(("consumer 4".into(), 2));
        assert_eq!(parse(&section, section.args(&settings)), Ok(settings));
    }

    #[test]
    fn flags_set_the_config() {
        let request = parse_args(&[
            "--items",
            "4",
            "--seed",
            "9",
            "--time-scale",
            "0.5",
            "--capacity",
            "0",
            "--consumers",
            "7",
            "--panic-at",
            "consumer-6:3",
            "--pace",
            "0.125:8",
            "--jitter",
            "--stall",
            "producer:3",
        ]);
        let expected = Settings {
            producers: 1,
            consumers: 7,
            items: 4,
            seed: 9,
            time_scale: 0.5,
            capacity: Some(0),
            panic_at: Some(("consumer 6".into(), 3)),
            pace: Some((0.125, 8.0)),
            jitter: true,
            stall: Some(("producer".into(), 3)),
        };
        assert_eq!(request, Ok(expected.clone()));
        // The flags grading writes for a run read back as the same run.
        let args = ONE_MANY.args(&expected);
        assert_eq!(
            parse(&ONE_MANY, args.iter().map(String::as_str)),
            Ok(expected)
        );
    }

    #[test]
    fn what_the_program_refuses_is_refused() {
        for args in [
            &["--items", "abc"][..],
            &["--consumers", "0"],
            &["--producers", "2"],
            &["--panic-at", "consumer-3:0"],
        ] {
            assert!(parse_args(args).is_err(), "{args:?}");
        }
        let mut settings = ONE_MANY.settings(1);
        assert_eq!(accepts(&ONE_MANY, &settings), Ok(()));
        settings.consumers = 0;
        assert!(accepts(&ONE_MANY, &settings).is_err());
    }

    #[test]
    fn the_redis_program_s_flags_are_read_by_its_own_parser() {
        use crate::programs::REDIS_STREAMS;
        let redis = |args: &[&str]| parse(&REDIS_STREAMS, args.iter().copied());
        // What the sections take but the Redis program refuses.
        for args in [
            &["--capacity", "0"][..],
            &["--producers", "100"],
            &["--panic-at", "consumer-1:0"],
            &["--crash", "7:0"],
            &["--redis", "nope://x"],
            &["consumer"],
        ] {
            assert!(redis(args).is_err(), "{args:?}");
        }
        // In the program's words, as one line.
        let refused = redis(&["--crash", "7:0"]).expect_err("refused");
        assert!(
            refused.starts_with("--crash 7:0: expected C:N"),
            "{refused}"
        );
        // Its own flags, which the sections do not take.
        let args = [
            "--seed",
            "42",
            "--crash",
            "0:1",
            "--batch",
            "10",
            "--consumers",
            "4",
        ];
        let expected = Settings {
            consumers: 4,
            ..REDIS_STREAMS.settings(42)
        };
        assert_eq!(redis(&args), Ok(expected));
    }
}
