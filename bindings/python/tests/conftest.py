from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PACKAGE_DIR = HERE.parent
REPO = PACKAGE_DIR.parent.parent
HEADER = REPO / "include" / "cookiejar.h"

sys.path.insert(0, str(PACKAGE_DIR / "tools"))

from server import Server  # noqa: E402


def pytest_report_header(config: pytest.Config) -> str:
    import cookiejar

    return f"cookiejar {cookiejar.library_version}: {cookiejar._ffi.library_path}"


@pytest.fixture(scope="session")
def _server():
    server = Server().start()
    yield server
    server.stop()


@pytest.fixture
def server(_server: Server) -> Server:
    _server.reset()
    return _server


@pytest.fixture(scope="session")
def header_path() -> Path:
    return HEADER
