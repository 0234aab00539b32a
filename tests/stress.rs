//! Many threads on one `Jar` at once (issue #8, concurrency): every public operation that
//! changes or reads the jar — set, lookup, remove, clear_domain, consent and GPC changes,
//! purges, flush and clear — runs from 8 to 16 threads against a shared jar, in memory and on a
//! file. While they run, every cookie a lookup hands back is checked against the request that
//! got it; afterwards the jar must be within its limits, hold only cookies the storage model
//! could have produced, agree with itself (`len` and `cookies`), and, for a file jar, reopen
//! to exactly what it held.
//!
//! The operations are pseudo-random but seeded per thread, so a failure names the seed that
//! produced the thread's sequence (the interleaving itself is up to the scheduler).
//!
//! These tests also run under AddressSanitizer (`scripts/stress-asan.sh`).

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use cookiejar::{
    now_ms, Category, CategorySet, ConsentState, Cookie, Jar, JarOptions, Request, SameSite,
    SetCookieError, SetOutcome, StoreError, Url,
};

/// A small deterministic generator (xorshift64*): the tests need variety, not quality, and a
/// seed that reproduces a thread's operation sequence.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Sites under a plain TLD and under a multi-label public suffix, so that the public-suffix
/// rules are exercised both ways.
const SITES: usize = 24;

fn site_name(i: usize) -> String {
    if i.is_multiple_of(3) {
        format!("shop{i}.co.uk")
    } else {
        format!("site{i}.example")
    }
}

const SUBDOMAINS: &[&str] = &["", "www.", "api.", "a.b."];
const PATHS: &[&str] = &[
    "/",
    "/a",
    "/a/",
    "/a/b",
    "/a/b/c.html",
    "/x/y",
    "/deep/1/2/3/4",
];
/// Cookie names: unclassified ones, framework cookies the overlay calls Necessary, an Open
/// Cookie Database statistics cookie, and the two prefixes.
const NAMES: &[&str] = &[
    "a",
    "b",
    "c",
    "d",
    "sid",
    "JSESSIONID",
    "PHPSESSID",
    "_ga",
    "__Host-id",
    "__Secure-tok",
    "",
];

/// A random request URL on one of the sites.
fn random_url(rng: &mut Rng) -> Url {
    let scheme = if rng.chance(3) { "http" } else { "https" };
    let site = site_name(rng.below(SITES));
    let sub = rng.pick(SUBDOMAINS);
    let path = rng.pick(PATHS);
    Url::parse(&format!("{scheme}://{sub}{site}{path}")).unwrap()
}

/// A random `Set-Cookie` value for `url`: valid and invalid domains (including public
/// suffixes), every attribute the rules look at, lifetimes short enough that some expire
/// during the run.
fn random_header(rng: &mut Rng, url: &Url, seq: u64) -> String {
    let name = rng.pick(NAMES);
    let mut h = if name.is_empty() {
        format!("v{seq}")
    } else {
        format!("{name}=v{seq}")
    };
    let host = url.host_str().unwrap();
    match rng.below(8) {
        0 => {
            // The request host's registrable domain: valid.
            let site = psl::domain_str(host).unwrap_or(host);
            h.push_str(&format!("; Domain={site}"));
        }
        1 => {
            // Its public suffix: must be refused.
            let suffix = psl::suffix_str(host).unwrap_or("example");
            h.push_str(&format!("; Domain=.{suffix}"));
        }
        2 => {
            // Another site: must be refused.
            h.push_str(&format!("; Domain={}", site_name(rng.below(SITES))));
        }
        3 => h.push_str(&format!("; Domain={host}")),
        _ => {}
    }
    if rng.chance(2) {
        h.push_str(&format!("; Path={}", rng.pick(PATHS)));
    }
    if rng.chance(2) {
        h.push_str("; Secure");
    }
    if rng.chance(4) {
        h.push_str("; HttpOnly");
    }
    if rng.chance(4) {
        h.push_str(rng.pick(&["; SameSite=None", "; SameSite=Lax", "; SameSite=Strict"]));
    }
    if rng.chance(6) {
        h.push_str("; Partitioned");
    }
    match rng.below(4) {
        0 => {}
        1 => h.push_str(&format!("; Max-Age={}", 1 + rng.below(60))),
        2 => h.push_str("; Max-Age=0"),
        _ => h.push_str("; Max-Age=86400"),
    }
    if rng.chance(8) {
        h.push_str(rng.pick(&["; Priority=Low", "; Priority=High"]));
    }
    h
}

