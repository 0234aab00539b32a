//! Persistence, side by side with `cookie_store`'s JSON save/load on the same cookies:
//! opening a jar file of 100k and 1M cookies, and the cost of one `set_cookie` on a file jar
//! against an in-memory jar (criterion's two timings, and the two measured in turn, round by
//! round, for a ratio the machine's drift does not move). Prints the file's bytes per cookie.
//!
//! Run: `cargo bench --bench persistence`, then `python3 scripts/bench-table.py`.

// Shared with the engine bench; not every helper is used here.
#[allow(dead_code)]
mod common;

use std::hint::black_box;
use std::io::Cursor;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{set_cookie_stream, NOW_MS};
use cookiejar::{Jar, JarOptions, Request};
use criterion::{criterion_group, criterion_main, Criterion};

fn options() -> JarOptions {
    JarOptions::default()
        .max_cookies(2_000_000)
        .max_cookies_per_site(10_000)
}

fn bench_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cookiejar-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A jar file holding the stream for `sites` sites (10 cookies each, 6 of them persistent),
/// and the cookie_store JSON of the same cookies.
fn build(sites: usize, dir: &std::path::Path) -> (PathBuf, Vec<u8>, usize) {
    let stream = set_cookie_stream(sites, 7);
    let path = dir.join(format!("jar-{sites}"));
    let _ = std::fs::remove_file(&path);
    let jar = Jar::open_at(&path, options(), NOW_MS).unwrap();
    for sc in &stream {
        jar.set_cookie_at(&sc.header, &Request::new(&sc.url), NOW_MS)
            .unwrap();
    }
    jar.flush().unwrap();
    drop(jar);
    // Reopen once so the file is in its steady form (session cookies are not persisted).
    let n = Jar::open_at(&path, options(), NOW_MS).unwrap().len();
    let used = used_bytes(&path);
    eprintln!(
        "jar file for {n} cookies: {used} bytes used ({:.1} bytes per cookie), {} bytes on disk",
        used as f64 / n as f64,
        std::fs::metadata(&path).unwrap().len()
    );

    let mut store = cookie_store::CookieStore::default();
    for sc in &stream {
        if let Ok(c) = cookie_store::RawCookie::parse(sc.header.clone()) {
            let _ = store.insert_raw(&c, &sc.url);
        }
    }
    let mut json = Vec::new();
    cookie_store::serde::json::save(&store, &mut json).unwrap();
    eprintln!(
        "cookie_store JSON for the same cookies: {} bytes ({:.1} bytes per cookie)",
        json.len(),
        json.len() as f64 / n as f64
    );
    (path, json, n)
}

/// The bytes up to the last non-zero one: the log, without the preallocated tail.
fn used_bytes(path: &std::path::Path) -> usize {
    let bytes = std::fs::read(path).unwrap();
    bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1)
}

