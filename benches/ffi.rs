//! What the C ABI adds to a lookup: `cj_jar_cookie_header` called as C calls it (a
//! NUL-terminated URL in, a `char *` out, freed with `cj_string_free`) against the Rust API on
//! a jar holding the same cookies (10k cookies over 1,000 sites, the engine bench's stream),
//! over the same random request URLs. Issue #5's target: at most 1.3x.
//!
//! Four measurements, so that each ratio compares like with like:
//!
//! - `rust_parsed_url`: `Jar::cookie_header_at` with an already parsed `Url` (what
//!   `Jar::cookie_header` does, with the clock pinned so that the stream's cookies stay
//!   unexpired), returning a `String`;
//! - `rust_from_str`: the same, starting from the URL text (`parse_request_url` first), which is
//!   the work a C caller hands the library;
//! - `c_abi`: `cj_jar_cookie_header` from the URL text, plus `cj_string_free`;
//! - `c_abi_parsed_url`: `cj_jar_cookie_header_url` with a URL parsed beforehand by
//!   `cj_url_parse`, plus `cj_string_free`: the C counterpart of `rust_parsed_url`.
//!
//! After the runs it prints criterion's medians and the two ratios. Run it on an idle machine:
//! `cargo bench --bench ffi`.

// Shared with the engine bench; not every helper is used here.
#[allow(dead_code)]
mod common;

use std::ffi::{c_char, CStr, CString};
use std::hint::black_box;
use std::path::PathBuf;
use std::ptr;
use std::time::Duration;

use common::{request_urls, set_cookie_stream, NOW_MS};
use cookiejar::ffi::{
    cj_jar, cj_jar_cookie_header, cj_jar_cookie_header_url, cj_jar_free, cj_jar_new_with,
    cj_jar_set_cookie, cj_options, cj_options_free, cj_options_new, cj_options_set_max_cookies,
    cj_options_set_max_cookies_per_site, cj_status, cj_string_free, cj_url, cj_url_free,
    cj_url_parse,
};
use cookiejar::{parse_request_url, Jar, JarOptions, Request};
use criterion::{criterion_group, criterion_main, Criterion};

const SITES: usize = 1_000;
/// Request URLs cycled through (a power of two).
const REQUESTS: usize = 4096;
const GROUP: &str = "ffi_lookup_10k";

/// The C handle, freed on drop.
struct CJar(*mut cj_jar);

impl Drop for CJar {
    fn drop(&mut self) {
        // SAFETY: a live handle from cj_jar_new_with, freed once, unused by anything else now.
        unsafe { cj_jar_free(self.0) }
    }
}

/// A parsed URL handle, freed on drop.
struct UrlHandle(*mut cj_url);

impl Drop for UrlHandle {
    fn drop(&mut self) {
        // SAFETY: a live handle from cj_url_parse, freed once.
        unsafe { cj_url_free(self.0) }
    }
}

fn ok(status: cj_status, what: &str) {
    assert_eq!(status, cj_status::CJ_STATUS_OK, "{what}");
}

/// The two jars, filled from the same stream, with limits high enough that nothing is evicted
/// (so both hold every cookie and eviction order cannot make them differ).
fn jars() -> (Jar, CJar) {
    let rust = Jar::with_options(
        JarOptions::default()
            .max_cookies(1_000_000)
            .max_cookies_per_site(10_000),
    );
    let mut options: *mut cj_options = ptr::null_mut();
    let mut handle: *mut cj_jar = ptr::null_mut();
    // SAFETY: every pointer is a live local or a handle just returned by the library.
    unsafe {
        ok(cj_options_new(&mut options), "cj_options_new");
        ok(cj_options_set_max_cookies(options, 1_000_000), "max");
        ok(
            cj_options_set_max_cookies_per_site(options, 10_000),
            "per site",
        );
        ok(cj_jar_new_with(options, &mut handle), "cj_jar_new_with");
        cj_options_free(options);
    }
    let c = CJar(handle);
    for sc in set_cookie_stream(SITES, 7) {
        rust.set_cookie_at(&sc.header, &Request::new(&sc.url), NOW_MS)
            .expect("the stream's cookies are all valid");
        let (url, value) = (
            CString::new(sc.url.as_str()).unwrap(),
            CString::new(sc.header).unwrap(),
        );
        // SAFETY: live handle, NUL-terminated strings.
        ok(
            unsafe { cj_jar_set_cookie(c.0, url.as_ptr(), value.as_ptr(), NOW_MS) },
            "cj_jar_set_cookie",
        );
    }
    (rust, c)
}

