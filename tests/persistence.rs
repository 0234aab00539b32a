//! The file-backed jar: round trips, recovery from damage, failures, compaction, the file's
//! mode and lock. (Killing a writer with SIGKILL is in `tests/crash.rs`.)

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use cookiejar::store::storage::{Fault, FaultyStorage, MemStorage};
use cookiejar::{Durability, Jar, JarOptions, Request, SetCookieError, StoreError, Url};

const NOW: i64 = 1_750_000_000_000;

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!(
            "cookiejar-{tag}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn set(jar: &Jar, u: &str, h: &str, now: i64) -> Result<cookiejar::SetOutcome, SetCookieError> {
    jar.set_cookie_at(h, &Request::new(&url(u)), now)
}

/// A realistic mix: hosts, domains, paths, flags, expiry, session cookies, partitions.
fn populate(jar: &Jar, n: usize) {
    for i in 0..n {
        let site = i % 97;
        let u = format!("https://www{}.site{site}.example/app/page", i % 3);
        let h = match i % 6 {
            0 => format!("sid{i}=v{i}; Secure; HttpOnly; Max-Age=86400"),
            1 => format!("pref{i}=dark-{i}; Domain=site{site}.example; Path=/; Max-Age=999999"),
            2 => format!("_ga{i}=GA1.2.{i}; Domain=site{site}.example; Expires=Wed, 01 Jan 2031 00:00:00 GMT"),
            3 => format!("s{i}=session-{i}"),
            4 => format!("__Host-p{i}=x; Secure; Path=/; SameSite=None; Partitioned; Max-Age=5000"),
            _ => format!("deep{i}={i}; Path=/app; SameSite=Strict; Priority=High; Max-Age=3600"),
        };
        set(jar, &u, &h, NOW + i as i64).unwrap();
    }
}

fn snapshot(jar: &Jar, now: i64) -> Vec<(String, String, String, String, Option<i64>, bool)> {
    jar.cookies_at(now)
        .into_iter()
        .map(|c| (c.domain, c.path, c.name, c.value, c.expires, c.secure))
        .collect()
}

/// Compares two snapshots, reporting the first difference rather than both lists.
fn assert_same<T: PartialEq + std::fmt::Debug>(got: &[T], want: &[T]) {
    assert_eq!(got.len(), want.len(), "different numbers of cookies");
    if let Some(i) = (0..got.len()).find(|&i| got[i] != want[i]) {
        panic!("cookie {i} differs: got {:?}, want {:?}", got[i], want[i]);
    }
}

fn options() -> JarOptions {
    JarOptions::default()
        .max_cookies(100_000)
        .max_cookies_per_site(10_000)
}

#[test]
fn what_the_jar_answers_before_close_it_answers_after_reopen() {
    let dir = TempDir::new("roundtrip");
    let path = dir.file("jar");
    let sessions = JarOptions::default()
        .max_cookies(100_000)
        .max_cookies_per_site(10_000)
        .persist_session_cookies(true);
    let jar = Jar::open_at(&path, sessions.clone(), NOW).unwrap();
    populate(&jar, 3000);
    let before = snapshot(&jar, NOW + 10_000);
    let urls: Vec<Url> = (0..97)
        .map(|s| url(&format!("https://www1.site{s}.example/app/x")))
        .collect();
    let headers: Vec<_> = urls
        .iter()
        .map(|u| jar.cookie_header_at(&Request::new(u), NOW + 10_000))
        .collect();
    jar.flush().unwrap();
    drop(jar);

    let jar = Jar::open_at(&path, sessions, NOW + 10_000).unwrap();
    assert_eq!(jar.open_report().records, 3000);
    assert!(!jar.open_report().lost_anything());
    assert_same(&snapshot(&jar, NOW + 10_000), &before);
    let after: Vec<_> = urls
        .iter()
        .map(|u| jar.cookie_header_at(&Request::new(u), NOW + 10_000))
        .collect();
    assert_eq!(after, headers);
}

/// Hosts for the site-by-site test: ordinary sites, sites that share their last two labels
/// (and so one group in the file, see `State::cold` in src/jar.rs) under `co.uk` and a
/// private suffix, an IP literal, and a name with a trailing dot.
const HOSTS: [&str; 8] = [
    "https://www.alpha.example/",
    "https://shop.beta.example/",
    "https://www.one.co.uk/",
    "https://www.two.co.uk/",
    "https://me.github.io/",
    "https://you.github.io/",
    "http://127.0.0.1/",
    "https://www.gamma.example./",
];