fn site_of(domain: &str) -> &str {
    psl::domain_str(domain).unwrap_or(domain)
}

fn domain_matches(host: &str, domain: &str) -> bool {
    host == domain
        || (host.len() > domain.len()
            && host.ends_with(domain)
            && host.as_bytes()[host.len() - domain.len() - 1] == b'.')
}

fn path_matches(request: &str, cookie: &str) -> bool {
    request == cookie
        || request
            .strip_prefix(cookie)
            .is_some_and(|rest| cookie.ends_with('/') || rest.starts_with('/'))
}

/// What a lookup may hand back for this request: checked on every lookup while the other
/// threads change the jar underneath it.
fn check_sent(c: &Cookie, url: &Url, top: &Url, subresource: bool, non_http: bool, now: i64) {
    let host = url.host_str().unwrap();
    let ctx = || format!("{c:?} sent to {url} (top level {top}, non-HTTP {non_http})");
    if c.host_only {
        assert_eq!(
            c.domain,
            host,
            "host-only cookie to another host: {}",
            ctx()
        );
    } else {
        assert!(
            domain_matches(host, &c.domain),
            "domain mismatch: {}",
            ctx()
        );
    }
    assert!(
        !c.secure || url.scheme() == "https",
        "Secure over http: {}",
        ctx()
    );
    assert!(
        !(c.http_only && non_http),
        "HttpOnly to a non-HTTP API: {}",
        ctx()
    );
    assert!(
        path_matches(url.path(), &c.path),
        "path mismatch: {}",
        ctx()
    );
    assert!(
        c.expires.is_none_or(|t| t > now),
        "expired cookie sent: {}",
        ctx()
    );
    let top_site = site_of(top.host_str().unwrap());
    if let Some(p) = &c.partition {
        assert_eq!(p, top_site, "cookie sent across partitions: {}", ctx());
    }
    let cross_site = subresource && top_site != site_of(host);
    if cross_site {
        assert_eq!(
            c.same_site,
            SameSite::None,
            "a SameSite-restricted cookie on a cross-site subresource: {}",
            ctx()
        );
    }
}

/// Rules every stored cookie keeps, however it got there.
fn check_stored(c: &Cookie) {
    let ctx = || format!("{c:?}");
    if !c.host_only {
        assert!(
            psl::domain_str(&c.domain).is_some(),
            "a Domain cookie on a public suffix: {}",
            ctx()
        );
    }
    if c.name.starts_with("__Host-") {
        assert!(
            c.secure && c.host_only && c.path == "/",
            "__Host- rules: {}",
            ctx()
        );
    }
    if c.name.starts_with("__Secure-") {
        assert!(c.secure, "__Secure- without Secure: {}", ctx());
    }
    if c.partition.is_some() || c.same_site == SameSite::None {
        assert!(
            c.secure,
            "Partitioned or SameSite=None without Secure: {}",
            ctx()
        );
    }
    assert!(c.path.starts_with('/'), "{}", ctx());
    assert!(c.domain.len() <= 1024 && c.path.len() <= 1024, "{}", ctx());
}

/// The limits, per site and in all.
fn check_limits(cookies: &[Cookie], per_site: usize, total: usize) {
    assert!(
        cookies.len() <= total,
        "{} cookies over a limit of {total}",
        cookies.len()
    );
    let mut by_site: BTreeMap<&str, usize> = BTreeMap::new();
    for c in cookies {
        *by_site.entry(site_of(&c.domain)).or_default() += 1;
    }
    for (site, n) in by_site {
        assert!(
            n <= per_site,
            "{site} holds {n} cookies, over its limit of {per_site}"
        );
    }
}

