"""One owner for every native handle.

A ``Managed`` object holds one pointer from the C library and the function that frees it. The
pointer is freed exactly once: by ``close()``, by leaving a ``with`` block, or when the object
is garbage-collected (or the interpreter exits) without having been closed.

The C contract for ``cj_jar_free`` is that no other call may still be using the handle. ctypes
releases the GIL during calls, so another thread can be inside the library while ``close()``
runs. Every call therefore *borrows* the pointer and ``close()`` waits until no borrow is in
flight before freeing; a call after ``close()`` raises ``ClosedError`` instead of touching
freed memory.

A borrow is one ``list.append`` and one ``list.pop`` on a list of tokens (each a single atomic
operation) rather than a lock, since it happens on every call. The order makes it safe: a
borrower appends *then* checks ``_closing``; ``close()`` sets ``_closing`` *then* waits for
the list to be empty. Whatever the interleaving, either the borrower sees ``_closing`` (and
withdraws without touching the pointer) or ``close()`` sees the borrow (and waits for it).
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any, Callable, Generic, List, Optional, TypeVar

from ._errors import ClosedError

__all__ = ["Managed"]

P = TypeVar("P")


class Managed(Generic[P]):
    """Base class of the objects that own a native handle."""

    _what = "object"  # for messages: "jar", "options"

    def __init__(self, ptr: P, free: Callable[[P], Any]) -> None:
        if not ptr:
            raise ValueError("a Managed object needs a non-NULL pointer")
        self._ptr: Optional[P] = ptr
        self._borrows: List[None] = []
        self._closing = False
        self._close_lock = threading.Lock()
        # Runs `free(ptr)` at most once: on close(), on collection, or at interpreter exit.
        # It holds the pointer, not `self`, so it does not keep the object alive.
        self._finalizer = weakref.finalize(self, free, ptr)

    def _borrow(self) -> P:
        """The pointer, for one call; pair every successful call with ``_release()``."""
        self._borrows.append(None)
        if self._closing:
            self._borrows.pop()
            raise ClosedError(f"this {self._what} is closed")
        return self._ptr  # type: ignore[return-value]

    def _release(self) -> None:
        self._borrows.pop()

    def close(self) -> None:
        """Releases the native handle. Safe to call more than once and from any thread; waits
        for calls in progress on other threads to finish first."""
        with self._close_lock:
            self._closing = True
            delay = 0.0001
            while self._borrows:  # calls in flight on other threads: microseconds, usually
                time.sleep(delay)
                delay = min(delay * 2, 0.01)
            self._ptr = None
            self._finalizer()

    @property
    def closed(self) -> bool:
        """Whether ``close()`` has been called."""
        return self._closing

    def __enter__(self: "M") -> "M":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


M = TypeVar("M", bound=Managed)  # type: ignore[type-arg]
