"""No test touches the network.

Two doors are closed for every test (wired by the autouse fixture in conftest.py):

- Python sockets, with pytest-socket's guard (``disable_socket``; Unix domain
  sockets stay allowed for Qt and asyncio);
- libcurl: yfinance talks HTTP through curl_cffi, which opens its sockets in C
  where pytest-socket cannot see them, so ``curl_cffi.Curl.perform`` is
  blocked as well. The Yahoo replay (tests/yahoo_replay.py) answers at
  ``Session.request``, above this door, so replayed tests never reach it.

Blocked calls raise, and are also remembered: code under test may swallow the
exception (yfinance logs some errors instead of raising), so the fixture fails
the test at teardown if anything tried to get out.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

import pytest_socket
from curl_cffi.curl import Curl


class NetworkBlocked(RuntimeError):
    """A test tried to reach the network through libcurl."""


# urllib3 probes IPv6 at import time by creating (never connecting) an AF_INET6 socket;
# yfinance may import it lazily mid-test. Importing it here keeps that probe outside the guard.
with contextlib.suppress(ImportError):
    import urllib3  # noqa: F401

attempts: list[str] = []


def _where() -> str:
    """With ROTATION_DESK_SOCKET_TRACE=1, the stack that opened the socket (to find the caller)."""
    import os
    import traceback

    if not os.environ.get("ROTATION_DESK_SOCKET_TRACE"):
        return ""
    return "\n" + "".join(traceback.format_stack(limit=30)[:-2])


@contextlib.contextmanager
def blocked() -> Iterator[list[str]]:
    """Block sockets and libcurl inside the block; yields the list of attempts."""
    pytest_socket.disable_socket(allow_unix_socket=True)
    guarded_socket, guarded_getaddrinfo = socket.socket, socket.getaddrinfo

    class RecordingSocket(guarded_socket):  # type: ignore[misc, valid-type]
        def __new__(cls, family=-1, type=-1, proto=-1, fileno=None):
            if not (hasattr(socket, "AF_UNIX") and family == socket.AF_UNIX):
                attempts.append(f"socket.socket(family={family!r})" + _where())
            return guarded_socket.__new__(cls, family, type, proto, fileno)

    def recording_getaddrinfo(host, *args, **kwargs):
        attempts.append(f"socket.getaddrinfo({host!r})")
        return guarded_getaddrinfo(host, *args, **kwargs)

    def blocked_perform(self, *args, **kwargs):
        attempts.append("curl_cffi: a request reached libcurl")
        raise NetworkBlocked("tests must not use the network (use tests/yahoo_replay.py)")

    socket.socket = RecordingSocket  # type: ignore[misc]
    socket.getaddrinfo = recording_getaddrinfo
    original_perform = Curl.perform
    Curl.perform = blocked_perform  # type: ignore[method-assign]
    try:
        yield attempts
    finally:
        Curl.perform = original_perform  # type: ignore[method-assign]
        pytest_socket.enable_socket()


@contextlib.contextmanager
def expect_blocked() -> Iterator[list[str]]:
    """For the guard's own tests: the block must trip the guard; its attempts are then forgiven."""
    before = len(attempts)
    seen: list[str] = []
    yield seen
    seen.extend(attempts[before:])
    del attempts[before:]
    assert seen, "the network guard did not trip"


def check() -> None:
    """Fail the current test if anything tried to reach the network."""
    if attempts:
        found = "; ".join(attempts)
        attempts.clear()
        import pytest

        pytest.fail(f"a test tried to use the network: {found}", pytrace=False)
