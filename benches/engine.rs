//! The engine against its peers, side by side in one run:
//!
//! - `ours`: [`cookiejar::Jar`], clock pinned with the `*_at` methods;
//! - `cookie_store`: `cookie_store::CookieStore` 0.22 with the public suffix list loaded, its
//!   `Cookie` header built as `reqwest_cookie_store` builds it (name=value pairs of
//!   `get_request_values`, joined by "; ", into a `HeaderValue`);
//! - `reqwest`: `reqwest::cookie::Jar` through the `reqwest::cookie::CookieStore` trait (it
//!   wraps a `cookie_store::CookieStore` without a public suffix list);
//! - `ours-trait` (built with `--features reqwest`): [`cookiejar::Jar`] as the drop-in a
//!   reqwest client drives, through the same trait and on the real clock, to set beside
//!   `reqwest`.
//!
//! Benchmarks:
//! - `lookup/{ours,cookie_store,reqwest}/{1k,10k,100k}`: one `Cookie` header for one request,
//!   in jars of 1k/10k/100k cookies over 100/1,000/10,000 sites, cycling over precomputed
//!   request URLs on random sites.
//! - `ingest/{ours,cookie_store,reqwest}`: a stream of 1,000 `Set-Cookie` headers into a fresh
//!   jar (throughput is reported per header).
//! - After criterion, measured in turn, round by round (the median of the rounds' ratios,
//!   which the shared machine's drift does not move): `paired/lookup`, a batch of lookups on
//!   the 1k jar then one on the 100k jar (the flatness); `paired/ingest`, the stream into our
//!   jar then into each peer's (and, with the feature, into `ours-trait` then `reqwest`).
//!   Printed to stderr.
//!
//! Run with `cargo bench --features reqwest --bench engine`, then
//! `python3 scripts/bench-table.py`.

// Shared with the other benches and the profile example; not every helper is used here.
#[allow(dead_code)]
mod common;

use std::cell::OnceCell;
use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use common::{SetCookie, COOKIES_PER_SITE, NOW_MS};
use cookiejar::{Jar, JarOptions, Request, Url};
use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkGroup, BenchmarkId, Criterion,
    SamplingMode, Throughput,
};
use reqwest::cookie::CookieStore as _;
use reqwest::header::HeaderValue;

/// Seeds: one per workload part, so that changing one part leaves the others alone.
const STREAM_SEED: u64 = 0x00C0_0C1E_5EED;
const REQUEST_SEED: u64 = 0x0BAD_CAFE_F00D;

/// Request URLs cycled through by each lookup benchmark (a power of two).
const REQUESTS: usize = 4096;

/// Headers per ingest stream.
const INGEST_STREAM: usize = 1_000;

/// A `Set-Cookie` header ready for every jar: the text, the same as a `HeaderValue`, and the
/// parsed response URL.
struct Prepared {
    url: Url,
    text: String,
    value: HeaderValue,
}

fn prepare(stream: Vec<SetCookie>) -> Vec<Prepared> {
    stream
        .into_iter()
        .map(|s| Prepared {
            value: HeaderValue::from_str(&s.header).expect("header value"),
            url: s.url,
            text: s.header,
        })
        .collect()
}

/// One of the jars under test.
trait Engine: Sized {
    type Header;
    fn fresh(psl: &publicsuffix::List) -> Self;
    /// Stores one `Set-Cookie` header; false when the jar rejected it.
    fn store(&mut self, set_cookie: &Prepared) -> bool;
    fn header(&self, url: &Url) -> Option<Self::Header>;
    fn text(header: &Self::Header) -> &str;
    /// The number of cookies held, when the jar can tell.
    fn len(&self) -> Option<usize>;

    fn filled(psl: &publicsuffix::List, stream: &[Prepared]) -> Self {
        let mut jar = Self::fresh(psl);
        let stored = stream.iter().filter(|s| jar.store(s)).count();
        assert_eq!(
            stored,
            stream.len(),
            "every workload cookie must be accepted"
        );
        jar
    }
}

struct Ours(Jar);

