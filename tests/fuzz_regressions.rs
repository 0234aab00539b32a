//! Every input the fuzz targets in fuzz/ found, replayed as an ordinary test (fuzz/README.md
//! tells which target found each one and how it was triaged).
//!
//! A test marked `#[ignore]` reproduces a bug that is not fixed yet; its reason says where.

use cookiejar::rfc::parse::parse_set_cookie;
use cookiejar::store::storage::{Fault, FaultyStorage, MemStorage};
use cookiejar::{Jar, JarOptions, Request, Url};

const NOW: i64 = 1_700_000_000_000;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

/// set_cookie_parse, input `foo=foo=b:ar; domain=.`: the parser gives an empty `Domain` (its
/// documentation said "non-empty"). Not a bug: RFC 6265bis §5.6.3 removes the leading dot and
/// keeps the empty value, and §5.7 then makes the cookie host-only, which the jar does. The
/// empty `Domain` also overrides an earlier one, as the last `Domain` attribute wins.
#[test]
fn a_domain_of_just_a_dot_makes_a_host_only_cookie() {
    let c = parse_set_cookie("foo=foo=b:ar; domain=.").unwrap();
    assert_eq!((c.name, c.value, c.domain), ("foo", "foo=b:ar", Some("")));
    let c = parse_set_cookie("a=1; Domain=example.com; Domain=.").unwrap();
    assert_eq!(c.domain, Some(""));

    let jar = Jar::new();
    let u = url("https://www.example.com/");
    jar.set_cookie_at("a=1; Domain=example.com; Domain=.", &Request::new(&u), NOW)
        .unwrap();
    let stored = jar.cookies_at(NOW);
    assert_eq!(stored.len(), 1);
    assert!(stored[0].host_only, "{:?}", stored[0]);
    assert_eq!(stored[0].domain, "www.example.com");
}

/// model, seed `clear-fault` (a `Rewrite` fault armed, then `clear`, then a `Set-Cookie`):
/// `Jar::clear` empties the jar in memory before it rewrites the file; when the rewrite fails,
/// the file still holds every cookie, yet the jar is not poisoned and goes on acknowledging
/// changes on top of a memory that disagrees with its file. A reopen brings the "cleared"
/// cookies back, beside the ones acknowledged since.
#[test]
fn a_failed_clear_leaves_memory_and_file_disagreeing() {
    let storage = FaultyStorage::new(MemStorage::new());
    let jar = Jar::open_storage_at(Box::new(storage.clone()), JarOptions::default(), NOW).unwrap();
    let u = url("https://example.com/a/");
    jar.set_cookie_at("a=1; Max-Age=3600", &Request::new(&u), NOW)
        .unwrap();
    storage.fail_after(Fault::Rewrite, 0);
    assert!(jar.clear().is_err(), "the injected failure is reported");
    storage.heal();
    let later = jar.set_cookie_at("b=1; Max-Age=3600", &Request::new(&u), NOW + 1000);
    let in_memory = jar.cookies_at(NOW + 1000);
    drop(jar);
    let reopened = Jar::open_storage_at(
        Box::new(MemStorage::from_bytes(storage.snapshot())),
        JarOptions::default(),
        NOW + 1000,
    )
    .unwrap();
    // The failed clear poisoned the jar: `b` was refused, memory kept `a`, and so does the
    // file.
    assert!(later.is_err(), "{later:?}");
    let names = |v: Vec<cookiejar::Cookie>| v.into_iter().map(|c| c.name).collect::<Vec<_>>();
    assert_eq!(names(in_memory), ["a"]);
    assert_eq!(names(reopened.cookies_at(NOW + 1000)), ["a"]);
}

