//! The two file operations `cargo xtask timeline` needs so as never to
//! destroy the file it draws into: a check before the run, and a
//! replacement in one step after it.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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
