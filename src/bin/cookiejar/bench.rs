//! `cookiejar bench`: a short, in-process comparison of this jar with `reqwest::cookie::Jar` and
//! with `cookie_store` set up as `reqwest_cookie_store` sets it up, all three driven through the
//! `reqwest::cookie::CookieStore` trait on the same workload, at 1k and 10k cookies. The
//! criterion benches (`cargo bench --bench engine`) are the careful measurement; this is the
//! quick look.

#[cfg(not(all(feature = "reqwest", feature = "cookie_store")))]
pub fn run(_lookups: usize) -> Result<(), String> {
    Err(
        "the bench command compares this jar with reqwest's and cookie_store's, so it needs \
         those features: cargo run --release --features reqwest,cookie_store -- bench"
            .into(),
    )
}

#[cfg(all(feature = "reqwest", feature = "cookie_store"))]
pub use measure::run;

#[cfg(all(feature = "reqwest", feature = "cookie_store"))]
mod measure {
    use std::hint::black_box;
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    use cookiejar::{Jar, JarOptions, Url};
    use reqwest::cookie::CookieStore;
    use reqwest::header::HeaderValue;

    /// Cookies per site in the workload.
    const PER_SITE: usize = 10;
    /// Each timing is the best of this many runs.
    const RUNS: usize = 3;
    const TLDS: &[&str] = &["com", "co.uk", "de", "io", "org", "net", "fr", "com.au"];

    /// `cookie_store::CookieStore` behind a mutex, fed and read the way `reqwest_cookie_store`
    /// does it: headers parsed by the `cookie` crate, the `Cookie` header built from
    /// `get_request_values`.
    #[derive(Default)]
    struct CookieStoreMutex(Mutex<cookie_store::CookieStore>);

    impl CookieStore for CookieStoreMutex {
        fn set_cookies(&self, headers: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
            let cookies = headers
                .filter_map(|v| std::str::from_utf8(v.as_bytes()).ok())
                .filter_map(|s| cookie_store::RawCookie::parse(s.to_owned()).ok());
            if let Ok(mut store) = self.0.lock() {
                store.store_response_cookies(cookies, url);
            }
        }

        fn cookies(&self, url: &Url) -> Option<HeaderValue> {
            let store = self.0.lock().ok()?;
            let header = store
                .get_request_values(url)
                .map(|(n, v)| format!("{n}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            if header.is_empty() {
                return None;
            }
            HeaderValue::from_str(&header).ok()
        }
    }

