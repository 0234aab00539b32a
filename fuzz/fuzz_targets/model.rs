//! A model-based target: random sequences of operations on a file-backed jar and on an
//! in-memory reference jar, which must agree.
//!
//! The file jar lives on a [`Volume`] (an in-memory file system, see src/lib.rs) behind a
//! `FaultyStorage`, so operations can be made to fail at the storage layer and the jar can be
//! closed and reopened from exactly what it left "on disk". Both jars see the same pinned
//! clock, which moves forward by at least a second per operation, so creation times never tie
//! and the two agree on every ordering.
//!
//! What must hold:
//! - While no storage failure has happened, every operation gives the same answer on both jars
//!   (outcomes, refusals, `Cookie` headers, matching cookies, purges) and afterwards both hold
//!   the same cookies, metadata included.
//! - A reopened jar holds what the reference holds (less session cookies when they are not
//!   persisted), with every field equal except the last-access time, which the file records
//!   only when it writes a cookie (so the reopened one may be older, never newer).
//! - An operation that fails in storage is reported as an error, and from then on the jar
//!   acknowledges no change ("poisoned") until it is reopened. The reopened jar holds every
//!   change acknowledged before the failure; for each cookie the failed operation touched, it
//!   holds either its state before or after that operation (a multi-record change may be cut
//!   short), and nothing else.
//!
//! Consent is persisted with the cookies (docs/file-format.md, "Consent records"). On every
//! reopen the model rebuilds the reference from the reopened jar's cookies and then gives it
//! the consent the reopened jar holds (which, after a failed consent change, may be the state
//! before or after it); that also carries over the last-access times the file kept, so that
//! later evictions (least recently used first) agree.

#![no_main]

use std::collections::BTreeMap;

use arbitrary::{Arbitrary, Unstructured};
use cookiejar::rfc::date::format_http_date;
use cookiejar::store::storage::{Fault, FaultyStorage};
use cookiejar::{
    Category, CategorySet, ConsentChangeError, Cookie, Durability, Jar, JarOptions, Profile,
    Request, SetCookieError, StoreError, UnclassifiedPolicy, Url,
};
use cookiejar_fuzz::Volume;
use libfuzzer_sys::fuzz_target;

const START: i64 = 1_700_000_000_000;
const MAX_OPS: usize = 48;
/// See `Op::Clear` in `Model::run`.
const CLEAR_BUG_OPEN: bool = false;

const URLS: &[&str] = &[
    "https://www.example.com/",
    "http://www.example.com/a/b",
    "https://example.com/a/",
    "https://shop.example.com/cart/x",
    "http://example.org/",
    "https://news.example.org/p/q",
    "https://127.0.0.1/",
    "http://localhost/a/",
    "https://user.github.io/",
    "https://ads.example.net/px",
    "http://[::1]/",
];
const NAMES: &[&str] = &[
    "a",
    "b",
    "sid",
    "__Host-id",
    "__Secure-id",
    "_ga",
    "IDE",
    "lang",
    "",
];
const DOMAINS: &[Option<&str>] = &[
    None,
    Some("example.com"),
    Some(".example.com"),
    Some("www.example.com"),
    Some("example.org"),
    Some("com"),
    Some("github.io"),
    Some("user.github.io"),
    Some("127.0.0.1"),
    Some("EXAMPLE.COM"),
    Some("localhost"),
    Some("ads.example.net"),
    Some("[::1]"),
];
const PATHS: &[Option<&str>] = &[
    None,
    Some("/"),
    Some("/a"),
    Some("/a/"),
    Some("/a/b"),
    Some("/cart"),
    Some("rel"),
    Some(""),
];
const MAX_AGES: &[Option<&str>] = &[
    None,
    Some("-1"),
    Some("0"),
    Some("1"),
    Some("60"),
    Some("3600"),
    Some("86400"),
    Some("99999999999"),
];

#[derive(Debug)]
struct CookieSpec {
    name: u8,
    value: u8,
    long: bool,
    domain: u8,
    path: u8,
    max_age: u8,
    expires: Option<i16>,
    flags: u8,
    same_site: u8,
    priority: u8,
}

