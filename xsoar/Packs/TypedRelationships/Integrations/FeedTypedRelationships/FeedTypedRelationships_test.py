"""Tests of FeedTypedRelationships, driven through main() as the server runs it.

demistomock's functions are replaced with pytest's monkeypatch (as content's unit tests do) to
set the command and parameters and to record createIndicators calls, entries, lastRun and log
lines. Batches are served over HTTP from 127.0.0.1, by well-behaved and by hostile servers.
"""

import ast
import gzip
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import demistomock as demisto
import FeedTypedRelationships as feed

HERE = Path(__file__).resolve().parent
XSOAR_DIR = HERE.parents[3]
REPO = XSOAR_DIR.parent
MIXED = (HERE / "test_data" / "batches_mixed.ndjson").read_bytes()
DUMMY = "$$DummyIndicator$$"
MAX_ITEMS = 2000

Handler = Callable[[BaseHTTPRequestHandler], None]


# ---------------------------------------------------------------------------------------------
# The server side: demistomock replaced and recorded


@dataclass
class Xsoar:
    """What the integration was given and what it sent to the server."""

    command: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    args: dict[str, Any] = field(default_factory=dict)
    last_run: dict[str, Any] = field(default_factory=dict)
    calls: list[tuple[list[Any], bool]] = field(default_factory=list)
    entries: list[Any] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    last_run_sets: int = 0

    @property
    def created(self) -> list[list[Any]]:
        """The createIndicators batches that carried something."""
        return [batch for batch, _ in self.calls if batch]

    def no_updates(self) -> int:
        """createIndicators([], noUpdate=True) calls."""
        return sum(1 for batch, no_update in self.calls if no_update and not batch)

    def everything_said(self) -> str:
        """Entries and log lines, as text."""
        return json.dumps(self.entries, default=str) + "\n".join(self.logs)


@pytest.fixture
def xsoar(monkeypatch: pytest.MonkeyPatch) -> Xsoar:
    state = Xsoar()

    def set_last_run(obj: dict[str, Any]) -> None:
        state.last_run = obj
        state.last_run_sets += 1

    def create(indicators_batch: list[Any], noUpdate: bool = False) -> None:  # noqa: N803 - demistomock's name
        json.dumps(indicators_batch)  # what the server receives is JSON
        state.calls.append((indicators_batch, noUpdate))

    def logger(message: Any, *args: Any) -> None:
        state.logs.append(str(message))

    monkeypatch.setattr(demisto, "command", lambda: state.command)
    monkeypatch.setattr(demisto, "params", lambda: state.params)
    monkeypatch.setattr(demisto, "args", lambda: state.args)
    monkeypatch.setattr(demisto, "getLastRun", lambda: state.last_run)
    monkeypatch.setattr(demisto, "setLastRun", set_last_run)
    monkeypatch.setattr(demisto, "createIndicators", create)
    monkeypatch.setattr(demisto, "results", state.entries.append)
    for name in ("debug", "info", "error"):
        monkeypatch.setattr(demisto, name, logger)
    return state


def run(xsoar: Xsoar, command: str, params: dict[str, Any], args: dict[str, Any] | None = None) -> str | None:
    """Runs main(); the failure message of a failed run (raised for a fetch, an error entry otherwise)."""
    xsoar.command, xsoar.params, xsoar.args = command, params, args or {}
    xsoar.calls.clear()
    xsoar.entries.clear()
    try:
        feed.main()
    except SystemExit:
        pass
    except Exception as error:  # return_error raises for fetch-indicators
        assert command == "fetch-indicators"
        return str(error)
    errors = [e for e in xsoar.entries if isinstance(e, dict) and e.get("Type") == 4]
    return errors[-1]["Contents"] if errors else None


# ---------------------------------------------------------------------------------------------
# A local HTTP server


@dataclass
class Server:
    """Serves `routes` (path -> body bytes, or a function that writes the response)."""

    routes: dict[str, bytes | Handler] = field(default_factory=dict)
    etags: dict[str, str] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    port: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        """The address of `path`."""
        return f"http://127.0.0.1:{self.port}{path}"


def serve(state: Server) -> Iterator[Server]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            state.requests.append({k.lower(): v for k, v in self.headers.items()})
            state.paths.append(self.path)
            path = self.path.split("?")[0] if self.path.startswith("/") else self.path
            body = state.routes.get(path)
            if body is None:
                self.send_error(404, "Not Found")
            elif callable(body):
                body(self)
            else:
                etag = state.etags.get(path)
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    """An HTTP server on 127.0.0.1 in a thread, stopped after the test."""
    yield from serve(Server())


@pytest.fixture
def proxy_server() -> Iterator[Server]:
    """A second server, used as an HTTP proxy: it records the requests it is sent and answers 502."""
    state = Server()

    def refuse(handler: BaseHTTPRequestHandler) -> None:
        handler.send_error(502, "Proxy says no")

    state.routes = _AnyPath(refuse)  # type: ignore[assignment]
    yield from serve(state)


