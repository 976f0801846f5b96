//! A program's command line, read as the program itself reads it: with
//! `common`'s parser, so that the harness can never accept settings the
//! program refuses, or the other way round. Also the two file operations
//! `cargo xtask timeline` needs to never destroy the file it draws into.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::config::{Section, Settings};

/// Reads a program's arguments (without its name) into its settings, with
/// the program's own parser, or says why the program refuses them, in the
/// one line it prints (or the help text, for `--help`).
pub fn parse<I, T>(section: &Section, args: I) -> Result<Settings, String>
where
    I: IntoIterator<Item = T>,
    T: Into<String>,
{
    let args = args.into_iter().map(Into::into);
    match common::parse::<Settings>(&section.program(), args) {
        Ok((settings, _)) => Ok(settings),
        Err(help) if !help.use_stderr() => Err(help.to_string()),
        Err(error) => Err(common::one_line(&error)),
    }
}

/// Whether a run of `section` with `settings` is one the program accepts
/// (its threads exist, it can finish): an error says why not.
pub fn accepts(section: &Section, settings: &Settings) -> Result<(), String> {
    parse(section, section.args(settings)).map(|_| ())
}

/// Checks that `path` can be written without opening it: it is a regular
/// file or nothing yet (not a folder, a device such as `/dev/full`, or a
/// pipe that would wait for a reader), in a folder where a file can be
/// made.
pub fn check_writable(path: &Path) -> io::Result<()> {
    if path.file_name().is_none() {
        return Err(io::Error::other("that names no file"));
    }
    if let Ok(metadata) = fs::metadata(path)
        && !metadata.is_file()
    {
        return Err(io::Error::other("not a regular file"));
    }
    let temporary = temporary_path(path);
    File::create_new(&temporary)?;
    fs::remove_file(&temporary)
}

/// Replaces the file at `path` with `contents` as one step: they are
/// written to a new file next to it, which is then renamed over it. If
/// anything fails (a full disk, a file size limit), `path` keeps what it
/// held before.
pub fn replace_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temporary = temporary_path(path);
    let written = File::create_new(&temporary).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    let replaced = written.and_then(|()| fs::rename(&temporary, path));
    if replaced.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    replaced
}

/// A name for a file next to `path`, of this process alone.
fn temporary_path(path: &Path) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(path.file_name().unwrap_or_else(|| "timeline".as_ref()));
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programs::ONE_MANY;

    fn parse_args(args: &[&str]) -> Result<Settings, String> {
        parse(&ONE_MANY, args.iter().copied())
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
        ]);
        let expected = Settings {
            producers: 1,
            consumers: 7,
            items: 4,
            seed: 9,
            time_scale: 0.5,
            capacity: Some(0),
            panic_at: Some(("consumer 6".into(), 3)),
        };
        assert_eq!(request, Ok(expected));
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
    fn a_file_that_is_not_a_regular_file_is_refused_unopened() {
        let scratch = tempfile::tempdir().expect("a scratch folder");
        let dir = scratch.path();
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.expect("mkfifo runs").success());
        // A pipe with no reader would wait for one for ever, if opened.
        for path in [Path::new("/dev/full"), &fifo, dir] {
            let error = check_writable(path).expect_err("refused");
            assert_eq!(error.to_string(), "not a regular file", "{path:?}");
        }
        assert_eq!(check_writable(&dir.join("new.svg")).ok(), Some(()));
    }

    #[test]
    fn a_file_keeps_what_it_held_until_it_is_replaced_whole() {
        let scratch = tempfile::tempdir().expect("a scratch folder");
        let dir = scratch.path();
        let file = dir.join("run.svg");
        replace_file(&file, b"old").expect("written");
        replace_file(&file, b"new").expect("replaced");
        assert_eq!(fs::read(&file).expect("the file"), b"new");
        // A replacement that fails (here the rename, over a folder) leaves
        // the target as it was, and no temporary file behind.
        let folder = dir.join("folder");
        fs::create_dir(&folder).expect("a folder");
        assert!(replace_file(&folder, b"text").is_err());
        assert!(folder.is_dir());
        let mut names: Vec<_> = fs::read_dir(dir)
            .expect("the folder")
            .map(|entry| entry.expect("an entry").file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["folder", "run.svg"]);
    }
}