#[derive(Debug)]
enum Op {
    Set {
        url: u8,
        ctx: u8,
        top: u8,
        cookie: CookieSpec,
    },
    SetRaw {
        url: u8,
        header: String,
    },
    Lookup {
        url: u8,
        ctx: u8,
        top: u8,
    },
    Remove {
        pick: u8,
    },
    RemoveNamed {
        domain: u8,
        path: u8,
        name: u8,
    },
    ClearDomain {
        domain: u8,
    },
    Clear,
    ClearSession,
    PurgeExpired,
    Consent {
        site: u8,
        granted: u8,
    },
    Gpc {
        on: bool,
    },
    Profile {
        profile: u8,
    },
    Unclassified {
        policy: u8,
    },
    Flush,
    Reopen {
        fault: Option<(u8, u8)>,
    },
    Fail {
        kind: u8,
        after: u8,
    },
    Advance {
        secs: u32,
    },
}

/// The input format, kept byte-oriented so that seeds can be written by hand
/// (fuzz/seeds/make_seeds.py) and mutations stay local: a config byte, then operations, each
/// an opcode byte (modulo the number of operations, in the order of [`Op`]) followed by its
/// arguments, one byte each in the order of the fields, except `SetRaw` (a length byte, then
/// that many bytes of header), `Set`'s `expires` (a byte, 0 for none, else two more bytes of
/// little-endian minutes), `Reopen` (a byte, 0 for no fault, else a kind and a count) and
/// `Advance` (four little-endian bytes of seconds). Missing bytes read as zero.
struct Input {
    config: u8,
    ops: Vec<Op>,
}

impl Input {
    fn decode(data: &[u8]) -> Input {
        let mut u = Unstructured::new(data);
        let mut b = || u8::arbitrary(&mut u).unwrap_or(0);
        let config = b();
        let mut ops = Vec::new();
        let mut u = Unstructured::new(data.get(1..).unwrap_or(&[]));
        while !u.is_empty() && ops.len() < MAX_OPS {
            let mut b = || u8::arbitrary(&mut u).unwrap_or(0);
            let op = match b() % 17 {
                0 => Op::Set {
                    url: b(),
                    ctx: b(),
                    top: b(),
                    cookie: CookieSpec {
                        name: b(),
                        value: b(),
                        long: b() & 1 != 0,
                        domain: b(),
                        path: b(),
                        max_age: b(),
                        expires: match b() {
                            0 => None,
                            _ => Some(i16::from_le_bytes([b(), b()])),
                        },
                        flags: b(),
                        same_site: b(),
                        priority: b(),
                    },
                },
                1 => {
                    let url = b();
                    let len = b();
                    let bytes: Vec<u8> = (0..len).map(|_| b()).collect();
                    Op::SetRaw {
                        url,
                        header: String::from_utf8_lossy(&bytes).into_owned(),
                    }
                }
                2 => Op::Lookup {
                    url: b(),
                    ctx: b(),
                    top: b(),
                },
                3 => Op::Remove { pick: b() },
                4 => Op::RemoveNamed {
                    domain: b(),
                    path: b(),
                    name: b(),
                },
                5 => Op::ClearDomain { domain: b() },
                6 => Op::Clear,
                7 => Op::ClearSession,
                8 => Op::PurgeExpired,
                9 => Op::Consent {
                    site: b(),
                    granted: b(),
                },
                10 => Op::Gpc { on: b() & 1 != 0 },
                11 => Op::Profile { profile: b() },
                12 => Op::Unclassified { policy: b() },
                13 => Op::Flush,
                14 => Op::Reopen {
                    fault: match b() {
                        0 => None,
                        _ => Some((b(), b())),
                    },
                },
                15 => Op::Fail {
                    kind: b(),
                    after: b(),
                },
                _ => Op::Advance {
                    secs: u32::from_le_bytes([b(), b(), b(), b()]),
                },
            };
            ops.push(op);
        }
        Input { config, ops }
    }
}

fn pick<T: Copy>(list: &[T], i: u8) -> T {
    list[usize::from(i) % list.len()]
}

fn fault(kind: u8) -> Fault {
    pick(
        &[Fault::Write, Fault::Grow, Fault::Sync, Fault::Rewrite],
        kind,
    )
}