class _AnyPath(dict):
    """A route table that answers every path with one handler."""

    def __init__(self, handler: Handler) -> None:
        super().__init__()
        self.handler = handler

    def get(self, key: Any, default: Any = None) -> Any:
        return self.handler


def good_lines(data: bytes) -> list[Any]:
    """The batches of the valid lines of a file."""
    return [json.loads(text) for text in data.decode("utf-8").splitlines() if _valid(text)]


def base(server: Server, path: str = "/feed.ndjson", **extra: Any) -> dict[str, Any]:
    """Instance parameters for a feed at `path`."""
    return {"url": server.url(path), "feedReliability": "F - Reliability cannot be judged", **extra}


def weight(call: list[Any]) -> int:
    """Items in a createIndicators call: objects plus the relationships they carry."""
    return sum(1 + len(item.get("relationships") or []) for item in call)


def relationship_key(rel: dict[str, Any]) -> str:
    return json.dumps(rel, sort_keys=True)


def relationships_of(batches: list[list[Any]]) -> Counter:
    return Counter(relationship_key(r) for b in batches for i in b for r in i.get("relationships") or [])


def indicators_of(batches: list[list[Any]]) -> Counter:
    return Counter(json.dumps({k: v for k, v in i.items() if k != "relationships"}, sort_keys=True)
                   for b in batches for i in b if i["value"] != DUMMY)


def rel(a: str, b: str, name: str = "related-to") -> dict[str, Any]:
    return {"name": name, "reverseName": name, "type": "IndicatorToIndicator", "entityA": a, "entityAFamily": "Indicator",
            "entityAType": "Domain", "entityB": b, "entityBFamily": "Indicator", "entityBType": "Domain", "fields": {}}


def line(batch: Any) -> bytes:
    return json.dumps(batch).encode() + b"\n"


GOOD = [{"value": "a.example", "type": "Domain", "rawJSON": {"value": "a.example"}}]


# ---------------------------------------------------------------------------------------------
# Fetching


def test_fetch_sends_every_valid_line_once_and_writes_nothing_to_the_war_room(xsoar: Xsoar, server: Server) -> None:
    server.routes["/feed.ndjson"] = b"".join(line(b) for b in good_lines(MIXED))
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert xsoar.created == good_lines(MIXED)
    assert xsoar.entries == []
    assert xsoar.last_run["sha256"]
    assert "url" not in json.dumps(xsoar.last_run)


def test_a_file_with_bad_lines_fails_the_fetch_listing_them_and_creates_nothing(xsoar: Xsoar, server: Server) -> None:
    server.routes["/feed.ndjson"] = MIXED
    message = run(xsoar, "fetch-indicators", base(server))
    assert message is not None
    assert xsoar.calls == []
    assert xsoar.last_run_sets == 0
    numbers = [n for n, text in enumerate(MIXED.decode().splitlines(), 1) if text.strip() and not _valid(text)]
    assert numbers
    for number in numbers[: feed.MAX_LISTED_BAD_LINES]:
        assert f"line {number}:" in message
    assert "Skip bad lines" in message


def _valid(text: str) -> bool:
    try:
        feed.check_batch(json.loads(text))
    except (ValueError, feed.BadLine):
        return False
    return True


def test_skip_bad_lines_creates_the_valid_lines_and_logs_the_bad_ones(xsoar: Xsoar, server: Server) -> None:
    server.routes["/feed.ndjson"] = MIXED
    assert run(xsoar, "fetch-indicators", base(server, skip_bad_lines=True)) is None
    assert xsoar.created == good_lines(MIXED)
    assert any("bad line(s) skipped" in log for log in xsoar.logs)


