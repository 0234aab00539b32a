//! Host names: RFC 6265bis §5.1.2 (canonicalized host names) and §5.1.3 (domain matching).
//!
//! Request hosts come from a parsed [`url::Url`]: for the special schemes (`http`, `https`, `ws`,
//! `wss`) the URL parser has already lowercased the name, mapped it through IDNA to A-labels and
//! normalised IPv4 and IPv6 literals, which is exactly the canonicalization §5.1.2 asks for. The
//! `Domain` attribute is canonicalised here with the same host parser, so both sides of a
//! comparison are in one form.

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// What kind of host a canonical host string names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostKind {
    /// A domain name (A-labels, lowercase).
    Domain,
    /// An IPv4 literal.
    Ipv4,
    /// An IPv6 literal (written with brackets, as in a URL).
    Ipv6,
}

/// A canonicalized host (RFC 6265bis §5.1.2) borrowed from a URL or a canonical string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CanonHost<'a> {
    /// The canonical text: A-labels in lowercase, or an IP literal (IPv6 in brackets).
    pub name: &'a str,
    /// Whether `name` is a domain name or an IP literal.
    pub kind: HostKind,
}

impl<'a> CanonHost<'a> {
    /// The canonical host of a request URL, or `None` when the URL has no host.
    ///
    /// RFC 6265bis §5.1.2: for `http(s)`/`ws(s)` URLs the WHATWG URL parser already produced the
    /// canonical form (IDNA A-labels, lowercase, normalised IP literals).
    pub fn of_url(url: &'a Url) -> Option<Self> {
        // A domain, the usual case, in one call; this runs on every store and lookup.
        let (name, kind) = match url.domain() {
            Some(name) => (name, HostKind::Domain),
            None => match url.host()? {
                Host::Domain(name) => (name, HostKind::Domain),
                Host::Ipv4(_) => (url.host_str()?, HostKind::Ipv4),
                Host::Ipv6(_) => (url.host_str()?, HostKind::Ipv6),
            },
        };
        if name.is_empty() {
            return None;
        }
        Some(CanonHost { name, kind })
    }

    /// Whether this host is an IP literal (domain-matching then requires identity).
    pub fn is_ip(&self) -> bool {
        self.kind != HostKind::Domain
    }

    /// Whether this host is a loopback host, which browsers treat as a secure origin
    /// ("potentially trustworthy": `localhost`, `*.localhost`, 127.0.0.0/8, `::1`).
    pub fn is_loopback(&self) -> bool {
        match self.kind {
            HostKind::Domain => {
                let n = self.name.strip_suffix('.').unwrap_or(self.name);
                n == "localhost" || n.ends_with(".localhost")
            }
            HostKind::Ipv4 => self
                .name
                .parse::<Ipv4Addr>()
                .map(|ip| ip.is_loopback())
                .unwrap_or(false),
            HostKind::Ipv6 => self
                .name
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<Ipv6Addr>()
                .map(|ip| ip.is_loopback())
                .unwrap_or(false),
        }
    }
}

/// Why a `Domain` attribute could not be canonicalised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DomainAttributeError {
    /// RFC 6265bis §5.7 step 8: the attribute holds a non-ASCII character.
    NonAscii,
    /// The attribute is not a valid host name or IP literal.
    Invalid,
}

/// Canonicalises a `Domain` attribute value (RFC 6265bis §5.6.3 and §5.7 step 8).
///
/// The leading "." was already removed by the parser (§5.6.3). Non-ASCII values are refused, as
/// §5.7 requires; the rest goes through the URL host parser so that the result has the same form
/// as a request host (lowercase, A-labels, normalised IP literals).
///
/// The common case, an already canonical name, comes back borrowed: no allocation per cookie.
pub fn canonicalize_domain_attribute(
    value: &str,
) -> Result<(Cow<'_, str>, HostKind), DomainAttributeError> {
    if !value.is_ascii() {
        return Err(DomainAttributeError::NonAscii);
    }
    if value.is_empty() {
        return Err(DomainAttributeError::Invalid);
    }
    if let Some(fast) = plain_ascii_domain(value) {
        return Ok((fast, HostKind::Domain));
    }
    match Host::parse(value) {
        Ok(Host::Domain(d)) if !d.is_empty() => Ok((Cow::Owned(d), HostKind::Domain)),
        Ok(Host::Ipv4(ip)) => Ok((Cow::Owned(ip.to_string()), HostKind::Ipv4)),
        Ok(Host::Ipv6(ip)) => Ok((Cow::Owned(format!("[{ip}]")), HostKind::Ipv6)),
        _ => Err(DomainAttributeError::Invalid),
    }
}

