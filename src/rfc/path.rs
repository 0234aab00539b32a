//! Paths: RFC 6265bis §5.1.4 ("Paths and Path-Match").

/// RFC 6265bis §5.1.4 default-path: the directory of the request path.
///
/// `uri_path` is the path component of the request URI, as the URL parser produced it.
pub fn default_path(uri_path: &str) -> &str {
    // Step 2: an empty path, or one that does not start with "/", gives "/".
    if !uri_path.starts_with('/') {
        return "/";
    }
    // Steps 3 and 4: everything up to, but not including, the right-most "/"; if that "/" is the
    // first character, the default path is "/".
    match uri_path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &uri_path[..i],
    }
}

/// RFC 6265bis §5.1.4 path-match: does `request_path` path-match `cookie_path`?
pub fn path_match(request_path: &str, cookie_path: &str) -> bool {
    path_match_bytes(request_path.as_bytes(), cookie_path.as_bytes())
}

/// [`path_match`] on the bytes of the two paths, for the jar's lookup, which keeps a cookie's
/// strings as one buffer.
#[inline]
pub(crate) fn path_match_bytes(request_path: &[u8], cookie_path: &[u8]) -> bool {
    use super::same_bytes;
    // The cookie-path and the request-path are identical.
    if same_bytes(request_path, cookie_path) {
        return true;
    }
    // The cookie-path is a prefix of the request-path, and either the cookie-path ends in "/",
    // or the first character of the request-path that is not in the cookie-path is "/".
    let n = cookie_path.len();
    request_path.len() > n
        && same_bytes(&request_path[..n], cookie_path)
        && (cookie_path.ends_with(b"/") || request_path[n] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_path_is_the_directory_of_the_request_path() {
        assert_eq!(default_path(""), "/");
        assert_eq!(default_path("foo"), "/");
        assert_eq!(default_path("/"), "/");
        assert_eq!(default_path("/foo"), "/");
        assert_eq!(default_path("/foo/"), "/foo");
        assert_eq!(default_path("/foo/bar"), "/foo");
        assert_eq!(default_path("/foo/bar/baz.html"), "/foo/bar");
    }

    #[test]
    fn path_match_requires_a_segment_boundary() {
        assert!(path_match("/", "/"));
        assert!(path_match("/foo", "/"));
        assert!(path_match("/foo", "/foo"));
        assert!(path_match("/foo/", "/foo"));
        assert!(path_match("/foo/bar", "/foo"));
        assert!(path_match("/foo/bar", "/foo/"));
        assert!(!path_match("/foobar", "/foo"));
        assert!(!path_match("/fo", "/foo"));
        assert!(!path_match("/", "/foo"));
        assert!(!path_match("/Foo", "/foo"), "paths are case-sensitive");
    }
}