@pytest.mark.parametrize(
    ("hostile", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'[{"value": "x", "type": "Domain", "score": ' + b"9" * 5000 + b"}]", "not valid JSON: an integer of 5000 digits"),
        (b'[{"value": "x", "type": "Domain", "fields": {"n": [' + b"[" * 520 + b"]" * 520 + b"]}}]",
         "nested too deep: more than 512"),
        (b'[{"value": "x\\ud800", "type": "Domain"}]', "a string holds a lone surrogate"),
        (b'[{"value": "x", "type": "Domain"}] [{"value": "y", "type": "Domain"}]', "not JSON: Extra data"),
        (b'[{"value": "x", "type": "Domain"}]\r[{"value": "y", "type": "Domain"}]', "not JSON: Extra data"),
        (b'[{"value": "x", "type": "Domain", "fields": {"n": 1e400}}]', "not valid JSON: the number 1e400 is out of range"),
        (b'[{"value": "x", "type": "Domain", "fields": {"n": NaN}}]', "not valid JSON: NaN is not a JSON value"),
        (b"\xff\xfe[]", "not UTF-8"),
    ],
)
def test_one_hostile_line_never_stops_the_feed(xsoar: Xsoar, server: Server, hostile: bytes, reason: str) -> None:
    after = [{"value": "after.example", "type": "Domain"}]
    server.routes["/feed.ndjson"] = line(GOOD) + hostile + b"\n" + line(after)
    message = run(xsoar, "fetch-indicators", base(server))
    assert message is not None
    assert f"line 2: {reason}" in message
    assert xsoar.calls == []
    assert run(xsoar, "fetch-indicators", base(server, skip_bad_lines="true")) is None
    assert xsoar.created == [GOOD, after]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (b"{}", "not a JSON array but an object"),
        (b"[]", "an empty array"),
        (b"[1]", "item 1: a number, not an indicator object"),
        (b'[{"type": "Domain"}]', "item 1: missing `value`"),
        (b'[{"value": "x"}]', "item 1: missing `type`"),
        (b'[{"value": "x", "type": "Domain", "score": 7}]', "`score` must be 0, 1, 2, 3 or null"),
        (b'[{"value": "$$DummyIndicator$$"}]', "missing `relationships`"),
        (b'[{"value": "$$DummyIndicator$$", "relationships": [{}]}]', "relationship 1: missing `name`"),
        (b"[tru", "not JSON"),
    ],
)
def test_shape_checks(xsoar: Xsoar, server: Server, text: bytes, reason: str) -> None:
    server.routes["/feed.ndjson"] = line(GOOD) + b"\n\n" + text + b"\n"
    message = run(xsoar, "fetch-indicators", base(server))
    assert message is not None
    assert "line 4: " in message
    assert reason in message


def test_relationship_type_and_families_are_checked(xsoar: Xsoar, server: Server) -> None:
    bad = rel("a", "b")
    bad["entityBFamily"] = "Incident"
    server.routes["/feed.ndjson"] = line([{"value": DUMMY, "relationships": [rel("a", "b"), bad]}])
    message = run(xsoar, "fetch-indicators", base(server))
    assert message is not None
    assert 'relationship 2: `entityBFamily` must be "Indicator"' in message


def test_blank_lines_crlf_bom_are_read(xsoar: Xsoar, server: Server) -> None:
    body = b"\xef\xbb\xbf" + line(GOOD).replace(b"\n", b"\r\n") + b"\n" * 1000 + b"  \t\r\n" + line(GOOD)
    server.routes["/feed.ndjson"] = body
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert xsoar.created == [GOOD, GOOD]


def test_an_empty_file_fails_the_fetch(xsoar: Xsoar, server: Server) -> None:
    server.routes["/feed.ndjson"] = b"\n\n"
    message = run(xsoar, "fetch-indicators", base(server))
    assert message is not None
    assert "holds no batch" in message
    assert xsoar.calls == []


# ---------------------------------------------------------------------------------------------
# At most 2,000 items per createIndicators call


def test_big_batches_are_split_into_calls_of_at_most_2000_items_losing_nothing(xsoar: Xsoar, server: Server) -> None:
    dummy = [{"value": DUMMY, "relationships": [rel(f"a{i}", f"b{i}") for i in range(4500)]}]
    carrier = [{"value": "c.example", "type": "Domain", "relationships": [rel("c.example", f"d{i}") for i in range(2500)]}]
    many = [{"value": f"i{i}.example", "type": "Domain"} for i in range(4100)]
    small = [{"value": "s.example", "type": "Domain", "relationships": [rel("s.example", "t")]}]
    batches = [dummy, carrier, many, small]
    server.routes["/feed.ndjson"] = b"".join(line(b) for b in batches)
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert all(weight(call) <= MAX_ITEMS for call in xsoar.created)
    assert relationships_of(xsoar.created) == relationships_of(batches)
    assert indicators_of(xsoar.created) == indicators_of(batches)
    dummies = [i for b in xsoar.created for i in b if i["value"] == DUMMY]
    assert len(dummies) == 4
    assert all(set(d) == {"value", "relationships"} for d in dummies)
    assert len(xsoar.created) == 3 + 2 + 3 + 1


def test_a_line_over_the_limit_is_a_bad_line(xsoar: Xsoar, server: Server) -> None:
    long = [{"value": "x" * 5000, "type": "Domain"}]
    server.routes["/feed.ndjson"] = line(GOOD) + line(long) + line(GOOD)
    message = run(xsoar, "fetch-indicators", base(server, max_line_bytes="1024"))
    assert message is not None
    assert "line 2: longer than the limit of 1024 bytes" in message


@pytest.mark.parametrize(("key", "value"), [("max_line_bytes", str(64 * 1024 * 1024)), ("fetch_deadline", "0.5"),
                                            ("max_file_mb", "nope"), ("tlp_color", "PURPLE"), ("feedReputation", "Evil"),
                                            ("skip_bad_lines", "maybe")])