fn header(c: &CookieSpec, now: i64) -> String {
    let mut h = format!("{}=v{}", pick(NAMES, c.name), c.value);
    if c.long {
        h.push_str(&"x".repeat(3000));
    }
    if let Some(d) = pick(DOMAINS, c.domain) {
        h.push_str("; Domain=");
        h.push_str(d);
    }
    if let Some(p) = pick(PATHS, c.path) {
        h.push_str("; Path=");
        h.push_str(p);
    }
    if let Some(m) = pick(MAX_AGES, c.max_age) {
        h.push_str("; Max-Age=");
        h.push_str(m);
    }
    if let Some(minutes) = c.expires {
        h.push_str("; Expires=");
        h.push_str(&format_http_date(now / 1000 + i64::from(minutes) * 60));
    }
    for (bit, attr) in [(1, "; Secure"), (2, "; HttpOnly"), (4, "; Partitioned")] {
        if c.flags & bit != 0 {
            h.push_str(attr);
        }
    }
    h.push_str(pick(
        &["", "; SameSite=Strict", "; SameSite=Lax", "; SameSite=None"],
        c.same_site,
    ));
    h.push_str(pick(
        &["", "; Priority=Low", "; Priority=Medium", "; Priority=High"],
        c.priority,
    ));
    h
}

fn request<'a>(url: &'a Url, ctx: u8, top: &'a Url) -> Request<'a> {
    match ctx % 5 {
        0 => Request::new(url),
        1 => Request::subresource_of(url, top),
        2 => Request::navigation_from(url, top, true),
        3 => Request::navigation_from(url, top, false),
        _ => Request::new(url).non_http(),
    }
}

/// A cookie's identity (RFC 6265bis §5.7 plus the partition).
type Key = (String, String, String, bool, Option<String>);

fn key(c: &Cookie) -> Key {
    (
        c.domain.clone(),
        c.path.clone(),
        c.name.clone(),
        c.host_only,
        c.partition.clone(),
    )
}

/// `cookies_at` sorts by domain, path and name only, so a host-only cookie and a domain
/// cookie that share those come in hash-map order, which differs between two jars: compare in
/// the order of the whole key.
fn sorted(mut v: Vec<Cookie>) -> Vec<Cookie> {
    v.sort_by_key(key);
    v
}

/// The cookie without its last-access time, which a reopen may legitimately make older.
fn sans_access(c: &Cookie) -> Cookie {
    let mut c = c.clone();
    c.last_access = 0;
    c
}

fn by_key<'a>(cookies: impl IntoIterator<Item = &'a Cookie>) -> BTreeMap<Key, Cookie> {
    cookies
        .into_iter()
        .map(|c| (key(c), sans_access(c)))
        .collect()
}

/// What a storage failure left to check at the next reopen: the reference's cookies before
/// and after the operation that failed.
struct Pending {
    what: String,
    before: Vec<Cookie>,
    after: Vec<Cookie>,
}

struct Model {
    options: JarOptions,
    persist_sessions: bool,
    volume: Volume,
    faults: FaultyStorage,
    file: Option<Jar>,
    reference: Jar,
    now: i64,
    failed: Option<Pending>,
    urls: Vec<Url>,
}

/// An answer from both jars, and whether the file jar's was a storage error.
trait Answer: PartialEq + std::fmt::Debug {
    fn storage_error(&self) -> bool;
    /// Whether the answer acknowledges a change (or a no-op) as done.
    fn acknowledged(&self) -> bool;
}

impl<T: PartialEq + std::fmt::Debug> Answer for Result<T, StoreError> {
    fn storage_error(&self) -> bool {
        self.is_err()
    }
    fn acknowledged(&self) -> bool {
        self.is_ok()
    }
}

impl<T: PartialEq + std::fmt::Debug> Answer for Result<T, SetCookieError> {
    fn storage_error(&self) -> bool {
        matches!(self, Err(SetCookieError::Storage(_)))
    }
    fn acknowledged(&self) -> bool {
        self.is_ok()
    }
}

/// The cookies a consent change purged, in a fixed order: the jar lists them in the order of
/// its hash map, which differs between two jars holding the same cookies.
struct Purged(Result<Vec<Cookie>, ConsentChangeError>);

impl PartialEq for Purged {
    fn eq(&self, other: &Self) -> bool {
        let sorted = |r: &Result<Vec<Cookie>, ConsentChangeError>| {
            r.clone().map(|mut v| {
                v.sort_by_key(key);
                v
            })
        };
        sorted(&self.0) == sorted(&other.0)
    }
}

