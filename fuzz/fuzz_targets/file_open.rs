//! The jar file loader (src/store/mod.rs recovery, src/jar.rs replay) on arbitrary bytes.
//!
//! The first byte chooses how the rest is laid out, so that the fuzzer reaches every layer:
//! raw bytes (the header checks), a valid header then raw bytes (the frame scanner), or a
//! valid header then frames the target checksums itself (the record decoder and the rules a
//! stored cookie must keep, which random bytes would almost never reach past the CRC).
//!
//! It checks the recovery contract of docs/file-format.md: opening never panics or hangs; a
//! file that opens, reopened, gives the same cookies with nothing more dropped; and the jar
//! stays within its limits.

#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use cookiejar::{Cookie, Jar, JarOptions};
use cookiejar_fuzz::{frame, valid_header, Volume};
use libfuzzer_sys::fuzz_target;

const NOW: i64 = 1_700_000_000_000;

fn header() -> &'static [u8] {
    static H: OnceLock<Vec<u8>> = OnceLock::new();
    H.get_or_init(valid_header)
}

fn layout(mode: u8, rest: &[u8]) -> Vec<u8> {
    match mode % 3 {
        0 => rest.to_vec(),
        1 => [header(), rest].concat(),
        _ => {
            // Frames: each a one-byte length then that many payload bytes. A zero length
            // copies the next byte raw (damage between frames).
            let mut out = header().to_vec();
            let mut r = rest;
            while let Some((&n, tail)) = r.split_first() {
                if n == 0 {
                    out.extend_from_slice(&tail[..tail.len().min(1)]);
                    r = &tail[tail.len().min(1)..];
                    continue;
                }
                let take = usize::from(n).min(tail.len());
                if take > 0 {
                    frame(&tail[..take], &mut out);
                }
                r = &tail[take..];
            }
            out
        }
    }
}

fn options(mode: u8) -> JarOptions {
    let o = JarOptions::default().persist_session_cookies(mode & 0x10 != 0);
    if mode & 0x20 != 0 {
        o.max_cookies_per_site(3).max_cookies(5)
    } else {
        o
    }
}

/// A bug this target found, now fixed (tests/fuzz_regressions.rs,
/// `a_far_expiry_read_from_a_file_survives_a_rewrite`); the switch stays for bisecting:
/// an expiry or last-access time in seconds too large for milliseconds saturates to
/// `i64::MAX` on load, and a rewrite stores that as `i64::MAX / 1000` seconds, so the next
/// load differed. When on, both loads are compared with such times clamped alike.
const FAR_TIME_BUG_OPEN: bool = false;

fn known_bugs(mut c: Cookie) -> Cookie {
    if FAR_TIME_BUG_OPEN {
        let top = i64::MAX / 1000 * 1000;
        c.expires = c.expires.map(|t| t.min(top));
        c.last_access = c.last_access.min(top);
    }
    c
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = layout(mode, rest);
    let volume = Volume::with_bytes(bytes);
    let Ok(jar) = Jar::open_storage_at(Box::new(volume.open()), options(mode), NOW) else {
        return;
    };
    let kept: Vec<Cookie> = jar.cookies_at(NOW).into_iter().map(known_bugs).collect();
    assert_eq!(kept.len(), jar.len(), "an expired cookie survived the open");
    let limit_all = if mode & 0x20 != 0 { 5 } else { 3300 };
    assert!(
        kept.len() <= limit_all,
        "{} cookies over the limit",
        kept.len()
    );
    if mode & 0x20 != 0 {
        let mut per_site: HashMap<String, usize> = HashMap::new();
        for c in &kept {
            let site = cookiejar::rfc::suffix::registrable_domain(
                cookiejar::rfc::suffix::builtin(),
                &c.domain,
            )
            .unwrap_or(&c.domain);
            *per_site.entry(site.to_owned()).or_default() += 1;
        }
        assert!(per_site.values().all(|&n| n <= 3), "{per_site:?}");
    }
    // Every kept cookie goes through the import path without panicking (its result is not
    // checked: the file format keeps fewer rules than a Set-Cookie must).
    let fresh = Jar::new();
    for c in &kept {
        let _ = fresh.insert_at(c, NOW);
    }
    drop(jar);

    // Reopen what the first open left at the path: the same cookies, nothing dropped.
    let again = Jar::open_storage_at(Box::new(volume.open()), options(mode), NOW)
        .expect("a file the jar wrote reopens");
    let again_kept: Vec<Cookie> = again.cookies_at(NOW).into_iter().map(known_bugs).collect();
    assert_eq!(again_kept, kept, "reopen changed the cookies");
    let report = again.open_report();
    assert!(
        !report.lost_anything(),
        "the rewritten file is damaged: {report:?}"
    );
    assert_eq!(report.invalid_records, 0, "{report:?}");
    assert_eq!((report.expired, report.evicted), (0, 0), "{report:?}");
});
