//! `cookiejar bench`: this jar against `reqwest::cookie::Jar` and against `cookie_store` set up
//! as `reqwest_cookie_store` sets it up, on the same workload, in one run, with the ratios side
//! by side:
//!
//! - ingest and lookups, all three driven through `reqwest::cookie::CookieStore` (the way a
//!   reqwest client drives its cookie provider), at 1k, 10k and 100k cookies over many sites;
//!   ingest both into a fresh jar and, as a running client's jar mostly changes, into the
//!   filled jar again: the same cookies with new values;
//! - saving and opening 100k (and with `--million`, 1M) cookies: this jar's file is always
//!   current, so its "save" is `flush()` (msync and fsync) and its "open" is `Jar::open` of
//!   that file; `cookie_store`'s are its JSON save to a file (with fsync, to be as durable)
//!   and its JSON load. `reqwest::cookie::Jar` cannot save.
//!
//! The criterion benches (`cargo bench`) are the careful measurement; this is the quick look
//! a user can run anywhere.

/// What to measure.
#[derive(Clone, Copy, Debug)]
// Read only by the measuring half, which a build without the peers' features leaves out.
#[cfg_attr(
    not(all(feature = "reqwest", feature = "cookie_store")),
    allow(dead_code)
)]
pub struct Plan {
    /// Lookups timed per jar and size (fewer for a peer that runs out of its time budget).
    pub lookups: usize,
    /// Small sizes only, for a smoke test: lookups at 1k and 10k, open/save at 10k.
    pub quick: bool,
    /// Also save and open 1M cookies.
    pub million: bool,
}

