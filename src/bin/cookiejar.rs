//! The `cookiejar` command-line tool: look into a jar file, set and explain cookies, move cookies
//! in and out of curl's `cookies.txt` and `cookie_store`'s JSON, and the demo.
//!
//! `cookiejar demo` (also what `cookiejar` alone runs) plays a realistic browsing session
//! through a jar file in a temporary directory: it stores the `Set-Cookie` headers a handful of
//! sites send (a login behind a redirect, analytics, an ad network embedded on a news site, a
//! hostile server), prints every `Cookie` header the jar would send and why each refused cookie
//! was refused, then closes the jar and opens the file again, as a restarted client would.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use cookiejar::interop::{self, Format};
use cookiejar::rfc::host::{domain_match, CanonHost};
use cookiejar::rfc::path::path_match;
use cookiejar::rfc::suffix::{builtin, registrable_domain};
use cookiejar::{
    Consent, Cookie, Jar, JarOptions, Priority, Request, SameSite, SetCookieError, Url,
};

#[path = "cookiejar/bench.rs"]
mod bench;
#[path = "cookiejar/consent.rs"]
mod consent;

/// A browser-grade (RFC 6265bis) cookie jar: inspect and edit a jar file, import and export
/// cookies, and see the engine at work (`cookiejar demo`, the default command).
#[derive(Parser)]
#[command(name = "cookiejar", version, after_help = AFTER_HELP)]
struct Cli {
    /// The jar file [default: cookies.jar in the current directory; for demo, a new file in a
    /// temporary directory]
    #[arg(long, global = true, value_name = "PATH")]
    jar: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

const AFTER_HELP: &str = "\
This tool keeps session cookies in the jar file (an application that opens the file without \
`persist_session_cookies` drops them, as a browser does when it restarts).

Exit status: 0 on success, 1 when a cookie is refused or an operation fails, 2 on a usage error.";

const BENCH_AFTER_HELP: &str = "\
The default run takes about half a minute in a release build, most of it waiting for the peers' \
lookups at 100k cookies (each walks every stored cookie; a time budget caps them). The \
criterion benches (cargo bench --bench engine, --bench persistence) measure the same things \
with more care.";

#[derive(Subcommand)]
enum Command {
    /// Play a realistic browsing session through a jar file: what is stored, sent and refused,
    /// and what is left after reopening the file (the default command)
    Demo {
        /// Keep the jar file instead of deleting it at the end
        #[arg(long)]
        keep: bool,
    },
    /// List the cookies in the jar, as a table
    List {
        /// Show the values too (they are often credentials)
        #[arg(long)]
        values: bool,
        /// Only the cookies whose domain is this domain or under it
        #[arg(long, value_name = "DOMAIN")]
        domain: Option<String>,
    },
    /// The Cookie header the jar sends to URL, and why each other cookie of the site is withheld
    Get {
        /// The request URL
        url: String,
        #[command(flatten)]
        context: ContextArgs,
    },
    /// Store a Set-Cookie header value received from URL (exit status 1 if it is refused)
    Set {
        /// The URL of the response that carried the header
        url: String,
        /// The Set-Cookie header value, e.g. 'sid=1; Path=/; Secure; HttpOnly'
        set_cookie: String,
        #[command(flatten)]
        context: ContextArgs,
    },
    /// Import cookies from a curl/wget cookies.txt or a cookie_store JSON file ("-" reads stdin)
    Import {
        /// The file to read
        file: PathBuf,
        /// The file's format [default: detected from its content]
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Exit with status 1 if any entry could not be imported
        #[arg(long)]
        strict: bool,
    },
    /// Export the jar's cookies to a file ("-" writes to stdout)
    Export {
        /// The file to write (replaced if it exists)
        file: PathBuf,
        /// The format [default: cookie-store-json for a .json file, else netscape]
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
    },
    /// Per-site counts and sizes, how many cookies are Secure, HttpOnly, session-only, and per
    /// consent category
    Stats,
    /// Time this jar against reqwest's Jar and cookie_store, with the ratios side by side
    ///
    /// All three go through reqwest's CookieStore trait: ingest and lookups at 1k, 10k and 100k
    /// cookies, then save and open of 100k. Needs a release build with the reqwest and
    /// cookie_store features: cargo run --release --all-features -- bench
    #[command(after_help = BENCH_AFTER_HELP)]
    Bench {
        /// Cookie headers timed per jar and size (a slow jar stops after its time budget)
        #[arg(long, default_value_t = 2000, value_name = "N")]
        lookups: usize,
        /// A smoke run in a few seconds: lookups at 1k and 10k cookies, save/open of 10k
        #[arg(long, conflicts_with = "million")]
        quick: bool,
        /// Also save and open 1M cookies (slow: one to two minutes, and about 1.5 GB of memory)
        #[arg(long)]
        million: bool,
    },
    /// Show or change the consent the jar enforces, and see what each change purges
    ///
    /// Grant, deny or reset categories jar-wide or per top-level site; switch GPC; choose the
    /// profile and the policy for unclassified cookies; add classification rules. Every change
    /// lists the stored cookies it purged.
    #[command(after_help = consent::CONSENT_AFTER_HELP)]
    Consent(consent::ConsentArgs),
}

/// The browsing context of a request or response, for `get` and `set`.
#[derive(clap::Args)]
struct ContextArgs {
    /// As a subresource of the page at this URL (SameSite applies across sites; Partitioned
    /// cookies are kept under this page's site)
    #[arg(long, value_name = "PAGE_URL", conflicts_with = "navigation_from")]
    from: Option<String>,
    /// As a top-level navigation (a GET) started from the page at this URL
    #[arg(long, value_name = "PAGE_URL")]
    navigation_from: Option<String>,
    /// Through a non-HTTP API such as document.cookie (HttpOnly cookies are off limits)
    #[arg(long)]
    non_http: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Netscape cookies.txt (curl, wget)
    Netscape,
    /// cookie_store's JSON (reqwest_cookie_store)
    CookieStoreJson,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Netscape => Format::Netscape,
            FormatArg::CookieStoreJson => Format::CookieStoreJson,
        }
    }
}