/// One C lookup as a C caller makes it, returning the header copied out (for the check only).
fn c_header(jar: &CJar, url: &CStr) -> Option<String> {
    let mut out: *mut c_char = ptr::null_mut();
    // SAFETY: live handle, NUL-terminated URL, valid out-pointer.
    ok(
        unsafe { cj_jar_cookie_header(jar.0, url.as_ptr(), NOW_MS, &mut out) },
        "cj_jar_cookie_header",
    );
    if out.is_null() {
        return None;
    }
    // SAFETY: a NUL-terminated string the library returned; freed exactly once.
    let s = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
    unsafe { cj_string_free(out) };
    Some(s)
}

/// Criterion's median for one benchmark of this group, in nanoseconds.
fn median_ns(id: &str) -> Option<f64> {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let path = dir
        .join("criterion")
        .join(GROUP)
        .join(id)
        .join("new/estimates.json");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn ffi(c: &mut Criterion) {
    let (rust, cjar) = jars();
    let urls = request_urls(SITES, REQUESTS, 3);
    let texts: Vec<CString> = urls
        .iter()
        .map(|u| CString::new(u.as_str()).unwrap())
        .collect();
    // Same cookies, same answers: checked on every request before anything is timed.
    let mut sent = 0;
    for (u, t) in urls.iter().zip(&texts) {
        let r = rust.cookie_header_at(&Request::new(u), NOW_MS);
        assert_eq!(r, c_header(&cjar, t), "{u}");
        sent += usize::from(r.is_some());
    }
    eprintln!(
        "{} cookies in each jar; {sent} of {REQUESTS} requests get a header",
        rust.len()
    );

    let mut g = c.benchmark_group(GROUP);
    g.sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    let mut i = 0usize;
    g.bench_function("rust_parsed_url", |b| {
        b.iter(|| {
            let u = &urls[i & (REQUESTS - 1)];
            i = i.wrapping_add(1);
            black_box(rust.cookie_header_at(&Request::new(black_box(u)), NOW_MS))
        })
    });
    let mut i = 0usize;
    g.bench_function("rust_from_str", |b| {
        b.iter(|| {
            let t = &texts[i & (REQUESTS - 1)];
            i = i.wrapping_add(1);
            let url = parse_request_url(black_box(t).to_str().unwrap()).unwrap();
            black_box(rust.cookie_header_at(&Request::new(&url), NOW_MS))
        })
    });
    let mut i = 0usize;
    g.bench_function("c_abi", |b| {
        b.iter(|| {
            let t = &texts[i & (REQUESTS - 1)];
            i = i.wrapping_add(1);
            let mut out: *mut c_char = ptr::null_mut();
            // SAFETY: as in `c_header`; the string is freed at once, as a C caller would.
            unsafe {
                let status = cj_jar_cookie_header(cjar.0, black_box(t).as_ptr(), NOW_MS, &mut out);
                black_box(status == cj_status::CJ_STATUS_OK);
                black_box(out);
                cj_string_free(out);
            }
        })
    });
    // Like with like: the C caller parses each URL once (cj_url_parse), as the Rust caller
    // does, and the timed call is only the lookup and the string hand-over.
    let parsed: Vec<UrlHandle> = texts
        .iter()
        .map(|t| {
            let mut u: *mut cj_url = ptr::null_mut();
            // SAFETY: a NUL-terminated string and a valid out-pointer.
            ok(unsafe { cj_url_parse(t.as_ptr(), &mut u) }, "cj_url_parse");
            UrlHandle(u)
        })
        .collect();
    let mut i = 0usize;
    g.bench_function("c_abi_parsed_url", |b| {
        b.iter(|| {
            let u = &parsed[i & (REQUESTS - 1)];
            i = i.wrapping_add(1);
            let mut out: *mut c_char = ptr::null_mut();
            // SAFETY: live handles, a valid out-pointer; the string is freed at once.
            unsafe {
                let status = cj_jar_cookie_header_url(cjar.0, black_box(u.0), NOW_MS, &mut out);
                black_box(status == cj_status::CJ_STATUS_OK);
                black_box(out);
                cj_string_free(out);
            }
        })
    });
    g.finish();

    if let (Some(parsed), Some(from_str), Some(c_abi), Some(c_parsed)) = (
        median_ns("rust_parsed_url"),
        median_ns("rust_from_str"),
        median_ns("c_abi"),
        median_ns("c_abi_parsed_url"),
    ) {
        eprintln!(
            "medians: rust_parsed_url {parsed:.0} ns, rust_from_str {from_str:.0} ns, \
             c_abi {c_abi:.0} ns, c_abi_parsed_url {c_parsed:.0} ns"
        );
        eprintln!(
            "c_abi / rust_from_str = {:.2}x, c_abi_parsed_url / rust_parsed_url = {:.2}x \
             (like with like; target <= 1.3x); c_abi / rust_parsed_url = {:.2}x",
            c_abi / from_str,
            c_parsed / parsed,
            c_abi / parsed
        );
    }
}

criterion_group!(benches, ffi);
criterion_main!(benches);