    /// SplitMix64: a small, seeded, deterministic generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn token(&mut self) -> String {
            format!("{:016x}{:08x}", self.next(), self.next() as u32)
        }
    }

    struct Workload {
        /// `Set-Cookie` headers with the URL of the response carrying each.
        responses: Vec<(Url, HeaderValue)>,
        /// Request URLs on random sites.
        requests: Vec<Url>,
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn header(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// A realistic site: a login, a CSRF token, analytics on the registrable domain, a consent
    /// cookie, a cart and an API session on deeper paths, preferences.
    fn workload(cookies: usize, lookups: usize) -> Workload {
        let mut rng = Rng(0xC00C_1E5E_ED00 ^ cookies as u64);
        let sites: Vec<String> = (0..cookies.div_ceil(PER_SITE))
            .map(|i| format!("site{i}.{}", TLDS[i % TLDS.len()]))
            .collect();
        let mut responses = Vec::with_capacity(cookies);
        for s in &sites {
            let www = url(&format!("https://www.{s}/login"));
            let shop = url(&format!("https://shop.{s}/shop/"));
            let api = url(&format!("https://api.{s}/api/v1/session"));
            let bare = url(&format!("https://{s}/"));
            let set = [
                (
                    &www,
                    format!("sid={}; Path=/; Secure; HttpOnly", rng.token()),
                ),
                (
                    &www,
                    format!("csrf={}; Path=/; Secure; SameSite=Strict", rng.token()),
                ),
                (
                    &www,
                    format!(
                        "_ga=GA1.2.{}; Domain={s}; Path=/; Max-Age=2592000",
                        rng.next()
                    ),
                ),
                (
                    &www,
                    format!(
                        "_gid=GA1.2.{}; Domain={s}; Path=/; Max-Age=86400",
                        rng.next()
                    ),
                ),
                (
                    &www,
                    format!(
                        "_fbp=fb.1.{}; Domain={s}; Path=/; Max-Age=7776000; SameSite=Lax",
                        rng.next()
                    ),
                ),
                (
                    &bare,
                    format!(
                        "consent=yes-{}; Domain={s}; Path=/; Max-Age=31536000",
                        rng.below(100)
                    ),
                ),
                (
                    &shop,
                    format!("cart={}; Path=/shop; Max-Age=604800", rng.token()),
                ),
                (
                    &api,
                    format!("api_session={}; Path=/api; Secure; HttpOnly", rng.token()),
                ),
                (&www, format!("lang=en; Domain={s}; Path=/")),
                (&bare, "theme=dark; Path=/".to_owned()),
            ];
            for (u, h) in set.into_iter().take(PER_SITE) {
                responses.push((u.clone(), header(&h)));
            }
        }
        responses.truncate(cookies);
        let requests = (0..lookups)
            .map(|_| {
                let s = &sites[rng.below(sites.len())];
                url(&match rng.below(4) {
                    0 => format!("https://www.{s}/"),
                    1 => format!("https://shop.{s}/shop/cart"),
                    2 => format!("https://api.{s}/api/v1/items"),
                    _ => format!("https://{s}/account"),
                })
            })
            .collect();
        Workload {
            responses,
            requests,
        }
    }

    fn fill(store: &dyn CookieStore, w: &Workload) {
        for (u, h) in &w.responses {
            store.set_cookies(&mut std::iter::once(h), u);
        }
    }

    /// The best of `RUNS` timings of a fresh store taking every header, and the filled store.
    fn ingest<S: CookieStore>(fresh: &dyn Fn() -> S, w: &Workload) -> (Duration, S) {
        let mut best = Duration::MAX;
        let mut last = None;
        for _ in 0..RUNS {
            let store = fresh();
            let started = Instant::now();
            fill(&store, w);
            best = best.min(started.elapsed());
            last = Some(store);
        }
        (best, last.unwrap_or_else(fresh))
    }

    fn lookup(store: &dyn CookieStore, w: &Workload) -> Duration {
        (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                for u in &w.requests {
                    black_box(store.cookies(black_box(u)));
                }
                started.elapsed()
            })
            .min()
            .unwrap_or_default()
    }

    /// The cookies of a header as sorted `name=value` pairs (the peers do not order them as
    /// RFC 6265bis §5.8.3 says, so only the sets can be compared).
    fn pairs(h: Option<HeaderValue>) -> Vec<Vec<u8>> {
        let mut p: Vec<Vec<u8>> = h
            .map(|h| {
                h.as_bytes()
                    .split(|&b| b == b';')
                    .map(|s| s.trim_ascii().to_vec())
                    .collect()
            })
            .unwrap_or_default();
        p.sort();
        p
    }

    fn per(d: Duration, n: usize) -> String {
        let ns = d.as_nanos() as f64 / n.max(1) as f64;
        if ns >= 1_000_000.0 {
            format!("{:.2} ms", ns / 1_000_000.0)
        } else if ns >= 1_000.0 {
            format!("{:.2} µs", ns / 1_000.0)
        } else {
            format!("{ns:.0} ns")
        }
    }

    fn ratio(peer: Duration, ours: Duration) -> String {
        format!(
            "{:.2}x",
            peer.as_secs_f64() / ours.as_secs_f64().max(f64::MIN_POSITIVE)
        )
    }

    pub fn run(lookups: usize) -> Result<(), String> {
        let lookups = lookups.max(1);
        if cfg!(debug_assertions) {
            println!("(a debug build: run with --release for meaningful numbers)\n");
        }
        println!(
            "Workload: {PER_SITE} cookies per site (host-only and Domain cookies, paths /, /shop, \
             /api), {lookups} Cookie headers on random sites; best of {RUNS} runs. All three \
             jars go through reqwest::cookie::CookieStore."
        );
        println!("ratio = that jar's time / this jar's time (above 1: this jar is faster)\n");
        println!(
            "{:<6} {:<34} {:>14} {:>8} {:>14} {:>8}",
            "size", "jar", "per Set-Cookie", "ratio", "per lookup", "ratio"
        );
        for &size in &[1_000usize, 10_000] {
            let w = workload(size, lookups);
            // Room for the whole workload: the default global limit (3300) would evict.
            let options = || JarOptions::default().max_cookies(size * 2);
            let (ours_in, ours) = ingest(&|| Jar::with_options(options()), &w);
            let (reqwest_in, reqwest_jar) = ingest(&reqwest::cookie::Jar::default, &w);
            let (cs_in, cs) = ingest(&CookieStoreMutex::default, &w);
            let ours_look = lookup(&ours, &w);
            let reqwest_look = lookup(&reqwest_jar, &w);
            let cs_look = lookup(&cs, &w);

            let checked = w.requests.len().min(200);
            let agree = w.requests[..checked]
                .iter()
                .filter(|u| {
                    let o = pairs(CookieStore::cookies(&ours, u));
                    o == pairs(reqwest_jar.cookies(u)) && o == pairs(cs.cookies(u))
                })
                .count();
            let label = if size >= 10_000 { "10k" } else { "1k" };
            let n = w.responses.len();
            let m = w.requests.len();
            println!(
                "{label:<6} {:<34} {:>14} {:>8} {:>14} {:>8}",
                "cookiejar::Jar (in memory)",
                per(ours_in, n),
                "1.00x",
                per(ours_look, m),
                "1.00x"
            );
            println!(
                "{:<6} {:<34} {:>14} {:>8} {:>14} {:>8}",
                "",
                "reqwest::cookie::Jar",
                per(reqwest_in, n),
                ratio(reqwest_in, ours_in),
                per(reqwest_look, m),
                ratio(reqwest_look, ours_look)
            );
            println!(
                "{:<6} {:<34} {:>14} {:>8} {:>14} {:>8}",
                "",
                "cookie_store (reqwest_cookie_store)",
                per(cs_in, n),
                ratio(cs_in, ours_in),
                per(cs_look, m),
                ratio(cs_look, ours_look)
            );
            println!(
                "{:<6} the three send the same cookies on {agree} of the first {checked} requests\n",
                ""
            );
        }
        Ok(())
    }
}