/// A failure to report: the message, and the exit status.
struct Failure(String, u8);

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure(s, 1)
    }
}

type Outcome = Result<(), Failure>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let jar_path = cli.jar.clone();
    let result = match cli.command.unwrap_or(Command::Demo { keep: false }) {
        Command::Demo { keep } => demo(jar_path, keep),
        Command::List { values, domain } => list(&jar_file(jar_path), values, domain.as_deref()),
        Command::Get { url, context } => get(&jar_file(jar_path), &url, &context),
        Command::Set {
            url,
            set_cookie,
            context,
        } => set(&jar_file(jar_path), &url, &set_cookie, &context),
        Command::Import {
            file,
            format,
            strict,
        } => import(&jar_file(jar_path), &file, format.map(Into::into), strict),
        Command::Export { file, format } => {
            export(&jar_file(jar_path), &file, format.map(Into::into))
        }
        Command::Stats => stats(&jar_file(jar_path)),
        Command::Bench {
            lookups,
            quick,
            million,
        } => bench::run(bench::Plan {
            lookups,
            quick,
            million,
        })
        .map_err(Failure::from),
        Command::Consent(args) => consent::run(&jar_file(jar_path), args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message, code)) => {
            if !message.is_empty() {
                eprintln!("cookiejar: {message}");
            }
            ExitCode::from(code)
        }
    }
}

fn jar_file(path: Option<PathBuf>) -> PathBuf {
    path.unwrap_or_else(|| PathBuf::from("cookies.jar"))
}