impl std::fmt::Debug for Purged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Answer for Purged {
    fn storage_error(&self) -> bool {
        matches!(self.0, Err(ConsentChangeError::Storage(_)))
    }
    fn acknowledged(&self) -> bool {
        self.0.is_ok()
    }
}

impl Answer for Result<Vec<Cookie>, ConsentChangeError> {
    fn storage_error(&self) -> bool {
        matches!(self, Err(ConsentChangeError::Storage(_)))
    }
    fn acknowledged(&self) -> bool {
        self.is_ok()
    }
}

impl Model {
    fn new(config: u8) -> Model {
        let small = config & 2 != 0;
        // Small limits make evictions, which rank by last access and then by insertion
        // order; persisting session cookies keeps the file's insertion order equal to the
        // reference's after a reopen (see the module comment).
        let persist_sessions = config & 1 != 0 || small;
        let mut options = JarOptions::default()
            .persist_session_cookies(persist_sessions)
            .lax_by_default(config & 4 == 0);
        if small {
            options = options.max_cookies_per_site(4).max_cookies(7);
        }
        if config & 8 != 0 {
            options = options.durability(Durability::Sync);
        }
        let volume = Volume::default();
        let faults = FaultyStorage::new(volume.open());
        let file = Jar::open_storage_at(Box::new(faults.clone()), options.clone(), START)
            .expect("a new jar opens");
        Model {
            reference: Jar::with_options(options.clone()),
            options,
            persist_sessions,
            volume,
            faults,
            file: Some(file),
            now: START,
            failed: None,
            urls: URLS.iter().map(|u| Url::parse(u).unwrap()).collect(),
        }
    }

    fn file(&self) -> &Jar {
        self.file.as_ref().expect("the file jar is open")
    }

    /// Applies a change to both jars (to the file jar alone once it has failed) and checks
    /// that they agree.
    fn change<R: Answer>(&mut self, what: &str, op: impl Fn(&Jar) -> R) {
        let got = op(self.file());
        if self.failed.is_some() {
            assert!(
                !got.acknowledged(),
                "{what}: acknowledged after a storage failure: {got:?}"
            );
            return;
        }
        if got.storage_error() {
            let before = self.reference.cookies_at(self.now);
            let _ = op(&self.reference);
            let after = self.reference.cookies_at(self.now);
            self.failed = Some(Pending {
                what: format!("{what}: {got:?}"),
                before,
                after,
            });
            return;
        }
        let want = op(&self.reference);
        assert_eq!(got, want, "{what}");
        self.compare(what);
    }

    fn compare(&self, what: &str) {
        let got = sorted(self.file().cookies_at(self.now));
        let want = sorted(self.reference.cookies_at(self.now));
        assert_eq!(got, want, "after {what}");
    }