#[cfg(not(all(feature = "reqwest", feature = "cookie_store")))]
pub fn run(_plan: Plan) -> Result<(), String> {
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
    use std::fs;
    use std::hint::black_box;
    use std::io::{BufReader, BufWriter, Write};
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    use cookiejar::{Jar, JarOptions, Url};
    use reqwest::cookie::CookieStore;
    use reqwest::header::HeaderValue;

    use super::Plan;

    /// Cookies per site in the workload.
    const PER_SITE: usize = 10;
    /// Each timing is the best of this many runs (fewer when a run exceeds the budget).
    const RUNS: usize = 3;
    /// Ingest runs: filling a fresh jar with 1k headers takes about a millisecond, so three
    /// runs leave the best at the mercy of one interruption and of a cold cache (ours showed
    /// 1.25-1.30 µs a header here with three, while twenty runs of a like workload in a
    /// separate harness gave 0.46 µs). The same count for every jar, still cut short by the
    /// time budget.
    const INGEST_RUNS: usize = 10;
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
        /// The response URLs, four per site (shared by its cookies: at 1M cookies, one URL per
        /// header would cost more memory than the jars under test).
        urls: Vec<Url>,
        /// `Set-Cookie` headers, with the index of the URL of the response carrying each.
        responses: Vec<(u32, HeaderValue)>,
        /// Request URLs on random sites.
        requests: Vec<Url>,
        sites: usize,
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn header(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// A realistic site: a login, a CSRF token, analytics on the registrable domain, a consent
    /// cookie, a cart and an API session on deeper paths, preferences. Half of them are
    /// session cookies.
    fn workload(cookies: usize, lookups: usize) -> Workload {
        workload_seeded(cookies, lookups, seed(cookies, 0))
    }

    /// The seed of the `n`th set of values of the workload of `cookies` cookies (0: the
    /// first, which the lookups are checked on; then the refreshes).
    fn seed(cookies: usize, n: u64) -> u64 {
        0xC00C_1E5E_ED00 ^ cookies as u64 ^ n.rotate_right(1)
    }

    /// [`workload`] with the random values (and request sites) drawn from `seed`: the same
    /// sites, URLs and cookie names, domains and paths under any seed.
    fn workload_seeded(cookies: usize, lookups: usize, seed: u64) -> Workload {
        let mut rng = Rng(seed);
        let sites: Vec<String> = (0..cookies.div_ceil(PER_SITE))
            .map(|i| format!("site{i}.{}", TLDS[i % TLDS.len()]))
            .collect();
        let mut urls = Vec::with_capacity(sites.len() * 4);
        let mut responses = Vec::with_capacity(cookies);
        for s in &sites {
            let base = urls.len() as u32;
            let (www, shop, api, bare) = (base, base + 1, base + 2, base + 3);
            urls.push(url(&format!("https://www.{s}/login")));
            urls.push(url(&format!("https://shop.{s}/shop/")));
            urls.push(url(&format!("https://api.{s}/api/v1/session")));
            urls.push(url(&format!("https://{s}/")));
            let set = [
                (
                    www,
                    format!("sid={}; Path=/; Secure; HttpOnly", rng.token()),
                ),
                (
                    www,
                    format!("csrf={}; Path=/; Secure; SameSite=Strict", rng.token()),
                ),
                (
                    www,
                    format!(
                        "_ga=GA1.2.{}; Domain={s}; Path=/; Max-Age=2592000",
                        rng.next()
                    ),
                ),
                (
                    www,
                    format!(
                        "_gid=GA1.2.{}; Domain={s}; Path=/; Max-Age=86400",
                        rng.next()
                    ),
                ),
                (
                    www,
                    format!(
                        "_fbp=fb.1.{}; Domain={s}; Path=/; Max-Age=7776000; SameSite=Lax",
                        rng.next()
                    ),
                ),
                (
                    bare,
                    format!(
                        "consent=yes-{}; Domain={s}; Path=/; Max-Age=31536000",
                        rng.below(100)
                    ),
                ),
                (
                    shop,
                    format!("cart={}; Path=/shop; Max-Age=604800", rng.token()),
                ),
                (
                    api,
                    format!("api_session={}; Path=/api; Secure; HttpOnly", rng.token()),
                ),
                (www, format!("lang=en; Domain={s}; Path=/")),
                (bare, "theme=dark; Path=/".to_owned()),
            ];
            for (u, h) in set.into_iter().take(PER_SITE) {
                responses.push((u, header(&h)));
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
            urls,
            responses,
            requests,
            sites: sites.len(),
        }
    }

    fn fill(store: &dyn CookieStore, w: &Workload) {
        for (u, h) in &w.responses {
            store.set_cookies(&mut std::iter::once(h), &w.urls[*u as usize]);
        }
    }

    /// The best of up to `INGEST_RUNS` timings of a fresh store taking every header (fewer once
    /// `budget` is spent), and the filled store.
    fn ingest<S: CookieStore>(
        fresh: &dyn Fn() -> S,
        w: &Workload,
        budget: Duration,
    ) -> (Duration, S) {
        let started = Instant::now();
        let mut best = Duration::MAX;
        let mut last = None;
        for _ in 0..INGEST_RUNS {
            // The previous store is dropped before the next is filled, and outside the timing.
            drop(last.take());
            let store = fresh();
            let t = Instant::now();
            fill(&store, w);
            best = best.min(t.elapsed());
            last = Some(store);
            if started.elapsed() > budget {
                break;
            }
        }
        (best, last.unwrap_or_else(fresh))
    }

    /// The best of up to `RUNS` timings of `store`, already holding the workload's cookies,
    /// taking the same cookies with new values (workloads of other seeds), the way a running
    /// client's jar mostly changes (a session renewed, an analytics cookie updated on every
    /// page). The runs alternate between the two `refreshes`, so that each one changes every
    /// value; the store is left holding the first, whatever the budget cut.
    fn reingest(store: &dyn CookieStore, refreshes: &[Workload; 2], budget: Duration) -> Duration {
        let started = Instant::now();
        let mut best = Duration::MAX;
        let mut last = 0;
        for run in 0..RUNS {
            last = run % 2;
            let t = Instant::now();
            fill(store, &refreshes[last]);
            best = best.min(t.elapsed());
            if started.elapsed() > budget {
                break;
            }
        }
        if last != 0 {
            fill(store, &refreshes[0]);
        }
        best
    }

    /// Requests checked after the new values went in, for the three jars' agreement.
    const REFRESH_CHECKED: usize = 50;

    /// A lookup timing: the best time per `Cookie` header over up to `RUNS` passes, and the
    /// headers of the first pass (to check that the jars agree).
    struct Lookups {
        per: Duration,
        headers: Vec<Option<HeaderValue>>,
    }

    /// Times `store.cookies` over the workload's requests. A pass stops early once `budget` is
    /// spent (after at least a few lookups), so that a peer that walks every stored cookie on
    /// each request does not hold the run up for minutes at 100k.
    fn lookup(store: &dyn CookieStore, w: &Workload, budget: Duration) -> Lookups {
        const AT_LEAST: usize = 5;
        let started = Instant::now();
        let mut headers = Vec::with_capacity(w.requests.len());
        let mut best = f64::MAX;
        for pass in 0..RUNS {
            let t = Instant::now();
            let mut n = 0usize;
            for u in &w.requests {
                let h = store.cookies(black_box(u));
                if pass == 0 {
                    headers.push(h);
                } else {
                    black_box(h);
                }
                n += 1;
                if n >= AT_LEAST && n.is_multiple_of(8) && started.elapsed() > budget {
                    break;
                }
            }
            best = best.min(t.elapsed().as_secs_f64() / n.max(1) as f64);
            if started.elapsed() > budget {
                break;
            }
        }
        Lookups {
            per: Duration::from_secs_f64(best),
            headers,
        }
    }

    /// The cookies of a header as sorted `name=value` pairs (the peers do not order them as
    /// RFC 6265bis §5.8.3 says, so only the sets can be compared).
    fn pairs(h: &Option<HeaderValue>) -> Vec<Vec<u8>> {
        let mut p: Vec<Vec<u8>> = h
            .as_ref()
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

    fn time(d: Duration) -> String {
        let ns = d.as_nanos() as f64;
        if ns >= 1e9 {
            format!("{:.2} s", ns / 1e9)
        } else if ns >= 1e6 {
            format!("{:.2} ms", ns / 1e6)
        } else if ns >= 1e3 {
            format!("{:.2} µs", ns / 1e3)
        } else {
            format!("{ns:.0} ns")
        }
    }

    fn per(d: Duration, n: usize) -> Duration {
        Duration::from_secs_f64(d.as_secs_f64() / n.max(1) as f64)
    }

    fn ratio(peer: f64, ours: f64) -> String {
        let r = peer / ours.max(f64::MIN_POSITIVE);
        if r >= 100.0 {
            format!("{r:.0}x")
        } else {
            format!("{r:.1}x")
        }
    }

    fn thousands(n: usize) -> String {
        match n {
            n if n >= 1_000_000 && n.is_multiple_of(1_000_000) => format!("{}M", n / 1_000_000),
            n if n >= 1_000 && n.is_multiple_of(1_000) => format!("{}k", n / 1_000),
            n => n.to_string(),
        }
    }

    /// One row of the table: what, then ours, then each peer with its ratio (`None`: the peer
    /// cannot do it).
    struct Row {
        what: String,
        ours: String,
        peers: [Option<(String, String)>; 2],
    }

    fn row(what: String, ours: Duration, reqwest: Option<Duration>, cs: Option<Duration>) -> Row {
        let o = ours.as_secs_f64();
        let cell = |p: Option<Duration>| p.map(|p| (time(p), ratio(p.as_secs_f64(), o)));
        Row {
            what,
            ours: time(ours),
            peers: [cell(reqwest), cell(cs)],
        }
    }

    fn print_rows(rows: &[Row]) {
        let w0 = rows
            .iter()
            .map(|r| r.what.chars().count())
            .max()
            .unwrap_or(0);
        println!(
            "{:<w0$}  {:>10}  {:>10} {:>7}  {:>10} {:>7}",
            "", "ours", "reqwest", "ratio", "cookie_st.", "ratio"
        );
        for r in rows {
            let mut line = format!("{:<w0$}  {:>10}", r.what, r.ours);
            for p in &r.peers {
                match p {
                    Some((t, x)) => line.push_str(&format!("  {t:>10} {x:>7}")),
                    None => line.push_str(&format!("  {:>10} {:>7}", "-", "")),
                }
            }
            println!("{}", line.trim_end());
        }
    }

    /// A fresh directory for the bench's files, under the system's temporary directory.
    fn scratch_dir() -> Result<PathBuf, String> {
        let base = std::env::temp_dir();
        for attempt in 0..100u32 {
            let dir = base.join(format!("cookiejar-bench-{}-{attempt}", std::process::id()));
            match fs::create_dir(&dir) {
                Ok(()) => return Ok(dir),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(format!(
                        "cannot create a directory in {}: {e}",
                        base.display()
                    ))
                }
            }
        }
        Err(format!(
            "cannot create a fresh directory in {}",
            base.display()
        ))
    }

    /// Room for the whole workload: the default limit (3300 in all) would evict; session
    /// cookies kept in the file, so that both sides save and open every cookie.
    fn options(size: usize) -> JarOptions {
        JarOptions::default()
            .max_cookies(size * 2)
            .persist_session_cookies(true)
    }

    struct Persisted {
        rows: Vec<Row>,
        note: String,
    }

    /// Saving and opening `size` cookies: this jar's file against cookie_store's JSON file.
    fn persistence(size: usize, dir: &Path, budget: Duration) -> Result<Persisted, String> {
        let w = workload(size, 0);
        let n = w.responses.len();
        let label = thousands(size);

        // Ours: the file is written as the cookies arrive; "save" makes it durable.
        let path = dir.join(format!("bench-{label}.jar"));
        let jar = Jar::open_with(&path, options(size))
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        let t = Instant::now();
        fill(&jar, &w);
        let ours_fill = t.elapsed();
        let t = Instant::now();
        jar.flush().map_err(|e| format!("flush: {e}"))?;
        let ours_save = t.elapsed();
        drop(jar);
        // A site's cookies are read from the file when the site is first used: the open,
        // and the open followed by reading every cookie (`len`), are both timed.
        let mut ours_open = Duration::MAX;
        let mut ours_open_all = Duration::MAX;
        let started = Instant::now();
        for _ in 0..RUNS {
            let t = Instant::now();
            let jar = Jar::open_with(&path, options(size))
                .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
            ours_open = ours_open.min(t.elapsed());
            let len = jar.len();
            ours_open_all = ours_open_all.min(t.elapsed());
            if len != n {
                return Err(format!("the jar file held {} cookies, not {n}", jar.len()));
            }
            drop(jar);
            if started.elapsed() > budget {
                break;
            }
        }
        let ours_bytes = used_bytes(&path)?;
        let _ = fs::remove_file(&path);

        // cookie_store: filled the same way, saved as JSON to a file (everything, session
        // cookies included, like ours), loaded back.
        let json_path = dir.join(format!("bench-{label}.json"));
        let cs = CookieStoreMutex::default();
        let t = Instant::now();
        fill(&cs, &w);
        let cs_fill = t.elapsed();
        drop(w);
        let store =
            cs.0.into_inner()
                .map_err(|_| "cookie_store's mutex is poisoned".to_owned())?;
        let t = Instant::now();
        let file = fs::File::create(&json_path)
            .map_err(|e| format!("cannot create {}: {e}", json_path.display()))?;
        let mut out = BufWriter::new(file);
        cookie_store::serde::json::save_incl_expired_and_nonpersistent(&store, &mut out)
            .map_err(|e| format!("cookie_store save: {e}"))?;
        let file = out
            .into_inner()
            .map_err(|e| format!("cookie_store save: {e}"))?;
        file.sync_all().map_err(|e| format!("fsync: {e}"))?;
        let cs_save = t.elapsed();
        drop(file);
        drop(store);
        let mut cs_open = Duration::MAX;
        let started = Instant::now();
        for _ in 0..RUNS {
            let t = Instant::now();
            let file = fs::File::open(&json_path)
                .map_err(|e| format!("cannot open {}: {e}", json_path.display()))?;
            let loaded = cookie_store::serde::json::load_all(BufReader::new(file))
                .map_err(|e| format!("cookie_store load: {e}"))?;
            cs_open = cs_open.min(t.elapsed());
            let back = loaded.iter_any().count();
            if back != n {
                return Err(format!("cookie_store loaded {back} cookies, not {n}"));
            }
            drop(loaded);
            if started.elapsed() > budget {
                break;
            }
        }
        let cs_bytes = fs::metadata(&json_path).map(|m| m.len()).unwrap_or(0);
        let _ = fs::remove_file(&json_path);

        let rows = vec![
            row(
                format!("save {label} cookies"),
                ours_save,
                None,
                Some(cs_save),
            ),
            row(
                format!("open {label} cookies"),
                ours_open,
                None,
                Some(cs_open),
            ),
            row(
                format!("open {label}, then read all"),
                ours_open_all,
                None,
                Some(cs_open),
            ),
        ];
        let note = format!(
            "{label}: file {:.0} bytes per cookie (JSON {:.0}, {}); writing the {label} cookies \
             into the file as they arrived took {} ({} each; cookie_store in memory: {})",
            ours_bytes as f64 / n as f64,
            cs_bytes as f64 / n as f64,
            ratio(cs_bytes as f64, ours_bytes as f64).replace('x', "x smaller"),
            time(ours_fill),
            time(per(ours_fill, n)),
            time(per(cs_fill, n)),
        );
        Ok(Persisted { rows, note })
    }

    /// The bytes of the jar file up to its last non-zero byte: the log without the space
    /// reserved ahead of it.
    fn used_bytes(path: &Path) -> Result<u64, String> {
        let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(bytes
            .iter()
            .rposition(|&b| b != 0)
            .map_or(0, |i| i as u64 + 1))
    }

    pub fn run(plan: Plan) -> Result<(), String> {
        let lookups = plan.lookups.max(1);
        let (lookup_sizes, persist_sizes, budget): (&[usize], Vec<usize>, Duration) = if plan.quick
        {
            (&[1_000, 10_000], vec![10_000], Duration::from_millis(300))
        } else {
            let mut p = vec![100_000];
            if plan.million {
                p.push(1_000_000);
            }
            (&[1_000, 10_000, 100_000], p, Duration::from_secs(2))
        };
        if cfg!(debug_assertions) {
            println!("(a debug build: run with --release for meaningful numbers)\n");
        }
        println!(
            "Workload: {PER_SITE} cookies per site (host-only and Domain cookies, paths /, /shop, \
             /api, half of them session cookies), Cookie headers for random pages of random \
             sites. All three jars go through reqwest::cookie::CookieStore. Best of {RUNS} runs \
             ({INGEST_RUNS} for ingest; fewer when a run is slow). ratio = that jar's time / ours (above 1: ours is \
             faster).\n"
        );
        let mut rows = Vec::new();
        let mut notes = Vec::new();
        let mut lookup_rows = Vec::new();
        for &size in lookup_sizes {
            let w = workload(size, lookups);
            let n = w.responses.len();
            let (ours_in, ours) = ingest(&|| Jar::with_options(options(size)), &w, budget);
            let (reqwest_in, reqwest_jar) = ingest(&reqwest::cookie::Jar::default, &w, budget);
            let (cs_in, cs) = ingest(&CookieStoreMutex::default, &w, budget);
            // The refresh goes in after the lookups, which check the jars against each other
            // on the first values.
            let o = lookup(&ours, &w, budget);
            let r = lookup(&reqwest_jar, &w, budget);
            let c = lookup(&cs, &w, budget);
            let checked = o.headers.len().min(r.headers.len()).min(c.headers.len());
            let agree = (0..checked)
                .filter(|&i| {
                    let mine = pairs(&o.headers[i]);
                    mine == pairs(&r.headers[i]) && mine == pairs(&c.headers[i])
                })
                .count();
            let refreshes = [1, 2].map(|n| workload_seeded(size, 0, seed(size, n)));
            let ours_re = reingest(&ours, &refreshes, budget);
            let reqwest_re = reingest(&reqwest_jar, &refreshes, budget);
            let cs_re = reingest(&cs, &refreshes, budget);
            // The refresh replaced the cookies alike in the three: checked on a sample (a
            // peer's lookup takes half a millisecond at 10k).
            let sample = &w.requests[..checked.min(REFRESH_CHECKED)];
            let (mut same, mut renewed) = (0, 0);
            for (i, u) in sample.iter().enumerate() {
                let mine = pairs(&CookieStore::cookies(&ours, u));
                same += usize::from(
                    mine == pairs(&reqwest_jar.cookies(u)) && mine == pairs(&cs.cookies(u)),
                );
                renewed += usize::from(mine != pairs(&o.headers[i]));
            }
            let label = thousands(size);
            rows.push(row(
                format!("ingest, per Set-Cookie ({label})"),
                per(ours_in, n),
                Some(per(reqwest_in, n)),
                Some(per(cs_in, n)),
            ));
            rows.push(row(
                format!("  the same cookies again, new values ({label})"),
                per(ours_re, n),
                Some(per(reqwest_re, n)),
                Some(per(cs_re, n)),
            ));
            lookup_rows.push(row(
                format!("lookup, {label} cookies on {} sites", thousands(w.sites)),
                o.per,
                Some(r.per),
                Some(c.per),
            ));
            notes.push(format!(
                "{label}: the three send the same cookies on {agree} of {checked} requests"
            ));
            notes.push(format!(
                "{label}, after the new values: the same cookies on {same} of {} requests, with \
                 new values on {renewed}",
                sample.len()
            ));
        }
        rows.extend(lookup_rows);
        let dir = scratch_dir()?;
        let mut persisted = Ok(());
        for &size in &persist_sizes {
            match persistence(size, &dir, budget) {
                Ok(p) => {
                    rows.extend(p.rows);
                    notes.push(p.note);
                }
                Err(e) => {
                    persisted = Err(e);
                    break;
                }
            }
        }
        let _ = fs::remove_dir_all(&dir);
        persisted?;
        print_rows(&rows);
        println!();
        for n in &notes {
            println!("{n}");
        }
        println!(
            "\nsave: ours is flush() (msync + fsync; the file is always current), cookie_store's \
             its JSON written to a file and fsynced; open: Jar::open of that file against \
             cookie_store's JSON load. reqwest::cookie::Jar cannot save or open."
        );
        if !plan.million && !plan.quick {
            println!("(--million also saves and opens 1M cookies: one to two minutes, and about 1.5 GB of memory)");
        }
        std::io::stdout().flush().map_err(|e| e.to_string())
    }
}