/// A cookie without its last-access time, which the file keeps to the second.
fn essence(c: &Cookie) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{:?}|{:?}|{:?}|{:?}|{}|{}",
        c.domain,
        c.path,
        c.name,
        c.value,
        c.host_only,
        c.secure,
        c.http_only,
        c.same_site,
        c.priority,
        c.partition,
        c.expires,
        c.created,
        c.categories.bits()
    )
}

/// What the threads share: the jar, a clock that every operation advances by a millisecond
/// (so expiry happens during the run, deterministically per operation), and counters.
struct Run {
    jar: Arc<Jar>,
    clock: AtomicI64,
    plan: Plan,
    /// Cookies stored and cookies handed back by lookups: a run that stored or sent nothing
    /// would check nothing.
    stored: AtomicUsize,
    sent: AtomicUsize,
}

/// How a stress run is set up.
#[derive(Clone, Copy)]
struct Plan {
    threads: u64,
    ops_per_thread: usize,
    /// Whether workers may clear the whole jar now and then.
    clear: bool,
    /// Whether workers change consent and GPC (which purges).
    consent: bool,
    /// The jar's configured total, which no listing may exceed even mid-run.
    total: usize,
}

impl Run {
    fn tick(&self) -> i64 {
        self.clock.fetch_add(1, Ordering::Relaxed)
    }
}

fn storage_ok<T>(r: Result<T, StoreError>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what} failed on the jar file: {e}"))
}