/// The canonical form of a name the URL host parser would only lowercase: LDH labels, none
/// empty (a trailing dot aside), no `xn--` label to validate, and a last label that is not a
/// number (which the parser would read as an IPv4 address). `None` sends the value through the
/// full parser. This is the common case, and it skips IDNA processing on every `Domain`.
fn plain_ascii_domain(value: &str) -> Option<Cow<'_, str>> {
    let bare = value.strip_suffix('.').unwrap_or(value).as_bytes();
    // One pass over the bytes (this runs for every `Domain` attribute): `start` is where the
    // current label began; `upper` whether any letter needs lowering.
    let mut start = 0;
    let mut upper = false;
    for (i, &b) in bare.iter().enumerate() {
        match LDH_CLASS[usize::from(b)] {
            LDH => {}
            UPPER => upper = true,
            DOT => {
                if !plain_label(&bare[start..i]) {
                    return None;
                }
                start = i + 1;
            }
            _ => return None,
        }
    }
    let last = bare.get(start..).unwrap_or_default();
    let numeric = last.iter().all(u8::is_ascii_digit)
        || (last.len() >= 2 && last[..2].eq_ignore_ascii_case(b"0x"));
    if !plain_label(last) || numeric {
        return None;
    }
    Some(if upper {
        Cow::Owned(value.to_ascii_lowercase())
    } else {
        Cow::Borrowed(value)
    })
}

/// A `Domain` attribute that is the request host itself or a suffix of it after a ".": the
/// common case, a site setting a cookie for its own domain. Such a value is already canonical
/// (the URL parser made the host so, and re-parsing a canonical host gives it back unchanged)
/// and domain-matches the host, so the caller needs neither [`canonicalize_domain_attribute`]
/// nor [`domain_match`]. `None` for anything else, including an IP literal host and a value
/// that starts with "." (an empty first label), which the caller then takes the long way.
pub fn domain_attribute_of_host<'v>(value: &'v str, host: &CanonHost<'_>) -> Option<&'v str> {
    let fits = host.kind == HostKind::Domain
        && !value.starts_with('.')
        && domain_match(host.name, false, value);
    fits.then_some(value)
}

/// Whether a label of LDH bytes needs nothing but lowercasing: not empty, at most 63 bytes,
/// and not an `xn--` label (which IDNA must validate).
fn plain_label(label: &[u8]) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !(label.len() >= 4 && label[..4].eq_ignore_ascii_case(b"xn--"))
}

/// Byte classes for [`plain_ascii_domain`]: lowercase letters, digits and `-`; uppercase
/// letters; the dot; anything else.
const LDH: u8 = 1;
const UPPER: u8 = 2;
const DOT: u8 = 3;
static LDH_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' {
            LDH
        } else if c.is_ascii_uppercase() {
            UPPER
        } else if c == b'.' {
            DOT
        } else {
            0
        };
        b += 1;
    }
    t
};

/// RFC 6265bis §5.1.3 domain-match: does the canonical `host` domain-match `domain`?
///
/// Either the two strings are identical, or `domain` is a suffix of `host`, the character
/// before that suffix is ".", and `host` is a host name rather than an IP address.
pub fn domain_match(host: &str, host_is_ip: bool, domain: &str) -> bool {
    domain_match_bytes(host.as_bytes(), host_is_ip, domain.as_bytes())
}

