"""Benchmark: cookiejar against http.cookiejar, on the same cookies.

    python bindings/python/bench.py [--sizes 1000,10000] [--seconds 1.5]

(run it with the interpreter that has cookiejar installed: `bash bindings/python/run-tests.sh`
leaves one in bindings/python/.venv, built in release mode.)

1. Per-request cost through requests, on a jar of N cookies spread over N/10 sites (each
   request goes to a random site, whose ~10 cookies it carries):
   - "standard": requests' own RequestsCookieJar (http.cookiejar) holding the cookies;
   - "drop-in": session.cookies = cookiejar.CookieJar();
   - "fast": cookiejar.for_requests.install(session, jar) (adapter, NullCookieJar);
   - "baseline": no cookies at all, to subtract what requests costs by itself.
   The transport is a requests adapter that answers in memory (nothing touches the network),
   so only requests' machinery and the cookie handling are measured. Two workloads: a plain
   GET, and a GET whose response also sets one cookie (which changes the jar every request).
2. Load time of a saved jar of N cookies: ours opens a jar file; theirs parses the same
   cookies saved by http.cookiejar.MozillaCookieJar and LWPCookieJar.

Medians of many runs are printed, with ratios. The target: at 10k cookies, the fast adapter's
per-request cookie cost is at least 10x below the standard jar's.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import io
import os
import random
import statistics
import sys
import tempfile
import time
from typing import Callable, Dict, List, Optional, Tuple

# This script sits beside the package's sources, which have no compiled library: make
# `import cookiejar` find the installed package.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]

import requests  # noqa: E402
import urllib3  # noqa: E402
from requests.adapters import BaseAdapter, HTTPAdapter  # noqa: E402

import cookiejar  # noqa: E402
from cookiejar.for_requests import install  # noqa: E402

COOKIES_PER_SITE = 10


class _Original:
    """Stands for the http.client response under a urllib3 one: requests reads its ``msg``
    (the headers, for cookies), urllib3 asks whether it is closed."""

    def __init__(self, msg: http.client.HTTPMessage) -> None:
        self.msg = msg

    def isclosed(self) -> bool:
        return True

    def close(self) -> None:
        pass


class InMemoryTransport(BaseAdapter):
    """A requests adapter that never opens a socket: it answers 200 "ok" at once, with a
    Set-Cookie header when ``set_cookie`` is on (a different cookie each time)."""

    def __init__(self, set_cookie: bool = False) -> None:
        super().__init__()
        self.set_cookie = set_cookie
        self.counter = 0
        self._build = HTTPAdapter().build_response

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        msg = http.client.HTTPMessage()
        msg["Content-Length"] = "2"
        if self.set_cookie:
            self.counter += 1
            msg["Set-Cookie"] = f"visit{self.counter % 50}={self.counter}; Path=/; Max-Age=3600"

        original = _Original(msg)
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(b"ok"), headers=dict(msg.items()), status=200, reason="OK",
            preload_content=False, original_response=original,  # type: ignore[arg-type]
        )
        return self._build(request, raw)

    def close(self) -> None:
        pass


def fill(jar: cookiejar.Jar, n: int, rng: random.Random) -> List[str]:
    """N cookies over N/10 sites (a mix of host-only and domain cookies, two paths, all
    persistent); returns one request URL per site."""
    urls = []
    for site in range(n // COOKIES_PER_SITE):
        host = f"www.site{site}.com"
        urls.append(f"https://{host}/app/page?q={site}")
        for i in range(COOKIES_PER_SITE):
            domain = "; Domain=" + host[4:] if i % 2 else ""
            path = "/app" if i % 3 == 0 else "/"
            value = "%016x" % rng.getrandbits(64)
            jar.set_cookie(f"https://{host}/", f"c{i}={value}{domain}; Path={path}; Max-Age=86400; Secure")
    return urls


def median_time(run: Callable[[], object], seconds: float, min_runs: int = 15) -> Tuple[float, int]:
    """Median wall time of one call, over at least ``min_runs`` calls and ``seconds``."""
    times: List[float] = []
    deadline = time.perf_counter() + seconds
    while len(times) < min_runs or time.perf_counter() < deadline:
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
        if len(times) >= 20000:
            break
    return statistics.median(times), len(times)


def session_with(kind: str, engine: cookiejar.Jar, transport: BaseAdapter) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.mount("https://", transport)
    session.mount("http://", transport)
    if kind == "baseline":
        session.cookies = cookiejar.NullCookieJar()  # type: ignore[assignment]
    elif kind == "standard":
        std = requests.cookies.RequestsCookieJar()
        for c in engine.cookies():
            std.set_cookie(cookiejar.to_http_cookie(c))
        session.cookies = std
    elif kind == "drop-in":
        session.cookies = cookiejar.CookieJar(jar=engine.copy())  # type: ignore[assignment]
    elif kind == "fast":
        install(session, engine.copy())
    else:
        raise ValueError(kind)
    return session


def check_same_headers(n_urls: List[str], engine: cookiejar.Jar) -> None:
    """Sanity: every configuration sends a Cookie header with the same cookies."""
    seen: Dict[str, Optional[str]] = {}

    class Capture(InMemoryTransport):
        def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
            seen[kind] = request.headers.get("Cookie")
            return super().send(request, **kwargs)

    for kind in ("standard", "drop-in", "fast"):
        session_with(kind, engine, Capture()).get(n_urls[0])
    sets = {k: sorted((v or "").split("; ")) for k, v in seen.items()}
    assert sets["standard"] == sets["drop-in"] == sets["fast"] and sets["fast"] != [""], seen


def bench_requests(n: int, seconds: float, rng: random.Random) -> Dict[Tuple[str, bool], float]:
    """Median seconds per request for each configuration and workload, plus ("paired", w):
    the median of (fast - baseline) over back-to-back pairs, and ("engine", w): the engine
    calls the fast adapter makes, timed alone.

    The configurations run interleaved, round after round, so that a change in the machine's
    load during the run affects them alike; the slow ones run once per round, the fast ones
    many times."""
    engine = cookiejar.Jar(max_cookies=4 * n, max_cookies_per_site=1000)
    urls = fill(engine, n, rng)
    assert len(engine) == n, len(engine)
    check_same_headers(urls, engine)
    results: Dict[Tuple[str, bool], float] = {}
    kinds = ("baseline", "standard", "drop-in", "fast")
    for set_cookie in (False, True):
        sessions = {k: session_with(k, engine, InMemoryTransport(set_cookie)) for k in kinds}
        pick = random.Random(n).choice
        for session in sessions.values():
            session.get(pick(urls))  # warm up (imports, the drop-in jar's first snapshot)
        times: Dict[str, List[float]] = {k: [] for k in kinds}
        paired: List[float] = []
        deadline = time.perf_counter() + seconds * len(kinds)
        rounds = 0
        while rounds < 7 or time.perf_counter() < deadline:
            rounds += 1
            for kind in ("standard", "drop-in"):
                t = time.perf_counter()
                sessions[kind].get(pick(urls))
                times[kind].append(time.perf_counter() - t)
            for _ in range(25):
                url = pick(urls)
                t0 = time.perf_counter()
                sessions["baseline"].get(url)
                t1 = time.perf_counter()
                sessions["fast"].get(url)
                t2 = time.perf_counter()
                times["baseline"].append(t1 - t0)
                times["fast"].append(t2 - t1)
                paired.append((t2 - t1) - (t1 - t0))
        for kind in kinds:
            results[(kind, set_cookie)] = statistics.median(times[kind])
            sessions[kind].close()
        results[("paired", set_cookie)] = statistics.median(paired)

        # What the adapter adds per request, without requests around it.
        fast_jar = engine.copy()
        values = [f"visit{i % 50}={i}; Path=/; Max-Age=3600" for i in range(1000)]

        def engine_calls(i=[0], jar=fast_jar, pick=pick, set_cookie=set_cookie, values=values) -> None:  # noqa: B006
            url = pick(urls)
            jar.cookie_header(url)
            if set_cookie:
                i[0] += 1
                jar.set_cookie(url, values[i[0] % 1000])

        results[("engine", set_cookie)], _ = median_time(engine_calls, min(seconds, 0.5), min_runs=200)
        fast_jar.close()
        label = "GET+Set-Cookie" if set_cookie else "GET"
        print(f"  {n:>6} cookies  {label:<15} " + "  ".join(
            f"{k} {results[(k, set_cookie)] * 1e6:.1f}µs" for k in kinds + ("paired", "engine")
        ) + f"  ({rounds} rounds)", file=sys.stderr)
    engine.close()
    return results


def bench_load(n: int, seconds: float, rng: random.Random, tmp: str) -> Dict[str, float]:
    ours = os.path.join(tmp, f"ours-{n}.jar")
    with cookiejar.Jar(ours, max_cookies=4 * n, max_cookies_per_site=1000) as engine:
        fill(engine, n, rng)
        engine.flush()
        exported = [cookiejar.to_http_cookie(c) for c in engine.cookies()]
    results: Dict[str, float] = {}
    for name, cls in (("MozillaCookieJar", http.cookiejar.MozillaCookieJar), ("LWPCookieJar", http.cookiejar.LWPCookieJar)):
        path = os.path.join(tmp, f"{name}-{n}.txt")
        saver = cls(path)
        for c in exported:
            saver.set_cookie(c)
        saver.save(ignore_discard=True)

        def load(cls=cls, path=path) -> None:
            jar = cls()
            jar.load(path, ignore_discard=True)
            assert len(jar) == n

        results[name], _ = median_time(load, seconds, min_runs=7)

    def open_ours() -> None:
        with cookiejar.Jar(ours, max_cookies=4 * n, max_cookies_per_site=1000) as jar:
            assert len(jar) == n

    results["cookiejar"], _ = median_time(open_ours, seconds, min_runs=7)
    return results


def fmt(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--seconds", type=float, default=1.5, help="time per measurement")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(6265)
    print(f"cookiejar {cookiejar.library_version} ({cookiejar._ffi.library_path.name}), requests {requests.__version__}, "
          f"Python {sys.version.split()[0]}", file=sys.stderr)

    rows = []
    for n in sizes:
        r = bench_requests(n, args.seconds, rng)
        rows.append((n, r))

    print("\n## Per-request cost through requests (medians)\n")
    print("Cookie cost = time per request minus the same request with no cookie handling at all. "
          "For the fast adapter it is the median of back-to-back (fast - baseline) pairs, and never "
          "less than its engine calls timed alone (last column), which bound it from below.\n")
    print("| cookies | workload | no cookies | standard jar | drop-in CookieJar | fast adapter | "
          "cookie cost: standard | drop-in | fast | standard ÷ fast | engine calls alone |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    verdict = []
    for n, r in rows:
        for set_cookie in (False, True):
            base = r[("baseline", set_cookie)]
            engine_alone = r[("engine", set_cookie)]
            cost = {k: r[(k, set_cookie)] - base for k in ("standard", "drop-in")}
            cost["fast"] = max(r[("paired", set_cookie)], engine_alone)
            ratio = cost["standard"] / cost["fast"]
            print(f"| {n:,} | {'GET + 1 Set-Cookie' if set_cookie else 'GET'} | {fmt(base)} | "
                  f"{fmt(r[('standard', set_cookie)])} | {fmt(r[('drop-in', set_cookie)])} | {fmt(r[('fast', set_cookie)])} | "
                  f"{fmt(cost['standard'])} | {fmt(cost['drop-in'])} | {fmt(cost['fast'])} | {ratio:,.0f}× | {fmt(engine_alone)} |")
            if n == max(sizes) and not set_cookie:
                verdict.append(ratio)

    print("\n## Load time of a saved jar (median)\n")
    print("| cookies | cookiejar (open jar file) | MozillaCookieJar.load | LWPCookieJar.load | Mozilla ÷ ours | LWP ÷ ours |")
    print("|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            r = bench_load(n, args.seconds, rng, tmp)
            print(f"| {n:,} | {fmt(r['cookiejar'])} | {fmt(r['MozillaCookieJar'])} | {fmt(r['LWPCookieJar'])} | "
                  f"{r['MozillaCookieJar'] / r['cookiejar']:.1f}× | {r['LWPCookieJar'] / r['cookiejar']:.1f}× |")

    if verdict:
        ok = verdict[0] >= 10
        print(f"\nTarget (fast adapter >= 10x cheaper per request than the standard jar at {max(sizes):,} cookies): "
              f"{verdict[0]:,.0f}x -> {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
