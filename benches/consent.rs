//! What consent enforcement adds to a lookup: the same 100k-cookie jar, the same requests,
//! once with no consent set (nothing enforced) and once enforcing a consent that grants every
//! category (so the same cookies are sent and only the checks differ).
//!
//! Run: `cargo bench --bench consent`, then `python3 scripts/bench-table.py`.

// Shared with the engine bench; not every helper is used here.
#[allow(dead_code)]
mod common;

use std::hint::black_box;
use std::time::Duration;

use common::{request_urls, set_cookie_stream, NOW_MS};
use cookiejar::{Category, CategorySet, Jar, JarOptions, Request};
use criterion::{criterion_group, criterion_main, Criterion};

fn jar(enforcing: bool) -> Jar {
    let jar = Jar::with_options(
        JarOptions::default()
            .max_cookies(1_000_000)
            .max_cookies_per_site(10_000),
    );
    if enforcing {
        let all: CategorySet = [
            Category::Necessary,
            Category::Preferences,
            Category::Statistics,
            Category::Marketing,
        ]
        .into_iter()
        .collect();
        jar.set_consent_granted(None, all, NOW_MS).unwrap();
        // Unclassified cookies follow Marketing by default, which is granted.
    }
    for sc in set_cookie_stream(10_000, 7) {
        jar.set_cookie_at(&sc.header, &Request::new(&sc.url), NOW_MS)
            .unwrap();
    }
    jar
}

fn consent(c: &mut Criterion) {
    let urls = request_urls(10_000, 4096, 3);
    let mut g = c.benchmark_group("consent_lookup_100k");
    g.sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (name, enforcing) in [("not_enforced", false), ("enforced", true)] {
        let jar = jar(enforcing);
        let sent: usize = urls
            .iter()
            .filter(|u| jar.cookie_header_at(&Request::new(u), NOW_MS).is_some())
            .count();
        eprintln!(
            "{name}: {} cookies, {sent} of {} requests get a header",
            jar.len(),
            urls.len()
        );
        let mut i = 0usize;
        g.bench_function(name, |b| {
            b.iter(|| {
                let u = &urls[i & 4095];
                i = i.wrapping_add(1);
                black_box(jar.cookie_header_at(&Request::new(black_box(u)), NOW_MS))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, consent);
criterion_main!(benches);