/// [`domain_match`] on the bytes of the two names, for the jar's lookup, which keeps a cookie's
/// strings as one buffer.
#[inline]
pub(crate) fn domain_match_bytes(host: &[u8], host_is_ip: bool, domain: &[u8]) -> bool {
    use super::same_bytes;
    if same_bytes(host, domain) {
        return true;
    }
    // A non-empty suffix of the host, after a ".".
    let Some(dot) = host.len().checked_sub(domain.len() + 1) else {
        return false;
    };
    !host_is_ip && !domain.is_empty() && host[dot] == b'.' && same_bytes(&host[dot + 1..], domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host_of(url: &str) -> (String, HostKind) {
        let u = Url::parse(url).unwrap();
        let h = CanonHost::of_url(&u).unwrap();
        (h.name.to_owned(), h.kind)
    }

    #[test]
    fn request_hosts_are_lowercased_and_mapped_to_a_labels() {
        assert_eq!(host_of("http://WWW.Example.COM/").0, "www.example.com");
        assert_eq!(host_of("http://bücher.example/").0, "xn--bcher-kva.example");
        assert_eq!(host_of("http://example.com./").0, "example.com.");
    }

    #[test]
    fn ip_literals_are_normalised() {
        assert_eq!(
            host_of("http://0x7f.1/"),
            ("127.0.0.1".into(), HostKind::Ipv4)
        );
        assert_eq!(
            host_of("http://[0:0::1]/"),
            ("[::1]".into(), HostKind::Ipv6)
        );
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for url in [
            "http://localhost/",
            "http://a.localhost/",
            "http://127.0.0.2/",
            "http://[::1]/",
        ] {
            let u = Url::parse(url).unwrap();
            assert!(CanonHost::of_url(&u).unwrap().is_loopback(), "{url}");
        }
        for url in [
            "http://localhost.example/",
            "http://10.0.0.1/",
            "http://[::2]/",
        ] {
            let u = Url::parse(url).unwrap();
            assert!(!CanonHost::of_url(&u).unwrap().is_loopback(), "{url}");
        }
    }

    #[test]
    fn domain_attribute_is_canonicalised_like_a_host() {
        assert_eq!(
            canonicalize_domain_attribute("Example.ORG").unwrap(),
            ("example.org".into(), HostKind::Domain)
        );
        assert_eq!(
            canonicalize_domain_attribute("127.0.0.1").unwrap(),
            ("127.0.0.1".into(), HostKind::Ipv4)
        );
        assert_eq!(
            canonicalize_domain_attribute("bücher.example"),
            Err(DomainAttributeError::NonAscii)
        );
        assert_eq!(
            canonicalize_domain_attribute("exa mple.com"),
            Err(DomainAttributeError::Invalid)
        );
    }

    #[test]
    fn the_fast_path_agrees_with_the_url_host_parser() {
        for v in [
            "example.com",
            "EXAMPLE.com",
            "a-b.c-d.example",
            "example.com.",
            "x1.y2",
            "0x1f.example",
            "1.2.3.4",
            "0x7f.1",
            "1.2.3",
            "xn--bcher-kva.example",
            "XN--BCHER-KVA.example",
            "a..b",
            "-a.example",
            "a_b.example",
            "123",
            "a.0x10",
        ] {
            let fast = plain_ascii_domain(v);
            let full = match Host::parse(v) {
                Ok(Host::Domain(d)) => Some(d),
                _ => None,
            };
            if let Some(f) = fast {
                assert_eq!(Some(f.into_owned()), full, "{v}");
            }
        }
        assert!(plain_ascii_domain("Example.COM").is_some());
        assert!(plain_ascii_domain("1.2.3.4").is_none());
        assert!(plain_ascii_domain("xn--bcher-kva.example").is_none());
    }

    #[test]
    fn domain_match_follows_label_boundaries() {
        assert!(domain_match("example.com", false, "example.com"));
        assert!(domain_match("www.example.com", false, "example.com"));
        assert!(!domain_match("wwwexample.com", false, "example.com"));
        assert!(!domain_match("example.com", false, "www.example.com"));
        assert!(!domain_match("example.com", false, ""));
    }

    #[test]
    fn ip_addresses_only_match_themselves() {
        assert!(domain_match("192.168.0.1", true, "192.168.0.1"));
        assert!(!domain_match("10.192.168.0.1", true, "168.0.1"));
        assert!(!domain_match("1.2.3.4", true, "3.4"));
    }

    /// Every label-aligned suffix of the request host of `url`: the fast path takes exactly
    /// those that do not start with "." and gives what the full canonicalisation gives.
    fn check_host_suffixes(url: &str) {
        let Ok(u) = Url::parse(url) else {
            return;
        };
        let Some(host) = CanonHost::of_url(&u) else {
            return;
        };
        let name = host.name;
        let starts = std::iter::once(0).chain(name.match_indices('.').map(|(i, _)| i + 1));
        for start in starts {
            let value = &name[start..];
            match domain_attribute_of_host(value, &host) {
                Some(fast) => {
                    assert_eq!(host.kind, HostKind::Domain);
                    let (slow, kind) = canonicalize_domain_attribute(value)
                        .unwrap_or_else(|e| panic!("{value:?} of {name:?}: {e:?}"));
                    assert_eq!(
                        (fast, HostKind::Domain),
                        (&*slow, kind),
                        "{value:?} of {name:?}"
                    );
                    assert!(domain_match(name, false, &slow));
                }
                None => assert!(
                    value.is_empty() || value.starts_with('.') || host.kind != HostKind::Domain,
                    "{value:?} of {name:?}"
                ),
            }
        }
    }

    #[test]
    fn a_domain_attribute_naming_the_host_or_a_parent_is_already_canonical() {
        for host in [
            "www.example.com",
            "a.b.c.d.example.co.uk",
            "WWW.Example.COM",
            "bücher.example",
            "xn--bcher-kva.example",
            "my_site.example.com",
            "example.com.",
            "a..b.example",
            "sub.123.example",
            "0x1f.example",
            "localhost",
            "x-y.z-1.example",
            "192.168.0.1",
            "[::1]",
        ] {
            check_host_suffixes(&format!("https://{host}/"));
        }
        // Not a suffix after a dot, or another spelling: the long way.
        let u = Url::parse("https://www.example.com/").unwrap();
        let host = CanonHost::of_url(&u).unwrap();
        for value in [
            "ample.com",
            "Example.com",
            ".example.com",
            "example.com.",
            "other.com",
        ] {
            assert_eq!(domain_attribute_of_host(value, &host), None, "{value}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_fast_domain_path_agrees_with_canonicalisation(host in "[a-zA-Z0-9_.-]{1,24}") {
            check_host_suffixes(&format!("https://{host}/"));
        }
    }
}