/// A file with every kind of history: cookies stored, replaced, deleted, expiring, session.
fn history(path: &Path) -> Jar {
    let jar = Jar::open_at(path, options(), NOW).unwrap();
    for (h, host) in HOSTS.iter().enumerate() {
        for i in 0..12 {
            let attrs = match i % 4 {
                0 => "; Max-Age=100000",
                1 => "; Path=/; Max-Age=50",
                2 => "; Expires=Wed, 01 Jan 2031 00:00:00 GMT",
                _ => "",
            };
            set(&jar, host, &format!("c{i}=h{h}v{i}{attrs}"), NOW + i).unwrap();
        }
    }
    // A second pass, so that each site's records lie in two runs of the log (an open files
    // a run of one site's records at once, and must join the runs).
    for host in HOSTS {
        set(&jar, host, "c0=replaced; Max-Age=100000", NOW + 20).unwrap();
        set(&jar, host, "c4=; Max-Age=0", NOW + 21).unwrap();
    }
    jar
}

#[test]
fn a_reopened_jar_answers_site_by_site_as_it_would_whole() {
    // A reopened jar reads a site's cookies from the file when the site is first used. Used
    // site by site, in any order, it must answer exactly as when everything is read at once:
    // the same cookies, the same expiry as of the open, the same report.
    let dir = TempDir::new("by-site");
    let path = dir.file("jar");
    // After the 50-second cookies expired.
    let later = NOW + 60_000;
    let headers = |jar: &Jar| -> Vec<Option<String>> {
        HOSTS
            .iter()
            .map(|h| jar.cookie_header_at(&Request::new(&url(h)), later))
            .collect()
    };
    let fresh_history = || {
        let _ = fs::remove_file(&path);
        let jar = history(&path);
        let h = headers(&jar);
        drop(jar);
        h
    };

    // Everything at once: the report reads every cookie first.
    let writer = fresh_history();
    let jar = Jar::open_at(&path, options(), later).unwrap();
    let whole_report = jar.open_report();
    let whole = snapshot(&jar, later);
    let whole_headers = headers(&jar);
    drop(jar);
    // Per host, 12 cookies less the deleted one: three expired after 50 s (dropped on open),
    // three were session cookies (never written).
    assert_eq!(
        whole_report.expired,
        3 * HOSTS.len() as u64,
        "{whole_report:?}"
    );
    assert_eq!(whole.len(), HOSTS.len() * 5);
    // What the writer sent, less its session cookies (`cN` with N = 3 mod 4).
    let without_sessions: Vec<Option<String>> = writer
        .iter()
        .map(|h| {
            h.as_ref().map(|h| {
                h.split("; ")
                    .filter(|p| {
                        let n: usize = p[1..p.find('=').unwrap()].parse().unwrap();
                        n % 4 != 3
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        })
        .collect();
    assert_eq!(whole_headers, without_sessions);

    // Site by site, backwards, then everything.
    fresh_history();
    let jar = Jar::open_at(&path, options(), later).unwrap();
    for (h, host) in HOSTS.iter().enumerate().rev() {
        let got = jar.cookie_header_at(&Request::new(&url(host)), later);
        assert_eq!(got, whole_headers[h], "{host}");
    }
    assert_same(&snapshot(&jar, later), &whole);
    assert_eq!(jar.open_report(), whole_report);
    drop(jar);
    // The expired cookies were deleted from the file as their sites were read.
    let jar = Jar::open_at(&path, options(), later).unwrap();
    assert_eq!(jar.open_report().expired, 0);
    assert_same(&snapshot(&jar, later), &whole);
    drop(jar);

    // A lower per-site limit at reopen evicts the same cookies either way.
    let tight = options().max_cookies_per_site(3);
    fresh_history();
    let jar = Jar::open_at(&path, tight.clone(), later).unwrap();
    for host in HOSTS.iter().rev() {
        let u = url(host);
        let domain = u.host_str().unwrap().trim_end_matches('.');
        // `get_at` reads the site without touching last-access times.
        let _ = jar.get_at(domain, "/", "c0", later);
    }
    let by_site = snapshot(&jar, later);
    let by_site_report = jar.open_report();
    drop(jar);
    fresh_history();
    let jar = Jar::open_at(&path, tight, later).unwrap();
    assert!(jar.len() <= 3 * HOSTS.len());
    assert_same(&snapshot(&jar, later), &by_site);
    assert_eq!(jar.open_report(), by_site_report);
    assert!(by_site_report.evicted > 0, "{by_site_report:?}");
}

#[test]
fn cookies_left_in_the_file_count_toward_the_jars_limit() {
    let dir = TempDir::new("cold-limit");
    let path = dir.file("jar");
    drop(history(&path));
    let n = Jar::open_at(&path, options(), NOW).unwrap().len();
    // Room for two more: new cookies on a new site must evict across every site, including
    // those whose cookies are still in the file.
    let jar = Jar::open_at(&path, options().max_cookies(n + 2), NOW).unwrap();
    for i in 0..10 {
        set(
            &jar,
            "https://fresh.example/",
            &format!("f{i}=1; Max-Age=1000"),
            NOW + 100 + i,
        )
        .unwrap();
    }
    assert!(jar.len() <= n + 2, "{} cookies", jar.len());
    // And a jar opened under a limit lower than the file holds is brought within it.
    let jar2_path = dir.file("jar2");
    drop(history(&jar2_path));
    let jar = Jar::open_at(&jar2_path, options().max_cookies(20), NOW).unwrap();
    assert!(jar.len() <= 20);
    assert!(jar.open_report().evicted > 0);
}

#[test]
fn session_cookies_are_not_persisted_unless_asked_and_expired_ones_are_dropped() {
    let dir = TempDir::new("sessions");
    let path = dir.file("jar");
    let jar = Jar::open_at(&path, options(), NOW).unwrap();
    set(&jar, "https://a.example/", "session=1", NOW).unwrap();
    set(&jar, "https://a.example/", "short=1; Max-Age=10", NOW).unwrap();
    set(&jar, "https://a.example/", "long=1; Max-Age=100000", NOW).unwrap();
    // A persisted cookie replaced by a session one must not come back from the file.
    set(&jar, "https://a.example/", "flip=1; Max-Age=100000", NOW).unwrap();
    set(&jar, "https://a.example/", "flip=2", NOW).unwrap();
    drop(jar);
    let jar = Jar::open_at(&path, options(), NOW + 60_000).unwrap();
    let names: Vec<String> = jar
        .cookies_at(NOW + 60_000)
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, vec!["long".to_string()]);
    assert_eq!(jar.open_report().expired, 1);
}

#[test]
fn deletions_evictions_and_clears_persist() {
    let dir = TempDir::new("deletes");
    let path = dir.file("jar");
    let opts = JarOptions::default().max_cookies_per_site(12);
    let jar = Jar::open_at(&path, opts.clone(), NOW).unwrap();
    for i in 0..40 {
        set(
            &jar,
            "https://a.example/",
            &format!("c{i}=1; Max-Age=1000"),
            NOW + i,
        )
        .unwrap();
    }
    set(&jar, "https://b.example/", "keep=1; Max-Age=1000", NOW).unwrap();
    set(&jar, "https://b.example/", "gone=1; Max-Age=1000", NOW).unwrap();
    set(&jar, "https://b.example/", "gone=; Max-Age=0", NOW).unwrap();
    set(&jar, "https://c.example/", "x=1; Max-Age=1000", NOW).unwrap();
    assert_eq!(jar.clear_domain("c.example"), Ok(1));
    let before = snapshot(&jar, NOW + 100);
    assert!(before.len() <= 13);
    drop(jar);
    let jar = Jar::open_at(&path, opts.clone(), NOW + 100).unwrap();
    assert_same(&snapshot(&jar, NOW + 100), &before);
    jar.clear().unwrap();
    drop(jar);
    let jar = Jar::open_at(&path, opts, NOW + 100).unwrap();
    assert!(jar.is_empty());
}

#[test]
fn the_file_is_private_and_locked() {
    let dir = TempDir::new("mode");
    let path = dir.file("jar");
    let jar = Jar::open_at(&path, options(), NOW).unwrap();
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let err = Jar::open_at(&path, options(), NOW).unwrap_err();
    assert_eq!(err, StoreError::Locked);
    assert!(err.to_string().contains("locked"));
    drop(jar);
    Jar::open_at(&path, options(), NOW).unwrap();
}

#[test]
fn symlinks_are_not_followed() {
    let dir = TempDir::new("symlink");
    let target = dir.file("elsewhere");
    fs::write(&target, b"precious").unwrap();
    let link = dir.file("jar");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert_eq!(
        Jar::open_at(&link, options(), NOW).unwrap_err(),
        StoreError::NotAFile
    );
    assert_eq!(fs::read(&target).unwrap(), b"precious");
}

#[test]
fn foreign_and_future_files_are_refused_and_left_untouched() {
    let dir = TempDir::new("foreign");
    let path = dir.file("cookies.txt");
    fs::write(&path, b"# Netscape HTTP Cookie File\n").unwrap();
    assert_eq!(
        Jar::open_at(&path, options(), NOW).unwrap_err(),
        StoreError::NotAJarFile
    );
    assert_eq!(fs::read(&path).unwrap(), b"# Netscape HTTP Cookie File\n");

    // A valid file, with its major version bumped to 2 (and its checksum redone).
    let path = dir.file("future");
    drop(Jar::open_at(&path, options(), NOW).unwrap());
    let mut bytes = fs::read(&path).unwrap();
    bytes[8] = 2;
    let sum = crc32(&bytes[..60]);
    bytes[60..64].copy_from_slice(&sum.to_le_bytes());
    fs::write(&path, &bytes).unwrap();
    let err = Jar::open_at(&path, options(), NOW).unwrap_err();
    assert_eq!(err, StoreError::UnsupportedVersion { major: 2 });
    assert_eq!(fs::read(&path).unwrap(), bytes);

    // A header whose checksum fails.
    bytes[8] = 1;
    fs::write(&path, &bytes).unwrap();
    assert_eq!(
        Jar::open_at(&path, options(), NOW).unwrap_err(),
        StoreError::CorruptHeader
    );
}

/// CRC-32 (IEEE), bitwise: the test's own implementation, independent of the library's.
fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
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

/// A small file's bytes (header + records, trailing zeros cut) and the cookies in it.
fn small_file() -> (Vec<u8>, usize) {
    let storage = FaultyStorage::new(MemStorage::new());
    let jar = Jar::open_storage_at(Box::new(storage.clone()), options(), NOW).unwrap();
    for i in 0..12 {
        set(
            &jar,
            "https://a.example/",
            &format!("c{i}=value-{i}; Max-Age=1000"),
            NOW,
        )
        .unwrap();
    }
    let mut bytes = storage.snapshot();
    let end = bytes.iter().rposition(|&b| b != 0).unwrap() + 1;
    bytes.truncate(end);
    (bytes, 12)
}

/// Where each frame of a log ends, read with the documented framing (docs/file-format.md):
/// a little-endian word whose low 24 bits are the payload length, a checksum, the payload.
fn frame_ends(bytes: &[u8]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut pos = 64;
    while pos + 8 <= bytes.len() {
        let word0 = u32::from_le_bytes(bytes[pos..pos + 4].try_into().unwrap());
        if word0 == 0 {
            break;
        }
        assert_eq!(word0 >> 24, 0xA5, "frame marker");
        pos += 8 + (word0 & 0x00FF_FFFF) as usize;
        ends.push(pos);
    }
    ends
}

#[test]
fn truncation_at_every_offset_keeps_every_intact_record() {
    let (bytes, n) = small_file();
    let ends = frame_ends(&bytes);
    assert_eq!(ends.len(), n);
    for cut in 0..=bytes.len() {
        let storage = MemStorage::from_bytes(bytes[..cut].to_vec());
        match Jar::open_storage_at(Box::new(storage), options(), NOW) {
            Ok(jar) => {
                let intact = ends.iter().filter(|&&e| e <= cut).count();
                assert_eq!(jar.len(), intact, "cut at {cut}");
                let torn = cut > 64 && !ends.contains(&cut);
                assert_eq!(jar.open_report().lost_anything(), torn, "cut at {cut}");
                for c in jar.cookies_at(NOW) {
                    assert!(c.value.starts_with("value-"), "{c:?}");
                }
            }
            // Only an empty file is new; a cut inside the header is a corrupt header.
            Err(e) => {
                assert!(cut > 0 && cut < 64, "cut at {cut} refused: {e}");
                assert!(matches!(e, StoreError::CorruptHeader), "cut at {cut}: {e}");
            }
        }
    }
}

#[test]
fn bit_flips_lose_only_the_damaged_records() {
    let (bytes, n) = small_file();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for _ in 0..500 {
        let mut damaged = bytes.clone();
        let flips = 1 + next() % 3;
        for _ in 0..flips {
            let at = 64 + (next() as usize % (damaged.len() - 64));
            damaged[at] ^= 1 << (next() % 8);
        }
        let jar = Jar::open_storage_at(Box::new(MemStorage::from_bytes(damaged)), options(), NOW)
            .expect("a damaged log still opens");
        // Each flip damages at most one record (or the record after a damaged length).
        assert!(jar.len() + 2 * flips as usize >= n, "{} of {n}", jar.len());
        for c in jar.cookies_at(NOW) {
            assert!(
                c.value.starts_with("value-") && c.name.starts_with('c'),
                "{c:?}"
            );
        }
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    for round in 0..300 {
        let len = (round * 37) % 3000;
        let mut bytes: Vec<u8> = (0..len)
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                rng as u8
            })
            .collect();
        if round % 2 == 0 && bytes.len() >= 64 {
            // A valid header in front, so the log scanner gets the garbage.
            let (good, _) = small_file();
            bytes[..64].copy_from_slice(&good[..64]);
        }
        let _ = Jar::open_storage_at(Box::new(MemStorage::from_bytes(bytes)), options(), NOW);
    }
}

#[test]
fn a_failed_write_poisons_the_jar_and_loses_nothing_acknowledged() {
    let storage = FaultyStorage::new(MemStorage::new());
    let jar = Jar::open_storage_at(Box::new(storage.clone()), options(), NOW).unwrap();
    set(&jar, "https://a.example/", "ok=1; Max-Age=1000", NOW).unwrap();
    storage.fail_after(Fault::Write, 0);
    let err = set(&jar, "https://a.example/", "lost=1; Max-Age=1000", NOW).unwrap_err();
    assert!(
        matches!(err, SetCookieError::Storage(StoreError::Io { .. })),
        "{err:?}"
    );
    // Not applied in memory either.
    assert!(jar.get_at("a.example", "/", "lost", NOW).is_none());
    storage.heal();
    // Poisoned: later changes fail and say why, even though the storage works again.
    let err = set(&jar, "https://a.example/", "later=1; Max-Age=1000", NOW).unwrap_err();
    assert!(
        matches!(err, SetCookieError::Storage(StoreError::Poisoned(_))),
        "{err:?}"
    );
    assert!(err.to_string().contains("injected"), "{err}");
    assert!(matches!(
        jar.remove("a.example", "/", "ok"),
        Err(StoreError::Poisoned(_))
    ));
    assert!(jar.flush().is_err());
    // Reads still work, and a reopen sees exactly what was acknowledged.
    assert_eq!(
        jar.cookie_header_at(&Request::new(&url("https://a.example/")), NOW),
        Some("ok=1".into())
    );
    let bytes = storage.snapshot();
    drop(jar);
    let jar =
        Jar::open_storage_at(Box::new(MemStorage::from_bytes(bytes)), options(), NOW).unwrap();
    assert_eq!(jar.len(), 1);
}

#[test]
fn failed_growth_and_sync_are_reported() {
    let storage = FaultyStorage::new(MemStorage::new());
    let jar = Jar::open_storage_at(
        Box::new(storage.clone()),
        options().durability(Durability::Sync),
        NOW,
    )
    .unwrap();
    set(&jar, "https://a.example/", "a=1; Max-Age=1000", NOW).unwrap();
    storage.fail_after(Fault::Sync, 0);
    assert!(set(&jar, "https://a.example/", "b=1; Max-Age=1000", NOW).is_err());

    let storage = FaultyStorage::new(MemStorage::new());
    let jar = Jar::open_storage_at(Box::new(storage.clone()), options(), NOW).unwrap();
    storage.fail_after(Fault::Grow, 0);
    let big = "v".repeat(4000);
    let mut failed = false;
    for i in 0..400 {
        if set(
            &jar,
            "https://a.example/",
            &format!("c{i}={big}; Max-Age=1000"),
            NOW,
        )
        .is_err()
        {
            failed = true;
            break;
        }
    }
    assert!(failed, "growing past the first chunk must fail");
}

#[test]
fn compaction_under_churn_keeps_the_file_bounded_and_the_contents_identical() {
    let dir = TempDir::new("churn");
    let path = dir.file("jar");
    let opts = JarOptions::default()
        .max_cookies(5000)
        .max_cookies_per_site(5000);
    let jar = Jar::open_at(&path, opts.clone(), NOW).unwrap();
    let mut largest = 0;
    for i in 0..200_000i64 {
        let k = i % 1000;
        let h = format!("c{k}=value-{i}-abcdefghijklmnop; Path=/; Max-Age=100000");
        set(&jar, "https://www.churn.example/", &h, NOW + i).unwrap();
        if i % 5000 == 0 {
            largest = largest.max(fs::metadata(&path).unwrap().len());
        }
    }
    let size = fs::metadata(&path).unwrap().len();
    largest = largest.max(size);
    // Twice the live records (~60 KB) plus 4 MiB of dead ones, plus the growth chunk.
    assert!(largest <= 6 << 20, "the file reached {largest} bytes");
    let before = snapshot(&jar, NOW + 300_000);
    assert_eq!(before.len(), 1000);
    drop(jar);
    let jar = Jar::open_at(&path, opts, NOW + 300_000).unwrap();
    assert_same(&snapshot(&jar, NOW + 300_000), &before);
    assert!(!Path::new(&format!("{}.compacting", path.display())).exists());
}

/// The user's consent and the operator's rules are part of the file: a reopened jar enforces
/// what was decided before, and neither compaction nor `clear` forgets it.
#[test]
fn consent_and_rules_survive_reopen_compaction_and_clear() {
    use cookiejar::{Category, CategorySet, Decision, Profile, Rule, UnclassifiedPolicy};
    let dir = TempDir::new("consent-persist");
    let path = dir.file("jar");
    let site = "https://www.portal.example/";
    {
        let jar = Jar::open_at(&path, JarOptions::default(), NOW).unwrap();
        jar.add_rule(Rule::exact("portal_pref", Category::Preferences))
            .unwrap();
        jar.load_policy("name,category\nportal_stats,statistics\n")
            .unwrap();
        jar.set_consent_granted(None, CategorySet::single(Category::Preferences), NOW)
            .unwrap();
        jar.set_decision(
            Some("news.example"),
            Category::Marketing,
            Decision::Granted,
            NOW,
        )
        .unwrap();
        jar.set_gpc(true, NOW + 5).unwrap();
        jar.set_profile(Profile::Cnil).unwrap();
        jar.set_unclassified_policy(UnclassifiedPolicy::Reject)
            .unwrap();
        set(&jar, site, "portal_pref=1; Max-Age=86400", NOW).unwrap();
    }
    let check = |jar: &Jar, when: &str| {
        let c = jar.consent();
        assert!(c.is_enforcing(), "{when}");
        assert_eq!(c.profile(), Profile::Cnil, "{when}");
        assert_eq!(
            c.unclassified_policy(),
            UnclassifiedPolicy::Reject,
            "{when}"
        );
        assert_eq!(c.gpc_since(), Some(NOW + 5), "{when}");
        assert_eq!(
            c.default_state().granted(),
            CategorySet::single(Category::Necessary) | Category::Preferences,
            "{when}"
        );
        assert_eq!(
            c.site_state("news.example").map(|s| s.marketing),
            Some(Decision::Granted),
            "{when}"
        );
        // The rules still classify: statistics is not granted, so the policy's cookie is
        // refused; an unknown cookie is rejected by the policy; the preference cookie is not.
        let u = url(site);
        assert!(jar
            .set_cookie_at("portal_stats=1; Max-Age=60", &Request::new(&u), NOW + 10)
            .is_err());
        assert!(jar
            .set_cookie_at("whatever=1; Max-Age=60", &Request::new(&u), NOW + 10)
            .is_err());
        set(jar, site, "portal_pref=2; Max-Age=86400", NOW + 10).unwrap();
    };
    let jar = Jar::open_at(&path, JarOptions::default(), NOW + 1).unwrap();
    check(&jar, "after reopen");
    assert_eq!(jar.open_report().invalid_records, 0);
    jar.clear().unwrap();
    drop(jar);
    let jar = Jar::open_at(&path, JarOptions::default(), NOW + 2).unwrap();
    check(&jar, "after clear and reopen");
    // Churn until the log is compacted, then reopen once more.
    for i in 0..40_000 {
        set(
            &jar,
            site,
            &format!("portal_pref={i}; Max-Age=86400"),
            NOW + 20,
        )
        .unwrap();
    }
    drop(jar);
    let jar = Jar::open_at(&path, JarOptions::default(), NOW + 3).unwrap();
    check(&jar, "after compaction and reopen");
    assert!(fs::metadata(&path).unwrap().len() < 4 << 20);
}