/// Opens the jar file; a missing file is created only when `create` (commands that only read
/// do not leave an empty jar behind).
fn open(path: &Path, create: bool) -> Result<Jar, Failure> {
    if !create && !path.exists() {
        return Err(Failure(
            format!(
                "no jar file at {} (set or import a cookie first, or name one with --jar)",
                path.display()
            ),
            1,
        ));
    }
    let options = JarOptions::default().persist_session_cookies(true);
    let jar = Jar::open_with(path, options)
        .map_err(|e| format!("cannot open the jar file {}: {e}", path.display()))?;
    let report = jar.open_report();
    if report.lost_anything() || report.invalid_records > 0 {
        eprintln!(
            "cookiejar: note: {} was damaged; {} damaged frames ({} bytes) and {} invalid records \
             were dropped",
            path.display(),
            report.dropped_frames,
            report.dropped_bytes,
            report.invalid_records
        );
    }
    Ok(jar)
}

fn parse_url(text: &str) -> Result<Url, Failure> {
    cookiejar::parse_request_url(text).map_err(|e| Failure(format!("{text}: {e}"), 1))
}

/// The URLs of a `get` or `set` context, parsed.
struct Context {
    url: Url,
    page: Option<Url>,
    navigation: bool,
    non_http: bool,
}

impl Context {
    fn new(url: &str, args: &ContextArgs) -> Result<Context, Failure> {
        let (page, navigation) = match (&args.from, &args.navigation_from) {
            (Some(p), _) => (Some(parse_url(p)?), false),
            (None, Some(p)) => (Some(parse_url(p)?), true),
            (None, None) => (None, false),
        };
        Ok(Context {
            url: parse_url(url)?,
            page,
            navigation,
            non_http: args.non_http,
        })
    }

    fn request(&self) -> Request<'_> {
        let req = match &self.page {
            Some(p) if self.navigation => Request::navigation_from(&self.url, p, true),
            Some(p) => Request::subresource_of(&self.url, p),
            None => Request::new(&self.url),
        };
        if self.non_http {
            req.non_http()
        } else {
            req
        }
    }
}

// ----- set ------------------------------------------------------------------------------------

fn set(path: &Path, url: &str, set_cookie: &str, args: &ContextArgs) -> Outcome {
    let ctx = Context::new(url, args)?;
    let jar = open(path, true)?;
    match jar.set_cookie_at(set_cookie, &ctx.request(), cookiejar::now_ms()) {
        Ok(outcome) => {
            let what = match outcome {
                cookiejar::SetOutcome::Stored => "stored",
                cookiejar::SetOutcome::Replaced => "stored, replacing the cookie it updates",
                cookiejar::SetOutcome::Deleted => {
                    "accepted: it had already expired, so it deleted the stored cookie it matches"
                }
                _ => "accepted: it had already expired and matched no stored cookie, so nothing changed",
            };
            println!("{what}");
            Ok(())
        }
        Err(SetCookieError::Rejected(why)) => {
            println!("refused: {why}");
            Err(Failure(String::new(), 1))
        }
        Err(e) => Err(e.to_string().into()),
    }
}

// ----- get ------------------------------------------------------------------------------------

/// The site of a host (its registrable domain, or the host itself for IP literals and public
/// suffixes), as the jar groups cookies.
fn site_of(host: &str) -> String {
    if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return host.to_owned();
    }
    registrable_domain(builtin(), host)
        .unwrap_or(host)
        .to_owned()
}

fn is_secure_scheme(url: &Url) -> bool {
    matches!(url.scheme(), "https" | "wss")
}

