//! Abuse limits (issue #8): what a hostile server can make the jar hold. Each test floods the
//! jar through the public API and asserts bounds — on the cookie count, per site and in all,
//! on the heap the jar keeps, on the file — never on time (`benches/abuse.rs` times the same
//! floods per call).
//!
//! The heap is measured with a counting global allocator: every allocation and free made by
//! the test's own thread is added to a per-thread total, so tests running in parallel do not
//! disturb each other's figures. The jar is used from one thread in each test, so that total
//! is exactly the jar's heap (plus the few strings the test itself still holds).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::CString;

use cookiejar::{
    now_ms, Jar, JarOptions, ParseError, Rejection, Request, SetCookieError, SetOutcome, Url,
};

/// The system allocator, counting live bytes per thread.
struct Counting;

thread_local! {
    // A const-initialised `Cell` has no destructor, so touching it from inside the allocator
    // cannot allocate or recurse, even while the thread is being torn down.
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    let _ = LIVE.try_with(|n| n.set(n.get() + delta));
}

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the bookkeeping around the call touches only a thread-local integer
// and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as received.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as received.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as received.
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as received.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes this thread has allocated and not freed.
fn live_bytes() -> isize {
    LIVE.with(Cell::get)
}

const MIB: isize = 1 << 20;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn set(jar: &Jar, u: &Url, header: &str, now: i64) -> Result<SetOutcome, SetCookieError> {
    jar.set_cookie_at(header, &Request::new(u), now)
}

/// The heap a jar keeps after `feed` has thrown `n` headers at it, sampled at several points
/// of the flood: (headers so far, live bytes held by the jar).
fn heap_curve(jar: &Jar, n: usize, mut feed: impl FnMut(&Jar, usize)) -> Vec<(usize, isize)> {
    let base = live_bytes();
    let mut curve = Vec::new();
    for i in 0..n {
        feed(jar, i);
        if (i + 1) % (n / 5) == 0 {
            curve.push((i + 1, live_bytes() - base));
        }
    }
    curve
}

/// The heap stopped growing: the last sample is no more than `slack` above the first one
/// (taken once the limits had been reached).
fn assert_plateau(curve: &[(usize, isize)], slack: isize, what: &str) {
    let (first, last) = (curve[0].1, curve[curve.len() - 1].1);
    assert!(
        last <= first + slack,
        "{what}: the heap kept growing: {curve:?} (bytes after n headers)"
    );
}

/// What one site holds, by registrable domain.
fn count_site(jar: &Jar, site: &str, now: i64) -> usize {
    jar.cookies_at(now)
        .iter()
        .filter(|c| c.domain == site || c.domain.ends_with(&format!(".{site}")))
        .count()
}

const NOW: i64 = 1_750_000_000_000;

#[test]
fn one_site_sending_100k_cookies_keeps_180_and_a_flat_heap() {
    let jar = Jar::default();
    let u = url("https://www.flood.example/");
    let curve = heap_curve(&jar, 100_000, |jar, i| {
        let h = format!("n{i}=value-{i}; Max-Age=86400");
        set(jar, &u, &h, NOW + i as i64).unwrap();
        assert!(jar.len() <= 180);
    });
    assert_eq!(count_site(&jar, "flood.example", NOW), jar.len());
    assert!(
        jar.len() > 140,
        "eviction went below 5/6 of the limit: {}",
        jar.len()
    );
    // The first sample is after 20,000 headers: the site is at its limit and the report of
    // unclassified names (at most 10,000) is full. From there on nothing may grow.
    assert_plateau(&curve, 64 << 10, "one site, 100k names");
    let held = curve[curve.len() - 1].1;
    eprintln!(
        "one site, 100k cookies: {} cookies, heap {held} bytes",
        jar.len()
    );
    assert!(held < 4 * MIB, "{held} bytes held for 180 small cookies");
}

