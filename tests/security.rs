//! The guarantees of `docs/security.md` that no other suite checked: the jar file's
//! companions (the compaction file) are never followed through a planted symlink and come out
//! private; a jar file is untrusted input, so a record no server could have produced is dropped
//! when it is read back.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use cookiejar::store::codec::{CookieKey, CookieRecord, Record, SESSION};
use cookiejar::store::storage::{FaultyStorage, MemStorage};
use cookiejar::store::{Durability, Store};
use cookiejar::{Jar, JarOptions, Request, StoreError, Url};

const NOW: i64 = 1_750_000_000_000;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn options() -> JarOptions {
    JarOptions::default().persist_session_cookies(true)
}

#[test]
fn compaction_does_not_follow_a_symlink_planted_at_its_companion_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.jar");
    let precious = dir.path().join("precious");
    fs::write(&precious, b"do not touch").unwrap();
    fs::set_permissions(&precious, fs::Permissions::from_mode(0o644)).unwrap();

    let jar = Jar::open_at(&path, options(), NOW).unwrap();
    let u = url("https://www.example.com/");
    jar.set_cookie_at("a=1; Max-Age=3600", &Request::new(&u), NOW)
        .unwrap();
    // Someone (as this user) plants a symlink where compaction writes its new file.
    std::os::unix::fs::symlink(&precious, dir.path().join("cookies.jar.compacting")).unwrap();
    // `clear` compacts a file jar: it writes the companion, fsyncs it and renames it over.
    jar.clear().unwrap();
    jar.set_cookie_at("b=2; Max-Age=3600", &Request::new(&u), NOW)
        .unwrap();
    drop(jar);

    assert_eq!(fs::read(&precious).unwrap(), b"do not touch");
    let mode = fs::metadata(&precious).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "the symlink's target had its mode changed");
    // The jar is a regular file of our own again, private, holding what it should.
    let meta = fs::symlink_metadata(&path).unwrap();
    assert!(meta.file_type().is_file());
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let jar = Jar::open_at(&path, options(), NOW).unwrap();
    assert_eq!(
        jar.cookie_header_at(&Request::new(&u), NOW).as_deref(),
        Some("b=2")
    );
}

#[test]
fn a_compacted_file_is_private_even_if_its_mode_was_loosened() {
    // The jar creates its file 0600, and leaves the mode of an existing file alone when it
    // opens it; a compaction writes a new file, which is 0600 again.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.jar");
    drop(Jar::open_at(&path, options(), NOW).unwrap());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let jar = Jar::open_at(&path, options(), NOW).unwrap();
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o644,
        "open leaves an existing file's mode alone"
    );
    jar.clear().unwrap();
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_directory_or_a_dangling_symlink_is_not_a_jar_file() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        Jar::open_at(dir.path(), options(), NOW).unwrap_err(),
        StoreError::NotAFile
    );
    // A symlink to a file that does not exist yet: following it would create the file at a
    // place of the link owner's choosing.
    let link = dir.path().join("link.jar");
    let target = dir.path().join("created-through-link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert_eq!(
        Jar::open_at(&link, options(), NOW).unwrap_err(),
        StoreError::NotAFile
    );
    assert!(!target.exists(), "the jar created a file through a symlink");
}

fn record(name: &str, domain: &str, host_only: bool, flags: u16) -> Record {
    Record::Put(CookieRecord {
        key: CookieKey {
            name: name.to_owned(),
            domain: domain.to_owned(),
            path: "/".to_owned(),
            host_only,
            partition: None,
        },
        value: "1".to_owned(),
        flags,
        created_ms: NOW,
        expires_s: SESSION,
        last_access_s: NOW / 1000,
    })
}

/// A jar file's bytes holding exactly `records`, written by the store itself (valid frames,
/// valid checksums): what a hostile or buggy writer could leave on disk.
fn file_with(records: &[Record]) -> Vec<u8> {
    let storage = FaultyStorage::new(MemStorage::new());
    let (mut store, _) = Store::open(
        Box::new(storage.clone()),
        Durability::Process,
        NOW,
        |_| 0,
        &mut |_| {},
    )
    .unwrap();
    for r in records {
        store.append(&r.as_ref()).unwrap();
    }
    drop(store);
    storage.snapshot()
}

fn open_bytes(bytes: Vec<u8>) -> Jar {
    Jar::open_storage_at(Box::new(MemStorage::from_bytes(bytes)), options(), NOW).unwrap()
}

#[test]
fn a_file_record_for_a_public_suffix_or_with_control_characters_is_dropped() {
    let bytes = file_with(&[
        record("ok", "example.com", false, 0),
        // Supercookies: a Domain cookie on a public suffix, ICANN and private sections.
        record("super", "com", false, 0),
        record("super", "co.uk", false, 0),
        record("super", "github.io", false, 0),
        // A control character would end a header line early (header injection).
        record("inject", "example.com", false, 0).map_name(|_| "x\r\nSet-Cookie: y".to_owned()),
        // Unknown flag bits.
        record("flags", "example.com", false, 1 << 15),
    ]);
    let jar = open_bytes(bytes);
    assert_eq!(
        jar.open_report().invalid_records,
        5,
        "{:?}",
        jar.open_report()
    );
    let names: Vec<String> = jar.cookies_at(NOW).into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["ok"]);
    // A host-only cookie for a host that is itself a public suffix is legitimate (§5.7 step 9).
    let jar = open_bytes(file_with(&[record("ps", "github.io", true, 0)]));
    assert_eq!(jar.len(), 1);
}

#[test]
fn a_file_record_breaking_the_prefix_or_secure_rules_is_dropped() {
    // flags: bit 0 Secure; bits 2-3 SameSite (1 = None).
    let bytes = file_with(&[
        record("__Host-id", "example.com", true, 0),
        record("__Secure-id", "example.com", true, 0),
        record("none", "example.com", true, 1 << 2),
    ]);
    let jar = open_bytes(bytes);
    let held: Vec<String> = jar.cookies_at(NOW).into_iter().map(|c| c.name).collect();
    assert!(held.is_empty(), "loaded from the file: {held:?}");
}

trait MapName {
    fn map_name(self, f: impl FnOnce(&str) -> String) -> Record;
}

impl MapName for Record {
    fn map_name(self, f: impl FnOnce(&str) -> String) -> Record {
        match self {
            Record::Put(mut r) => {
                r.key.name = f(&r.key.name);
                Record::Put(r)
            }
            other => other,
        }
    }
}