/// One thread's work: `ops` operations drawn from `seed`.
fn worker(run: &Run, seed: u64) {
    let plan = run.plan;
    let mut rng = Rng::new(seed);
    let jar = &*run.jar;
    for i in 0..plan.ops_per_thread {
        let now = run.tick();
        match rng.below(100) {
            0..=44 => {
                let url = random_url(&mut rng);
                let header = random_header(&mut rng, &url, seed << 32 | i as u64);
                let top = random_url(&mut rng);
                let request = match rng.below(4) {
                    0 => Request::subresource_of(&url, &top),
                    1 => Request::navigation_from(&url, &top, rng.chance(2)),
                    2 => Request::new(&url).non_http(),
                    _ => Request::new(&url),
                };
                match jar.set_cookie_at(&header, &request, now) {
                    Ok(SetOutcome::Stored | SetOutcome::Replaced) => {
                        run.stored.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(_) | Err(SetCookieError::Rejected(_)) => {}
                    Err(e) => panic!("seed {seed}: {header:?} for {url}: {e}"),
                }
            }
            45..=79 => {
                let url = random_url(&mut rng);
                let (top, subresource) = if rng.chance(3) {
                    (random_url(&mut rng), true)
                } else {
                    (url.clone(), false)
                };
                let non_http = rng.chance(5);
                let mut request = if subresource {
                    Request::subresource_of(&url, &top)
                } else {
                    Request::new(&url)
                };
                if non_http {
                    request = request.non_http();
                }
                let sent = jar.matching_cookies_at(&request, now);
                for c in &sent {
                    check_sent(c, &url, &top, subresource, non_http, now);
                }
                run.sent.fetch_add(sent.len(), Ordering::Relaxed);
                // The header is the same cookies, joined; it must at least not fail.
                let _ = jar.cookie_header_at(&request, now);
            }
            80..=85 => {
                let site = site_name(rng.below(SITES));
                let domain = format!("{}{site}", rng.pick(SUBDOMAINS));
                let name = rng.pick(NAMES);
                let path = rng.pick(PATHS);
                storage_ok(jar.remove(&domain, path, name), "remove");
            }
            86..=87 if rng.chance(8) => {
                let site = site_name(rng.below(SITES));
                storage_ok(jar.clear_domain(&site), "clear_domain");
            }
            88..=92 if plan.consent => {
                let site = site_name(rng.below(SITES));
                // Mostly granting Marketing, which unclassified cookies need: a jar that
                // refused nearly everything would leave little for the lookups to check.
                let mut granted = CategorySet::from_bits(rng.below(32) as u8).unwrap();
                if !rng.chance(4) {
                    granted = granted.with(Category::Marketing);
                }
                let target = if rng.chance(4) {
                    None
                } else {
                    Some(site.as_str())
                };
                jar.set_consent(target, ConsentState::from_granted(granted, now))
                    .unwrap_or_else(|e| panic!("set_consent: {e}"));
            }
            93..=94 if plan.consent => {
                jar.set_gpc(rng.chance(2), now)
                    .unwrap_or_else(|e| panic!("set_gpc: {e}"));
            }
            95..=96 => {
                storage_ok(jar.purge_expired_at(now), "purge_expired_at");
            }
            97 => storage_ok(jar.flush(), "flush"),
            98 if plan.clear && rng.chance(20) => storage_ok(jar.clear(), "clear"),
            _ => {
                // Read-only views, which copy the whole jar under the shared lock.
                let all = jar.cookies_at(now);
                assert!(all.len() <= plan.total, "{} cookies listed", all.len());
            }
        }
    }
}

/// Runs `threads` workers on `jar` and returns the clock after they all joined.
fn hammer(jar: Arc<Jar>, plan: Plan) -> (Arc<Jar>, i64) {
    let run = Arc::new(Run {
        jar,
        clock: AtomicI64::new(now_ms()),
        plan,
        stored: AtomicUsize::new(0),
        sent: AtomicUsize::new(0),
    });
    let start = Arc::new(Barrier::new(plan.threads as usize));
    let handles: Vec<_> = (0..plan.threads)
        .map(|t| {
            let run = run.clone();
            let start = start.clone();
            thread::Builder::new()
                .name(format!("stress-{t}"))
                .spawn(move || {
                    start.wait();
                    worker(&run, 0x5eed_0000 + t);
                })
                .unwrap()
        })
        .collect();
    let mut panicked = Vec::new();
    for (t, h) in handles.into_iter().enumerate() {
        if let Err(e) = h.join() {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panicked.push(format!("thread {t}: {msg}"));
        }
    }
    assert!(
        panicked.is_empty(),
        "worker threads panicked: {panicked:#?}"
    );
    let end = run.clock.load(Ordering::Relaxed);
    let run = Arc::try_unwrap(run).ok().expect("every thread has joined");
    let (stored, sent) = (run.stored.into_inner(), run.sent.into_inner());
    eprintln!(
        "{} threads: {stored} cookies stored, {sent} sent",
        plan.threads
    );
    let ops = plan.threads as usize * plan.ops_per_thread;
    assert!(
        stored > ops / 50,
        "only {stored} of {ops} operations stored a cookie"
    );
    assert!(sent > ops / 50, "lookups handed back only {sent} cookies");
    (run.jar, end)
}

/// The checks every stress test ends with; returns the live cookies at `now`.
fn check_after(jar: &Jar, now: i64, per_site: usize, total: usize) -> Vec<Cookie> {
    // `len` counts expired cookies until they are purged; after a purge it must agree with the
    // listing exactly.
    jar.purge_expired_at(now).unwrap();
    let all = jar.cookies_at(now);
    assert_eq!(jar.len(), all.len(), "len() disagrees with cookies_at()");
    // `cookies()` reads the system clock, which lags the test's clock: nothing it lists was
    // purged above, so it must show the same set.
    assert_eq!(
        jar.cookies().len(),
        all.len(),
        "len() disagrees with cookies()"
    );
    check_limits(&all, per_site, total);
    let mut keys = HashSet::new();
    for c in &all {
        check_stored(c);
        assert!(
            keys.insert((&c.domain, &c.path, &c.name, c.host_only, &c.partition)),
            "two cookies with one key: {c:?}"
        );
    }
    // Every lookup, on every host, scheme and path, with and without a foreign top level.
    for i in 0..SITES {
        let site = site_name(i);
        for sub in SUBDOMAINS {
            for scheme in ["http", "https"] {
                for path in PATHS {
                    let url = Url::parse(&format!("{scheme}://{sub}{site}{path}")).unwrap();
                    let top =
                        Url::parse(&format!("https://{}/", site_name((i + 1) % SITES))).unwrap();
                    for c in jar.matching_cookies_at(&Request::new(&url), now) {
                        check_sent(&c, &url, &url, false, false, now);
                    }
                    let req = Request::subresource_of(&url, &top).non_http();
                    for c in jar.matching_cookies_at(&req, now) {
                        check_sent(&c, &url, &top, true, true, now);
                    }
                }
            }
        }
    }
    // The jar still works: nothing was left locked or half-changed. (A Necessary cookie, which
    // whatever consent the workers left allows.)
    let u = Url::parse("https://after.example/").unwrap();
    jar.set_cookie_at("JSESSIONID=1", &Request::new(&u), now)
        .unwrap();
    assert_eq!(
        jar.cookie_header_at(&Request::new(&u), now).as_deref(),
        Some("JSESSIONID=1")
    );
    assert_eq!(jar.remove("after.example", "/", "JSESSIONID"), Ok(1));
    all
}

/// After all the threads, withdrawing every optional category everywhere leaves only
/// Necessary cookies, and no lookup returns anything else.
fn check_withdrawal(jar: &Jar, now: i64) {
    let necessary = CategorySet::single(Category::Necessary);
    jar.set_consent(None, ConsentState::from_granted(necessary, now))
        .unwrap();
    for i in 0..SITES {
        jar.set_consent(
            Some(&site_name(i)),
            ConsentState::from_granted(necessary, now),
        )
        .unwrap();
    }
    for c in jar.cookies_at(now) {
        assert_eq!(c.categories, necessary, "survived a full withdrawal: {c:?}");
    }
}

#[test]
fn sixteen_threads_on_an_in_memory_jar_keep_every_invariant() {
    let (per_site, total) = (30, 300);
    let jar = Arc::new(Jar::with_options(
        JarOptions::default()
            .max_cookies_per_site(per_site)
            .max_cookies(total),
    ));
    let plan = Plan {
        threads: 16,
        ops_per_thread: 3_000,
        clear: true,
        consent: true,
        total,
    };
    let (jar, end) = hammer(jar, plan);
    check_after(&jar, end, per_site, total);
    check_withdrawal(&jar, end);
}

#[test]
fn eight_threads_at_the_default_limits_fill_and_evict_without_going_over() {
    // Consent stays out of this one so that the jar really fills to its default limits
    // (180 per site, 3300 in all) and evicts under contention. 24 sites × 180 > 3300.
    let jar = Arc::new(Jar::default());
    let run_jar = jar.clone();
    let filler = thread::spawn(move || {
        // Many distinct names per site: what it takes to reach the per-site limit. `len` is
        // sampled as it goes: it must reach the total (so eviction really ran under
        // contention) and never pass it.
        let mut largest = 0;
        for i in 0..30_000u64 {
            let site = site_name((i % SITES as u64) as usize);
            let u = Url::parse(&format!("https://www.{site}/")).unwrap();
            let h = format!("f{i}=1; Domain={site}; Max-Age=86400");
            run_jar
                .set_cookie_at(&h, &Request::new(&u), now_ms() + i as i64)
                .unwrap();
            let n = run_jar.len();
            assert!(n <= 3300, "{n} cookies, over the default total of 3300");
            largest = largest.max(n);
        }
        largest
    });
    let plan = Plan {
        threads: 8,
        ops_per_thread: 2_000,
        clear: false,
        consent: false,
        total: 3300,
    };
    let (jar, end) = hammer(jar, plan);
    let largest = filler.join().unwrap();
    assert!(largest >= 3000, "the jar never neared its limit: {largest}");
    let end = end.max(now_ms() + 30_000);
    check_after(&jar, end, 180, 3300);
}

#[test]
fn eight_threads_on_a_file_jar_keep_every_invariant_and_the_file_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stress.jar");
    let (per_site, total) = (40, 400);
    let options = JarOptions::default()
        .max_cookies_per_site(per_site)
        .max_cookies(total)
        .persist_session_cookies(true);
    let jar = Arc::new(Jar::open_with(&path, options.clone()).unwrap());

    // A second opener, in this process, is refused while the threads work.
    let (jar, end) = {
        let probe_path = path.clone();
        let prober = thread::spawn(move || {
            for _ in 0..20 {
                assert_eq!(
                    Jar::open_with(&probe_path, JarOptions::default()).unwrap_err(),
                    StoreError::Locked
                );
                thread::sleep(std::time::Duration::from_millis(5));
            }
        });
        let plan = Plan {
            threads: 8,
            ops_per_thread: 2_500,
            clear: true,
            consent: true,
            total,
        };
        let r = hammer(jar, plan);
        prober.join().unwrap();
        r
    };
    let live = check_after(&jar, end, per_site, total);
    jar.flush().unwrap();
    let held: Vec<String> = live.iter().map(essence).collect();
    drop(jar);

    let reopened = Jar::open_at(&path, options, end).unwrap();
    assert!(
        !reopened.open_report().lost_anything(),
        "{:?}",
        reopened.open_report()
    );
    let back: Vec<String> = reopened.cookies_at(end).iter().map(essence).collect();
    assert_eq!(
        back.len(),
        held.len(),
        "the reopened file holds a different count"
    );
    assert_eq!(back, held, "the reopened file differs from the live jar");
    assert_eq!(reopened.len(), held.len());
}

