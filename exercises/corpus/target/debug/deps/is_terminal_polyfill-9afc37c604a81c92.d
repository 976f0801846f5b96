/work/main/exercises/corpus/target/debug/deps/is_terminal_polyfill-9afc37c604a81c92.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/is_terminal_polyfill-1.70.2/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libis_terminal_polyfill-9afc37c604a81c92.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/is_terminal_polyfill-1.70.2/src/lib.rs

/work/main/exercises/corpus/target/debug/deps/libis_terminal_polyfill-9afc37c604a81c92.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/is_terminal_polyfill-1.70.2/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/is_terminal_polyfill-1.70.2/src/lib.rs:
