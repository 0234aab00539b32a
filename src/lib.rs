//! # cookiejar
//!
//! A browser-grade cookie jar (RFC 6265 and its successor RFC 6265bis) for HTTP clients: it
//! stores the cookies from `Set-Cookie` headers and produces the `Cookie` header for each
//! request exactly as a modern browser would — public-suffix protection, `SameSite`, cookie
//! prefixes, `Partitioned` (CHIPS), limits and eviction — with lookups that touch only the
//! cookies of the request's site.
//!
//! ```
//! use cookiejar::Jar;
//! use url::Url;
//!
//! let jar = Jar::default();
//! let login = Url::parse("https://accounts.example.com/login").unwrap();
//! jar.set_cookie("sid=abc123; Domain=example.com; Path=/; Secure; HttpOnly", &login).unwrap();
//! jar.set_cookie("lang=en", &login).unwrap();
//!
//! let page = Url::parse("https://www.example.com/home").unwrap();
//! assert_eq!(jar.cookie_header(&page).as_deref(), Some("sid=abc123"));
//!
//! // A public suffix can never receive a cookie (no "supercookies").
//! let err = jar.set_cookie("track=1; Domain=com", &login).unwrap_err();
//! assert_eq!(err.to_string(), "cookie ignored: the Domain attribute is a public suffix (a supercookie)");
//! ```
//!
//! Layers, from the bottom: [`rfc`] (pure functions, one per RFC step), [`jar`] (the storage
//! and retrieval models, limits, the index), and the C ABI in `ffi` (see `include/cookiejar.h`).

#![warn(missing_docs)]

pub mod consent;
pub mod ffi;
pub mod interop;
pub mod jar;
pub mod rfc;
pub mod store;

pub use consent::{
    Category, CategorySet, Classification, Classifier, Consent, ConsentState, Decision, Profile,
    Rule, Source, UnclassifiedPolicy,
};
pub use jar::{
    now_ms, parse_request_url, ConsentChangeError, Cookie, Jar, JarOptions, Rejection, Request,
    RequestKind, SetCookieError, SetOutcome, UnclassifiedSeen, UrlError,
};
pub use rfc::parse::{ParseError, Priority, SameSite};
pub use rfc::suffix::PublicSuffixList;
pub use store::{Durability, OpenReport, StoreError};
pub use url::Url;
