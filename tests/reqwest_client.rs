//! A real reqwest client on a jar file (feature `reqwest`): a login through a redirect chain
//! against a local HTTP server, every `Cookie` header the server receives checked, then the
//! client restarted on the same file.
#![cfg(feature = "reqwest")]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use cookiejar::Jar;

/// One request as the server saw it.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    host: String,
    path: String,
    cookie: Option<String>,
}

fn seen(host: &str, path: &str, cookie: Option<&str>) -> Seen {
    Seen {
        host: host.into(),
        path: path.into(),
        cookie: cookie.map(Into::into),
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1: one request per connection, at most `MAX_REQUESTS`
/// of them and for at most `LIFETIME`, then it stops by itself (or when dropped).
struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

const MAX_REQUESTS: usize = 100;
const LIFETIME: Duration = Duration::from_secs(60);

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (l, s) = (log.clone(), stop.clone());
        let thread = thread::spawn(move || {
            let started = Instant::now();
            let mut served = 0;
            while served < MAX_REQUESTS && started.elapsed() < LIFETIME && !s.load(Ordering::SeqCst)
            {
                match listener.accept() {
                    Ok((stream, _)) => {
                        served += 1;
                        handle(stream, addr.port(), &l);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => break,
                }
            }
        });
        Server {
            addr,
            log,
            stop,
            thread: Some(thread),
        }
    }

    /// The requests seen since the last call.
    fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn handle(mut stream: TcpStream, port: u16, log: &Mutex<Vec<Seen>>) {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/")
        .to_owned();
    let (mut host, mut cookies) = (String::new(), Vec::new());
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("host") {
                host = v.trim().split(':').next().unwrap_or("").to_owned();
            } else if k.eq_ignore_ascii_case("cookie") {
                cookies.push(v.trim().to_owned());
            }
        }
    }
    assert!(
        cookies.len() <= 1,
        "more than one Cookie header: {cookies:?}"
    );
    let response = respond(&host, &path, port);
    log.lock().unwrap().push(Seen {
        host,
        path,
        cookie: cookies.pop(),
    });
    let _ = stream.write_all(&response);
}

/// The site: a login that goes through two redirects and sets cookies on the way (one on the
/// parent domain), a page on another subdomain, a logout that deletes the session.
fn respond(host: &str, path: &str, port: u16) -> Vec<u8> {
    let (status, location, set_cookies): (&str, Option<String>, &[&[u8]]) = match (host, path) {
        ("login.app.test", "/login") => (
            "302 Found",
            Some(format!("http://login.app.test:{port}/session")),
            &[
                b"flow=f1; Path=/session; Max-Age=300",
                b"pending=1; Path=/; Max-Age=300",
            ],
        ),
        ("login.app.test", "/session") => (
            "302 Found",
            Some(format!("http://www.app.test:{port}/home")),
            &[
                b"sid=s3cr3t; Domain=app.test; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax",
                b"pending=; Path=/; Max-Age=0",
                b"flow=; Path=/session; Max-Age=0",
                b"tab=1; Domain=app.test; Path=/",
                // Refused by the jar: Secure from an insecure origin, a supercookie.
                b"sec=1; Domain=app.test; Path=/; Secure; Max-Age=600",
                b"super=1; Domain=test; Path=/; Max-Age=600",
                // Not UTF-8 (Latin-1 e-acute): skipped by the CookieStore impl.
                b"latin=caf\xe9; Path=/; Max-Age=600",
            ],
        ),
        ("www.app.test", "/home") => ("200 OK", None, &[b"theme=dark; Path=/; Max-Age=86400"]),
        ("www.app.test", "/logout") => (
            "200 OK",
            None,
            &[b"sid=; Domain=app.test; Path=/; Max-Age=0"],
        ),
        // 127.0.0.1 is a potentially trustworthy origin, so Secure cookies are fine there.
        ("127.0.0.1", "/ip") => ("200 OK", None, &[b"local=1; Path=/; Secure; Max-Age=600"]),
        _ => ("200 OK", None, &[]),
    };
    let mut r =
        format!("HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: 2\r\n").into_bytes();
    if let Some(l) = location {
        r.extend_from_slice(format!("Location: {l}\r\n").as_bytes());
    }
    for c in set_cookies {
        r.extend_from_slice(b"Set-Cookie: ");
        r.extend_from_slice(c);
        r.extend_from_slice(b"\r\n");
    }
    r.extend_from_slice(b"\r\nok");
    r
}

