/work/main/exercises/corpus/target/debug/deps/strsim-31fb402d09ed14c9.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/strsim-0.11.1/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libstrsim-31fb402d09ed14c9.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/strsim-0.11.1/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libstrsim-31fb402d09ed14c9.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/strsim-0.11.1/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/strsim-0.11.1/src/lib.rs:
