#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets (fuzz/seeds/TARGET/).

Run from the repository root after `cargo build --bin cookiejar`; the jar files for the
file_open seeds are made by the library itself, through that command-line tool. The seeds are
small and each means something: real Set-Cookie headers (the http-state suite), real dates,
URLs and hosts around the edge cases of canonicalisation, real jar files, and short operation
scripts for the model (the byte format is documented in fuzz_targets/model.rs).
"""
import json
import os
import pathlib
import struct
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fuzz" / "seeds"
CLI = os.environ.get("COOKIEJAR_CLI", str(ROOT / "target" / "debug" / "cookiejar"))


def write(target, name, data):
    d = SEEDS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def set_cookie_parse():
    seen = set()
    for test in sorted((ROOT / "tests" / "data" / "http-state").glob("*-test")):
        for line in test.read_bytes().splitlines():
            if line.lower().startswith(b"set-cookie:"):
                value = line.split(b":", 1)[1].lstrip()
                if value not in seen and len(seen) < 120:
                    seen.add(value)
                    write("set_cookie_parse", f"http-state-{test.name[:-5]}-{len(seen)}", value)
    dates = json.loads((ROOT / "tests" / "data" / "http-state-dates" / "examples.json").read_text())
    for i, case in enumerate(dates[:25]):
        write("set_cookie_parse", f"date-{i}", "a=b; Expires=" + case["test"])
    extra = [
        "__Host-id=1; Secure; Path=/",
        "__Secure-id=1; Secure; Domain=example.com",
        "sid=1; SameSite=None; Secure; Partitioned; Priority=High",
        "nameless",
        "=v; Max-Age=-1; Max-Age=99999999999999999999",
        "a=b; Path=/x; Path=rel; Domain=.Example.COM; Domain=",
        "a=b\tc; HttpOnly; SameSite=bogus",
        "a=" + "v" * 4094,
        "a=b; Path=/" + "p" * 1023,
    ]
    for i, h in enumerate(extra):
        write("set_cookie_parse", f"extra-{i}", h)


def host_url():
    cases = [
        "https://www.example.com/a/b\nexample.com\nwww.example.com\nexample.com\ncom",
        "http://WWW.Example.COM./x/\nEXAMPLE.com.\n/a/b/c\n/a/b\n/a",
        "https://bücher.example/\nxn--bcher-kva.example\n/a/\n/a\n/",
        "http://0x7f.1/\n127.0.0.1\n1.2.3.4\n2.3.4\n3.4",
        "http://[0:0::1]/x/\n[::1]\n/x\n/x/\n/",
        "localhost\nlocalhost\na.localhost\nlocalhost\n",
        "user.github.io/p%20q/r\ngithub.io\nuser.github.io\ngithub.io\nio",
        "https://a.b.c.d.e.f.g.h.i.example.org/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/\n"
        "c.d.e.f.g.h.i.example.org\n..\n.\n",
        "https://user.github.io/é/x\nxn--\n/é\n/é/x\n/",
        "ws://example.com:8080/\n0x1f.example\na..b\nb\n",
        "https://www.example.com/a/b/c/d\nwww.example.com\n/a/b/c/\n/a/b/c\n/a/b",
    ]
    for i, c in enumerate(cases):
        write("host_url", f"case-{i}", c)


def jar_file(sets):
    """A jar file made by the library: (url, header) pairs stored through the CLI."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "seed.jar")
        for url, header in sets:
            subprocess.run([CLI, "set", "--jar", path, url, header], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        data = pathlib.Path(path).read_bytes()
    return data[: len(data.rstrip(b"\0"))]


def frames(data):
    """The payloads of the frames of a jar file."""
    out, pos = [], 64
    while pos + 8 <= len(data):
        (word0,) = struct.unpack_from("<I", data, pos)
        if word0 == 0:
            break
        n = word0 & 0xFFFFFF
        out.append(data[pos + 8: pos + 8 + n])
        pos += 8 + n
    return out


def file_open():
    files = {
        "one": [("https://www.example.com/", "sid=1; Max-Age=86400; Secure; HttpOnly")],
        "several": [
            ("https://www.example.com/a/b", "a=1; Max-Age=3600"),
            ("https://www.example.com/", "b=2; Domain=example.com; Max-Age=3600; SameSite=Strict"),
            ("https://shop.example.com/", "__Host-c=3; Secure; Path=/; Max-Age=60; Priority=High"),
            ("https://www.example.com/", "a=1; Max-Age=0"),
            ("http://127.0.0.1/", "ip=4; Max-Age=3600"),
        ],
        "partitioned": [("https://ads.example.net/", "p=1; Secure; Partitioned; SameSite=None; Max-Age=999")],
        "replaced": [("https://example.org/", f"r=value-{i}; Max-Age=999") for i in range(6)],
        "session": [("https://example.org/", "s=1")],
    }
    for name, sets in files.items():
        data = jar_file(sets)
        # Mode 0: the raw file; mode 0x30: the same with sessions kept and small limits.
        write("file_open", f"{name}", b"\x00" + data)
        write("file_open", f"{name}-small-limits", b"\x30" + data)
        # Mode 2: the same records, framed by the target (one length byte per frame).
        framed = b"".join(bytes([len(p)]) + p for p in frames(data) if 0 < len(p) < 256)
        write("file_open", f"{name}-frames", b"\x02" + framed)
    write("file_open", "header-only", b"\x01")
    write("file_open", "empty", b"\x00")
    write("file_open", "torn-tail", b"\x00" + jar_file(files["several"])[:-7])


# The model's operations (fuzz_targets/model.rs, `Input::decode`): opcode, then arguments.
SET, SETRAW, LOOKUP, REMOVE, REMOVENAMED, CLEARDOMAIN, CLEAR, CLEARSESSION, PURGE = range(9)
CONSENT, GPC, PROFILE, UNCLASSIFIED, FLUSH, REOPEN, FAIL, ADVANCE = range(9, 17)


def setop(url, name, value=1, domain=0, path=0, max_age=5, flags=0, same_site=0, priority=0,
          ctx=0, top=0, long=0):
    # url ctx top name value long domain path max_age expires(0) flags same_site priority
    return bytes([SET, url, ctx, top, name, value, long, domain, path, max_age, 0, flags,
                  same_site, priority])


def model():
    scripts = {
        # Store, look up, reopen: the persistence round trip.
        "set-lookup-reopen": bytes([0]) + setop(0, 2, flags=1) + setop(1, 0, domain=1, path=2)
        + bytes([LOOKUP, 1, 0, 0, REOPEN, 0, LOOKUP, 0, 0, 0]),
        # A write failure in the middle: poisoned, then a reopen keeps what was acknowledged.
        "write-failure": bytes([1]) + setop(0, 0) + bytes([FAIL, 0, 0]) + setop(0, 1)
        + setop(0, 2) + bytes([REOPEN, 0]) + setop(0, 1),
        # Consent: deny marketing on a site, store a marketing cookie there, then grant.
        "consent": bytes([0, CONSENT, 0, 0b0001]) + setop(0, 6, max_age=6)
        + bytes([CONSENT, 1, 0b1111]) + setop(0, 6, max_age=6)
        + bytes([GPC, 1, LOOKUP, 0, 0, 0, REOPEN, 0]),
        # Small limits: eviction, with lookups changing who goes first, across a reopen.
        "eviction": bytes([2]) + b"".join(setop(0, n % 9, value=n, path=n % 4) for n in range(9))
        + bytes([LOOKUP, 0, 0, 0, REOPEN, 0]) + setop(3, 0, value=9) + setop(3, 1, value=9),
        # Clear compacts the file; a failure during it.
        "clear-fault": bytes([0]) + setop(2, 0) + setop(2, 1) + bytes([FAIL, 3, 0, CLEAR])
        + setop(2, 2) + bytes([REOPEN, 0]),
        # Expiry: time passes, purge, clear session cookies, flush with a sync failure.
        "expiry": bytes([9]) + setop(4, 0, max_age=3) + setop(4, 1, max_age=0)
        + bytes([ADVANCE, 100, 0, 0, 0, PURGE, CLEARSESSION, FAIL, 2, 0, FLUSH, REOPEN, 0]),
        # Cross-site contexts and partitioned cookies.
        "cross-site": bytes([0]) + setop(9, 1, flags=5, same_site=3, ctx=1, top=0)
        + setop(9, 0, ctx=1, top=0) + bytes([LOOKUP, 9, 1, 0, LOOKUP, 9, 1, 4, LOOKUP, 9, 2, 4])
        + bytes([SETRAW, 0, 20]) + b"raw=1; Max-Age=60; xx" + bytes([REMOVE, 0, CLEARDOMAIN, 1]),
        # A fault armed at reopen time, then removals.
        "reopen-fault": bytes([1]) + setop(5, 0, domain=4) + bytes([REOPEN, 1, 0, 0])
        + bytes([REMOVENAMED, 4, 1, 0, PROFILE, 1, UNCLASSIFIED, 2]),
    }
    for name, data in scripts.items():
        write("model", name, data)


if __name__ == "__main__":
    set_cookie_parse()
    host_url()
    file_open()
    model()
