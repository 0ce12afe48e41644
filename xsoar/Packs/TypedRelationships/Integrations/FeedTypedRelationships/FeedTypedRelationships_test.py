"""Tests of FeedTypedRelationships, driven through main() with the demistomock stand-in.

Batches are served over HTTP from 127.0.0.1; `createIndicators` calls, entries and log lines
are read back from the stand-in.
"""

import gzip
import json
import os
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Union

import pytest

import demistomock as demisto
import FeedTypedRelationships as feed

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[4]
MIXED = (HERE / "test_data" / "batches_mixed.ndjson").read_bytes()
DUMMY = "$$DummyIndicator$$"

Body = Union[bytes, Callable[[BaseHTTPRequestHandler], None]]


# ---------------------------------------------------------------------------------------------
# A local HTTP server


@dataclass
class Server:
    """Serves `routes` (path -> body bytes, or a function that writes the response)."""

    routes: dict[str, Body] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        """The address of `path`."""
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def server() -> Iterator[Server]:
    """An HTTP server on 127.0.0.1 in a thread, stopped after the test."""
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            state.requests.append({k.lower(): v for k, v in self.headers.items()})
            body = state.routes.get(self.path.split("?")[0])
            if body is None:
                self.send_error(404, "Not Found")
            elif callable(body):
                body(self)
            else:
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Content-Length", str(len(body)))
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
        httpd.shutdown()
        httpd.server_close()


def run(command: str, params: dict[str, Any], args: Optional[dict[str, Any]] = None) -> list[Any]:
    """Runs main() for `command` and returns the entries it reported."""
    demisto.setup(command, params, args)
    feed.main()
    return list(demisto.results_entries)


def good_lines(data: bytes) -> list[Any]:
    """The lines a correct run sends, parsed (the mixed fixture's lines 1, 2 and 8)."""
    lines = data.decode().split("\n")
    return [json.loads(lines[i - 1]) for i in (1, 2, 8)]


# ---------------------------------------------------------------------------------------------
# fetch-indicators


def test_fetch_sends_every_valid_line_once_unchanged(server: Server) -> None:
    server.routes["/b.ndjson"] = MIXED
    entries = run("fetch-indicators", {"url": server.url("/b.ndjson")})
    assert demisto.created == good_lines(MIXED)
    summary = entries[-1]
    assert summary["Type"] == feed.ENTRY_NOTE
    assert summary["Contents"]["batches"] == 3
    assert summary["Contents"]["indicators"] == 4
    assert summary["Contents"]["dummyIndicators"] == 1
    assert summary["Contents"]["relationships"] == 3


def test_bad_lines_are_skipped_with_line_number_and_reason(server: Server) -> None:
    server.routes["/b.ndjson"] = MIXED
    entries = run("fetch-indicators", {"url": server.url("/b.ndjson")})
    skipped = {s["line"]: s["reason"] for s in entries[-1]["Contents"]["skippedLines"]}
    assert sorted(skipped) == [4, 5, 6, 7, 9, 10]
    assert skipped[4].startswith("not JSON")
    assert skipped[5] == "not a JSON array but an object"
    assert skipped[6] == "item 1: missing `type`"
    assert skipped[7] == "item 2 ($$DummyIndicator$$), relationship 1: missing `entityB`"
    assert skipped[9] == "item 1 ($$DummyIndicator$$), relationship 1: unexpected `reliability`"
    assert skipped[10] == "an empty array: nothing to create"
    human = entries[-1]["HumanReadable"]
    assert "|7|item 2 ($$DummyIndicator$$), relationship 1: missing `entityB`|" in human
    for number in skipped:
        assert any(f"line {number} skipped" in e for e in demisto.errors)
    # Nothing of a bad line is sent: APT29 arrives only from line 8.
    assert [i["value"] for b in demisto.created for i in b].count("APT29") == 1


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'[{"value": "", "type": "IP"}]', "item 1: `value` is empty"),
        (b'[{"value": 7, "type": "IP"}]', "item 1: `value` is a number, not a string"),
        (b'["1.2.3.4"]', "item 1: a string, not an indicator object"),
        (b'[{"value": "1.2.3.4", "type": "IP", "fields": []}]', "item 1: `fields` is an array, not an object"),
        (b'[{"value": "1.2.3.4", "type": "IP", "score": 5}]', "item 1: `score` must be 0, 1, 2, 3 or null, not 5"),
        (b'[{"value": "$$DummyIndicator$$"}]', "item 1 ($$DummyIndicator$$): missing `relationships`"),
        (b'[{"value": "$$DummyIndicator$$", "relationships": {}}]',
         "item 1 ($$DummyIndicator$$): `relationships` is an object, not an array"),
        (b'\xff[]', "not UTF-8 (invalid byte at offset 0)"),
    ],
)
def test_shape_checks(server: Server, line: bytes, reason: str) -> None:
    server.routes["/b"] = line + b"\n"
    entries = run("fetch-indicators", {"url": server.url("/b")})
    assert demisto.created == []
    assert entries[-1]["Contents"]["skippedLines"] == [{"line": 1, "reason": reason}]


