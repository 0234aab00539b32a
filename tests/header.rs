//! The committed header `include/cookiejar.h` must be exactly what cbindgen generates from
//! `src/ffi/` today (build.rs writes the fresh one into `OUT_DIR`).
//!
//! After an intended change to the C API, refresh the committed copy with
//! `COOKIEJAR_BLESS=1 cargo test --test header` and review the diff.

use std::fs;
use std::path::Path;

const GENERATED: &str = concat!(env!("OUT_DIR"), "/cookiejar.h");
const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/include/cookiejar.h");

#[test]
fn committed_header_matches_the_generated_one() {
    let generated = match fs::read(GENERATED) {
        Ok(bytes) => bytes,
        Err(e) => {
            let why = fs::read_to_string(concat!(env!("OUT_DIR"), "/cookiejar.h.error"))
                .unwrap_or_else(|_| e.to_string());
            panic!("build.rs could not generate the header with cbindgen: {why}");
        }
    };
    let committed = fs::read(COMMITTED).unwrap_or_default();
    if generated == committed {
        return;
    }
    if std::env::var_os("COOKIEJAR_BLESS").is_some_and(|v| v == "1") {
        fs::write(COMMITTED, &generated).expect("write include/cookiejar.h");
        eprintln!("include/cookiejar.h refreshed from {GENERATED}");
        return;
    }
    panic!(
        "include/cookiejar.h is out of date with src/ffi/ ({}).\n\
         Refresh it with `COOKIEJAR_BLESS=1 cargo test --test header` (or `cp {GENERATED} \
         include/`), review the diff and commit it.",
        first_difference(&committed, &generated)
    );
}

/// Where the two files first differ, as "line N: committed `..` / generated `..`".
fn first_difference(committed: &[u8], generated: &[u8]) -> String {
    if committed.is_empty() && !Path::new(COMMITTED).exists() {
        return "it does not exist".to_owned();
    }
    let old = String::from_utf8_lossy(committed);
    let new = String::from_utf8_lossy(generated);
    let mut old_lines = old.lines();
    let mut new_lines = new.lines();
    for n in 1.. {
        match (old_lines.next(), new_lines.next()) {
            (None, None) => break,
            (a, b) if a == b => continue,
            (a, b) => {
                return format!(
                    "first difference at line {n}: committed {:?}, generated {:?}",
                    a.unwrap_or("<end of file>"),
                    b.unwrap_or("<end of file>")
                )
            }
        }
    }
    "they differ in line endings or trailing bytes".to_owned()
}