impl Engine for Ours {
    type Header = String;
    fn fresh(_: &publicsuffix::List) -> Self {
        // Big enough to hold every workload cookie (10 per site, under the 180 per site).
        Ours(Jar::with_options(
            JarOptions::default().max_cookies(1_000_000),
        ))
    }
    fn store(&mut self, s: &Prepared) -> bool {
        self.0
            .set_cookie_at(&s.text, &Request::new(&s.url), NOW_MS)
            .is_ok()
    }
    fn header(&self, url: &Url) -> Option<String> {
        self.0.cookie_header_at(&Request::new(url), NOW_MS)
    }
    fn text(header: &String) -> &str {
        header
    }
    fn len(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct CookieStore(cookie_store::CookieStore);

impl Engine for CookieStore {
    type Header = HeaderValue;
    fn fresh(psl: &publicsuffix::List) -> Self {
        CookieStore(cookie_store::CookieStore::new_with_public_suffix(Some(
            psl.clone(),
        )))
    }
    fn store(&mut self, s: &Prepared) -> bool {
        self.0.parse(&s.text, &s.url).is_ok()
    }
    fn header(&self, url: &Url) -> Option<HeaderValue> {
        let pairs: Vec<String> = self
            .0
            .get_request_values(url)
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        if pairs.is_empty() {
            return None;
        }
        HeaderValue::try_from(pairs.join("; ")).ok()
    }
    fn text(header: &HeaderValue) -> &str {
        header.to_str().expect("ASCII header")
    }
    fn len(&self) -> Option<usize> {
        Some(self.0.iter_unexpired().count())
    }
}

struct Reqwest(reqwest::cookie::Jar);

impl Engine for Reqwest {
    type Header = HeaderValue;
    fn fresh(_: &publicsuffix::List) -> Self {
        Reqwest(reqwest::cookie::Jar::default())
    }
    fn store(&mut self, s: &Prepared) -> bool {
        // The trait reports nothing; `build_checked` checks acceptance through lookups.
        self.0.set_cookies(&mut std::iter::once(&s.value), &s.url);
        true
    }
    fn header(&self, url: &Url) -> Option<HeaderValue> {
        self.0.cookies(url)
    }
    fn text(header: &HeaderValue) -> &str {
        header.to_str().expect("ASCII header")
    }
    fn len(&self) -> Option<usize> {
        None
    }
}

/// Ours as a reqwest client drives its cookie provider: through `reqwest::cookie::CookieStore`,
/// one header a call, on the real clock (the trait has no other), its `Cookie` header a
/// `HeaderValue`.
#[cfg(feature = "reqwest")]
struct OursTrait(Jar);

#[cfg(feature = "reqwest")]
impl Engine for OursTrait {
    type Header = HeaderValue;
    fn fresh(psl: &publicsuffix::List) -> Self {
        OursTrait(Ours::fresh(psl).0)
    }
    fn store(&mut self, s: &Prepared) -> bool {
        // As for `Reqwest`: the trait reports nothing, `build_checked` checks acceptance.
        <Jar as reqwest::cookie::CookieStore>::set_cookies(
            &self.0,
            &mut std::iter::once(&s.value),
            &s.url,
        );
        true
    }
    fn header(&self, url: &Url) -> Option<HeaderValue> {
        <Jar as reqwest::cookie::CookieStore>::cookies(&self.0, url)
    }
    fn text(header: &HeaderValue) -> &str {
        header.to_str().expect("ASCII header")
    }
    fn len(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The cookies of a header as a set of `name=value` pairs, to compare jars regardless of order.
fn pairs(header: Option<&str>) -> BTreeSet<&str> {
    header.map(|h| h.split("; ").collect()).unwrap_or_default()
}

/// Fills a jar with `stream`, then checks it before anything is timed: it holds every cookie,
/// answers (nearly) every request of `sample` with a non-empty header, and — for the peers —
/// sends the same cookies as `reference` (our jar), in whatever order.
fn build_checked<E: Engine>(
    label: &str,
    psl: &publicsuffix::List,
    stream: &[Prepared],
    sample: &[&Url],
    reference: Option<&Ours>,
) -> E {
    let t = Instant::now();
    let jar = E::filled(psl, stream);
    let fill = t.elapsed();
    if let Some(len) = jar.len() {
        assert_eq!(len, stream.len(), "{label}: the jar holds {len} cookies");
    }
    let (mut some, mut disagree, mut example) = (0usize, 0usize, None);
    for &url in sample {
        let h = jar.header(url);
        let h = h.as_ref().map(E::text);
        some += usize::from(h.is_some_and(|h| !h.is_empty()));
        if let Some(reference) = reference {
            let r = reference.header(url);
            if pairs(h) != pairs(r.as_deref()) {
                disagree += 1;
                example.get_or_insert_with(|| format!("{url}: ours {r:?}, this jar {h:?}"));
            }
        }
    }
    let total = sample.len();
    assert!(
        some * 10 >= total * 9,
        "{label}: only {some} of {total} sampled requests got a Cookie header"
    );
    eprintln!(
        "{label}: {} cookies stored in {fill:.2?}; {some} of {total} sampled requests get a Cookie header",
        stream.len()
    );
    if let Some(example) = example {
        eprintln!(
            "{label}: WARNING: {disagree} of {total} headers differ from ours, e.g. {example}"
        );
    }
    jar
}

/// One jar size of the lookup benchmarks. The jars are built on first use, so a filtered run
/// (`cargo bench --bench engine -- lookup/ours`) builds only what it measures.
struct LookupSize<'a> {
    size: &'static str,
    sites: usize,
    psl: &'a publicsuffix::List,
    stream: Vec<Prepared>,
    urls: Vec<Url>,
    ours: OnceCell<Ours>,
    cookie_store: OnceCell<CookieStore>,
    reqwest: OnceCell<Reqwest>,
    #[cfg(feature = "reqwest")]
    ours_trait: OnceCell<OursTrait>,
}

impl<'a> LookupSize<'a> {
    fn new(size: &'static str, sites: usize, psl: &'a publicsuffix::List) -> Self {
        LookupSize {
            size,
            sites,
            psl,
            stream: prepare(common::set_cookie_stream(sites, STREAM_SEED)),
            urls: common::request_urls(sites, REQUESTS, REQUEST_SEED),
            ours: OnceCell::new(),
            cookie_store: OnceCell::new(),
            reqwest: OnceCell::new(),
            #[cfg(feature = "reqwest")]
            ours_trait: OnceCell::new(),
        }
    }

    /// The requests a jar is checked on: all of them for ours; for the peers, whose lookups
    /// take milliseconds in the big jars, an evenly spread subset (at most ~5 s of checking).
    fn sample(&self, peer: bool) -> Vec<&Url> {
        let stride = if peer {
            (self.sites / 100).clamp(1, 16)
        } else {
            1
        };
        self.urls.iter().step_by(stride).collect()
    }

    fn ours(&self) -> &Ours {
        self.ours.get_or_init(|| {
            let label = format!("lookup/ours/{}", self.size);
            build_checked(&label, self.psl, &self.stream, &self.sample(false), None)
        })
    }

    fn peer<'s, E: Engine>(&'s self, cell: &'s OnceCell<E>, name: &str) -> &'s E {
        cell.get_or_init(|| {
            let label = format!("lookup/{name}/{}", self.size);
            let sample = self.sample(true);
            build_checked(&label, self.psl, &self.stream, &sample, Some(self.ours()))
        })
    }
}

/// The `Cookie` header for each request in turn, cycling through `urls`. `jar` is called only
/// when the benchmark is selected.
fn bench_lookup<'j, E: Engine + 'j>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    size: &str,
    jar: impl FnOnce() -> &'j E,
    urls: &[Url],
) {
    debug_assert!(urls.len().is_power_of_two());
    let mask = urls.len() - 1;
    let mut jar = Some(jar);
    let mut built: Option<&E> = None;
    group.bench_function(BenchmarkId::new(name, size), |b| {
        // Criterion calls this once per sample: build (and check) the jar the first time.
        let jar = *built.get_or_insert_with(|| (jar.take().expect("built once"))());
        let mut i = 0usize;
        b.iter(|| {
            let url = &urls[i & mask];
            i = i.wrapping_add(1);
            black_box(jar.header(black_box(url)))
        })
    });
}

/// The lookup benchmarks; returns the jar sizes (built where a benchmark used them) for
/// [`paired_lookups`].
fn lookup<'a>(c: &mut Criterion, psl: &'a publicsuffix::List) -> Vec<LookupSize<'a>> {
    let mut group = c.benchmark_group("lookup");
    let sizes: Vec<LookupSize<'a>> = [("1k", 100), ("10k", 1_000), ("100k", 10_000)]
        .into_iter()
        .map(|(size, sites)| LookupSize::new(size, sites, psl))
        .collect();
    for s in &sizes {
        let (size, sites) = (s.size, s.sites);
        group
            .sample_size(30)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(2))
            .sampling_mode(SamplingMode::Auto);
        bench_lookup(&mut group, "ours", size, || s.ours(), &s.urls);
        #[cfg(feature = "reqwest")]
        bench_lookup(
            &mut group,
            "ours-trait",
            size,
            || s.peer(&s.ours_trait, "ours-trait"),
            &s.urls,
        );
        if sites >= 10_000 {
            // The peers scan every domain they hold: ~20 ms per lookup at this size.
            group
                .sample_size(20)
                .measurement_time(Duration::from_secs(3))
                .sampling_mode(SamplingMode::Flat);
        }
        bench_lookup(
            &mut group,
            "cookie_store",
            size,
            || s.peer(&s.cookie_store, "cookie_store"),
            &s.urls,
        );
        bench_lookup(
            &mut group,
            "reqwest",
            size,
            || s.peer(&s.reqwest, "reqwest"),
            &s.urls,
        );
    }
    group.finish();
    sizes
}

