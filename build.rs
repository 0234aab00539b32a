//! Generates the C header from `src/ffi/` with cbindgen, into `OUT_DIR` only.
//!
//! The committed copy is `include/cookiejar.h`; `tests/header.rs` compares the two byte for
//! byte. A cbindgen failure is a warning, not an error, so that a user who only wants the rlib
//! is never blocked by it: the drift test reports it instead (it finds
//! `cookiejar.h.error` in place of the header).

use std::env;
use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

#[path = "build/ocd.rs"]
mod ocd;

fn main() {
    ocd::generate();

    // Only the FFI sources and the configuration shape the header.
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=build.rs");

    let crate_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));
    let header = out_dir.join("cookiejar.h");
    let error = out_dir.join("cookiejar.h.error");

    match generate(&crate_dir) {
        Ok(text) => {
            let _ = fs::remove_file(&error);
            // Leave the file (and its timestamp) alone when nothing changed.
            if fs::read(&header).ok().as_deref() != Some(text.as_slice()) {
                if let Err(e) = fs::write(&header, &text) {
                    warn(&error, &format!("cannot write {}: {e}", header.display()));
                }
            }
        }
        Err(message) => {
            // A stale header would let the drift test pass against old sources.
            let _ = fs::remove_file(&header);
            warn(&error, &message);
        }
    }
}

fn generate(crate_dir: &Path) -> Result<Vec<u8>, String> {
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .map_err(|e| format!("cbindgen.toml: {e}"))?;
    // `with_src` parses src/ffi/ and the modules it declares, without running `cargo metadata`.
    let source = crate_dir.join("src/ffi/mod.rs");
    // cbindgen reports some malformed input by panicking; keep that a warning too.
    let result = panic::catch_unwind(|| {
        cbindgen::Builder::new()
            .with_config(config)
            .with_src(&source)
            .generate()
            .map(|bindings| {
                let mut text = Vec::new();
                bindings.write(&mut text);
                text
            })
    });
    match result {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(e)) => Err(format!("cbindgen failed: {e}")),
        Err(_) => Err("cbindgen panicked".to_owned()),
    }
}

fn warn(error_file: &Path, message: &str) {
    for line in message.lines() {
        println!("cargo:warning=include/cookiejar.h not regenerated: {line}");
    }
    let _ = fs::write(error_file, message);
}