def test_bad_parameters_are_errors(xsoar: Xsoar, server: Server, key: str, value: str) -> None:
    server.routes["/feed.ndjson"] = line(GOOD)
    message = run(xsoar, "test-module", base(server, **{key: value}))
    assert message is not None
    assert "Failed to execute test-module command" in message


# ---------------------------------------------------------------------------------------------
# Feed parameters


def test_feed_parameters_apply_to_indicators_never_to_the_dummy(xsoar: Xsoar, server: Server) -> None:
    tagged = [{"value": "t.example", "type": "Domain", "fields": {"tags": ["own"], "trafficlightprotocol": "RED"}},
              {"value": "u.example", "type": "Domain"}, {"value": DUMMY, "relationships": [rel("t", "u")]}]
    server.routes["/feed.ndjson"] = line(tagged)
    params = base(server, feedTags="one, two", tlp_color="GREEN", feedReputation="Bad")
    assert run(xsoar, "fetch-indicators", params) is None
    first, second, dummy = xsoar.created[0]
    assert first["fields"] == {"tags": ["own", "one", "two"], "trafficlightprotocol": "RED"}
    assert first["score"] == 3
    assert second["fields"] == {"tags": ["one", "two"], "trafficlightprotocol": "GREEN"}
    assert second["score"] == 3
    assert dummy == tagged[2]


# ---------------------------------------------------------------------------------------------
# Incremental: ETag / Last-Modified, unchanged files, noUpdate


def test_second_fetch_sends_if_none_match_and_a_304_creates_nothing(xsoar: Xsoar, server: Server) -> None:
    server.routes["/feed.ndjson"] = line(GOOD)
    server.etags["/feed.ndjson"] = '"v1"'
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert xsoar.created == [GOOD]
    assert xsoar.last_run["etag"] == '"v1"'
    saved = dict(xsoar.last_run)
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert server.requests[-1]["if-none-match"] == '"v1"'
    assert xsoar.calls == [([], True)]
    assert xsoar.last_run == saved
    # A new version is fetched in full.
    server.routes["/feed.ndjson"] = line(GOOD) + line(GOOD)
    server.etags["/feed.ndjson"] = '"v2"'
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert xsoar.created == [GOOD, GOOD]
    assert xsoar.last_run["etag"] == '"v2"'


