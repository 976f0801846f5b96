//! `redis-streams`: producers and consumers as separate processes, over
//! Redis Streams. The program is the library beside this file (`lib.rs`).

fn main() -> std::process::ExitCode {
    redis_streams::main()
}