/// Stores the whole stream into a fresh jar per iteration; the jar is made before and dropped
/// after the timed part.
fn bench_ingest<E: Engine>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    psl: &publicsuffix::List,
    stream: &[Prepared],
    urls: &[Url],
    reference: &Ours,
) {
    let mut checked = false;
    group.bench_function(name, |b| {
        // Criterion calls this once per sample; check the jar the first time only. Every
        // header must be accepted: a rejected one would be cheaper.
        if !checked {
            let sample: Vec<&Url> = urls.iter().collect();
            let label = format!("ingest/{name}");
            drop(build_checked::<E>(
                &label,
                psl,
                stream,
                &sample,
                Some(reference),
            ));
            checked = true;
        }
        b.iter_batched(
            || E::fresh(psl),
            |mut jar| {
                for s in stream {
                    black_box(jar.store(s));
                }
                jar
            },
            BatchSize::PerIteration,
        )
    });
}

/// The ingest benchmarks; returns their stream for [`paired_ingest`].
fn ingest(c: &mut Criterion, psl: &publicsuffix::List) -> Vec<Prepared> {
    let sites = INGEST_STREAM / COOKIES_PER_SITE;
    let stream = prepare(common::set_cookie_stream(sites, STREAM_SEED));
    assert_eq!(stream.len(), INGEST_STREAM);
    let urls = common::request_urls(sites, REQUESTS, REQUEST_SEED);
    let reference = Ours::filled(psl, &stream);

    let mut group = c.benchmark_group("ingest");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Elements(INGEST_STREAM as u64));
    bench_ingest::<Ours>(&mut group, "ours", psl, &stream, &urls, &reference);
    #[cfg(feature = "reqwest")]
    bench_ingest::<OursTrait>(&mut group, "ours-trait", psl, &stream, &urls, &reference);
    bench_ingest::<CookieStore>(&mut group, "cookie_store", psl, &stream, &urls, &reference);
    bench_ingest::<Reqwest>(&mut group, "reqwest", psl, &stream, &urls, &reference);
    group.finish();
    stream
}

