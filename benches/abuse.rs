//! Time per call under abuse (issue #8), beside the same call in normal use: a server that
//! floods one site with distinct names or paths, or the jar with new sites, pays the eviction
//! it causes a little at a time, so each call stays of the order of a normal one; headers
//! that are huge cost time linear in their length, and nothing more (`tests/abuse.rs` asserts
//! the bounds on what the jar keeps).
//!
//! Run: `cargo bench --bench abuse`; the medians are in
//! `target/criterion/abuse/*/new/estimates.json`. `ABUSE_BENCH_QUICK=1` takes fewer samples,
//! for a busy machine.

use std::hint::black_box;
use std::time::Duration;

use cookiejar::{Jar, Request, Url};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const NOW: i64 = 1_750_000_000_000;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

/// A jar as a browser's looks: 100 sites with 20 cookies each.
fn normal_jar() -> Jar {
    let jar = Jar::default();
    for s in 0..100 {
        let u = url(&format!("https://www.site{s}.example/"));
        for i in 0..20 {
            let h = format!("c{i}=value{i}; Path=/; Max-Age=86400");
            jar.set_cookie_at(&h, &Request::new(&u), NOW).unwrap();
        }
    }
    jar
}

/// A pool of headers, cycled: building a string is not what is measured, and after a full
/// cycle the first ones have long been evicted, so each is new to the jar again.
fn pool(n: usize, make: impl Fn(usize) -> String) -> Vec<String> {
    (0..n).map(make).collect()
}

fn abuse(c: &mut Criterion) {
    let quick = std::env::var_os("ABUSE_BENCH_QUICK").is_some();
    let mut g = c.benchmark_group("abuse");
    g.sample_size(if quick { 10 } else { 30 })
        .warm_up_time(Duration::from_millis(if quick { 300 } else { 1000 }))
        .measurement_time(Duration::from_secs(if quick { 1 } else { 3 }));

    // ----- the normal calls everything else is compared with -----------------------------
    let jar = normal_jar();
    let u = url("https://www.site7.example/");
    let headers = pool(20, |i| format!("c{i}=other{i}; Path=/; Max-Age=86400"));
    let mut i = 0usize;
    let mut now = NOW;
    g.bench_function("normal_set_replace", |b| {
        b.iter(|| {
            i += 1;
            now += 1;
            black_box(jar.set_cookie_at(&headers[i % headers.len()], &Request::new(&u), now))
        })
    });
    g.bench_function("normal_lookup", |b| {
        b.iter(|| black_box(jar.cookie_header_at(&Request::new(&u), now)))
    });
    drop(jar);

    // ----- one site, flooded with distinct names: always at its limit of 180 ---------------
    let jar = Jar::default();
    let u = url("https://www.flood.example/");
    let names = pool(50_000, |i| format!("n{i}=v; Max-Age=86400"));
    let mut now = NOW;
    for h in names.iter().chain(&names) {
        now += 1;
        jar.set_cookie_at(h, &Request::new(&u), now).unwrap();
    }
    assert_eq!(jar.len(), jar.cookies_at(now).len());
    assert!(jar.len() <= 180);
    let mut i = 0usize;
    g.bench_function("one_site_flood_set_new_name", |b| {
        b.iter(|| {
            i += 1;
            now += 1;
            black_box(jar.set_cookie_at(&names[i % names.len()], &Request::new(&u), now))
        })
    });
    g.bench_function("one_site_flood_lookup_full_site", |b| {
        b.iter(|| black_box(jar.cookie_header_at(&Request::new(&u), now)))
    });
    drop(jar);

    // ----- a million distinct paths on one site, then more ---------------------------------
    let jar = Jar::default();
    let paths = pool(50_000, |i| format!("p=1; Path=/p{i}/q"));
    let mut now = NOW;
    // 20 rounds of 50,000: a path comes round again only long after it was evicted, so each
    // arrives as new.
    for _ in 0..20 {
        for h in &paths {
            now += 1;
            jar.set_cookie_at(h, &Request::new(&u), now).unwrap();
        }
    }
    assert!(jar.len() <= 180);
    let mut i = 0usize;
    g.bench_function("paths_flood_set_after_1m", |b| {
        b.iter(|| {
            i += 1;
            now += 1;
            black_box(jar.set_cookie_at(&paths[i % paths.len()], &Request::new(&u), now))
        })
    });
    let deep = url(&format!("https://www.flood.example{}", "/a".repeat(5_000)));
    g.bench_function("deep_path_lookup_5000_segments", |b| {
        b.iter(|| black_box(jar.cookie_header_at(&Request::new(&deep), now)))
    });
    drop(jar);

    // ----- a new site per call, the jar at its limit of 3300 -------------------------------
    let jar = Jar::default();
    let sites: Vec<Url> = (0..50_000)
        .map(|s| url(&format!("https://www.s{s}.example/")))
        .collect();
    let mut now = NOW;
    for s in sites.iter().chain(&sites) {
        now += 1;
        jar.set_cookie_at("id=1; Max-Age=86400", &Request::new(s), now)
            .unwrap();
    }
    assert!(jar.len() <= 3300 && jar.len() > 2900);
    let mut i = 0usize;
    g.bench_function("sites_flood_set_new_site", |b| {
        b.iter(|| {
            i += 1;
            now += 1;
            let s = &sites[i % sites.len()];
            black_box(jar.set_cookie_at("id=1; Max-Age=86400", &Request::new(s), now))
        })
    });
    drop(jar);

    // ----- huge headers: time linear in their length, nothing kept ---------------------------
    let jar = normal_jar();
    let u = url("https://www.site7.example/");
    let cases = [
        (
            "header_4kb_value_stored",
            format!("big={}", "v".repeat(4_000)),
        ),
        (
            "header_1mb_value_refused",
            format!("big={}", "v".repeat(1 << 20)),
        ),
        (
            "header_1mb_of_attributes",
            format!("ok=1{}", "; Foo=bar".repeat((1 << 20) / 9)),
        ),
        ("header_10000_domain_attributes", {
            let mut h = String::from("id=1");
            for d in 0..10_000 {
                h.push_str(&format!("; Domain=d{d}.nowhere.example"));
            }
            h.push_str("; Domain=site7.example");
            h
        }),
    ];
    for (name, header) in &cases {
        g.throughput(Throughput::Bytes(header.len() as u64));
        g.bench_function(*name, |b| {
            b.iter(|| black_box(jar.set_cookie_at(header, &Request::new(&u), NOW)))
        });
    }
    g.finish();
}

criterion_group!(benches, abuse);
criterion_main!(benches);