def test_relationship_type_and_families_are_checked(server: Server) -> None:
    batch = json.loads(MIXED.split(b"\n")[1])
    batch[0]["relationships"][1]["entityBFamily"] = "Incident"
    server.routes["/b"] = json.dumps(batch).encode()
    entries = run("fetch-indicators", {"url": server.url("/b")})
    assert demisto.created == []
    reason = entries[-1]["Contents"]["skippedLines"][0]["reason"]
    assert reason == 'item 1 ($$DummyIndicator$$), relationship 2: `entityBFamily` must be "Indicator", not "Incident"'


def test_feed_parameters_apply_to_indicators_never_to_the_dummy(server: Server) -> None:
    server.routes["/b"] = MIXED
    params = {"url": server.url("/b"), "feedTags": "feed-a, edr,feed-b", "tlp_color": "AMBER", "feedReputation": "Bad"}
    run("fetch-indicators", params)
    expected = good_lines(MIXED)
    account, host = demisto.created[0]
    assert account == {**expected[0][0], "score": 3, "fields": {"tags": ["feed-a", "edr", "feed-b"],
                                                                "trafficlightprotocol": "AMBER"}}
    # The indicator's own tags come first and its own TLP wins; the score is the feed's.
    assert host["fields"] == {"tags": ["edr", "feed-a", "feed-b"], "trafficlightprotocol": "RED"}
    assert host["score"] == 3
    assert list(host.keys()) == list(expected[0][1].keys())
    # The dummy and its relationships arrive untouched.
    assert demisto.created[1] == expected[1]
    # Attached relationships stay on their indicator, unchanged.
    assert demisto.created[2][0]["relationships"] == expected[2][0]["relationships"]
    assert demisto.created[2][0]["fields"]["tags"] == ["feed-a", "edr", "feed-b"]


@pytest.mark.parametrize(("reputation", "score"), [("None", 0), ("Good", 1), ("Suspicious", 2), ("Bad", 3)])
def test_feed_reputation_scores(server: Server, reputation: str, score: int) -> None:
    server.routes["/b"] = MIXED
    run("fetch-indicators", {"url": server.url("/b"), "feedReputation": reputation})
    scores = [i.get("score") for b in demisto.created for i in b if i["value"] != DUMMY]
    assert scores == [score] * 4


def test_parameters_are_read_in_any_letter_case(server: Server) -> None:
    server.routes["/b"] = MIXED
    run("fetch-indicators", {"url": server.url("/b"), "feedReputation": "bad", "tlp_color": "green"})
    account = demisto.created[0][0]
    assert (account["score"], account["fields"]["trafficlightprotocol"]) == (3, "GREEN")


def test_a_null_score_is_accepted_and_kept(server: Server) -> None:
    line = b'[{"value": "APT-X", "type": "Threat Actor", "score": null, "rawJSON": {}}]'
    server.routes["/b"] = line
    run("fetch-indicators", {"url": server.url("/b")})
    assert demisto.created == [json.loads(line)]


def test_unset_reputation_leaves_scores_alone(server: Server) -> None:
    server.routes["/b"] = MIXED
    run("fetch-indicators", {"url": server.url("/b"), "feedReputation": "feedInstanceReputationNotSet"})
    assert demisto.created == good_lines(MIXED)


def test_server_side_parameters_are_checked_and_leave_batches_unchanged(server: Server) -> None:
    server.routes["/b"] = MIXED
    params = {
        "url": server.url("/b"),
        "feedReliability": "B - Usually reliable",
        "feedExpirationPolicy": "interval",
        "feedExpirationInterval": "20160",
        "feedBypassExclusionList": True,
        "feedFetchInterval": "240",
        "feed": True,
    }
    run("fetch-indicators", params)
    assert demisto.created == good_lines(MIXED)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"feedReliability": "Z - Made up"}, "`feedReliability` must be one of"),
        ({"feedExpirationPolicy": "interval"}, "`feedExpirationInterval` is required"),
        ({"feedExpirationPolicy": "interval", "feedExpirationInterval": "soon"}, "whole number of minutes"),
        ({"feedReputation": "Evil"}, "`feedReputation` must be one of"),
        ({"tlp_color": "PURPLE"}, "`tlp_color` must be one of"),
        ({"url": "ftp://example.com/b"}, "`url` must start with http:// or https://"),
        ({"url": ""}, "`url` is required"),
    ],
)
def test_bad_parameters_are_an_error_entry(server: Server, extra: dict[str, Any], message: str) -> None:
    server.routes["/b"] = MIXED
    entries = run("fetch-indicators", {"url": server.url("/b"), **extra})
    assert demisto.created == []
    assert entries[-1]["Type"] == feed.ENTRY_ERROR
    assert message in entries[-1]["Contents"]