#[test]
fn a_file_jar_under_churn_compacts_while_threads_read_and_write() {
    // Few keys rewritten many times: the log fills with dead records and compaction (which
    // swaps the file under the write lock while lookups go on) runs several times.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("churn.jar");
    let options = JarOptions::default().persist_session_cookies(true);
    let jar = Arc::new(Jar::open_with(&path, options.clone()).unwrap());
    let t0 = now_ms();
    let writers: Vec<_> = (0..4u64)
        .map(|t| {
            let jar = jar.clone();
            thread::spawn(move || {
                let u = Url::parse(&format!("https://www.churn{t}.example/")).unwrap();
                let pad = "p".repeat(200);
                for i in 0..6_000i64 {
                    let h = format!("k{}={pad}{i}; Max-Age=86400", i % 50);
                    jar.set_cookie_at(&h, &Request::new(&u), t0 + i).unwrap();
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..4u64)
        .map(|t| {
            let jar = jar.clone();
            thread::spawn(move || {
                let u = Url::parse(&format!("https://www.churn{t}.example/")).unwrap();
                let mut seen = 0usize;
                for i in 0..6_000i64 {
                    if let Some(h) = jar.cookie_header_at(&Request::new(&u), t0 + i) {
                        // Every value is whole: a header never shows a half-written cookie.
                        for pair in h.split("; ") {
                            let (_, v) = pair.split_once('=').unwrap();
                            assert!(v.starts_with(&"p".repeat(200)), "{pair}");
                        }
                        seen += 1;
                    }
                    if i % 1000 == 0 {
                        jar.flush().unwrap();
                    }
                }
                seen
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    for r in readers {
        r.join().unwrap();
    }
    let end = t0 + 10_000;
    let live: Vec<String> = jar.cookies_at(end).iter().map(essence).collect();
    assert_eq!(live.len(), 4 * 50);
    let size = std::fs::metadata(&path).unwrap().len();
    // 24,000 writes of ~300-byte records would be ~7 MB without compaction.
    assert!(size < 4 << 20, "the file grew to {size} bytes");
    drop(jar);
    let reopened = Jar::open_at(&path, options, end).unwrap();
    let back: Vec<String> = reopened.cookies_at(end).iter().map(essence).collect();
    assert_eq!(back, live);
}
