//! `impl reqwest::cookie::CookieStore for Jar` (feature `reqwest`).
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//!
//! let jar = Arc::new(cookiejar::Jar::open("cookies.jar")?);
//! let client = reqwest::Client::builder().cookie_provider(jar.clone()).build()?;
//! # Ok(()) }
//! ```
//!
//! The client is a plain HTTP client: every request is its own top level (the jar's
//! [`Request::new`]), so `SameSite` never withholds a cookie and nothing is partitioned. Each
//! response's `Set-Cookie` headers go through the full storage model; a refused cookie is
//! dropped silently, because the trait has no way to report it (call [`Jar::set_cookie`] to
//! learn why one is refused).
//!
//! `Jar` has an inherent `cookies()` (every stored cookie), which method-call syntax finds
//! first: call the trait's as `CookieStore::cookies(&jar, &url)`.

use reqwest::header::HeaderValue;

use crate::jar::{now_ms, Jar, Request};
use crate::rfc::parse::Line;
use crate::Url;

impl reqwest::cookie::CookieStore for Jar {
    /// Stores the `Set-Cookie` headers of a response from `url`. A header that is not valid
    /// UTF-8 is skipped (the jar keeps text; a browser would decode it lossily, which would
    /// change the cookie's bytes); so is every cookie the jar refuses.
    fn set_cookies(&self, cookie_headers: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
        let now = now_ms();
        let request = Request::new(url);
        // A header that is not UTF-8 is not a cookie this jar can store. Refusals, and a jar
        // file that cannot record the change, are not reportable through this trait: the
        // cookie is simply not stored.
        let lines = cookie_headers.filter_map(|header| Line::from_header_bytes(header.as_bytes()));
        self.set_cookies_each(lines, &request, now, drop);
    }

    /// The `Cookie` header for a request to `url`, or `None` when no cookie applies. Marked
    /// sensitive, so that it stays out of `Debug` output and HTTP/2 header compression tables.
    fn cookies(&self, url: &Url) -> Option<HeaderValue> {
        let now = now_ms();
        let header = self.cookie_header_at(&Request::new(url), now)?;
        let mut value = match HeaderValue::try_from(header) {
            Ok(v) => v,
            // Unreachable with the jar's rules (no control characters in names or values),
            // but a header must never be invalid: send only the cookies it can carry.
            Err(_) => header_of_valid_cookies(self, url, now)?,
        };
        value.set_sensitive(true);
        Some(value)
    }
}

/// The `Cookie` header built from the matching cookies that a `HeaderValue` can carry.
fn header_of_valid_cookies(jar: &Jar, url: &Url, now: i64) -> Option<HeaderValue> {
    let valid = |s: &str| s.bytes().all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f));
    let pairs: Vec<String> = jar
        .matching_cookies_at(&Request::new(url), now)
        .into_iter()
        .filter(|c| valid(&c.name) && valid(&c.value))
        .map(|c| {
            if c.name.is_empty() {
                c.value
            } else {
                format!("{}={}", c.name, c.value)
            }
        })
        .collect();
    if pairs.is_empty() {
        return None;
    }
    HeaderValue::try_from(pairs.join("; ")).ok()
}

#[cfg(test)]
mod tests {
    use reqwest::cookie::CookieStore;
    use reqwest::header::HeaderValue;

    use crate::{Jar, Url};

    #[test]
    fn set_cookie_headers_that_are_not_utf8_are_skipped_and_the_rest_stored() {
        let jar = Jar::new();
        let url = Url::parse("https://www.example.com/").unwrap();
        let latin1 = HeaderValue::from_bytes(b"bad=caf\xe9").unwrap();
        let good = HeaderValue::from_static("good=1; Path=/");
        let utf8 = HeaderValue::from_bytes("name=café".as_bytes()).unwrap();
        jar.set_cookies(&mut [&latin1, &good, &utf8].into_iter(), &url);
        let header = CookieStore::cookies(&jar, &url).unwrap();
        assert_eq!(
            header.to_str().ok(),
            None,
            "non-ASCII UTF-8 is not visible ASCII"
        );
        assert_eq!(header.as_bytes(), "good=1; name=café".as_bytes());
        assert!(header.is_sensitive());
    }

    #[test]
    fn a_response_with_several_cookies_stores_each_as_one_by_one_calls_would() {
        // The request is read once for the whole response; every header must still get the
        // full storage model, in order.
        let headers = [
            "a=1; Path=/",
            "b=2; Domain=other.example; Path=/", // refused: not this host's domain
            "c=3; Domain=example.com; Path=/",
            "a=; Max-Age=0; Path=/", // deletes the first
            "__Host-d=4; Secure; Path=/",
            "e=5; Path=/shop",
        ];
        let url = Url::parse("https://www.example.com/shop/cart").unwrap();
        let together = Jar::new();
        let values: Vec<HeaderValue> = headers
            .iter()
            .map(|h| HeaderValue::from_static(h))
            .collect();
        together.set_cookies(&mut values.iter(), &url);
        let one_by_one = Jar::new();
        for h in headers {
            let _ = one_by_one.set_cookie(h, &url);
        }
        let header = CookieStore::cookies(&together, &url).unwrap();
        assert_eq!(header.to_str().unwrap(), "e=5; c=3; __Host-d=4");
        assert_eq!(Some(header), CookieStore::cookies(&one_by_one, &url));

        // A URL the jar cannot store cookies for: nothing stored, nothing panics.
        let ftp = Url::parse("ftp://www.example.com/").unwrap();
        let jar = Jar::new();
        jar.set_cookies(&mut values.iter(), &ftp);
        assert!(jar.is_empty());
    }

    #[test]
    fn headers_past_printable_ascii_take_the_general_path_and_store_the_same() {
        // Printable ASCII is checked in one pass; a tab or UTF-8 beyond ASCII goes through
        // the full check. Either way the trait stores what `set_cookie` stores. (A control
        // character other than tab cannot be in a `HeaderValue` built without `unsafe`.)
        let url = Url::parse("https://www.example.com/").unwrap();
        let headers: [&[u8]; 4] = [
            b"plain=1; Path=/",
            b"tab=a\tb; Path=/",
            "utf8=\u{e9}t\u{e9}; Path=/".as_bytes(),
            b"\tlead=2; Path=/",
        ];
        let values: Vec<HeaderValue> = headers
            .iter()
            .map(|h| HeaderValue::from_bytes(h).unwrap())
            .collect();
        let through_trait = Jar::new();
        through_trait.set_cookies(&mut values.iter(), &url);
        let direct = Jar::new();
        for h in headers {
            let _ = direct.set_cookie(std::str::from_utf8(h).unwrap(), &url);
        }
        let header = CookieStore::cookies(&through_trait, &url).unwrap();
        assert_eq!(
            header.as_bytes(),
            "plain=1; tab=a\tb; utf8=\u{e9}t\u{e9}; lead=2".as_bytes()
        );
        assert_eq!(Some(header), CookieStore::cookies(&direct, &url));
    }

    #[test]
    fn no_cookie_means_no_header() {
        let jar = Jar::new();
        let url = Url::parse("https://www.example.com/").unwrap();
        assert_eq!(CookieStore::cookies(&jar, &url), None);
        let refused = HeaderValue::from_static("x=1; Domain=com");
        jar.set_cookies(&mut std::iter::once(&refused), &url);
        assert_eq!(CookieStore::cookies(&jar, &url), None);
    }
}