fn client(jar: Arc<Jar>, addr: SocketAddr) -> reqwest::blocking::Client {
    let mut builder = reqwest::blocking::Client::builder()
        .cookie_provider(jar)
        .no_proxy()
        .timeout(Duration::from_secs(10));
    for host in ["login.app.test", "www.app.test", "static.app.test"] {
        builder = builder.resolve(host, addr);
    }
    builder.build().unwrap()
}

/// Drops the client, then waits until nothing else holds the jar and closes it (its file lock
/// goes with it).
fn shut_down(client: reqwest::blocking::Client, mut jar: Arc<Jar>) {
    drop(client);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match Arc::try_unwrap(jar) {
            Ok(j) => return drop(j),
            Err(still_shared) if Instant::now() < deadline => {
                jar = still_shared;
                thread::sleep(Duration::from_millis(10));
            }
            Err(_) => panic!("the client kept the jar"),
        }
    }
}

#[test]
fn a_reqwest_client_keeps_a_browser_correct_session_across_restarts() {
    let server = Server::start();
    let port = server.addr.port();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.jar");
    let get = |c: &reqwest::blocking::Client, url: String| {
        let r = c.get(url).send().unwrap();
        assert_eq!(r.status(), 200);
        r.text().unwrap()
    };

    // The first run: log in through two redirects, browse.
    let jar = Arc::new(Jar::open(&path).unwrap());
    let c = client(jar.clone(), server.addr);
    get(&c, format!("http://login.app.test:{port}/login"));
    get(&c, format!("http://static.app.test:{port}/logo.png"));
    get(&c, format!("http://www.app.test:{port}/account"));
    get(&c, format!("http://127.0.0.1:{port}/ip"));
    get(&c, format!("http://127.0.0.1:{port}/again"));
    assert_eq!(
        server.take(),
        vec![
            seen("login.app.test", "/login", None),
            // The longer path first.
            seen("login.app.test", "/session", Some("flow=f1; pending=1")),
            // pending and flow were deleted by Max-Age=0; sid and tab are on the parent domain.
            seen("www.app.test", "/home", Some("sid=s3cr3t; tab=1")),
            // theme is host-only on www.
            seen("static.app.test", "/logo.png", Some("sid=s3cr3t; tab=1")),
            seen(
                "www.app.test",
                "/account",
                Some("sid=s3cr3t; tab=1; theme=dark")
            ),
            // Host-only: nothing of app.test goes to 127.0.0.1, and local never leaves it.
            seen("127.0.0.1", "/ip", None),
            seen("127.0.0.1", "/again", Some("local=1")),
        ]
    );
    let mut names: Vec<String> = jar.cookies().into_iter().map(|c| c.name).collect();
    names.sort();
    assert_eq!(names, ["local", "sid", "tab", "theme"]);
    shut_down(c, jar);

    // The client restarts on the same file: the persistent cookies are back, the session-only
    // one is gone, as after a browser restart.
    let jar = Arc::new(Jar::open(&path).unwrap());
    let c = client(jar.clone(), server.addr);
    get(&c, format!("http://www.app.test:{port}/account"));
    get(&c, format!("http://127.0.0.1:{port}/again"));
    get(&c, format!("http://www.app.test:{port}/logout"));
    get(&c, format!("http://www.app.test:{port}/account"));
    assert_eq!(
        server.take(),
        vec![
            seen("www.app.test", "/account", Some("sid=s3cr3t; theme=dark")),
            seen("127.0.0.1", "/again", Some("local=1")),
            seen("www.app.test", "/logout", Some("sid=s3cr3t; theme=dark")),
            seen("www.app.test", "/account", Some("theme=dark")),
        ]
    );
    shut_down(c, jar);

    // The logout is in the file too.
    let jar = Jar::open(&path).unwrap();
    let mut names: Vec<String> = jar.cookies().into_iter().map(|c| c.name).collect();
    names.sort();
    assert_eq!(names, ["local", "theme"]);
}