#[test]
fn a_hundred_thousand_sites_leave_3300_cookies_and_a_flat_heap() {
    let jar = Jar::default();
    let curve = heap_curve(&jar, 100_000, |jar, i| {
        let u = url(&format!("https://www.site{i}.example/"));
        set(jar, &u, "id=1; Max-Age=86400", NOW + i as i64).unwrap();
        assert!(jar.len() <= 3300);
    });
    assert!(jar.len() > 2900, "{}", jar.len());
    assert_plateau(&curve, 256 << 10, "100k sites");
    let held = curve[curve.len() - 1].1;
    eprintln!("100k sites: {} cookies, heap {held} bytes", jar.len());
    assert!(held < 8 * MIB, "{held} bytes held for 3300 small cookies");
}

#[test]
fn thirty_thousand_subdomains_of_one_site_share_its_limit() {
    // Wildcard DNS gives a server any number of host names under its site; their host-only
    // cookies all count against the one site.
    let jar = Jar::default();
    for i in 0..30_000 {
        let u = url(&format!("https://h{i}.wild.example/"));
        set(&jar, &u, "id=1", NOW + i).unwrap();
    }
    assert!(jar.len() <= 180, "{}", jar.len());
}

#[test]
fn a_flood_through_a_file_jar_keeps_the_file_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flood.jar");
    let jar = Jar::open_at(&path, JarOptions::default(), NOW).unwrap();
    let mut largest = 0;
    for i in 0..100_000i64 {
        let host = if i % 2 == 0 {
            "https://www.flood.example/".to_owned()
        } else {
            format!("https://www.s{i}.example/")
        };
        let h = format!("n{i}=value-{i}-0123456789abcdef; Max-Age=86400");
        set(&jar, &url(&host), &h, NOW + i).unwrap();
        if i % 1000 == 0 {
            largest = largest.max(std::fs::metadata(&path).unwrap().len());
        }
    }
    assert!(jar.len() <= 3300);
    assert!(count_site(&jar, "flood.example", NOW) <= 180);
    let size = std::fs::metadata(&path).unwrap().len();
    largest = largest.max(size);
    eprintln!(
        "file jar after 100k headers: {} cookies, file {size} bytes, largest {largest}",
        jar.len()
    );
    // Compaction keeps the log under twice the live records (~3300 × ~90 bytes) plus 4 MiB of
    // dead ones (docs/file-format.md, "Compaction"), and the file grows in 1 MiB chunks; 100k
    // records without it would be ~9 MB.
    assert!(largest <= 6 << 20, "the file reached {largest} bytes");
    let n = jar.len();
    drop(jar);
    let jar = Jar::open_at(&path, JarOptions::default(), NOW).unwrap();
    assert_eq!(jar.len(), n);
}

#[test]
fn a_hundred_thousand_distinct_paths_on_one_site_keep_180() {
    // A million takes most of a minute at the test profile's opt-level; the heap is flat long
    // before 100,000, and benches/abuse.rs times calls on a site that has seen millions.
    let jar = Jar::default();
    let u = url("https://www.paths.example/");
    let curve = heap_curve(&jar, 100_000, |jar, i| {
        let h = format!("p=1; Path=/p{i}");
        set(jar, &u, &h, NOW + i as i64).unwrap();
    });
    assert!(jar.len() <= 180);
    assert_plateau(&curve, 16 << 10, "a million paths");
    // A lookup on one of the paths still finds its cookie among the survivors.
    let last = url("https://www.paths.example/p99999");
    assert_eq!(
        jar.cookie_header_at(&Request::new(&last), NOW + 100_000)
            .as_deref(),
        Some("p=1")
    );
}

#[test]
fn a_one_megabyte_header_is_refused_or_stored_small() {
    let jar = Jar::default();
    let u = url("https://www.big.example/");
    let mb = 1 << 20;
    let base = live_bytes();

    // A 1 MB value: refused outright (§5.6: name and value at most 4096 bytes).
    let h = format!("big={}", "v".repeat(mb));
    assert_eq!(
        set(&jar, &u, &h, NOW),
        Err(SetCookieError::Rejected(Rejection::Parse(
            ParseError::NameValueTooLong
        )))
    );
    drop(h);
    // A small cookie followed by 1 MB of attributes: stored, as small as its name and value.
    let h = format!("ok=1{}", "; Foo=bar".repeat(mb / 9));
    assert!(h.len() >= mb - 9);
    assert_eq!(set(&jar, &u, &h, NOW), Ok(SetOutcome::Stored));
    drop(h);
    // Attribute values over 1024 bytes are ignored (§5.6): a 1 MB Path or Domain is dropped.
    let h = format!("p=1; Path=/{}", "a".repeat(mb));
    assert_eq!(set(&jar, &u, &h, NOW), Ok(SetOutcome::Stored));
    drop(h);
    assert_eq!(
        jar.get_at("www.big.example", "/", "p", NOW).unwrap().path,
        "/"
    );
    let h = format!("d=1; Domain={}.big.example", "x".repeat(mb));
    assert_eq!(set(&jar, &u, &h, NOW), Ok(SetOutcome::Stored));
    drop(h);
    assert!(
        jar.get_at("www.big.example", "/", "d", NOW)
            .unwrap()
            .host_only
    );
    // 1 MB of control characters, and of separators only.
    let h = "\u{1}".repeat(mb);
    assert!(set(&jar, &u, &h, NOW).is_err());
    drop(h);
    let h = ";".repeat(mb);
    assert!(set(&jar, &u, &h, NOW).is_err());
    drop(h);

    assert_eq!(jar.len(), 3);
    let held = live_bytes() - base;
    eprintln!("after 1 MB headers: {held} bytes held");
    assert!(held < 64 << 10, "{held} bytes held for three tiny cookies");
}

#[test]
fn a_one_megabyte_request_url_stores_and_looks_up_within_bounds() {
    let jar = Jar::default();
    let long_path = format!("/{}/x", "a".repeat(1 << 20));
    let u = url(&format!("https://www.big.example{long_path}"));
    // The default path would be the whole directory: longer than any field may be.
    assert_eq!(
        set(&jar, &u, "x=1", NOW),
        Err(SetCookieError::Rejected(Rejection::FieldTooLong))
    );
    set(&jar, &u, "root=1; Path=/", NOW).unwrap();
    assert_eq!(
        jar.cookie_header_at(&Request::new(&u), NOW).as_deref(),
        Some("root=1")
    );
}

#[test]
fn thousands_of_path_segments_are_refused_or_matched_per_cookie() {
    let jar = Jar::default();
    let base = url("https://www.deep.example/");
    // A path of 5,000 segments is over 1024 bytes: as an attribute it is ignored (the cookie
    // gets the default path), as the request's directory it is refused.
    let deep: String = "/a".repeat(5_000);
    assert_eq!(
        set(&jar, &base, &format!("attr=1; Path={deep}"), NOW),
        Ok(SetOutcome::Stored)
    );
    assert_eq!(
        jar.get_at("www.deep.example", "/", "attr", NOW)
            .unwrap()
            .path,
        "/"
    );
    let deep_url = url(&format!("https://www.deep.example{deep}/page"));
    assert_eq!(
        set(&jar, &deep_url, "dir=1", NOW),
        Err(SetCookieError::Rejected(Rejection::FieldTooLong))
    );
    // The deepest path a cookie can have, 512 segments in 1024 bytes, is kept and matched.
    let deepest: String = "/a".repeat(512);
    for i in 0..200 {
        let p = &deepest[..2 * (i + 312)];
        set(&jar, &base, &format!("d{i}=1; Path={p}"), NOW).unwrap();
    }
    assert!(jar.len() <= 180);
    let header = jar.cookie_header_at(&Request::new(&deep_url), NOW).unwrap();
    // Every stored cookie's path is a prefix of the request path on a segment boundary.
    assert_eq!(header.split("; ").count(), jar.len());
}

#[test]
fn ten_thousand_domain_attributes_in_one_header_count_once() {
    let jar = Jar::default();
    let u = url("https://www.many.example/");
    // The last Domain attribute wins (§5.6.3); the others are read and forgotten.
    let mut h = String::from("id=1");
    for i in 0..10_000 {
        h.push_str(&format!("; Domain=d{i}.nowhere.example"));
    }
    h.push_str("; Domain=many.example");
    assert_eq!(set(&jar, &u, &h, NOW), Ok(SetOutcome::Stored));
    let c = jar.get_at("many.example", "/", "id", NOW).unwrap();
    assert!(!c.host_only);
    // Ending on a bad one refuses the cookie, whatever came before.
    h.push_str("; Domain=com");
    assert_eq!(
        set(&jar, &u, &h, NOW),
        Err(SetCookieError::Rejected(Rejection::DomainMismatch))
    );
    assert_eq!(jar.len(), 1);
}

/// Throws `n` unclassified cookies with distinct names of about 4,000 bytes at one site;
/// returns the heap curve.
fn long_names(jar: &Jar, n: usize) -> Vec<(usize, isize)> {
    let u = url("https://www.names.example/");
    let pad = "n".repeat(4000);
    heap_curve(jar, n, |jar, i| {
        let h = format!("{pad}{i:05}=1");
        set(jar, &u, &h, NOW + i as i64).unwrap();
    })
}

#[test]
fn long_distinct_names_fill_the_unclassified_report_only_to_its_cap() {
    // Every distinct unclassified (name, domain) is remembered for the operator, up to 10,000
    // of them, even after the cookie itself is evicted. With names near the 4096-byte limit,
    // that report is the largest thing a server can make the jar keep: this measures it.
    let jar = Jar::default();
    let curve = long_names(&jar, 12_500);
    assert!(jar.len() <= 180);
    assert!(jar.unclassified_report().len() <= 10_000);
    let held = curve[curve.len() - 1].1;
    eprintln!("10,000 long unclassified names: heap {held} bytes; curve {curve:?}");
    // Bounded: the samples at 10,000 and 12,500 names are the same. The report keeps each name
    // once and at most 1 MiB of names in all; the test below holds it to the cookie limits.
    assert_plateau(&curve[3..], 64 << 10, "long names past the cap");
    assert!(held < 96 * MIB, "{held} bytes");
}

#[test]
fn the_unclassified_report_holds_no_more_than_the_cookie_limits_allow() {
    let jar = Jar::default();
    let curve = long_names(&jar, 10_000);
    let held = curve[curve.len() - 1].1;
    // 3300 cookies of 4 KiB: what the jar's own limits allow a server to make it hold.
    assert!(
        held < 3300 * 4096,
        "{held} bytes held after 10,000 long names"
    );
}

#[test]
fn imports_are_held_to_the_same_limits() {
    let jar = Jar::default();
    for i in 0..20_000 {
        let mut c = cookiejar::Cookie::new(format!("n{i}"), "1", "www.imp.example", "/");
        c.expires = Some(NOW + 86_400_000);
        let _ = jar.insert_at(&c, NOW + i);
        let mut c = cookiejar::Cookie::new("x", "1", format!("s{i}.example"), "/");
        c.expires = Some(NOW + 86_400_000);
        let _ = jar.insert_at(&c, NOW + i);
    }
    assert!(jar.len() <= 3300);
    assert!(count_site(&jar, "imp.example", NOW) <= 180);
}

#[test]
fn the_c_abi_refuses_a_megabyte_header_without_panicking() {
    use cookiejar::ffi::*;
    let mut jar = std::ptr::null_mut();
    // SAFETY: the out-parameter is a valid pointer to a local.
    assert_eq!(unsafe { cj_jar_new(&mut jar) }, cj_status::CJ_STATUS_OK);
    let u = CString::new("https://www.c.example/").unwrap();
    let big = CString::new(format!("big={}", "v".repeat(1 << 20))).unwrap();
    // SAFETY: a live handle and NUL-terminated strings that outlive the call.
    let status = unsafe { cj_jar_set_cookie(jar, u.as_ptr(), big.as_ptr(), now_ms()) };
    assert_ne!(status, cj_status::CJ_STATUS_OK);
    assert_ne!(status, cj_status::CJ_STATUS_PANIC);
    let mut n = usize::MAX;
    // SAFETY: as above.
    assert_eq!(unsafe { cj_jar_len(jar, &mut n) }, cj_status::CJ_STATUS_OK);
    assert_eq!(n, 0);
    // SAFETY: the handle came from cj_jar_new and is not used again.
    unsafe { cj_jar_free(jar) };
}
