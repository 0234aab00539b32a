//! A deterministic, realistic cookie workload shared by the benchmarks.
//!
//! Sites are `site{i}.{tld}` over a few real public suffixes (`com`, `co.uk`, `de`, `io`, …),
//! each with the hosts `www.`, `shop.`, `api.` and the bare registrable domain, so the public
//! suffix list decides every `Domain` attribute. Every site receives exactly
//! [`COOKIES_PER_SITE`] cookies with distinct (name, domain, path) keys: session ids, a CSRF
//! token, `_ga`/`_gid`/`_fbp`-style analytics scoped to the registrable domain, a consent
//! cookie, a cart and an API session on deeper paths, and a cookie whose path comes from the
//! request URL. Values are 10–60 bytes.
//!
//! Expiry: `Max-Age` is at most 30 days and `Expires` dates lie in 2031–2032, so nothing is
//! expired either at [`NOW_MS`] (the pinned clock of our jar) or at the real system time (the
//! clock of `cookie_store` and `reqwest`).

use std::path::PathBuf;

use cookiejar::Url;

/// The pinned time for our jar, in Unix milliseconds (2025-06-15).
pub const NOW_MS: i64 = 1_750_000_000_000;

/// How many cookies each site receives.
pub const COOKIES_PER_SITE: usize = 10;

/// A small, fast, seeded PRNG (SplitMix64): deterministic across runs and platforms.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by multiply-shift (bias is negligible for small `n`).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A random token of `lo..=hi` characters from the URL-safe base64 alphabet.
    pub fn token(&mut self, lo: usize, hi: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let len = self.between(lo, hi);
        (0..len)
            .map(|_| char::from(ALPHABET[self.below(ALPHABET.len())]))
            .collect()
    }

    /// A random decimal number of exactly `digits` digits.
    pub fn digits(&mut self, digits: usize) -> String {
        (0..digits)
            .map(|i| {
                let d = if i == 0 {
                    1 + self.below(9)
                } else {
                    self.below(10)
                };
                char::from(b'0' + d as u8)
            })
            .collect()
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Public suffixes the sites live under; `com` is weighted as on the real web.
const SUFFIXES: &[&str] = &[
    "com", "com", "com", "co.uk", "de", "io", "fr", "com.au", "net", "org",
];

/// The registrable domain of site `i`.
pub fn site_domain(i: usize) -> String {
    // A fixed, well-mixed suffix per site, independent of the seed.
    let mut r = Rng::new(i as u64 ^ 0x5EED_0F51_7E00);
    format!("site{i}.{}", r.pick(SUFFIXES))
}

/// One `Set-Cookie` header and the URL of the response that carried it.
pub struct SetCookie {
    pub url: Url,
    pub header: String,
}

fn url(text: &str) -> Url {
    Url::parse(text).unwrap_or_else(|e| panic!("bad workload URL {text:?}: {e}"))
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) for `secs` since the Unix epoch.
pub fn http_date(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    // Civil date from a day count (proleptic Gregorian, 400-year eras of 146,097 days).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        day,
        MONTHS[(month - 1) as usize],
        year,
        tod / 3600,
        tod % 3600 / 60,
        tod % 60
    )
}

/// An `Expires` date between 2031-01-01 and 2032-12-31.
fn far_expiry(rng: &mut Rng) -> String {
    const Y2031: i64 = 1_924_992_000;
    http_date(Y2031 + rng.below(2 * 365 * 86_400) as i64)
}

/// A `Max-Age` of one hour to 30 days.
fn max_age(rng: &mut Rng) -> usize {
    *rng.pick(&[3_600, 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400])
}

/// The [`COOKIES_PER_SITE`] `Set-Cookie` headers site `i` sends during a visit.
fn site_cookies(i: usize, rng: &mut Rng, out: &mut Vec<SetCookie>) {
    let d = site_domain(i);
    let www = format!("https://www.{d}");
    let mut push = |base: &str, path: &str, header: String| {
        out.push(SetCookie {
            url: url(&format!("{base}{path}")),
            header,
        });
    };
    // A leading dot on the Domain attribute is common and must be ignored.
    let dom = |rng: &mut Rng| {
        if rng.chance(30) {
            format!(".{d}")
        } else {
            d.clone()
        }
    };

    // 1. Server session id: host-only, HttpOnly.
    let name = rng.pick(&["sid", "SESSIONID", "JSESSIONID", "PHPSESSID", "connect.sid"]);
    let v = rng.token(20, 44);
    push(
        &www,
        "/",
        format!("{name}={v}; Path=/; Secure; HttpOnly; SameSite=Lax"),
    );

    // 2. CSRF token with the __Host- prefix.
    let v = rng.token(32, 44);
    push(
        &www,
        "/",
        format!("__Host-csrf={v}; Path=/; Secure; SameSite=Strict"),
    );

    // 3. _ga: two-year analytics id on the registrable domain.
    let v = format!("GA1.2.{}.{}", rng.digits(10), rng.digits(10));
    let (dm, ex) = (dom(rng), far_expiry(rng));
    push(
        &www,
        "/",
        format!("_ga={v}; Domain={dm}; Path=/; Expires={ex}; SameSite=Lax"),
    );

    // 4. _gid: one-day analytics id.
    let v = format!("GA1.2.{}.{}", rng.digits(9), rng.digits(10));
    let dm = dom(rng);
    push(
        &www,
        "/",
        format!("_gid={v}; Domain={dm}; Path=/; Max-Age=86400; SameSite=Lax"),
    );

    // 5. _fbp: ad pixel id, Max-Age.
    let v = format!("fb.1.{}.{}", rng.digits(13), rng.digits(10));
    let (dm, age) = (dom(rng), max_age(rng));
    push(
        &www,
        "/",
        format!("_fbp={v}; Domain={dm}; Path=/; Max-Age={age}; SameSite=Lax"),
    );

    // 6. Consent record on the registrable domain, set from the bare host.
    let v = format!(
        "v2.{}.{}",
        rng.pick(&["all", "necessary", "analytics", "ads"]),
        rng.token(8, 48)
    );
    let (dm, ex) = (dom(rng), far_expiry(rng));
    push(
        &format!("https://{d}"),
        "/",
        format!("cookie_consent={v}; Domain={dm}; Path=/; Expires={ex}; Secure; SameSite=Lax"),
    );

    // 7. UI preferences, host-only on the bare host, no attributes but Path.
    let v = rng.token(10, 24);
    push(
        &format!("https://{d}"),
        "/",
        format!("ui_prefs={v}; Path=/"),
    );

    // 8. Shopping cart, deeper path on the shop host.
    let v = rng.token(16, 32);
    let age = max_age(rng);
    push(
        &format!("https://shop.{d}"),
        "/cart",
        format!("cart_id={v}; Path=/cart; Max-Age={age}; Secure; HttpOnly; SameSite=Lax"),
    );

    // 9. API session on the api host, under /v1.
    let v = rng.token(40, 60);
    push(
        &format!("https://api.{d}"),
        "/v1/login",
        format!("api_session={v}; Path=/v1; Secure; HttpOnly; SameSite=Strict"),
    );

    // 10. No Path attribute: the default path of /account/settings/profile is
    //     /account/settings.
    let v = rng.token(10, 20);
    let ex = far_expiry(rng);
    push(
        &www,
        "/account/settings/profile",
        format!("acct_tab={v}; Expires={ex}; Secure; SameSite=Lax"),
    );
}

/// The `Set-Cookie` stream of a browsing session over `sites` sites: every site visited once,
/// in a seeded random order, each visit sending that site's [`COOKIES_PER_SITE`] cookies.
pub fn set_cookie_stream(sites: usize, seed: u64) -> Vec<SetCookie> {
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..sites).collect();
    rng.shuffle(&mut order);
    let mut out = Vec::with_capacity(sites * COOKIES_PER_SITE);
    for i in order {
        site_cookies(i, &mut rng, &mut out);
    }
    debug_assert_eq!(out.len(), sites * COOKIES_PER_SITE);
    out
}

/// `count` request URLs on random sites among the first `sites`, on their various hosts and
/// paths (all `https`).
pub fn request_urls(sites: usize, count: usize, seed: u64) -> Vec<Url> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let d = site_domain(rng.below(sites));
            let n = rng.between(1, 99_999);
            let text = match rng.below(100) {
                0..=49 => {
                    let path = match rng.below(5) {
                        0 => "/".to_owned(),
                        1 => format!("/products/{n}"),
                        2 => "/account/settings/profile".to_owned(),
                        3 => format!("/blog/{n}-a-post-title"),
                        _ => format!("/search?q=item{n}&page=2"),
                    };
                    format!("https://www.{d}{path}")
                }
                50..=69 => {
                    let path = match rng.below(3) {
                        0 => "/cart".to_owned(),
                        1 => "/cart/checkout".to_owned(),
                        _ => format!("/products/{n}"),
                    };
                    format!("https://shop.{d}{path}")
                }
                70..=84 => format!("https://api.{d}/v1/users/{n}"),
                _ => format!("https://{d}/"),
            };
            url(&text)
        })
        .collect()
}

/// The public suffix list the peers are given, parsed from `public_suffix_list.dat`: the
/// project's test copy when present, else the shared reference copy.
pub fn load_public_suffix_list() -> (PathBuf, publicsuffix::List) {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        manifest.join("tests/data/public_suffix_list.dat"),
        manifest.join("tests/data/psl/public_suffix_list.dat"),
        PathBuf::from("/work/shared/data/public_suffix_list.dat"),
    ];
    for path in candidates {
        if let Ok(text) = std::fs::read_to_string(&path) {
            let list: publicsuffix::List = text
                .parse()
                .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
            return (path, list);
        }
    }
    panic!("public_suffix_list.dat not found (looked in tests/data/, tests/data/psl/ and /work/shared/data/)");
}

/// Two timings taken in turn (see [`paired`]): the median of each and the median of the
/// rounds' ratios `b / a`.
pub struct Paired {
    pub a: f64,
    pub b: f64,
    pub ratio: f64,
}

/// Runs `a` then `b`, `rounds` times; each returns its own time. Both halves of each round's
/// ratio meet the machine in the same state, so the drift of a shared machine, larger than
/// the gap between two close timings taken seconds apart, cancels out of the median ratio.
pub fn paired(rounds: usize, mut a: impl FnMut() -> f64, mut b: impl FnMut() -> f64) -> Paired {
    let (mut ta, mut tb, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds.max(1) {
        let (x, y) = (a(), b());
        ta.push(x);
        tb.push(y);
        ratio.push(y / x);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    Paired {
        a: median(ta),
        b: median(tb),
        ratio: median(ratio),
    }
}