def test_http_error_is_an_error_entry(server: Server) -> None:
    entries = run("fetch-indicators", {"url": server.url("/missing?sig=secret")})
    assert entries[-1]["Type"] == feed.ENTRY_ERROR
    assert "HTTP 404" in entries[-1]["Contents"]
    assert "secret" not in entries[-1]["Contents"]


@pytest.mark.parametrize(
    ("credentials", "header"),
    [
        ({"identifier": "feeduser", "password": "s3cret"}, "Basic ZmVlZHVzZXI6czNjcmV0"),
        ({"identifier": "", "password": "tok123"}, "Bearer tok123"),
        ({"identifier": "", "password": "Token tok123"}, "Token tok123"),
        (None, None),
    ],
)
def test_credentials_become_an_authorization_header(
    server: Server, credentials: Optional[dict[str, str]], header: Optional[str]
) -> None:
    server.routes["/b"] = MIXED
    run("fetch-indicators", {"url": server.url("/b"), "credentials": credentials})
    assert server.requests[0].get("authorization") == header
    assert not any("s3cret" in line or "tok123" in line for line in demisto.errors + demisto.debugs)


def test_gzip_body_and_crlf_and_bom(server: Server) -> None:
    text = b"\xef\xbb\xbf" + MIXED.replace(b"\n", b"\r\n")
    server.routes["/b.ndjson.gz"] = gzip.compress(text[:500]) + gzip.compress(text[500:])
    run("fetch-indicators", {"url": server.url("/b.ndjson.gz")})
    assert demisto.created == good_lines(MIXED)


def test_truncated_gzip_is_an_error(server: Server) -> None:
    server.routes["/b.gz"] = gzip.compress(MIXED)[:-30]
    entries = run("fetch-indicators", {"url": server.url("/b.gz")})
    assert entries[-1]["Type"] == feed.ENTRY_ERROR
    assert "ends early" in entries[-1]["Contents"]


def test_a_line_over_the_limit_is_skipped_without_being_kept(server: Server) -> None:
    long_line = b'[{"value": "' + b"a" * 5000 + b'", "type": "Domain"}]'
    server.routes["/b"] = MIXED.split(b"\n")[0] + b"\n" + long_line + b"\n" + MIXED.split(b"\n")[1]
    entries = run("fetch-indicators", {"url": server.url("/b"), "max_line_bytes": "1000"})
    assert demisto.created == good_lines(MIXED)[:2]
    assert entries[-1]["Contents"]["skippedLines"] == [
        {"line": 2, "reason": "the line is longer than the limit of 1000 bytes"}
    ]