/// CRC-32 (IEEE), bit by bit: the frame checksum of docs/file-format.md.
fn crc32(parts: &[&[u8]]) -> u32 {
    let mut c = !0u32;
    for &b in parts.iter().flat_map(|p| p.iter()) {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// Appends a frame holding `payload` (docs/file-format.md, "Frame": length and marker,
/// checksum, payload).
fn push_frame(file: &mut Vec<u8>, payload: &[u8]) {
    let word0 = (0xA5u32 << 24 | payload.len() as u32).to_le_bytes();
    file.extend_from_slice(&word0);
    file.extend_from_slice(&crc32(&[&word0, payload]).to_le_bytes());
    file.extend_from_slice(payload);
}

/// A bincode `standard()` varint of an `i64` (zig-zag, then 253 and eight bytes).
fn varint_i64(v: i64, out: &mut Vec<u8>) {
    let z = ((v << 1) ^ (v >> 63)) as u64;
    if z < 251 {
        out.push(z as u8);
    } else {
        out.push(253);
        out.extend_from_slice(&z.to_le_bytes());
    }
}

/// file_open, input `fuzz/regressions/file_open/far-expiry-saturates`: a record whose expiry
/// (seconds) is too large to be counted in milliseconds loads as `i64::MAX` ms; the rewrite
/// that the same open makes (here because of a damaged tail) stores it back as
/// `i64::MAX / 1000` seconds, so the next open gives another expiry (and the same for the
/// last-access time). Loading is not idempotent. Proposed fix in `Entry::from_record`
/// (src/jar.rs): clamp `expires_s` and `last_access_s` to `i64::MAX / 1000` before multiplying
/// (or refuse such records), so that every loaded time is a whole second that round-trips.
#[test]
fn a_far_expiry_read_from_a_file_survives_a_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("far.jar");
    drop(Jar::open_at(&path, JarOptions::default(), NOW).unwrap());
    let mut file = std::fs::read(&path).unwrap()[..64].to_vec();

    // Put { key: { "r", "example.org", "/", host-only, no partition }, "v", flags 0,
    //       created NOW, expires i64::MAX - 1 seconds, last access NOW/1000 }
    let mut payload = vec![0, 1, b'r', 11];
    payload.extend_from_slice(b"example.org");
    payload.extend_from_slice(&[1, b'/', 1, 0, 1, b'v', 0]);
    varint_i64(NOW, &mut payload);
    varint_i64(i64::MAX - 1, &mut payload);
    varint_i64(NOW / 1000, &mut payload);
    push_frame(&mut file, &payload);
    // A torn tail, so that the open rewrites the file.
    file.extend_from_slice(&[0xA5, 0xA5, 0xA5]);
    std::fs::write(&path, &file).unwrap();

    let first = Jar::open_at(&path, JarOptions::default(), NOW).unwrap();
    assert!(first.open_report().compacted);
    let loaded = first.cookies_at(NOW);
    assert_eq!(loaded.len(), 1);
    drop(first);
    let again = Jar::open_at(&path, JarOptions::default(), NOW).unwrap();
    assert_eq!(
        again.cookies_at(NOW),
        loaded,
        "the reopen changed the cookie"
    );
}

/// host_url, input `fuzz/regressions/host_url/empty-first-label-host`: the URL parser accepts
/// `https://.www.example.com/a/b`, whose host has an empty first label. It domain-matches
/// `example.com`, yet the jar sends it no `example.com` cookie. Not a bug, and the safe
/// choice: such a name has no registrable domain, so the jar treats it as a site of its own,
/// consistently when storing too (a `Domain=example.com` from it gives a host-only cookie).
#[test]
fn a_host_with_an_empty_label_is_a_site_of_its_own() {
    let jar = Jar::new();
    let www = url("https://www.example.com/a/b");
    jar.set_cookie_at("dom=1; Domain=example.com", &Request::new(&www), NOW)
        .unwrap();
    let odd = url("https://.www.example.com/a/b");
    assert_eq!(odd.host_str(), Some(".www.example.com"));
    assert_eq!(jar.cookie_header_at(&Request::new(&odd), NOW), None);
    assert_eq!(
        jar.cookie_header_at(&Request::new(&www), NOW).as_deref(),
        Some("dom=1")
    );
    jar.set_cookie_at("odd=1; Domain=example.com", &Request::new(&odd), NOW)
        .unwrap();
    let odd_cookie = jar
        .cookies_at(NOW)
        .into_iter()
        .find(|c| c.name == "odd")
        .unwrap();
    assert_eq!(odd_cookie.domain, ".www.example.com");
    assert!(odd_cookie.host_only, "{odd_cookie:?}");
    assert_eq!(
        jar.cookie_header_at(&Request::new(&www), NOW).as_deref(),
        Some("dom=1")
    );
}

/// model, input `fuzz/regressions/model/torn-frame-after-write-failure`: a write that fails
/// in the middle of appending a frame leaves its first bytes past the log end, so the next
/// open reports a dropped frame (and compacts). Not a bug: nothing acknowledged is lost, the
/// failed change is not applied, and the jar was poisoned in between.
#[test]
fn a_write_failing_mid_frame_loses_nothing_acknowledged() {
    let storage = FaultyStorage::new(MemStorage::new());
    let jar = Jar::open_storage_at(Box::new(storage.clone()), JarOptions::default(), NOW).unwrap();
    let u = url("https://example.com/");
    jar.set_cookie_at("a=1; Max-Age=3600", &Request::new(&u), NOW)
        .unwrap();
    // The checksum and payload are written, then the write of the frame's first word fails.
    storage.fail_after(Fault::Write, 1);
    assert!(jar
        .set_cookie_at("b=1; Max-Age=3600", &Request::new(&u), NOW)
        .is_err());
    let reopened = Jar::open_storage_at(
        Box::new(MemStorage::from_bytes(storage.snapshot())),
        JarOptions::default(),
        NOW,
    )
    .unwrap();
    assert_eq!(reopened.open_report().dropped_frames, 1);
    let names: Vec<String> = reopened
        .cookies_at(NOW)
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["a"]);
}

/// host_url, input `fuzz/regressions/host_url/registrable-domain-with-empty-labels`: a host
/// ending in `.vde...` has empty labels; the list's answer for it (`vde..`) is no registrable
/// domain, so such a host is a site of its own, as any name with an empty label is.
#[test]
fn a_host_with_empty_labels_has_no_registrable_domain() {
    use cookiejar::rfc::suffix::{builtin, registrable_domain};
    assert_eq!(registrable_domain(builtin(), "example.com.vde.."), None);
    assert_eq!(registrable_domain(builtin(), "a..example.com"), None);
    assert_eq!(
        registrable_domain(builtin(), "www.example.com"),
        Some("example.com")
    );
    let jar = Jar::new();
    if let Ok(odd) = Url::parse("https://example.com.vde../") {
        let _ = jar.set_cookie_at("a=1; Domain=vde..", &Request::new(&odd), NOW);
        let _ = jar.set_cookie_at("b=1", &Request::new(&odd), NOW);
        assert!(jar
            .cookies_at(NOW)
            .iter()
            .all(|c| c.host_only && c.domain == odd.host_str().unwrap_or_default()));
    }
}

/// model, input `fuzz/regressions/model/partitioned-insecure-reinsert`: once consent is
/// enforced, a third-party cookie is kept in the top-level site's partition even without
/// `Secure`; `insert_at` used to refuse exactly such a cookie, so what `cookies()` lists could
/// not be inserted again (an export/import round trip lost it).
#[test]
fn a_consent_partitioned_cookie_can_be_inserted_again() {
    use cookiejar::{Category, CategorySet};
    let jar = Jar::new();
    jar.set_consent_granted(None, CategorySet::single(Category::Marketing), NOW)
        .unwrap();
    let widget = url("http://widget.example.net/");
    let page = url("http://news.example.org/");
    jar.set_cookie_at(
        "w=1; SameSite=None",
        &Request::subresource_of(&widget, &page),
        NOW,
    )
    .ok();
    jar.set_cookie_at("w=1", &Request::new(&widget), NOW)
        .unwrap();
    let stored = jar.cookies_at(NOW);
    assert!(!stored.is_empty());
    let copy = Jar::new();
    for c in &stored {
        copy.insert_at(c, NOW).unwrap();
    }
    assert_eq!(copy.cookies_at(NOW), jar.cookies_at(NOW));
    // At least one kind of cookie the jar makes: a partition without Secure.
    let mut c = cookiejar::Cookie::new("p", "1", "widget.example.net", "/");
    c.partition = Some("example.org".into());
    copy.insert_at(&c, NOW).unwrap();
    assert!(copy
        .cookies_at(NOW)
        .iter()
        .any(|c| c.name == "p" && c.partition.as_deref() == Some("example.org")));
}

/// model, input `fuzz/regressions/model/torn-consent-change`: the first consent decision on a
/// file jar writes two records, the settings (consent now enforced) and the site's consent. A
/// write failing between them left a file that enforced consent with no decision for the site,
/// so the reopened jar purged a third-party cookie that both the old state (nothing enforced)
/// and the new one (the site's grant) keep. The site's record now goes first: every prefix of
/// the change is the old state or the new one.
#[test]
fn a_consent_change_cut_short_by_a_failed_write_is_all_or_nothing() {
    use cookiejar::{Category, CategorySet};
    let page = url("https://www.example.com/");
    let ad = url("https://ads.example.net/");
    let header = "b=v1; Secure; Partitioned; SameSite=None; Max-Age=3600";
    let grant = CategorySet::single(Category::Necessary).with(Category::Marketing);
    let names =
        |jar: &Jar| -> Vec<String> { jar.cookies_at(NOW).into_iter().map(|c| c.name).collect() };
    // Both the state before the change and the state after it keep the cookie.
    let whole = Jar::new();
    whole
        .set_cookie_at(header, &Request::subresource_of(&ad, &page), NOW)
        .unwrap();
    whole
        .set_consent_granted(Some("www.example.com"), grant, NOW)
        .unwrap();
    assert_eq!(names(&whole), ["b"]);
    // So does every file the change can leave behind when a write fails part way.
    let mut failures = 0;
    for budget in 0..16 {
        let storage = FaultyStorage::new(MemStorage::new());
        let jar =
            Jar::open_storage_at(Box::new(storage.clone()), JarOptions::default(), NOW).unwrap();
        jar.set_cookie_at(header, &Request::subresource_of(&ad, &page), NOW)
            .unwrap();
        storage.fail_after(Fault::Write, budget);
        if jar
            .set_consent_granted(Some("www.example.com"), grant, NOW)
            .is_ok()
        {
            break;
        }
        failures += 1;
        let reopened = Jar::open_storage_at(
            Box::new(MemStorage::from_bytes(storage.snapshot())),
            JarOptions::default(),
            NOW,
        )
        .unwrap();
        assert_eq!(
            names(&reopened),
            ["b"],
            "write failure after {budget} writes"
        );
    }
    assert!(failures >= 2, "the change writes at least two frames");
}

/// file_open, input `fuzz/regressions/file_open/invalid-record-read-lazily`: a `Put` whose
/// frame and checksum are valid but whose record is not one the jar keeps (here a domain
/// in capitals). A reopened jar reads a site's cookies only when the site is first used, so
/// such a record is found then, not on open; the jar must still rewrite the file without it
/// at once, as an open that meets one does, so that the next open finds a clean file.
#[test]
fn an_invalid_record_found_after_the_open_is_rewritten_away() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invalid.jar");
    drop(Jar::open_at(&path, JarOptions::default(), NOW).unwrap());
    let mut file = std::fs::read(&path).unwrap()[..64].to_vec();
    let mut frame = |name: &[u8], domain: &[u8]| {
        // Put { key: { name, domain, "/", host-only, no partition }, "1", flags 0, created
        //       NOW, expires an hour later, last access NOW/1000 }
        let mut payload = vec![0, name.len() as u8];
        payload.extend_from_slice(name);
        payload.push(domain.len() as u8);
        payload.extend_from_slice(domain);
        payload.extend_from_slice(&[1, b'/', 1, 0, 1, b'1', 0]);
        varint_i64(NOW, &mut payload);
        varint_i64(NOW / 1000 + 3600, &mut payload);
        varint_i64(NOW / 1000, &mut payload);
        push_frame(&mut file, &payload);
    };
    frame(b"sid", b"www.example.com");
    frame(b"bad", b"www.EXAMPLE.com");
    std::fs::write(&path, &file).unwrap();

    let first = Jar::open_at(&path, JarOptions::default(), NOW).unwrap();
    // Reading every cookie (as a lookup of its site would) meets the invalid record.
    let kept = first.cookies_at(NOW);
    assert_eq!(kept.len(), 1, "{kept:?}");
    drop(first);
    let again = Jar::open_at(&path, JarOptions::default(), NOW).unwrap();
    assert_eq!(again.cookies_at(NOW), kept);
    let report = again.open_report();
    assert_eq!(
        (report.invalid_records, report.compacted),
        (0, false),
        "{report:?}"
    );
}