/// Whether the run measures everything, or a name filter given on the command line
/// (`cargo bench --bench engine -- lookup/ours`) selects `name`. The paired figures below run
/// outside criterion, so they honour the filter here: criterion reads a filter as a regular
/// expression, and this takes its `|` alternatives as plain substrings of `name`. Criterion's
/// `--list` and `--test` runs measure nothing, so they skip these too.
fn selected(name: &str) -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list" || a == "--test") {
        return false;
    }
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    filters.is_empty()
        || filters
            .iter()
            .flat_map(|f| f.split('|'))
            .any(|f| !f.is_empty() && name.contains(f))
}

/// Rounds of each paired measurement: every round times both sides once, in turn.
const PAIRED_ROUNDS: usize = 201;

/// The flatness, measured in turn: a batch of lookups on the 1k jar, then one on the 100k
/// jar, [`PAIRED_ROUNDS`] times, each batch continuing through its request list. Criterion
/// times the two sizes seconds apart, and the shared machine's drift between them moves the
/// 100k/1k ratio (1.05 to 2.2 across runs); here both halves of each round's ratio meet the
/// machine in the same state.
fn paired_lookups(sizes: &[LookupSize<'_>]) {
    const BATCH: usize = 1024;
    let (Some(small), Some(big)) = (sizes.first(), sizes.last()) else {
        return;
    };
    let pass = |s: &LookupSize<'_>, next: &mut usize| {
        let (jar, mask) = (s.ours(), s.urls.len() - 1);
        let t = Instant::now();
        for _ in 0..BATCH {
            black_box(jar.header(black_box(&s.urls[*next & mask])));
            *next = next.wrapping_add(1);
        }
        t.elapsed().as_secs_f64() * 1e9 / BATCH as f64
    };
    let (mut at_small, mut at_big) = (0, 0);
    let p = common::paired(
        PAIRED_ROUNDS,
        || pass(small, &mut at_small),
        || pass(big, &mut at_big),
    );
    eprintln!(
        "paired lookups over {PAIRED_ROUNDS} rounds of {BATCH}: ours {} {:.0} ns, {} {:.0} ns \
         (medians); flatness {}/{} {:.2} (median of the rounds' ratios)",
        small.size, p.a, big.size, p.b, big.size, small.size, p.ratio
    );
}