    fn reopen(&mut self, fault_at_open: Option<(u8, u8)>) {
        drop(self.file.take());
        let now = self.now;
        let mut jar = None;
        let mut torn_open = false;
        if let Some((kind, after)) = fault_at_open {
            let faults = FaultyStorage::new(self.volume.open());
            faults.fail_after(fault(kind), u64::from(after % 4));
            if let Ok(j) = Jar::open_storage_at(Box::new(faults.clone()), self.options.clone(), now)
            {
                // An open that survived its faults is a jar like any other; it must not be
                // poisoned behind our back, so heal it and carry on with it.
                faults.heal();
                jar = Some((j, faults));
            } else {
                torn_open = true;
            }
        }
        let (jar, faults) = match jar {
            Some(j) => j,
            None => {
                let faults = FaultyStorage::new(self.volume.open());
                let j = Jar::open_storage_at(Box::new(faults.clone()), self.options.clone(), now)
                    .expect("the jar file reopens");
                (j, faults)
            }
        };
        // A reopened jar reads a site's cookies from the file when the site is first used.
        // Every other reopen reads them site by site first (`get_at` changes nothing else),
        // so the checks below see what that path built; the others read them all at once.
        if (now / 1000) % 2 == 1 {
            for u in &self.urls {
                let host = u.host_str().unwrap_or_default();
                let _ = jar.get_at(host, "/", "a", now);
            }
        }
        let report = jar.open_report();
        // A failed write can leave a torn frame past the log end (as a crash would), which
        // the open drops and reports; without a failure the file must be clean.
        if self.failed.is_none() && !torn_open {
            assert!(!report.lost_anything(), "the file was damaged: {report:?}");
        }
        assert_eq!(report.invalid_records, 0, "{report:?}");

        let got = jar.cookies_at(now);
        let kept = |c: &&Cookie| self.persist_sessions || !c.is_session();
        let live = |c: &&Cookie| c.expires.is_none_or(|t| t > now);
        match self.failed.take() {
            None => {
                let reference = self.reference.cookies_at(now);
                let want = by_key(reference.iter().filter(kept));
                assert_eq!(
                    by_key(&got),
                    want,
                    "the reopened jar differs from the reference"
                );
                let last: BTreeMap<Key, i64> =
                    reference.iter().map(|c| (key(c), c.last_access)).collect();
                for c in &got {
                    assert!(
                        c.last_access <= last[&key(c)],
                        "last access from the future: {c:?}"
                    );
                }
            }
            Some(p) => {
                let before = by_key(p.before.iter().filter(kept).filter(live));
                let after = by_key(p.after.iter().filter(kept).filter(live));
                let have = by_key(&got);
                let keys: std::collections::BTreeSet<&Key> = before
                    .keys()
                    .chain(after.keys())
                    .chain(have.keys())
                    .collect();
                for k in keys {
                    let h = have.get(k);
                    assert!(
                        h == before.get(k) || h == after.get(k),
                        "after the failure of {}: {k:?} is {h:?}, neither {:?} (before) nor {:?} (after)",
                        p.what,
                        before.get(k),
                        after.get(k)
                    );
                }
            }
        }

        // The reference starts again from what the file kept, in creation order (the file's
        // order too), with the reopened jar's consent.
        let reference = Jar::with_options(self.options.clone());
        // First the consent the file kept (on an empty jar, so nothing is purged on the way:
        // decisions applied one by one would purge what a later one allows), then the cookies
        // (imports are not refused for consent; the reopened jar holds only what it allows).
        let consent = jar.consent();
        reference.set_profile(consent.profile()).expect("profile");
        reference
            .set_unclassified_policy(consent.unclassified_policy())
            .expect("unclassified policy");
        if consent.is_enforcing() {
            reference
                .set_consent(None, *consent.default_state())
                .expect("consent");
        }
        for (site, state) in consent.sites() {
            reference.set_consent(Some(site), *state).expect("consent");
        }
        if let Some(since) = consent.gpc_since() {
            reference.set_gpc(true, since).expect("gpc");
        }
        let mut cookies = got.clone();
        cookies.sort_by_key(|c| c.created);
        for c in &cookies {
            reference
                .insert_at(c, now)
                .expect("a reopened cookie can be inserted");
        }
        assert_eq!(
            sorted(reference.cookies_at(now)),
            sorted(got.clone()),
            "insert_at did not restore the cookies"
        );
        self.reference = reference;
        self.file = Some(jar);
        self.faults = faults;
    }

