//! A writer process killed with SIGKILL at random instants loses no acknowledged change.
//!
//! The test re-runs its own binary as a child (`CJ_CRASH_CHILD` names the jar file). The child
//! opens the file jar and, forever, stores or deletes cookies; after each call returns it prints
//! `ACK <i>` on stdout. The parent reads those lines, kills the child at a random moment with
//! SIGKILL, reopens the file and checks that every acknowledged change is there. The child
//! churns a few hundred names, so the file compacts many times along the way and kills land
//! during compactions too.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cookiejar::{Jar, JarOptions, Request, Url};

const NAMES: u64 = 300;
const NOW: i64 = 1_750_000_000_000;

fn options() -> JarOptions {
    JarOptions::default()
        .max_cookies_per_site(1000)
        .max_cookies(1000)
}

/// Change number `i`: stores `n<i % NAMES>=<i>…`, or, when `i % 7 == 3`, deletes that name.
fn header(i: u64) -> String {
    let n = i % NAMES;
    if i % 7 == 3 {
        format!("n{n}=; Max-Age=0")
    } else {
        format!("n{n}={i}-padding-to-make-records-realistic; Max-Age=100000")
    }
}

/// The state acknowledged changes `0..=last` leave for name `n`: `Some(i)` or deleted.
fn expected(n: u64, last: u64) -> Option<u64> {
    if n > last {
        return None;
    }
    // The latest change at or before `last` that touched `n`.
    let i = last - (last - n) % NAMES;
    (i % 7 != 3).then_some(i)
}

#[test]
fn crash_child() {
    // Only does something when started by `killed_writers_lose_no_acknowledged_change`.
    let Ok(path) = std::env::var("CJ_CRASH_CHILD") else {
        return;
    };
    let start: u64 = std::env::var("CJ_CRASH_START").unwrap().parse().unwrap();
    let jar = Jar::open_at(&path, options(), NOW).unwrap();
    let url = Url::parse("https://www.crash.example/").unwrap();
    let mut out = std::io::stdout().lock();
    for i in start.. {
        jar.set_cookie_at(&header(i), &Request::new(&url), NOW + i as i64)
            .unwrap();
        use std::io::Write;
        writeln!(out, "ACK {i}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn killed_writers_lose_no_acknowledged_change() {
    let dir = std::env::temp_dir().join(format!("cookiejar-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("jar");
    let exe = std::env::current_exe().unwrap();
    let mut rng = 0x0123_4567_89AB_CDEFu64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let rounds = 40;
    let mut next_change = 0u64;
    let mut total_acked = 0u64;
    let started = Instant::now();
    for round in 0..rounds {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env("CJ_CRASH_CHILD", &path)
            .env("CJ_CRASH_START", next_change.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        // Kill after a random number of acknowledgements (sometimes right away).
        let kill_after = next() % 20_000;
        let mut last_acked: Option<u64> = None;
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(20);
        while last_acked.map_or(0, |l| l + 1 - next_change) <= kill_after
            && Instant::now() < deadline
        {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(n) = line.strip_prefix("ACK ") {
                        last_acked = Some(n.parse().unwrap());
                    }
                }
                _ => break,
            }
        }
        // SIGKILL: no destructor, no flush, no chance to finish the write in progress.
        child.kill().unwrap();
        child.wait().unwrap();
        // Anything printed after we stopped reading was acknowledged too: read it all.
        for line in lines.map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("ACK ") {
                last_acked = Some(n.parse().unwrap());
            }
        }

        let jar =
            Jar::open_at(&path, options(), NOW).unwrap_or_else(|e| panic!("round {round}: {e}"));
        if let Some(last) = last_acked {
            total_acked += last + 1 - next_change;
            for n in 0..NAMES.min(last + 1) {
                let got = jar
                    .get_at("www.crash.example", "/", &format!("n{n}"), NOW)
                    .map(|c| c.value.split('-').next().unwrap().parse::<u64>().unwrap());
                let want = expected(n, last);
                // The change after the last acknowledged one may have landed too.
                let in_flight = expected(n, last + 1);
                assert!(
                    got == want || got == in_flight,
                    "round {round}: n{n} is {got:?}, acknowledged state {want:?} (last ack {last})"
                );
            }
            // Redo the change that may have been in flight: changes are idempotent, so the
            // state stays exactly determined.
            next_change = last + 1;
        }
        drop(jar);
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!(
        "{rounds} kills, {total_acked} acknowledged changes checked, in {:.1?}",
        started.elapsed()
    );
    assert!(total_acked > 0);
}
