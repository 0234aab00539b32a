//! A reqwest client with persistent, browser-correct cookies: one line,
//! `cookie_provider(Arc::new(Jar::open(path)?))`.
//!
//! ```sh
//! cargo run --example reqwest_client --features reqwest
//! ```
//!
//! To stay runnable offline, the example talks to a tiny HTTP server it starts on 127.0.0.1: the
//! first run logs in (the server sets a session cookie through a redirect), the client is then
//! dropped with its jar, and a second client on the same jar file is still logged in.

use std::error::Error;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread;

use cookiejar::Jar;

fn client(jar_path: &std::path::Path) -> Result<reqwest::blocking::Client, Box<dyn Error>> {
    // The whole integration: the jar is the client's cookie store, backed by a file.
    let jar = Arc::new(Jar::open(jar_path)?);
    Ok(reqwest::blocking::Client::builder()
        .cookie_provider(jar)
        .build()?)
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = std::env::temp_dir().join(format!("cookiejar-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let jar_path = dir.join("cookies.jar");
    let addr = serve(4)?;
    let base = format!("http://{addr}");

    let first = client(&jar_path)?;
    let page = first.get(format!("{base}/login")).send()?.text()?;
    println!("first client, after logging in:  {page}");
    drop(first); // the jar goes with it; its file stays

    let second = client(&jar_path)?;
    let page = second.get(format!("{base}/account")).send()?.text()?;
    println!("second client, same jar file:     {page}");
    let page = second.get(format!("{base}/logout")).send()?.text()?;
    println!("second client, after logging out: {page}");
    drop(second);

    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// A toy server for `requests` requests, then it stops: `/login` sets a cookie and redirects to
/// `/account`, which greets whoever sends the cookie; `/logout` deletes it.
fn serve(requests: usize) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(&stream);
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let mut cookie = None;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                if let Some((k, v)) = line.split_once(':') {
                    if k.eq_ignore_ascii_case("cookie") {
                        cookie = Some(v.trim().to_owned());
                    }
                }
                line.clear();
            }
            let path = request_line.split(' ').nth(1).unwrap_or("/");
            let response = match path {
                "/login" => "HTTP/1.1 302 Found\r\nLocation: /account\r\n\
                             Set-Cookie: session=ada; Path=/; Max-Age=3600; HttpOnly\r\n\
                             Content-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_owned(),
                "/logout" => "HTTP/1.1 200 OK\r\nSet-Cookie: session=; Path=/; Max-Age=0\r\n\
                              Content-Length: 7\r\nConnection: close\r\n\r\nbye now"
                    .to_owned(),
                _ => {
                    let body = match &cookie {
                        Some(c) => format!("welcome back (Cookie: {c})"),
                        None => "who are you? (no Cookie header)".to_owned(),
                    };
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    )
                }
            };
            let _ = stream.write_all(response.as_bytes());
        }
    });
    Ok(addr)
}