def test_last_modified_is_sent_back_as_if_modified_since(xsoar: Xsoar, server: Server) -> None:
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"

    def handler(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-Modified-Since") == stamp:
            h.send_response(304)
            h.end_headers()
            return
        body = line(GOOD)
        h.send_response(200)
        h.send_header("Last-Modified", stamp)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    server.routes["/feed.ndjson"] = handler
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert xsoar.created == [GOOD]
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert xsoar.calls == [([], True)]


def test_an_unchanged_file_without_validators_creates_nothing(xsoar: Xsoar, server: Server) -> None:
    server.routes["/feed.ndjson"] = line(GOOD)
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert xsoar.created == [GOOD]
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert xsoar.calls == [([], True)]


def test_changed_feed_parameters_fetch_everything_again(xsoar: Xsoar, server: Server) -> None:
    server.routes["/feed.ndjson"] = line(GOOD)
    server.etags["/feed.ndjson"] = '"v1"'
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert run(xsoar, "fetch-indicators", base(server, feedTags="new")) is None
    assert "if-none-match" not in server.requests[-1]
    assert xsoar.created[0][0]["fields"]["tags"] == ["new"]


def test_a_failed_fetch_keeps_the_last_run(xsoar: Xsoar, server: Server) -> None:
    server.routes["/feed.ndjson"] = line(GOOD)
    server.etags["/feed.ndjson"] = '"v1"'
    assert run(xsoar, "fetch-indicators", base(server)) is None
    saved = dict(xsoar.last_run)
    server.routes["/feed.ndjson"] = line(GOOD) + b"oops\n"
    server.etags["/feed.ndjson"] = '"v2"'
    assert run(xsoar, "fetch-indicators", base(server)) is not None
    assert xsoar.last_run == saved
    assert xsoar.calls == []


# ---------------------------------------------------------------------------------------------
# Secrets


SECRET = "S3cretPass"
TOKEN = "sig=Zm9vYmFyMTIzNDU2Nzg5"


def assert_no_secret(xsoar: Xsoar, message: str | None, *secrets: str) -> None:
    said = (message or "") + xsoar.everything_said()
    for secret in secrets:
        assert secret not in said


def test_url_credentials_never_appear(xsoar: Xsoar, server: Server) -> None:
    url = f"http://alice:{SECRET}@127.0.0.1:{server.port}/missing"
    message = run(xsoar, "fetch-indicators", {"url": url})
    assert message is not None
    assert "HTTP 404" in message
    assert_no_secret(xsoar, message, SECRET, "alice:")
    # The user-info is sent as HTTP Basic, and never shown in a preview.
    server.routes["/feed.ndjson"] = line(GOOD)
    url = f"http://alice:{SECRET}@127.0.0.1:{server.port}/feed.ndjson?{TOKEN}"
    assert run(xsoar, "typed-relationships-get-indicators", {"url": url}) is None
    assert server.requests[-1]["authorization"].startswith("Basic ")
    assert server.paths[-1].endswith(TOKEN)
    assert_no_secret(xsoar, None, SECRET, "alice:", TOKEN, "Zm9vYmFy")


def test_a_query_token_never_appears_when_the_connection_is_refused(xsoar: Xsoar) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    message = run(xsoar, "fetch-indicators", {"url": f"http://127.0.0.1:{port}/feed?{TOKEN}&x=1", "timeout": "2"})
    assert message is not None
    assert_no_secret(xsoar, message, TOKEN, "Zm9vYmFy")


@pytest.mark.parametrize("password", ["Bearer abc\r\nX-Injected: S3cretPass", "tok\nS3cretPass", "S3cretPass\u20ac"])
def test_a_header_breaking_token_is_refused_without_echo(xsoar: Xsoar, server: Server, password: str) -> None:
    message = run(xsoar, "test-module", base(server, credentials={"identifier": "", "password": password}))
    assert message is not None
    assert "cannot be sent in an HTTP header" in message
    assert_no_secret(xsoar, message, SECRET, password)
    assert server.requests == []


@pytest.mark.parametrize(
    ("credentials", "header"),
    [
        ({"identifier": "bob", "password": "pw"}, "Basic Ym9iOnB3"),
        ({"identifier": "", "password": "abc123"}, "Bearer abc123"),
        ({"identifier": "", "password": "Token abc123"}, "Token abc123"),
    ],
)
def test_credentials_become_an_authorization_header(xsoar: Xsoar, server: Server, credentials: dict, header: str) -> None:
    server.routes["/feed.ndjson"] = line(GOOD)
    assert run(xsoar, "fetch-indicators", base(server, credentials=credentials)) is None
    assert server.requests[-1]["authorization"] == header


def test_the_password_never_appears_on_an_http_error(xsoar: Xsoar, server: Server) -> None:
    def unauthorized(h: BaseHTTPRequestHandler) -> None:
        h.send_response(401, f"Denied {h.headers.get('Authorization')}")
        h.send_header("Content-Length", "0")
        h.end_headers()

    server.routes["/feed.ndjson"] = unauthorized
    message = run(xsoar, "fetch-indicators", base(server, credentials={"identifier": "", "password": SECRET}))
    assert message is not None
    assert "HTTP 401" in message
    assert_no_secret(xsoar, message, SECRET)


# ---------------------------------------------------------------------------------------------
# Proxies


def test_no_proxy_means_no_proxy_from_the_environment(
    xsoar: Xsoar, server: Server, proxy_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.routes["/feed.ndjson"] = line(GOOD)
    proxy = proxy_server.url("")
    for name in ("ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert run(xsoar, "fetch-indicators", base(server, credentials={"identifier": "", "password": "tok"})) is None
    assert proxy_server.requests == []
    assert xsoar.created == [GOOD]
    # With "Use system proxy settings" the environment's proxy is used.
    for name in ("ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, proxy)
    message = run(xsoar, "test-module", base(server, proxy=True))
    assert message is not None
    assert "HTTP 502" in message
    assert len(proxy_server.requests) == 1


# ---------------------------------------------------------------------------------------------
# Bounds: deadline, per-read timeout, decompressed size


def test_a_trickling_server_is_cut_off_at_the_fetch_deadline(xsoar: Xsoar, server: Server) -> None:
    def trickle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "1000000")
        h.end_headers()
        while not server.stop.is_set():
            try:
                h.wfile.write(b" ")
                h.wfile.flush()
            except OSError:
                return
            time.sleep(0.2)

    server.routes["/feed.ndjson"] = trickle
    started = time.monotonic()
    message = run(xsoar, "fetch-indicators", base(server, fetch_deadline="2", timeout="1"))
    assert time.monotonic() - started < 6
    assert message is not None
    assert "fetch deadline of 2 seconds" in message
    assert xsoar.calls == []


def test_the_deadline_also_bounds_checking_the_file(xsoar: Xsoar, server: Server) -> None:
    server.routes["/feed.ndjson"] = line(GOOD) * 1_000_000
    started = time.monotonic()
    message = run(xsoar, "fetch-indicators", base(server, fetch_deadline="1"))
    assert time.monotonic() - started < 4
    assert message is not None
    assert "fetch deadline of 1 seconds passed while reading line" in message
    assert xsoar.calls == []


def test_a_stalled_server_hits_the_read_timeout(xsoar: Xsoar, server: Server) -> None:
    def stall(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.end_headers()
        h.wfile.write(b"[")
        h.wfile.flush()
        server.stop.wait(10)

    server.routes["/feed.ndjson"] = stall
    started = time.monotonic()
    message = run(xsoar, "fetch-indicators", base(server, timeout="1"))
    assert time.monotonic() - started < 5
    assert message is not None
    assert "broke off" in message


def test_a_compression_bomb_stops_at_the_size_limit(xsoar: Xsoar, server: Server) -> None:
    bomb = gzip.compress(b"\n" * (20 * 1024 * 1024), 9)
    assert len(bomb) < 64 * 1024
    server.routes["/feed.ndjson"] = bomb
    started = time.process_time()
    message = run(xsoar, "fetch-indicators", base(server, max_file_mb="8"))
    assert message is not None
    assert "larger than the limit of 8 MB" in message
    # Within the limit, twenty million blank lines cost little.
    server.routes["/feed.ndjson"] = bomb + gzip.compress(line(GOOD))
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert xsoar.created == [GOOD]
    assert time.process_time() - started < 5


def test_gzip_as_file_and_as_content_encoding(xsoar: Xsoar, server: Server) -> None:
    body = line(GOOD) + line(GOOD)

    def encoded(h: BaseHTTPRequestHandler) -> None:
        data = gzip.compress(body)
        h.send_response(200)
        h.send_header("Content-Encoding", "gzip")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    server.routes["/feed.ndjson"] = gzip.compress(body)
    assert run(xsoar, "fetch-indicators", base(server)) is None
    assert xsoar.created == [GOOD, GOOD]
    server.routes["/feed.ndjson"] = encoded
    assert run(xsoar, "fetch-indicators", base(server, feedTags="x")) is None
    assert len(xsoar.created) == 2
    server.routes["/feed.ndjson"] = gzip.compress(body)[:-12]
    message = run(xsoar, "fetch-indicators", base(server, feedTags="y"))
    assert message is not None
    assert "ends early" in message


# ---------------------------------------------------------------------------------------------
# test-module and the preview command


def test_test_module(xsoar: Xsoar, server: Server) -> None:
    server.routes["/feed.ndjson"] = line(GOOD)
    assert run(xsoar, "test-module", base(server)) is None
    assert xsoar.entries == ["ok"]
    assert xsoar.calls == []
    server.routes["/feed.ndjson"] = line(GOOD) + b"[1]\n"
    run(xsoar, "test-module", base(server))
    assert "line 2: item 1" in str(xsoar.entries[-1])
    assert "HTTP 404" in str(run(xsoar, "test-module", base(server, "/nothing")))


def test_get_indicators_previews_without_creating(xsoar: Xsoar, server: Server) -> None:
    server.routes["/feed.ndjson"] = MIXED
    assert run(xsoar, "typed-relationships-get-indicators", base(server, tlp_color="AMBER"), {"limit": "2"}) is None
    assert xsoar.calls == []
    assert xsoar.last_run_sets == 0
    entry = xsoar.entries[-1]
    assert len(entry["Contents"]["indicators"]) == 2
    assert len(entry["Contents"]["relationships"]) == 2
    assert "Indicators (first 2)" in entry["HumanReadable"]
    assert "Relationships (first 2)" in entry["HumanReadable"]
    assert "$$DummyIndicator$$" in entry["HumanReadable"]


@pytest.mark.parametrize("limit", ["0", "1001", "ten"])
def test_get_indicators_limit_is_checked(xsoar: Xsoar, server: Server, limit: str) -> None:
    server.routes["/feed.ndjson"] = MIXED
    message = run(xsoar, "typed-relationships-get-indicators", base(server), {"limit": limit})
    assert message is not None
    assert "limit" in message


def test_unknown_command_is_an_error(xsoar: Xsoar, server: Server) -> None:
    message = run(xsoar, "typed-relationships-unknown", base(server))
    assert message is not None
    assert "not implemented" in message


# ---------------------------------------------------------------------------------------------
# Only what content's demistomock defines


def content_demistomock_functions() -> set[str]:
    path = XSOAR_DIR / "Tests" / "demistomock" / "content_demistomock_functions.txt"
    return {ln.strip() for ln in path.read_text().splitlines() if ln.strip() and not ln.startswith("#")}


def demisto_calls(path: Path) -> set[str]:
    """The names used as demisto.<name> in a Python file."""
    tree = ast.parse(path.read_text())
    return {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "demisto"}


def test_the_integration_calls_only_functions_of_contents_demistomock() -> None:
    used = demisto_calls(HERE / "FeedTypedRelationships.py")
    assert used
    assert used <= content_demistomock_functions(), used - content_demistomock_functions()


def test_the_stand_in_defines_only_functions_of_contents_demistomock() -> None:
    tree = ast.parse((XSOAR_DIR / "Tests" / "demistomock" / "demistomock.py").read_text())
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert defined <= content_demistomock_functions(), defined - content_demistomock_functions()


# ---------------------------------------------------------------------------------------------
# End to end: xsoar-rel convert-stix output of MITRE ATT&CK, served over HTTP with an ETag


def in_ci() -> bool:
    """CI=true or CI=1: a missing prerequisite fails the test instead of skipping it."""
    return os.environ.get("CI", "").lower() in ("true", "1")


def missing(what: str) -> None:
    """Fails under CI, skips elsewhere."""
    if in_ci():
        pytest.fail(f"{what} (CI=true: this test may not skip)")
    pytest.skip(what)


def xsoar_rel() -> Path:
    """The xsoar-rel binary: $XSOAR_REL, else $CARGO_TARGET_DIR or target/, debug then release."""
    if os.environ.get("XSOAR_REL"):
        return Path(os.environ["XSOAR_REL"])
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    for profile in ("debug", "release"):
        if (target / profile / "xsoar-rel").is_file():
            return target / profile / "xsoar-rel"
    return target / "debug" / "xsoar-rel"


def test_attck_arrives_exactly_once_per_changed_file(xsoar: Xsoar, server: Server, tmp_path: Path) -> None:
    binary = xsoar_rel()
    bundle = REPO / "data" / "attck" / "enterprise.json"
    if not binary.is_file():
        missing(f"xsoar-rel not found at {binary}: run `cargo build -p relationship-cli` or set XSOAR_REL")
    if not bundle.is_file():
        missing(f"{bundle} is missing: run `bash scripts/fetch-attck.sh`")
    out = tmp_path / "attck.ndjson"
    subprocess.run([str(binary), "convert-stix", str(bundle), "-o", str(out)], check=True, capture_output=True)
    data = out.read_bytes()
    expected = good_lines(data)
    assert len(expected) > 1
    server.routes["/attck.ndjson"] = data
    server.etags["/attck.ndjson"] = '"attck-v8"'
    params = base(server, "/attck.ndjson", feedTags="attck", tlp_color="GREEN", feedReputation="Suspicious",
                  feedExpirationPolicy="suddenDeath", feedFetchInterval="240", feedBypassExclusionList=False,
                  credentials={"identifier": "", "password": "tok-1234567890"})
    assert run(xsoar, "fetch-indicators", params) is None
    assert server.requests[-1]["authorization"] == "Bearer tok-1234567890"
    assert all(weight(call) <= MAX_ITEMS for call in xsoar.created)
    assert relationships_of(xsoar.created) == relationships_of(expected)
    assert max(relationships_of(xsoar.created).values()) == 1
    assert sum(relationships_of(expected).values()) > 5000
    sent = [i for b in xsoar.created for i in b if i["value"] != DUMMY]
    assert len(sent) == sum(1 for b in expected for i in b if i["value"] != DUMMY)
    assert all(i["fields"]["tags"][-1] == "attck" and i["score"] == 2 for i in sent)
    dummies = [i for b in xsoar.created for i in b if i["value"] == DUMMY]
    assert dummies
    assert all(set(d) == {"value", "relationships"} for d in dummies)
    # The second fetch is a 304: nothing is re-sent, the server is told nothing changed.
    assert run(xsoar, "fetch-indicators", params) is None
    assert server.requests[-1]["if-none-match"] == '"attck-v8"'
    assert xsoar.calls == [([], True)]


# ---------------------------------------------------------------------------------------------
# One definition of a deliverable line: `xsoar-rel validate` and the pack's checker agree

AGREE_MAX_LINE = 16384
AGREE_REL = {"name": "uses", "reverseName": "used-by", "type": "IndicatorToIndicator", "entityA": "u1",
             "entityAFamily": "Indicator", "entityAType": "Account", "entityB": "h1",
             "entityBFamily": "Indicator", "entityBType": "Host", "fields": {}}


def agree_line(fields_json: str = "{}") -> bytes:
    """A line valid for the schema: an indicator whose `fields` are `fields_json`, and a dummy."""
    indicator = '{"value": "u1", "type": "Account", "rawJSON": {}, "fields": ' + fields_json + "}"
    dummy = json.dumps({"value": DUMMY, "relationships": [AGREE_REL]})
    return f"[{indicator}, {dummy}]".encode()


def agree_cases() -> dict[str, bytes]:
    """Files of one or a few lines, each exercising one rule of the definition."""
    good = agree_line()
    nested = "[" * 509 + "]" * 509  # the batch, the indicator and `fields` make 512
    cases = {
        "valid": good + b"\n",
        "no final newline": good,
        "final CR": good + b"\r\n",
        "spaces and tabs around": b" \t" + good + b" \t\r\n",
        "blank lines around": b"\n \t\r\n\x0c\n" + good + b"\n\n",
        "byte order mark on line 1": b"\xef\xbb\xbf" + good + b"\n",
        "byte order mark on line 2": good + b"\n\xef\xbb\xbf" + good + b"\n",
        "two arrays on one line": good + good + b"\n",
        "two arrays and a space": good + b" " + good + b"\n",
        "arrays separated by a bare CR": good + b"\r" + good + b"\n",
        "pretty-printed batch": json.dumps(json.loads(good), indent=2).encode() + b"\n",
        "empty array": b"[]\n",
        "an object": json.dumps(json.loads(good)[0]).encode() + b"\n",
        "a comment": good + b" // x\n",
        "vertical tab line": good + b"\n\x0b\n",
        "4300-digit integer": agree_line('{"n": ' + "9" * 4300 + "}"),
        "4301-digit integer": agree_line('{"n": ' + "9" * 4301 + "}"),
        "negative 4301-digit integer": agree_line('{"n": -' + "9" * 4301 + "}"),
        "long fraction": agree_line('{"n": 0.' + "1" * 5000 + "}"),
        "1e308": agree_line('{"n": 1e308}'),
        "1e400": agree_line('{"n": 1e400}'),
        "NaN": agree_line('{"n": NaN}'),
        "-Infinity": agree_line('{"n": -Infinity}'),
        "nesting 512": agree_line('{"n": ' + nested + "}"),
        "nesting 513": agree_line('{"n": [' + nested + "]}"),
        "lone surrogate": agree_line('{"n": "\\ud800"}'),
        "surrogate pair": agree_line('{"n": "\\ud83d\\ude00"}'),
        "lone surrogate key": agree_line('{"\\udc00": 1}'),
        "not UTF-8": agree_line('{"n": "\xff"}'.replace("\xff", "x")).replace(b'"x"', b'"\xff"'),
        "control character in a string": agree_line('{"n": "a\tb"}'),
        "line at the limit": agree_line('{"n": "' + "x" * (AGREE_MAX_LINE - len(agree_line('{"n": ""}'))) + '"}'),
        "line past the limit": agree_line('{"n": "' + "x" * AGREE_MAX_LINE + '"}'),
        "line at the limit with CR": agree_line(
            '{"n": "' + "x" * (AGREE_MAX_LINE - len(agree_line('{"n": ""}'))) + '"}') + b"\r\n",
        "missing value": good.replace(b'"value": "u1", ', b""),
        "score 3": good.replace(b'"rawJSON"', b'"score": 3, "rawJSON"'),
        "score 4": good.replace(b'"rawJSON"', b'"score": 4, "rawJSON"'),
        "score 2.0": good.replace(b'"rawJSON"', b'"score": 2.0, "rawJSON"'),
        "score true": good.replace(b'"rawJSON"', b'"score": true, "rawJSON"'),
        "score null": good.replace(b'"rawJSON"', b'"score": null, "rawJSON"'),
        "value not a string": good.replace(b'"value": "u1"', b'"value": 7'),
        "empty value": good.replace(b'"value": "u1"', b'"value": ""'),
        "type missing": good.replace(b'"type": "Account", ', b""),
        "fields not an object": good.replace(b'"fields": {}}, {"value"', b'"fields": []}, {"value"'),
        "relationship without entityB": good.replace(b'"entityB": "h1", ', b""),
        "relationship entityB empty": good.replace(b'"entityB": "h1"', b'"entityB": ""'),
        "an item that is not an object": good.replace(b"[{", b'["x", {', 1),
        "relationships not a list": good.replace(b'"relationships": [', b'"relationships": {"a": [').replace(
            b"}]}]", b"}]}}]"),
    }
    rng = __import__("random").Random(18)
    fragments = [good, b"\n", b"\r", b" ", b"[]", b"\r\n", b"\n" + good]
    for index in range(20):
        cases[f"mixed {index}"] = b"".join(rng.choice(fragments) for _ in range(rng.randint(1, 5))) + b"\n"
    return cases


def pack_delivers_all(data: bytes) -> bool | None:
    """True when the pack would send every non-blank line; None when the file has none."""
    with tempfile.TemporaryFile() as spool:
        spool.write(data)
        spool.flush()
        view = feed.mapped(spool)
        if view is None:
            return None
        lines = list(feed.scan_lines(view, AGREE_MAX_LINE, None))
        verdicts = [feed.checked_line(line)[1] is None for line in lines]
        view.close()
    return all(verdicts) if verdicts else None


def test_validate_and_the_pack_agree_on_every_line(tmp_path: Path) -> None:
    binary = xsoar_rel()
    if not binary.is_file():
        missing(f"xsoar-rel not found at {binary}: run `cargo build -p relationship-cli` or set XSOAR_REL")
    disagreements = []
    for name, data in agree_cases().items():
        pack = pack_delivers_all(data)
        if pack is None:
            continue
        path = tmp_path / "case.ndjson"
        path.write_bytes(data)
        result = subprocess.run([str(binary), "validate", "--max-line-bytes", str(AGREE_MAX_LINE), str(path)],
                                capture_output=True, check=False, timeout=60)
        assert result.returncode in (0, 1), (name, result.stderr)
        if (result.returncode == 0) != pack:
            disagreements.append(f"{name}: validate exit {result.returncode}, pack delivers: {pack}; "
                                 f"{result.stderr.decode(errors='replace')[:300]}")
    assert not disagreements, "\n".join(disagreements)