fn open(c: &mut Criterion) {
    let dir = bench_dir();
    // Six of a site's ten cookies outlive the session and are kept in the file (the rest are
    // session cookies, which are not), so these site counts give 100k and 1M cookies on file.
    for (label, sites, want) in [("100k", 16_667usize, 100_000), ("1M", 166_667, 1_000_000)] {
        let (path, json, n) = build(sites, &dir);
        assert!(
            (want..want + 10).contains(&n),
            "{label}: the file holds {n} cookies"
        );
        let mut g = c.benchmark_group(format!("open/{label}"));
        g.sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(if want > 100_000 { 30 } else { 5 }));
        // A site's cookies are read from the file when the site is first used: the open
        // alone, and the open followed by reading every cookie (`len`).
        for (name, read_all) in [("ours", false), ("ours_then_every_cookie", true)] {
            g.bench_function(name, |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let t = Instant::now();
                        let jar = Jar::open_at(&path, options(), NOW_MS).unwrap();
                        let len = if read_all { jar.len() } else { 0 };
                        total += t.elapsed();
                        assert_eq!(if read_all { len } else { jar.len() }, n);
                        drop(jar);
                    }
                    total
                })
            });
        }
        g.bench_function("cookie_store_json_load", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let t = Instant::now();
                    let store = cookie_store::serde::json::load(Cursor::new(&json)).unwrap();
                    total += t.elapsed();
                    drop(black_box(store));
                }
                total
            })
        });
        let store = cookie_store::serde::json::load(Cursor::new(&json)).unwrap();
        g.bench_function("cookie_store_json_save", |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(json.len());
                cookie_store::serde::json::save(&store, &mut out).unwrap();
                black_box(out)
            })
        });
        g.finish();
        let _ = std::fs::remove_file(&path);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn set_cookie(c: &mut Criterion) {
    let dir = bench_dir();
    let stream = set_cookie_stream(1_000, 11);
    let mut g = c.benchmark_group("set_cookie");
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    // The same stream of 10,000 headers, stored over and over (replacing), so the file jar
    // pays for appends and for the compactions that churn triggers.
    g.bench_function("in_memory", |b| {
        let jar = Jar::with_options(options());
        let mut i = 0;
        b.iter(|| {
            let sc = &stream[i % stream.len()];
            i += 1;
            jar.set_cookie_at(&sc.header, &Request::new(&sc.url), NOW_MS)
                .unwrap()
        })
    });
    g.bench_function("file", |b| {
        let path = dir.join("set-cookie");
        let _ = std::fs::remove_file(&path);
        let jar = Jar::open_at(&path, options(), NOW_MS).unwrap();
        let mut i = 0;
        b.iter(|| {
            let sc = &stream[i % stream.len()];
            i += 1;
            jar.set_cookie_at(&sc.header, &Request::new(&sc.url), NOW_MS)
                .unwrap()
        })
    });
    g.finish();
    paired(&dir, &stream);
    // Churn: 1M updates over 1,000 live cookies, then the file's size.
    let path = dir.join("churn");
    let _ = std::fs::remove_file(&path);
    let jar = Jar::open_at(&path, options(), NOW_MS).unwrap();
    let url = cookiejar::Url::parse("https://www.churn.example/").unwrap();
    let t = Instant::now();
    for i in 0..1_000_000u64 {
        let h = format!("c{}=value-{i}; Path=/; Max-Age=100000", i % 1000);
        jar.set_cookie_at(&h, &Request::new(&url), NOW_MS).unwrap();
    }
    eprintln!(
        "churn: 1,000,000 updates over 1,000 cookies in {:.2?}; file {} bytes",
        t.elapsed(),
        std::fs::metadata(&path).unwrap().len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The two `set_cookie` jars again, measured in turn: one pass over the stream on the
/// in-memory jar, then one on the file jar, `ROUNDS` times; prints the median time of each and
/// the median of the per-round ratios. Criterion times the two seconds apart, and on a shared
/// machine whose speed drifts by more than the gap between them, that ratio moves from run to
/// run (1.4 to 2.4 over session 6's runs); a ratio taken within each round does not see the
/// drift. The `file` target is checked on this figure.
fn paired(dir: &std::path::Path, stream: &[common::SetCookie]) {
    const ROUNDS: usize = 41;
    let path = dir.join("set-cookie-paired");
    let _ = std::fs::remove_file(&path);
    let file = Jar::open_at(&path, options(), NOW_MS).unwrap();
    let memory = Jar::with_options(options());
    let pass = |jar: &Jar| {
        let t = Instant::now();
        for sc in stream {
            black_box(jar.set_cookie_at(&sc.header, &Request::new(&sc.url), NOW_MS)).unwrap();
        }
        t.elapsed().as_secs_f64() * 1e9 / stream.len() as f64
    };
    // One unmeasured pass each: the first stores, every later one replaces.
    pass(&memory);
    pass(&file);
    let p = common::paired(ROUNDS, || pass(&memory), || pass(&file));
    eprintln!(
        "set_cookie paired over {ROUNDS} rounds of {} headers: in memory {:.0} ns, file {:.0} ns \
         (medians); file/memory {:.2} (median of the rounds' ratios)",
        stream.len(),
        p.a,
        p.b,
        p.ratio
    );
}

// `set_cookie` first: `open` writes and deletes about 1.5 GB of files, and the disk's
// writeback of them would otherwise land on the compactions' fsyncs that `set_cookie` times.
criterion_group!(benches, set_cookie, open);
criterion_main!(benches);
