/work/main/exercises/corpus/target/debug/deps/scopeguard-8aa3946cf1aa9702.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/scopeguard-1.2.0/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libscopeguard-8aa3946cf1aa9702.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/scopeguard-1.2.0/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libscopeguard-8aa3946cf1aa9702.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/scopeguard-1.2.0/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/scopeguard-1.2.0/src/lib.rs:
