//! `cj_version`.

use std::ffi::{c_char, CStr};

use super::boundary::ffi_boundary;

/// The library's version, such as `"0.1.0"`, as a static NUL-terminated string.
///
/// The string lives as long as the program; do not free it. Thread-safe; does not change the
/// last error.
///
/// # Safety
///
/// None: it takes no argument.
#[no_mangle]
pub unsafe extern "C" fn cj_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => panic!("the crate version contains a NUL byte"),
        };
    ffi_boundary!(infallible "cj_version", or VERSION.as_ptr(), {}, { VERSION.as_ptr() })
}
