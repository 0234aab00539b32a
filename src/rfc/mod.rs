//! Pure functions that read like the RFC.
//!
//! Everything here implements a step of RFC 6265bis (draft-ietf-httpbis-rfc6265bis) and names its
//! section. Nothing in this module does I/O, reads the clock or takes a lock: time is a parameter,
//! so every behaviour can be tested with a pinned "now".

pub mod date;
pub mod host;
pub mod parse;
pub mod path;
pub mod suffix;