/// Why the jar does not send `c` with the request of `ctx`: RFC 6265bis §5.8.3 step 1, checked
/// rule by rule so that each failing rule can be named.
fn withheld_because(c: &Cookie, ctx: &Context, consent_state: &Consent, now: i64) -> Vec<String> {
    let mut why = Vec::new();
    let url = &ctx.url;
    let Some(host) = CanonHost::of_url(url) else {
        return vec!["the URL has no host".into()];
    };
    if c.expires.is_some_and(|t| t <= now) {
        why.push(format!("it expired at {}", utc(c.expires.unwrap_or(0))));
    }
    if c.host_only && host.name != c.domain {
        why.push(format!(
            "it is host-only for {}, and the request goes to {}",
            c.domain, host.name
        ));
    } else if !c.host_only && !domain_match(host.name, host.is_ip(), &c.domain) {
        why.push(format!(
            "its domain {} does not match the host {}",
            c.domain, host.name
        ));
    }
    if !path_match(url.path(), &c.path) {
        why.push(format!(
            "its path {} does not match the request path {}",
            c.path,
            url.path()
        ));
    }
    if c.secure && !(is_secure_scheme(url) || host.is_loopback()) {
        why.push(format!(
            "it is Secure, and {}://{} is not a secure origin",
            url.scheme(),
            host.name
        ));
    }
    if c.http_only && ctx.non_http {
        why.push("it is HttpOnly, hidden from non-HTTP APIs".into());
    }
    let site = site_of(host.name);
    let page_site = ctx
        .page
        .as_ref()
        .and_then(|p| CanonHost::of_url(p).map(|h| site_of(h.name)));
    if let Some(p) = &c.partition {
        let key = match (&page_site, ctx.navigation) {
            (Some(s), false) => s.clone(),
            _ => site.clone(),
        };
        if *p != key {
            why.push(format!(
                "it is partitioned under the top-level site {p}, and this request's top-level \
                 site is {key}"
            ));
        }
    }
    let cross_site = match (&ctx.page, &page_site) {
        (Some(page), Some(ps)) => *ps != site || is_secure_scheme(page) != is_secure_scheme(url),
        (Some(_), None) => true,
        (None, _) => false,
    };
    if cross_site {
        let lax_ok = ctx.navigation && !ctx.non_http;
        let context = if ctx.navigation {
            "a cross-site navigation"
        } else {
            "a cross-site subresource request"
        };
        match c.same_site {
            SameSite::Strict => why.push(format!("it is SameSite=Strict, and this is {context}")),
            SameSite::Lax if !lax_ok => {
                why.push(format!("it is SameSite=Lax, and this is {context}"));
            }
            SameSite::Default if !lax_ok => why.push(format!(
                "it has no SameSite attribute (treated as Lax), and this is {context}"
            )),
            _ => {}
        }
    }
    // Consent at send time: the decisions of the request's top-level site (the embedding
    // page's for a subresource, else the request's own), first-party when that is the
    // cookie's own site.
    let top = match (&page_site, ctx.navigation) {
        (Some(s), false) => s.clone(),
        _ => site.clone(),
    };
    let first_party = top == site;
    let denied = consent::denied_categories(consent_state, c, &top, first_party);
    if !denied.is_empty() {
        why.push(format!(
            "it is {} ({}), which the consent of the top-level site {top} does not allow {}",
            category(c),
            if c.source == cookiejar::Source::Default {
                "no rule classifies it".to_owned()
            } else {
                format!("classified by {}", c.source)
            },
            if first_party {
                "first-party"
            } else {
                "third-party"
            }
        ));
    }
    why
}

fn same_cookie(a: &Cookie, b: &Cookie) -> bool {
    a.name == b.name
        && a.domain == b.domain
        && a.path == b.path
        && a.host_only == b.host_only
        && a.partition == b.partition
}

