//! The two file operations `cargo xtask timeline` needs so as never to
//! destroy the file it draws into: a check before the run, and a
//! replacement in one step after it.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use tempfile::NamedTempFile;

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
    // A file made next to it, and removed when dropped.
    temporary_next_to(path).map(drop)
}

/// Replaces the file at `path` with `contents` as one step: they are
/// written to a new file next to it, which is then renamed over it. If
/// anything fails (a full disk, a file size limit), `path` keeps what it
/// held before, and the new file is removed.
pub fn replace_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut temporary = temporary_next_to(path)?;
    temporary.write_all(contents)?;
    temporary.as_file().sync_all()?;
    temporary
        .persist(path)
        .map(drop)
        .map_err(|failed| failed.error)
}

/// A new file in `path`'s folder (the rename over `path` must not cross
/// file systems), hidden, with a name of its own, and readable as a file
/// made by `File::create` would be (tempfile's own are the owner's alone).
fn temporary_next_to(path: &Path) -> io::Result<NamedTempFile> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    tempfile::Builder::new()
        .prefix(".")
        .suffix(".tmp")
        .permissions(fs::Permissions::from_mode(0o666)) // Less the umask.
        .tempfile_in(folder)
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
        // With the permissions `File::create` gives (tempfile's own would
        // make it the owner's alone).
        let reference = scratch_file_mode(&dir.join("reference"));
        let mode = fs::metadata(&file)
            .expect("its metadata")
            .permissions()
            .mode();
        assert_eq!(mode, reference, "{mode:o} against {reference:o}");
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
        assert_eq!(names, ["folder", "reference", "run.svg"]);
    }

    /// The mode of a file made at `path` by `File::create`.
    fn scratch_file_mode(path: &Path) -> u32 {
        fs::File::create(path).expect("a file");
        fs::metadata(path)
            .expect("its metadata")
            .permissions()
            .mode()
    }
}
