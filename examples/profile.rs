//! A driver for profilers: runs one of the benchmark workloads (benches/common) in a plain
//! process, so that `valgrind --tool=callgrind` (instruction counts, the same on every run
//! whatever else the machine does) or `perf record` can look inside it. The benchmarks
//! themselves (`cargo bench`) give the times; this gives the why.
//!
//! ```sh
//! cargo build --release --example profile
//! ROUNDS=20 valgrind --tool=callgrind target/release/examples/profile lookup 100
//! callgrind_annotate --inclusive=yes callgrind.out.*
//! ```
//!
//! Modes (the number is the count of sites, 10 cookies each; default 10,000):
//! - `lookup N`: fills a jar, then `ROUNDS` × 4,096 `Cookie` headers;
//! - `ingest N`: `ROUNDS` times, the `Set-Cookie` stream into a fresh jar;
//! - `trait N` / `trait-reqwest N` (with `--features reqwest`): the same through reqwest's
//!   `CookieStore` trait, into this jar or into `reqwest::cookie::Jar`, one header a call as a
//!   client gets them: under callgrind, the instruction counts of the two, side by side;
//! - `mem N` / `file N`: `ROUNDS` times the stream into one jar (replacing), in memory or on a
//!   file in the temporary directory, the benchmark `set_cookie` pair;
//! - `pair N`: both of those, one stream each in turn, `ROUNDS` times: the median file/memory
//!   ratio;
//! - `churn`: `ROUNDS` × 100,000 updates of 1,000 cookies on one file jar (the persistence
//!   bench's churn), which compacts the file again and again;
//! - `open N`: opens `ROUNDS` times a jar file of the stream (written on the first run, kept in
//!   the temporary directory), then makes one lookup, then loads every cookie (`len`), each
//!   timed apart.

