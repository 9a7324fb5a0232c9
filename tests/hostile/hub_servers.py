"""Hostile Docker Hubs on 127.0.0.1 and a view on what a store holds, for the hostile collector tests.

`RawHub` is a socket server: it answers each path with a behaviour written byte by byte, so it can
drip a body, send header lines for ever, or never finish its status line, which no HTTP framework
lets a test do. Each behaviour stops as soon as the test ends.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable

from sqlalchemy import text

from store import open_store

# Far below any --timeout used in the tests: a per-read timeout never fires on these servers.
DRIP_SECONDS = 0.2

Behaviour = Callable[[socket.socket, threading.Event], None]


def answer(namespace: str, name: str, pull_count: object = 1, **fields: object) -> dict:
    """Return a repository answer shaped like Docker Hub's (the fields the collector reads)."""
    body = {
        "user": namespace,
        "namespace": namespace,
        "name": name,
        "pull_count": pull_count,
        "star_count": 3,
        "last_updated": "2024-05-01T12:00:00.000000Z",
        "date_registered": "2016-01-01T00:00:00.000000Z",
        "repository_type": "image",
        "is_private": False,
        "description": "an image",
    }
    body.update(fields)
    return body


def json_answer(body: dict) -> Behaviour:
    """Answer at once with `body` as JSON."""
    data = json.dumps(body).encode()

    def behave(conn: socket.socket, _stop: threading.Event) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        conn.sendall(head.encode() + b"Connection: close\r\n\r\n" + data)

    return behave


def _drip(conn: socket.socket, stop: threading.Event, start: bytes, piece: Callable[[int], bytes]) -> None:
    conn.sendall(start)
    number = 0
    while not stop.wait(DRIP_SECONDS):
        number += 1
        try:
            conn.sendall(piece(number))
        except OSError:
            return  # the client hung up


def drip_body(conn: socket.socket, stop: threading.Event) -> None:
    """Send the headers of a 100 kB JSON answer, then its body one byte every DRIP_SECONDS."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
    _drip(conn, stop, head, lambda _number: b" ")


def endless_headers(conn: socket.socket, stop: threading.Event) -> None:
    """Send a status line, then one header line every DRIP_SECONDS, for ever."""
    _drip(conn, stop, b"HTTP/1.1 200 OK\r\n", lambda number: f"X-Pad-{number}: {number}\r\n".encode())


def drip_status_line(conn: socket.socket, stop: threading.Event) -> None:
    """Send a status line one byte every DRIP_SECONDS, never ending it."""
    _drip(conn, stop, b"HTTP/1.1 200 ", lambda _number: b"O")


class RawHub:
    """A socket server on 127.0.0.1 answering each request path with its behaviour (404 otherwise)."""

    def __init__(self) -> None:
        self.routes: dict[str, Behaviour] = {}
        self.paths: list[str] = []
        self.stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self) -> str:
        """Return the server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        """Stop every behaviour and the server."""
        self.stop.set()
        self._thread.join(5)
        self._listener.close()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            path = request.split(b" ", 2)[1].decode().split("?")[0]
            self.paths.append(path)
            behave = self.routes.get(path)
            if behave is None:
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                return
            behave(conn, self.stop)
            time.sleep(0.05)  # let the client read the last bytes before the socket closes


class StoreView:
    """Read back, with plain SQL on any store URL, what the collector wrote (an empty store if it wrote nothing)."""

    def __init__(self, url: str) -> None:
        self.engine = open_store(url)

    def _query(self, sql: str) -> list[tuple]:
        with self.engine.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]

    def rows(self) -> list[tuple]:
        """Return (namespace, name, pull_count) of every snapshot, in name order."""
        return self._query(
            "SELECT i.namespace, i.name, s.pull_count FROM snapshots s "
            "JOIN images i ON i.image_id = s.image_id ORDER BY i.namespace, i.name, s.observed_at"
        )

    def images(self) -> list[tuple]:
        """Return (namespace, name) of every image the store knows."""
        return self._query("SELECT namespace, name FROM images ORDER BY namespace, name")

    def runs(self) -> list[tuple]:
        """Return (finished, images_requested, images_collected, images_failed) of every run."""
        return [
            (bool(finished), *rest)
            for finished, *rest in self._query(
                "SELECT finished_at IS NOT NULL, images_requested, images_collected, images_failed "
                "FROM runs ORDER BY run_id"
            )
        ]

    def failures(self) -> dict[str, str]:
        """Return {image: reason} of every recorded failure."""
        return dict(self._query("SELECT image, reason FROM run_failures ORDER BY image"))

    def close(self) -> None:
        """Close the view's connections."""
        self.engine.close()