fn get(path: &Path, url: &str, args: &ContextArgs) -> Outcome {
    let ctx = Context::new(url, args)?;
    let jar = open(path, false)?;
    let now = cookiejar::now_ms();
    let req = ctx.request();
    let sent = jar.matching_cookies_at(&req, now);
    let consent_state = jar.consent();
    let header = jar.cookie_header_at(&req, now);
    match &header {
        Some(h) => println!("Cookie: {}", printable(h)),
        None => println!("(no Cookie header: no cookie applies)"),
    }
    let host = ctx.url.host_str().unwrap_or_default();
    let site = site_of(host);
    // Every stored cookie, expired ones included: nothing is expired at the dawn of time.
    let withheld: Vec<Cookie> = jar
        .cookies_at(i64::MIN)
        .into_iter()
        .filter(|c| site_of(&c.domain) == site && !sent.iter().any(|s| same_cookie(s, c)))
        .collect();
    if !sent.is_empty() {
        println!("\nsent ({}), in header order:", sent.len());
        for c in &sent {
            println!("  {}", label(c));
        }
    }
    if !withheld.is_empty() {
        println!(
            "\nwithheld ({}), of the other cookies of {site}:",
            withheld.len()
        );
        for c in &withheld {
            let why = withheld_because(c, &ctx, &consent_state, now);
            if why.is_empty() {
                println!("  {}: withheld by the jar", label(c));
            } else {
                println!("  {}: {}", label(c), why.join("; "));
            }
        }
    }
    Ok(())
}

/// `name (domain path)`, with the leading dot of a domain cookie.
fn label(c: &Cookie) -> String {
    let name = if c.name.is_empty() {
        "(nameless)"
    } else {
        &c.name
    };
    format!("{} ({}{})", printable(name), shown_domain(c), c.path)
}

fn shown_domain(c: &Cookie) -> String {
    if c.host_only {
        c.domain.clone()
    } else {
        format!(".{}", c.domain)
    }
}

// ----- list -----------------------------------------------------------------------------------

fn flags(c: &Cookie) -> String {
    let mut f = Vec::new();
    if c.secure {
        f.push("secure");
    }
    if c.http_only {
        f.push("httponly");
    }
    match c.same_site {
        SameSite::Strict => f.push("strict"),
        SameSite::Lax => f.push("lax"),
        SameSite::None => f.push("samesite=none"),
        SameSite::Default => {}
    }
    match c.priority {
        Priority::Low => f.push("low"),
        Priority::High => f.push("high"),
        Priority::Medium => {}
    }
    if c.partition.is_some() {
        f.push("partitioned");
    }
    if f.is_empty() {
        "-".into()
    } else {
        f.join(",")
    }
}

/// The cookie's party where it is kept (the consent model's, from registrable domains): `1p`
/// for a cookie of the site it was set under, `3p@site` for one set by another site's
/// resource on that top-level page, and kept for it alone (a CHIPS partition, or a third-party
/// cookie stored while consent is enforced).
fn party(c: &Cookie, first_party: bool) -> String {
    match (&c.partition, first_party) {
        (Some(p), false) => format!("3p@{p}"),
        (None, false) => "3p".into(),
        _ => "1p".into(),
    }
}

/// The consent categories, marked when an operator rule exempts the cookie.
fn category(c: &Cookie) -> String {
    match c.exemption {
        Some(e) => format!("{} ({e})", c.categories),
        None => c.categories.to_string(),
    }
}

/// Where the classification came from; nothing for a cookie no rule knows.
fn source(c: &Cookie) -> &'static str {
    match c.source {
        cookiejar::Source::Default => "-",
        other => other.name(),
    }
}

fn list(path: &Path, values: bool, domain: Option<&str>) -> Outcome {
    let jar = open(path, false)?;
    let now = cookiejar::now_ms();
    let filter = domain.map(|d| d.trim_start_matches('.').to_ascii_lowercase());
    let cookies: Vec<(Cookie, bool)> = jar
        .audit_at(now)
        .into_iter()
        .filter(|(c, _)| {
            filter
                .as_deref()
                .is_none_or(|d| domain_match(&c.domain, false, d))
        })
        .collect();
    let mut header = vec![
        "DOMAIN",
        "PATH",
        "NAME",
        "EXPIRES (UTC)",
        "FLAGS",
        "CATEGORY",
        "SOURCE",
        "PARTY",
    ];
    if values {
        header.push("VALUE");
    }
    let rows: Vec<Vec<String>> = cookies
        .iter()
        .map(|(c, first_party)| {
            let mut row = vec![
                shown_domain(c),
                c.path.clone(),
                printable(&c.name),
                c.expires.map_or_else(|| "session".into(), utc),
                flags(c),
                category(c),
                source(c).into(),
                party(c, *first_party),
            ];
            if values {
                row.push(printable(&c.value));
            }
            row
        })
        .collect();
    print_table(&header, &rows);
    println!(
        "\n{}{} (a leading dot: also sent to subdomains; source: what classified the cookie; \
         party: 1p first-party, 3p@site third-party, kept for that top-level site only)",
        count(rows.len(), "cookie"),
        domain.map(|d| format!(" under {d}")).unwrap_or_default()
    );
    Ok(())
}

fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<w$}  "));
            }
        }
        println!("{}", out.trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

// ----- stats ----------------------------------------------------------------------------------

#[derive(Default)]
struct SiteStats {
    cookies: usize,
    bytes: usize,
    secure: usize,
    http_only: usize,
    session: usize,
    partitioned: usize,
    /// Per consent category, by its number; a cookie in several counts in each.
    categories: [usize; 5],
}

impl SiteStats {
    fn add(&mut self, c: &Cookie) {
        self.cookies += 1;
        self.bytes += c.name.len() + c.value.len();
        self.secure += usize::from(c.secure);
        self.http_only += usize::from(c.http_only);
        self.session += usize::from(c.is_session());
        self.partitioned += usize::from(c.partition.is_some());
        for k in c.categories.iter() {
            self.categories[usize::from(k.as_u8())] += 1;
        }
    }

    fn row(&self, site: &str) -> Vec<String> {
        vec![
            site.to_owned(),
            self.cookies.to_string(),
            self.bytes.to_string(),
            self.secure.to_string(),
            self.http_only.to_string(),
            self.session.to_string(),
            self.partitioned.to_string(),
        ]
        .into_iter()
        .chain(self.categories.iter().map(usize::to_string))
        .collect()
    }
}

fn stats(path: &Path) -> Outcome {
    let jar = open(path, false)?;
    let cookies = jar.cookies_at(cookiejar::now_ms());
    let mut sites: BTreeMap<String, SiteStats> = BTreeMap::new();
    let mut total = SiteStats::default();
    for c in &cookies {
        sites.entry(site_of(&c.domain)).or_default().add(c);
        total.add(c);
    }
    let mut by_count: Vec<(&String, &SiteStats)> = sites.iter().collect();
    by_count.sort_by(|a, b| b.1.cookies.cmp(&a.1.cookies).then(a.0.cmp(b.0)));
    let mut rows: Vec<Vec<String>> = by_count.iter().map(|(s, st)| st.row(s)).collect();
    rows.push(total.row(&format!("total ({})", count(sites.len(), "site"))));
    print_table(
        &[
            "SITE",
            "COOKIES",
            "BYTES",
            "SECURE",
            "HTTPONLY",
            "SESSION",
            "PARTITIONED",
            "NEC",
            "PREF",
            "STAT",
            "MKT",
            "UNCL",
        ],
        &rows,
    );
    let file = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    println!(
        "\nBYTES counts names and values; NEC, PREF, STAT, MKT, UNCL count the consent categories \
         (necessary, preferences, statistics, marketing, unclassified). Jar file: {} ({} bytes on disk, limits: 180 cookies per \
         site, 3300 in all)",
        path.display(),
        file
    );
    Ok(())
}

// ----- import / export ------------------------------------------------------------------------

fn read_input(file: &Path) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let read = if file == Path::new("-") {
        io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        fs::File::open(file).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    read.map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    Ok(bytes)
}

/// Imports bigger than this show a progress bar (on a terminal).
const PROGRESS_FROM: usize = 2_000;

fn import(path: &Path, file: &Path, format: Option<Format>, strict: bool) -> Outcome {
    let bytes = read_input(file)?;
    let format = format.unwrap_or_else(|| Format::detect(&bytes));
    if !format.is_available() {
        return Err(format!(
            "{} is in the {format} format, which this build cannot read (rebuild with \
             --features cookie_store)",
            file.display()
        )
        .into());
    }
    let parsed = interop::parse(&bytes, Some(format))
        .map_err(|e| format!("cannot import {}: {e}", file.display()))?;
    let jar = open(path, true)?;
    let before = jar.len();
    let count = parsed.cookies.len();
    let started = Instant::now();
    let bar = (count >= PROGRESS_FROM).then(|| {
        let bar = indicatif::ProgressBar::new(count as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "importing {bar:40} {pos}/{len} cookies ({eta} left)",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let report = interop::insert_all(&jar, parsed, cookiejar::now_ms(), |done| {
        if let Some(bar) = &bar {
            if done % 64 == 0 || done == count {
                bar.set_position(done as u64);
            }
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = report.map_err(|e| format!("the import stopped: {e}"))?;
    println!(
        "imported {} ({format}) into {} in {:.0?}: {} stored, {} replaced, {} already expired, {} \
         skipped",
        file.display(),
        path.display(),
        started.elapsed(),
        report.stored,
        report.replaced,
        report.expired,
        report.skipped.len()
    );
    let evicted = (before + report.stored).saturating_sub(jar.len());
    if evicted > 0 {
        println!(
            "note: {evicted} cookies were evicted to keep the jar within its limits (180 per \
             site, 3300 in all)"
        );
    }
    const SHOWN: usize = 100;
    for s in report.skipped.iter().take(SHOWN) {
        eprintln!("  skipped {s}");
    }
    if report.skipped.len() > SHOWN {
        eprintln!("  ... and {} more", report.skipped.len() - SHOWN);
    }
    let nothing = report.stored + report.replaced + report.expired == 0;
    if !report.skipped.is_empty() && (strict || nothing) {
        return Err(Failure(
            format!(
                "{} of the entries of {} could not be imported",
                report.skipped.len(),
                file.display()
            ),
            1,
        ));
    }
    Ok(())
}

fn export(path: &Path, file: &Path, format: Option<Format>) -> Outcome {
    let format = format.unwrap_or_else(|| match file.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("json") => Format::CookieStoreJson,
        _ => Format::Netscape,
    });
    if !format.is_available() {
        return Err(format!(
            "this build cannot write the {format} format (rebuild with --features cookie_store)"
        )
        .into());
    }
    let jar = open(path, false)?;
    let now = cookiejar::now_ms();
    let report = if file == Path::new("-") {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        interop::export(&jar, format, &mut out, now).map_err(|e| e.to_string())?
    } else {
        // Into a file beside the target, then renamed over it: a failed export leaves the
        // old file as it was.
        let mut name = file.file_name().unwrap_or_default().to_os_string();
        name.push(".partial");
        let partial = file.with_file_name(name);
        let written = fs::File::create(&partial)
            .map_err(|e| format!("cannot create {}: {e}", partial.display()))
            .and_then(|mut f| interop::export(&jar, format, &mut f, now).map_err(|e| e.to_string()))
            .and_then(|r| {
                fs::rename(&partial, file)
                    .map(|()| r)
                    .map_err(|e| format!("cannot write {}: {e}", file.display()))
            });
        if written.is_err() {
            let _ = fs::remove_file(&partial);
        }
        written?
    };
    eprintln!(
        "exported {} ({format}) to {}{}",
        count(report.written, "cookie"),
        file.display(),
        if report.skipped.is_empty() {
            String::new()
        } else {
            format!("; {} left out:", report.skipped.len())
        }
    );
    for ((domain, path, name), why) in &report.skipped {
        eprintln!("  {} ({domain}{path}): {why}", printable(name));
    }
    Ok(())
}

// ----- demo -----------------------------------------------------------------------------------

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

/// The requests replayed after the jar is reopened.
const AFTER_RESTART: &[(&str, Option<&str>)] = &[
    ("https://www.example.com/account", None),
    (
        "https://ad.doubleclick.net/ad",
        Some("https://news.example.org/"),
    ),
];

fn demo_parse(url: &str) -> Result<Url, String> {
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

fn print_request(jar: &Jar, url: &str, top: Option<&str>) -> Result<(), String> {
    let url_p = demo_parse(url)?;
    let top_p = top.map(demo_parse).transpose()?;
    let header = jar.cookie_header_at(&request(&url_p, top_p.as_ref()), cookiejar::now_ms());
    println!("\n-> request to {url}{}", context(top));
    match header {
        Some(h) => println!("   Cookie: {h}"),
        None => println!("   (no Cookie header)"),
    }
    Ok(())
}

/// A new directory for the demo's jar file, under the system's temporary directory.
fn demo_dir() -> Result<PathBuf, String> {
    let base = std::env::temp_dir();
    for attempt in 0..100u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = base.join(format!(
            "cookiejar-demo-{}-{nanos:x}-{attempt}",
            std::process::id()
        ));
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(format!(
                    "cannot create a directory in {}: {e}",
                    base.display()
                ))
            }
        }
    }
    Err(format!(
        "cannot create a fresh directory in {}",
        base.display()
    ))
}

fn demo(jar_path: Option<PathBuf>, keep: bool) -> Outcome {
    let (path, temp_dir) = match jar_path {
        Some(p) => (p, None),
        None => {
            let dir = demo_dir()?;
            (dir.join("cookies.jar"), Some(dir))
        }
    };
    let result = play(&path);
    match (&temp_dir, keep) {
        (Some(dir), false) => {
            let _ = fs::remove_dir_all(dir);
        }
        _ => println!("\nThe jar file stays at {}.", path.display()),
    }
    result.map_err(Failure::from)
}

fn play(path: &Path) -> Result<(), String> {
    println!("A browsing session through the jar file {}", path.display());
    let started = Instant::now();
    let jar = Jar::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let (mut stored, mut refused, mut sent) = (0usize, 0usize, 0usize);
    for step in SESSION {
        match *step {
            Step::Response {
                url,
                top,
                set_cookies,
            } => {
                let url_p = demo_parse(url)?;
                let top_p = top.map(demo_parse).transpose()?;
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
                print_request(&jar, url, top)?;
                sent += 1;
            }
        }
    }
    let len = jar.len();
    drop(jar);
    println!(
        "\n{len} cookies in the jar; {stored} accepted, {refused} refused, {sent} requests, in \
         {:.0?}",
        started.elapsed()
    );

    println!(
        "\n== The client restarts: the jar is closed, and {} opened again",
        path.display()
    );
    let reopened = Instant::now();
    let jar = Jar::open(path).map_err(|e| format!("cannot reopen {}: {e}", path.display()))?;
    let took = reopened.elapsed();
    let report = jar.open_report();
    let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    println!(
        "   reopened in {took:.0?}: {} records replayed, {} cookies back (session cookies do \
         not come back, as in a browser)",
        report.records,
        jar.len()
    );
    for c in jar.cookies() {
        println!(
            "   kept {} until {}",
            label(&c),
            c.expires
                .map_or_else(|| "the end of the session".into(), utc)
        );
    }
    for &(url, top) in AFTER_RESTART {
        print_request(&jar, url, top)?;
    }
    println!(
        "\nThe jar file is {size} bytes on disk (space is reserved in 1 MiB steps); the whole \
         demo took {:.0?}.",
        started.elapsed()
    );
    Ok(())
}

// ----- formatting -----------------------------------------------------------------------------

/// `1 cookie`, `2 cookies`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
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

/// Unix milliseconds as `YYYY-MM-DD HH:MM:SS` in UTC.
fn utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days to a civil date: count from 0000-03-01 in 400-year eras of 146 097 days, so that
    // the leap day ends each year.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = era * 400 + yoe + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_formats_civil_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00:00");
        assert_eq!(utc(1_767_225_599_000), "2025-12-31 23:59:59");
        assert_eq!(utc(-1000), "1969-12-31 23:59:59");
    }
}
