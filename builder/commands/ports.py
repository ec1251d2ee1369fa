"""Which port the preview listens on: the one asked for, or the next free one, said plainly.

A second `localoffer serve` (or anything else already on port 8000) used to end in a
30-line traceback ("Address already in use"). Now the server moves to the next free port
and says so in one line, before the first build, so the preview's own links name the
port it really uses.
"""

from __future__ import annotations

import errno
import os
import socket

# The preview and the editor that writes files serve this computer only, never the network.
HOST = "127.0.0.1"
# How many ports after the one asked for are tried before giving up.
TRIES = 20


def is_free(port: int, host: str = HOST) -> bool:
    """True when a server can listen on host:port now. Binds the way tornado's listen does
    (SO_REUSEADDR on POSIX, so a port a stopped server left in TIME_WAIT counts as free)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if os.name != "nt":  # on Windows SO_REUSEADDR would let two servers share the port
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as problem:
            if problem.errno in (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1)):
                return False
            raise
    return True


class NoFreePort(Exception):
    """None of the ports tried can be listened on; str() says what to do."""


def choose_port(wanted: int, host: str = HOST) -> tuple[int, str | None]:
    """(port to use, a line to show the person or None): wanted when free, else the next free one."""
    for port in range(wanted, min(wanted + TRIES, 65536)):
        if is_free(port, host):
            if port == wanted:
                return port, None
            return port, (f"Port {wanted} is already in use (another preview may be running: its window shows "
                          f"http://{host}:{wanted}/). Using port {port} instead; choose one with --port, "
                          f"for example: localoffer serve --port {port}")
    raise NoFreePort(f"Ports {wanted} to {wanted + TRIES - 1} are all in use on this computer. Stop another preview "
                     "(press Ctrl+C in its window), or choose a port with --port, for example: --port 8800")
