//! `rediss://` URLs: a run over TLS, against a `redis-server` that takes
//! TLS only, with a throwaway certificate authority and certificate made
//! here by the `openssl` command. Built with `--features tls` only
//! (`cargo test -p redis-streams --features tls`).
#![cfg(feature = "tls")]

mod support;

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use harness::testing::{DEADLOCK_BOUND, run_bounded};
use support::{Watched, command, config};

/// Runs `openssl ARGS` in `dir`; panics with the install command if
/// `openssl` is missing.
fn openssl(dir: &Path, args: &[&str]) {
    let status = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot run openssl ({e}): install it with `sudo apt-get install openssl`")
        });
    assert!(status.success(), "openssl {args:?}");
}

/// A certificate authority (`ca.pem`) and a certificate it signed for
/// 127.0.0.1 (`server.pem`, `server.key`), in `dir`.
fn certificates(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ],
    );
    let extensions = "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n";
    std::fs::write(dir.join("ext.cnf"), extensions).expect("extensions");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            "ext.cnf",
            "-out",
            "server.pem",
        ],
    );
}

/// A `redis-server` that takes TLS only, on a free port; killed when
/// dropped.
struct TlsServer {
    process: Child,
    port: u16,
}

impl TlsServer {
    fn start(dir: &Path) -> TlsServer {
        let free = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = free.local_addr().expect("its address").port();
        drop(free);
        let process = Command::new("redis-server")
            .args(["--port", "0", "--bind", "127.0.0.1", "--save", ""])
            .args(["--tls-port", &port.to_string(), "--tls-auth-clients", "no"])
            .args([
                "--tls-cert-file",
                "server.pem",
                "--tls-key-file",
                "server.key",
            ])
            .args(["--tls-ca-cert-file", "ca.pem", "--dir", "."])
            .current_dir(dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server (sudo apt-get install redis-server)");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < DEADLOCK_BOUND,
                "the TLS server never listened"
            );
            thread::sleep(Duration::from_millis(10));
        }
        TlsServer { process, port }
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[test]
fn a_run_over_tls_keeps_the_rules_and_refuses_an_unknown_certificate() {
    let dir = tempfile::tempdir().expect("a folder");
    certificates(dir.path());
    let server = TlsServer::start(dir.path());
    let url = format!("rediss://127.0.0.1:{}/", server.port);
    let ca = dir.path().join("ca.pem");
    let args = ["--seed=2", "--time-scale=0.01"];

    // The certificate's authority is trusted (rustls reads SSL_CERT_FILE).
    let mut trusted = command(None, &args);
    trusted.env("REDIS_URL", &url).env("SSL_CERT_FILE", &ca);
    let ended = Watched::start(trusted).finish();
    assert!(ended.status.success(), "{}", ended.err);
    let mut config = config(2, 3, 10, 2);
    config.time_scale = 0.01;
    ended.kept(&config, "the run");
    assert!(ended.err.contains("(TLS)"), "{}", ended.err);

    // It is not: one line, exit code 5, nothing run.
    let mut untrusted = command(None, &args);
    untrusted
        .env("REDIS_URL", &url)
        .env("SSL_CERT_FILE", "/dev/null");
    let output = run_bounded(untrusted, "an unknown certificate");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("certificate"), "{stderr}");
    assert!(output.stdout.is_empty());
}