/// Ingest measured in turn: the whole stream into a fresh jar of ours (`A`, named `ours`),
/// then into a fresh peer, [`PAIRED_ROUNDS`] times (each jar made before and dropped after its
/// timing).
fn paired_ingest<A: Engine, E: Engine>(
    ours: &str,
    name: &str,
    psl: &publicsuffix::List,
    stream: &[Prepared],
) {
    fn pass<E: Engine>(psl: &publicsuffix::List, stream: &[Prepared]) -> f64 {
        let mut jar = E::fresh(psl);
        let t = Instant::now();
        for s in stream {
            black_box(jar.store(s));
        }
        let per = t.elapsed().as_secs_f64() * 1e9 / stream.len() as f64;
        drop(jar);
        per
    }
    let p = common::paired(
        PAIRED_ROUNDS,
        || pass::<A>(psl, stream),
        || pass::<E>(psl, stream),
    );
    eprintln!(
        "paired ingest over {PAIRED_ROUNDS} rounds of {} headers: {ours} {:.0} ns, {name} {:.0} \
         ns a header (medians); {name}/{ours} {:.2} (median of the rounds' ratios)",
        stream.len(),
        p.a,
        p.b,
        p.ratio
    );
}

/// Loads the public suffix list for `cookie_store` and checks that it takes effect: a cookie
/// for a public suffix must be rejected.
fn peer_public_suffix_list() -> publicsuffix::List {
    let (path, psl) = common::load_public_suffix_list();
    let mut cs = CookieStore::fresh(&psl);
    let url = Url::parse("https://www.site1.co.uk/").expect("url");
    assert!(
        cs.0.parse("evil=1; Domain=co.uk; Path=/", &url).is_err(),
        "cookie_store accepted a cookie for a public suffix: its list is not loaded"
    );
    eprintln!("public suffix list for cookie_store: {}", path.display());
    psl
}

fn benches(c: &mut Criterion) {
    let psl = peer_public_suffix_list();
    let sizes = lookup(c, &psl);
    let stream = ingest(c, &psl);
    if selected("paired/lookup") {
        paired_lookups(&sizes);
    }
    if selected("paired/ingest") {
        paired_ingest::<Ours, CookieStore>("ours", "cookie_store", &psl, &stream);
        paired_ingest::<Ours, Reqwest>("ours", "reqwest", &psl, &stream);
        #[cfg(feature = "reqwest")]
        paired_ingest::<OursTrait, Reqwest>("ours-trait", "reqwest", &psl, &stream);
    }
}

criterion_group! {
    name = engine;
    config = Criterion::default().sample_size(30);
    targets = benches
}
criterion_main!(engine);
