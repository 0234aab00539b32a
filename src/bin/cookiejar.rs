//! The `cookiejar` command-line tool.
//!
//! `cookiejar demo` plays a realistic browsing session through an in-memory jar: it stores the
//! `Set-Cookie` headers a handful of sites send (a login behind a redirect, analytics, an ad
//! network embedded on a news site, a hostile server), prints every `Cookie` header the jar
//! would send, and says why each refused cookie was refused.

use std::process::ExitCode;
use std::time::Instant;

use cookiejar::{Jar, Request, SetCookieError, Url};

/// One step of the scripted session.
enum Step {
    /// A response arrived from `url` (loaded as a subresource of `top` when given) carrying
    /// these `Set-Cookie` header values.
    Response {
        url: &'static str,
        top: Option<&'static str>,
        set_cookies: &'static [&'static str],
    },
    /// A request is about to go to `url` (as a subresource of `top` when given).
    Request {
        url: &'static str,
        top: Option<&'static str>,
    },
}

const SESSION: &[Step] = &[
    Step::Response {
        url: "https://accounts.example.com/login",
        top: None,
        set_cookies: &[
            "__Host-sid=7f3a9c0e1d; Path=/; Secure; HttpOnly; SameSite=Lax",
            "session=u-4821; Domain=example.com; Path=/; Secure; HttpOnly",
            "lang=en-GB; Domain=example.com; Path=/; Max-Age=31536000",
            "csrftoken=Zx81Kq; Path=/; Secure; SameSite=Strict",
        ],
    },
    Step::Request {
        url: "https://www.example.com/account",
        top: None,
    },
    Step::Request {
        url: "http://www.example.com/",
        top: None,
    },
    Step::Response {
        url: "https://www.example.com/",
        top: None,
        set_cookies: &[
            "_ga=GA1.2.1234567890.1700000000; Domain=example.com; Path=/; Max-Age=63072000",
            "cart=3-items; Path=/shop; SameSite=Lax",
            "tracker=1; Domain=com",
            "__Host-bad=1; Domain=example.com; Path=/; Secure",
        ],
    },
    Step::Request {
        url: "https://www.example.com/shop/checkout",
        top: None,
    },
    Step::Response {
        url: "https://ad.doubleclick.net/pixel",
        top: Some("https://news.example.org/"),
        set_cookies: &[
            "IDE=AHWqTUk; Domain=doubleclick.net; Path=/; Secure; SameSite=None; Max-Age=34128000",
            "test_cookie=CheckForPermission; Domain=doubleclick.net; Path=/",
            "__Host-chip=n1; Path=/; Secure; SameSite=None; Partitioned",
        ],
    },
    Step::Request {
        url: "https://ad.doubleclick.net/ad",
        top: Some("https://news.example.org/"),
    },
    Step::Request {
        url: "https://ad.doubleclick.net/ad",
        top: Some("https://blog.example.net/"),
    },
    Step::Response {
        url: "http://www.example.com/",
        top: None,
        set_cookies: &[
            "session=hijacked; Domain=example.com; Path=/",
            "Secure-looking=1; Secure",
            "bad=\u{1}control",
            "sid=; Domain=example.com; Path=/; Max-Age=0",
        ],
    },
    Step::Response {
        url: "https://accounts.example.com/logout",
        top: None,
        set_cookies: &["session=; Domain=example.com; Path=/; Secure; HttpOnly; Max-Age=0"],
    },
    Step::Request {
        url: "https://www.example.com/account",
        top: None,
    },
];

fn run_demo() -> Result<(), String> {
    let jar = Jar::default();
    let started = Instant::now();
    let (mut stored, mut refused, mut sent) = (0usize, 0usize, 0usize);
    for step in SESSION {
        match *step {
            Step::Response {
                url,
                top,
                set_cookies,
            } => {
                let url_p = parse(url)?;
                let top_p = top.map(parse).transpose()?;
                println!("\n<- response from {url}{}", context(top));
                for header in set_cookies {
                    let req = request(&url_p, top_p.as_ref());
                    match jar.set_cookie_at(header, &req, cookiejar::now_ms()) {
                        Ok(outcome) => {
                            stored += 1;
                            println!(
                                "   {:<9} Set-Cookie: {}",
                                format!("{outcome:?}"),
                                printable(header)
                            );
                        }
                        Err(SetCookieError::Rejected(why)) => {
                            refused += 1;
                            println!(
                                "   REFUSED   Set-Cookie: {}\n             because {why}",
                                printable(header)
                            );
                        }
                        Err(e) => return Err(e.to_string()),
                    }
                }
            }
            Step::Request { url, top } => {
                let url_p = parse(url)?;
                let top_p = top.map(parse).transpose()?;
                let header =
                    jar.cookie_header_at(&request(&url_p, top_p.as_ref()), cookiejar::now_ms());
                sent += 1;
                println!("\n-> request to {url}{}", context(top));
                match header {
                    Some(h) => println!("   Cookie: {h}"),
                    None => println!("   (no Cookie header)"),
                }
            }
        }
    }
    println!(
        "\n{} cookies in the jar; {stored} accepted, {refused} refused, {sent} requests, in {:.0?}",
        jar.len(),
        started.elapsed()
    );
    Ok(())
}

fn parse(url: &str) -> Result<Url, String> {
    cookiejar::parse_request_url(url).map_err(|e| format!("{url}: {e}"))
}

fn request<'a>(url: &'a Url, top: Option<&'a Url>) -> Request<'a> {
    match top {
        Some(t) => Request::subresource_of(url, t),
        None => Request::new(url),
    }
}

fn context(top: Option<&str>) -> String {
    top.map(|t| format!(" (embedded in {t})"))
        .unwrap_or_default()
}

/// Control characters shown escaped, so a hostile header cannot mess with the terminal.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn usage() -> &'static str {
    "usage: cookiejar demo\n\n  demo   play a realistic browsing session and show what the jar stores, sends and refuses"
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("demo") | None => match run_demo() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("cookiejar: {e}");
                ExitCode::FAILURE
            }
        },
        Some("-h" | "--help" | "help") => {
            println!("{}", usage());
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("cookiejar: unknown command {other:?}\n{}", usage());
            ExitCode::from(2)
        }
    }
}