#[path = "../benches/common/mod.rs"]
#[allow(dead_code)]
mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use cookiejar::{Jar, JarOptions, Request};

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let sites: usize = std::env::args()
        .nth(2)
        .map_or(10_000, |s| s.parse().expect("a number of sites"));
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .map_or(1, |s| s.parse().expect("ROUNDS, a number"));
    let stream = common::set_cookie_stream(sites, 0x5eed);
    let store = |jar: &Jar| {
        for s in &stream {
            black_box(jar.set_cookie_at(&s.header, &Request::new(&s.url), common::NOW_MS))
                .expect("every workload cookie is accepted");
        }
    };
    let big = || {
        JarOptions::default()
            .max_cookies(2_000_000)
            .max_cookies_per_site(10_000)
    };
    match mode.as_str() {
        "lookup" => {
            let urls = common::request_urls(sites, 4096, 0x7e57);
            let jar = Jar::with_options(big());
            store(&jar);
            let t = Instant::now();
            let mut bytes = 0usize;
            for _ in 0..rounds {
                for u in &urls {
                    let header = jar.cookie_header_at(&Request::new(u), common::NOW_MS);
                    bytes += black_box(header).map_or(0, |h| h.len());
                }
            }
            let n = rounds * urls.len();
            eprintln!(
                "{n} lookups, {:?} each, {bytes} header bytes",
                t.elapsed() / n as u32
            );
        }
        "ingest" => {
            let t = Instant::now();
            for _ in 0..rounds {
                store(&Jar::with_options(big()));
            }
            eprintln!(
                "{:?} per header",
                t.elapsed() / (rounds * stream.len()) as u32
            );
        }
        "mem" | "file" => {
            let path =
                std::env::temp_dir().join(format!("cookiejar-profile-{}", std::process::id()));
            let jar = if mode == "file" {
                Jar::open_at(&path, big(), common::NOW_MS).expect("a jar file")
            } else {
                Jar::with_options(big())
            };
            let t = Instant::now();
            for _ in 0..rounds {
                store(&jar);
            }
            eprintln!(
                "{:?} per header",
                t.elapsed() / (rounds * stream.len()) as u32
            );
            drop(jar);
            let _ = std::fs::remove_file(&path);
        }
        "churn" => {
            let path = std::env::temp_dir().join(format!("cookiejar-churn-{}", std::process::id()));
            let jar = Jar::open_at(&path, big(), common::NOW_MS).expect("a jar file");
            let url = cookiejar::Url::parse("https://www.churn.example/").unwrap();
            let t = Instant::now();
            for i in 0..rounds as u64 * 100_000 {
                let h = format!("c{}=value-{i}; Path=/; Max-Age=100000", i % 1000);
                jar.set_cookie_at(&h, &Request::new(&url), common::NOW_MS)
                    .unwrap();
            }
            eprintln!("churn {:?}", t.elapsed());
            drop(jar);
            let _ = std::fs::remove_file(&path);
        }
        "pair" => {
            // The `mem` and `file` jars side by side, stream by stream in turn, so both
            // halves of each ratio meet the same machine: the median ratio is the figure.
            let path = std::env::temp_dir().join(format!("cookiejar-pair-{}", std::process::id()));
            let file = Jar::open_at(&path, big(), common::NOW_MS).expect("a jar file");
            let mem = Jar::with_options(big());
            let per = |jar: &Jar| {
                let t = Instant::now();
                store(jar);
                t.elapsed().as_secs_f64() * 1e9 / stream.len() as f64
            };
            let p = common::paired(rounds, || per(&mem), || per(&file));
            eprintln!(
                "median per header: memory {:.0} ns, file {:.0} ns; median file/memory {:.2}",
                p.a, p.b, p.ratio
            );
            drop(file);
            let _ = std::fs::remove_file(&path);
        }
        "open" => {
            let path = std::env::temp_dir().join(format!("cookiejar-profile-open-{sites}"));
            if !path.exists() {
                let jar = Jar::open_at(&path, big(), common::NOW_MS).expect("a jar file");
                store(&jar);
                jar.flush().expect("flush");
            }
            // A jar file's cookies are read when their site is first used: the open itself,
            // a first lookup, and every cookie (`len`) are timed apart.
            let urls = common::request_urls(sites, 1, 0x7e57);
            let (mut open, mut first, mut all) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
            let mut n = 0;
            for _ in 0..rounds {
                let t = Instant::now();
                let jar = Jar::open_at(&path, big(), common::NOW_MS).expect("reopen");
                open += t.elapsed();
                let t = Instant::now();
                black_box(jar.cookie_header_at(&Request::new(&urls[0]), common::NOW_MS));
                first += t.elapsed();
                let t = Instant::now();
                n = jar.len();
                all += t.elapsed();
            }
            let r = rounds as u32;
            eprintln!(
                "{n} cookies: open {:?}, then a first lookup {:?}, then loading the rest {:?}",
                open / r,
                first / r,
                all / r
            );
        }
        #[cfg(feature = "reqwest")]
        "trait" | "trait-reqwest" => {
            use reqwest::cookie::CookieStore;
            let headers: Vec<reqwest::header::HeaderValue> = stream
                .iter()
                .map(|s| s.header.parse().expect("a header value"))
                .collect();
            let fresh = || -> Box<dyn CookieStore> {
                if mode == "trait" {
                    Box::new(Jar::with_options(big()))
                } else {
                    Box::new(reqwest::cookie::Jar::default())
                }
            };
            let t = Instant::now();
            for _ in 0..rounds {
                let jar = fresh();
                for (s, h) in stream.iter().zip(&headers) {
                    jar.set_cookies(&mut std::iter::once(h), &s.url);
                }
                black_box(jar);
            }
            eprintln!(
                "{mode}: {:?} per header",
                t.elapsed() / (rounds * stream.len()) as u32
            );
        }
        _ => {
            eprintln!(
                "usage: profile lookup|ingest|trait|trait-reqwest|mem|file|pair|churn|open [SITES]  \
                 (ROUNDS=n in the environment; trait modes need --features reqwest)"
            );
            std::process::exit(2);
        }
    }
}