    fn run(&mut self, op: &Op) {
        if std::env::var_os("MODEL_TRACE").is_some() {
            eprintln!("op {op:?}");
        }
        self.now += 1000;
        let now = self.now;
        match op {
            Op::Set {
                url,
                ctx,
                top,
                cookie,
            } => {
                let h = header(cookie, now);
                let (u, t) = (
                    &self.urls[usize::from(*url) % URLS.len()],
                    &self.urls[usize::from(*top) % URLS.len()],
                );
                let (u, t) = (u.clone(), t.clone());
                self.change(&format!("set {h:?} from {u} ctx {ctx}"), |j| {
                    j.set_cookie_at(&h, &request(&u, *ctx, &t), now)
                });
            }
            Op::SetRaw { url, header } => {
                let u = self.urls[usize::from(*url) % URLS.len()].clone();
                self.change(&format!("set {header:?} from {u}"), |j| {
                    j.set_cookie_at(header, &Request::new(&u), now)
                });
            }
            Op::Lookup { url, ctx, top } => {
                let (u, t) = (
                    &self.urls[usize::from(*url) % URLS.len()],
                    &self.urls[usize::from(*top) % URLS.len()],
                );
                let req = request(u, *ctx, t);
                let got = self.file().cookie_header_at(&req, now);
                let got_cookies = self.file().matching_cookies_at(&req, now);
                if self.failed.is_none() {
                    assert_eq!(
                        got,
                        self.reference.cookie_header_at(&req, now),
                        "header for {u} ctx {ctx}"
                    );
                    assert_eq!(
                        got_cookies,
                        self.reference.matching_cookies_at(&req, now),
                        "cookies for {u}"
                    );
                    self.compare("lookup");
                }
            }
            Op::Remove { pick: i } => {
                let all = self.reference.cookies_at(now);
                let (d, p, n) = match all.get(usize::from(*i) % all.len().max(1)) {
                    Some(c) => (c.domain.clone(), c.path.clone(), c.name.clone()),
                    None => ("example.com".into(), "/".into(), "a".into()),
                };
                self.change(&format!("remove {d} {p} {n}"), |j| j.remove(&d, &p, &n));
            }
            Op::RemoveNamed { domain, path, name } => {
                let d = pick(DOMAINS, *domain).unwrap_or("www.example.com");
                let p = pick(PATHS, *path).unwrap_or("/");
                let n = pick(NAMES, *name);
                self.change(&format!("remove {d} {p} {n}"), |j| j.remove(d, p, n));
            }
            Op::ClearDomain { domain } => {
                let d = pick(DOMAINS, *domain).unwrap_or("");
                self.change(&format!("clear_domain {d}"), |j| j.clear_domain(d));
            }
            Op::Clear => {
                // A bug this target found (tests/fuzz_regressions.rs,
                // `a_failed_clear_leaves_memory_and_file_disagreeing`): a clear whose compaction
                // fails has already emptied the jar in memory but not in the file, and leaves
                // the jar unpoisoned, so later changes are acknowledged on top of a memory that
                // disagrees with the file. Fixed (the file is rewritten first); the switch, off,
                // stays for bisecting.
                if CLEAR_BUG_OPEN && self.failed.is_none() {
                    self.faults.heal();
                }
                self.change("clear", |j| j.clear())
            }
            Op::ClearSession => self.change("clear_session_cookies", |j| j.clear_session_cookies()),
            Op::PurgeExpired => self.change("purge_expired_at", |j| j.purge_expired_at(now)),
            Op::Consent { site, granted } => {
                let site = usize::from(*site) % (URLS.len() + 1);
                let site = site
                    .checked_sub(1)
                    .map(|i| self.urls[i].host_str().unwrap().to_owned());
                let set = CategorySet::from_bits(granted & 0x1f).unwrap_or(CategorySet::EMPTY);
                self.change(&format!("consent {site:?} {set:?}"), |j| {
                    Purged(j.set_consent_granted(site.as_deref(), set, now))
                });
            }
            Op::Gpc { on } => self.change("gpc", |j| Purged(j.set_gpc(*on, now))),
            Op::Profile { profile } => {
                let p = pick(&[Profile::Strict, Profile::Cnil, Profile::UkDuaa], *profile);
                self.change("profile", |j| Purged(j.set_profile(p)));
            }
            Op::Unclassified { policy } => {
                let p = pick(
                    &[
                        UnclassifiedPolicy::TreatAs(Category::Marketing),
                        UnclassifiedPolicy::TreatAs(Category::Statistics),
                        UnclassifiedPolicy::Reject,
                        UnclassifiedPolicy::AllowFirstPartySession,
                    ],
                    *policy,
                );
                self.change("unclassified policy", |j| {
                    Purged(j.set_unclassified_policy(p))
                });
            }
            Op::Flush => self.change("flush", |j| j.flush()),
            Op::Reopen { fault } => self.reopen(*fault),
            Op::Fail { kind, after } => self.faults.fail_after(fault(*kind), u64::from(*after % 4)),
            Op::Advance { secs } => {
                // Up to about 500 days: past every cap, so cookies expire.
                self.now += i64::from(*secs % (500 * 86_400)) * 1000;
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let input = Input::decode(data);
    let mut model = Model::new(input.config);
    for op in input.ops.iter().take(MAX_OPS) {
        model.run(op);
    }
    // Whatever happened, a last reopen must find every acknowledged change.
    model.reopen(None);
});