def test_lines_are_sent_while_the_body_is_still_arriving(server: Server) -> None:
    first_sent = threading.Event()
    lines = MIXED.split(b"\n")
    # More than a few read chunks of complete lines, then a pause until the feed has sent one.
    head_count = 4 * feed.CHUNK_BYTES // len(lines[0]) + 1

    def slow(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write((lines[0] + b"\n") * head_count)
        handler.wfile.flush()
        released_by_feed = first_sent.wait(10)
        handler.wfile.write(lines[1] + b"\n" + (b"" if released_by_feed else b"not streamed\n"))

    server.routes["/slow"] = slow
    original = demisto.createIndicators

    def create(batch: list[Any], noUpdate: bool = False) -> None:  # noqa: N803
        original(batch)
        first_sent.set()

    demisto.createIndicators = create
    try:
        entries = run("fetch-indicators", {"url": server.url("/slow")})
    finally:
        demisto.createIndicators = original
    assert entries[-1]["Contents"]["skipped"] == 0, "the body was read whole before line 1 was sent"
    assert demisto.created == [good_lines(MIXED)[0]] * head_count + [good_lines(MIXED)[1]]


# ---------------------------------------------------------------------------------------------
# test-module and the preview command


def test_test_module_ok(server: Server) -> None:
    server.routes["/b"] = b"\n" + MIXED
    assert run("test-module", {"url": server.url("/b")}) == ["ok"]
    assert demisto.created == []


def test_test_module_reports_a_bad_first_line(server: Server) -> None:
    server.routes["/b"] = b'{"value": "x"}\n' + MIXED
    entries = run("test-module", {"url": server.url("/b")})
    assert entries == ["The feed's line 1 is not a valid createIndicators batch: not a JSON array but an object"]


def test_test_module_reports_an_empty_feed_and_http_errors(server: Server) -> None:
    server.routes["/empty"] = b""
    assert "holds no batch" in run("test-module", {"url": server.url("/empty")})[0]
    assert "HTTP 404" in run("test-module", {"url": server.url("/nope")})[0]["Contents"]


def test_get_indicators_previews_without_creating(server: Server) -> None:
    server.routes["/b"] = MIXED
    entries = run("typed-relationships-get-indicators", {"url": server.url("/b"), "feedTags": "t1"}, {"limit": "2"})
    assert demisto.created == []
    entry = entries[-1]
    assert [i["value"] for i in entry["Contents"]["indicators"]] == ["u4872", "pc135456.domain.local"]
    assert entry["Contents"]["indicators"][0]["fields"]["tags"] == ["t1"]
    rels = entry["Contents"]["relationships"]
    assert [(r["entityA"], r["name"], r["entityB"]) for r in rels] == [
        ("u4872", "uses", "pc135456.domain.local"),
        ("pc135456.domain.local", "communicates-with", "203.0.113.7"),
    ]
    human = entry["HumanReadable"]
    assert "|Value|Type|Score|Tags|TLP|Relationships|" in human
    assert "|u4872|Account||t1|||0|" not in human  # columns are aligned with the header
    assert "|u4872|Account||t1||0|" in human
    assert "|u4872|Account|uses|used-by|pc135456.domain.local|Host|$$DummyIndicator$$|" in human
    assert "Nothing was created." in human


def test_get_indicators_reads_on_to_fill_both_tables_and_reports_bad_lines(server: Server) -> None:
    server.routes["/b"] = MIXED
    entries = run("typed-relationships-get-indicators", {"url": server.url("/b")}, {"limit": "10"})
    contents = entries[-1]["Contents"]
    assert len(contents["indicators"]) == 4
    assert contents["relationships"][-1]["carriedBy"] == "Intrusion Set: APT29"
    assert [s["line"] for s in contents["skippedLines"]] == [4, 5, 6, 7, 9, 10]


@pytest.mark.parametrize("limit", ["0", "x", "1001"])
def test_get_indicators_limit_is_checked(server: Server, limit: str) -> None:
    server.routes["/b"] = MIXED
    entries = run("typed-relationships-get-indicators", {"url": server.url("/b")}, {"limit": limit})
    assert entries[-1]["Type"] == feed.ENTRY_ERROR
    assert "`limit`" in entries[-1]["Contents"]


def test_unknown_command_is_an_error_entry() -> None:
    entries = run("typed-relationships-unknown", {"url": "http://127.0.0.1:9/"})
    assert entries[-1]["Type"] == feed.ENTRY_ERROR


# ---------------------------------------------------------------------------------------------
# End to end: xsoar-rel convert-stix output of MITRE ATT&CK, served over HTTP


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


def test_attck_batches_arrive_exactly_once(server: Server, tmp_path: Path) -> None:
    binary = xsoar_rel()
    bundle = REPO / "data" / "attck" / "enterprise.json"
    if not binary.is_file():
        missing(f"xsoar-rel not found at {binary}: run `cargo build -p relationship-cli` or set XSOAR_REL")
    if not bundle.is_file():
        missing(f"{bundle} is missing: run `bash scripts/fetch-attck.sh`")
    out = tmp_path / "attck.ndjson"
    subprocess.run([str(binary), "convert-stix", str(bundle), "-o", str(out)], check=True, capture_output=True)
    data = out.read_bytes()
    expected = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
    assert len(expected) > 1
    server.routes["/attck.ndjson"] = data
    entries = run("fetch-indicators", {"url": server.url("/attck.ndjson")})
    assert demisto.created == expected
    summary = entries[-1]["Contents"]
    assert summary["skipped"] == 0
    assert summary["batches"] == len(expected)
    dummies = [i for b in demisto.created for i in b if i["value"] == DUMMY]
    assert dummies and all(set(d) == {"value", "relationships"} for d in dummies)
    # The relationship objects ride on dummies, each technique's part-of links to its tactics
    # on the technique itself (as XSOAR's ATT&CK feed sends them).
    assert summary["relationships"] == sum(len(i.get("relationships") or []) for b in demisto.created for i in b)
    links = [r for b in demisto.created for i in b if i["value"] != DUMMY for r in i.get("relationships") or []]
    assert len(links) == 206 and all(r["name"] == "part-of" and r["entityBType"] == "Tactic" for r in links)

    # With feed parameters only the indicators change; every dummy arrives as written.
    run("fetch-indicators", {"url": server.url("/attck.ndjson"), "feedTags": "attck", "tlp_color": "GREEN"})
    assert len(demisto.created) == len(expected)
    for sent, original in zip(demisto.created, expected):
        assert len(sent) == len(original)
        for s, o in zip(sent, original):
            if o["value"] == DUMMY:
                assert s == o
            else:
                assert s["fields"]["tags"][-1] == "attck"
                assert {k: v for k, v in s.items() if k != "fields"} == {k: v for k, v in o.items() if k != "fields"}
