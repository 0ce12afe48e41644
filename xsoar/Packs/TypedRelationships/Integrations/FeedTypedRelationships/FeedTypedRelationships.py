"""Feed of typed relationships: createIndicators batches written by `xsoar-rel`, fetched over HTTP(S).

Each line of the fetched file is one JSON array, exactly what the integration passes to one
`demisto.createIndicators` call. The file is read as a stream, line by line; every line is
checked before it is sent, and a bad line is skipped and reported with its number and reason.

The integration uses only the standard library and `requests` (both in the `demisto/python3`
image), talks to XSOAR only through `demistomock`, and does not import `CommonServerPython`.
"""

import base64
import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Optional

import requests

import demistomock as demisto

DUMMY_VALUE = "$$DummyIndicator$$"

# The ten keys of CommonServerPython's EntityRelationship.to_indicator(), in its order.
RELATIONSHIP_KEYS = (
    "name",
    "reverseName",
    "type",
    "entityA",
    "entityAFamily",
    "entityAType",
    "entityB",
    "entityBFamily",
    "entityBType",
    "fields",
)
RELATIONSHIP_STRING_KEYS = ("name", "reverseName", "entityA", "entityAType", "entityB", "entityBType")

# feedReputation as XSOAR's feeds read it (Common.DBotScore: NONE 0, GOOD 1, SUSPICIOUS 2, BAD 3).
REPUTATION_SCORES = {"None": 0, "Unknown": 0, "Good": 1, "Suspicious": 2, "Bad": 3}
REPUTATION_NOT_SET = ("", "feedInstanceReputationNotSet")
RELIABILITIES = (
    "A+ - 3rd party enrichment",
    "A - Completely reliable",
    "B - Usually reliable",
    "C - Fairly reliable",
    "D - Not usually reliable",
    "E - Unreliable",
    "F - Reliability cannot be judged",
)
EXPIRATION_POLICIES = ("never", "interval", "indicatorType", "suddenDeath")
TLP_COLORS = ("RED", "AMBER+STRICT", "AMBER", "GREEN", "WHITE", "CLEAR")

DEFAULT_TIMEOUT_SECONDS = 60.0
DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
DEFAULT_PREVIEW_LIMIT = 10
MAX_PREVIEW_LIMIT = 1000
MAX_REPORTED_BAD_LINES = 100
MAX_LOGGED_BAD_LINES = 1000

ENTRY_NOTE = 1
ENTRY_ERROR = 4


class FeedError(Exception):
    """A failure that ends the command: bad parameters, an HTTP error, a broken stream."""


class BadLine(Exception):
    """A line that is not a valid createIndicators batch; the message says why."""


# ---------------------------------------------------------------------------------------------
# Parameters


@dataclass(frozen=True)
class FeedParams:
    """The instance parameters, checked once per command."""

    url: str
    headers: dict[str, str]
    verify: bool
    proxies: Optional[dict[str, Optional[str]]]
    timeout: float
    max_line_bytes: int
    tags: list[str]
    tlp_color: Optional[str]
    score: Optional[int]
    reliability: Optional[str]
    expiration_policy: Optional[str]
    expiration_interval: Optional[int]
    bypass_exclusion_list: bool


def to_bool(value: Any) -> bool:
    """XSOAR sends check boxes as booleans or as the strings 'true'/'false'."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1")
    return bool(value)


def to_list(value: Any) -> list[str]:
    """A comma-separated string, a JSON list in a string, or a list, as XSOAR's argToList reads them."""
    if value is None:
        return []
    if isinstance(value, list):
        items = value
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                loaded = json.loads(text)
            except json.JSONDecodeError:
                loaded = None
            items = loaded if isinstance(loaded, list) else text.split(",")
        else:
            items = text.split(",")
    else:
        items = [value]
    return [str(item).strip() for item in items if str(item).strip()]


def authorization_header(credentials: Any) -> Optional[str]:
    """The Authorization header for the `credentials` parameter, or None.

    A user name and password give HTTP Basic. A password alone is sent as the header's value
    when it already names a scheme (`Bearer abc`, `Token abc`), otherwise as `Bearer <password>`.
    """
    if not isinstance(credentials, dict):
        return None
    user = str(credentials.get("identifier") or "")
    password = str(credentials.get("password") or "")
    if user:
        token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
        return f"Basic {token}"
    if not password:
        return None
    return password if " " in password.strip() else f"Bearer {password.strip()}"


def positive_number(params: dict[str, Any], key: str, default: float) -> float:
    """A positive number parameter, or the default when it is empty."""
    raw = params.get(key)
    if raw in (None, ""):
        return default
    try:
        number = float(raw)
    except (TypeError, ValueError):
        raise FeedError(f"`{key}` must be a number, not {raw!r}")
    if number <= 0:
        raise FeedError(f"`{key}` must be greater than 0, not {raw!r}")
    return number


def reputation_score(params: dict[str, Any]) -> Optional[int]:
    """feedReputation as a DBot score, or None when it is not set."""
    raw = params.get("feedReputation")
    if raw is None or raw in REPUTATION_NOT_SET:
        return None
    for name, score in REPUTATION_SCORES.items():
        if str(raw).strip().lower() == name.lower():
            return score
    raise FeedError(f"`feedReputation` must be one of None, Good, Suspicious, Bad, not {raw!r}")


def choice(params: dict[str, Any], key: str, allowed: tuple[str, ...]) -> Optional[str]:
    """An optional parameter that must be one of `allowed` (any letter case), spelled as there."""
    raw = params.get(key)
    if raw in (None, ""):
        return None
    for option in allowed:
        if str(raw).strip().lower() == option.lower():
            return option
    raise FeedError(f"`{key}` must be one of {', '.join(allowed)}, not {raw!r}")


def expiration_interval(params: dict[str, Any], policy: Optional[str]) -> Optional[int]:
    """feedExpirationInterval in minutes; required to be a positive integer for the `interval` policy."""
    raw = params.get("feedExpirationInterval")
    if raw in (None, ""):
        if policy == "interval":
            raise FeedError("`feedExpirationInterval` is required when `feedExpirationPolicy` is interval")
        return None
    try:
        minutes = int(str(raw).strip())
    except ValueError:
        raise FeedError(f"`feedExpirationInterval` must be a whole number of minutes, not {raw!r}")
    if minutes <= 0:
        raise FeedError(f"`feedExpirationInterval` must be greater than 0, not {raw!r}")
    return minutes


def feed_url(params: dict[str, Any]) -> str:
    """The `url` parameter, which must be HTTP or HTTPS."""
    url = str(params.get("url") or "").strip()
    if not url:
        raise FeedError("`url` is required: the HTTP(S) address of the batches file")
    if not url.lower().startswith(("http://", "https://")):
        raise FeedError(f"`url` must start with http:// or https://, not {url[:80]!r}")
    return url


def parse_params(params: dict[str, Any]) -> FeedParams:
    """Checks the instance parameters; a wrong value is a FeedError naming the parameter."""
    headers = {"Accept": "application/x-ndjson, application/json;q=0.9, */*;q=0.1"}
    auth = authorization_header(params.get("credentials"))
    if auth:
        headers["Authorization"] = auth
    policy = choice(params, "feedExpirationPolicy", EXPIRATION_POLICIES)
    use_proxy = to_bool(params.get("proxy", False))
    return FeedParams(
        url=feed_url(params),
        headers=headers,
        verify=not to_bool(params.get("insecure", False)),
        # None keeps the environment's proxy settings (XSOAR's system proxy); mapping every
        # scheme to None makes requests ignore them.
        proxies=None if use_proxy else {"http": None, "https": None},
        timeout=positive_number(params, "timeout", DEFAULT_TIMEOUT_SECONDS),
        max_line_bytes=int(positive_number(params, "max_line_bytes", DEFAULT_MAX_LINE_BYTES)),
        tags=to_list(params.get("feedTags")),
        tlp_color=choice(params, "tlp_color", TLP_COLORS),
        score=reputation_score(params),
        reliability=choice(params, "feedReliability", RELIABILITIES),
        expiration_policy=policy,
        expiration_interval=expiration_interval(params, policy),
        bypass_exclusion_list=to_bool(params.get("feedBypassExclusionList", False)),
    )


# ---------------------------------------------------------------------------------------------
# Streaming: HTTP body -> (gunzipped) chunks -> numbered lines


def gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Decompresses a gzip stream (one or more members), never more than CHUNK_BYTES at a time."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending = False  # the current member has started and not ended
    for chunk in chunks:
        data = chunk
        while data:
            pending = True
            try:
                out = inflater.decompress(data, CHUNK_BYTES)
            except zlib.error as e:
                raise FeedError(f"the gzip-compressed body is corrupt: {e}")
            if out:
                yield out
            if inflater.eof:
                data = inflater.unused_data
                inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                pending = False
            else:
                data = inflater.unconsumed_tail
    while pending:
        out = inflater.decompress(b"", CHUNK_BYTES)
        if out:
            yield out
        elif not inflater.unconsumed_tail:
            break
    if pending and not inflater.eof:
        raise FeedError("the gzip-compressed body ends early (truncated download?)")


def maybe_gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The body as it is, or decompressed when it is a gzip file (magic bytes 1f 8b)."""
    iterator = iter(chunks)
    first = b""
    for chunk in iterator:
        first = chunk
        if chunk:
            break
    if first[:2] == b"\x1f\x8b":

        def whole() -> Iterator[bytes]:
            yield first
            yield from iterator

        yield from gunzip(whole())
        return
    if first:
        yield first
    yield from iterator


@dataclass
class RawLine:
    """One line of the body: its number (1-based, blank lines counted), bytes or an error."""

    number: int
    data: bytes = b""
    error: Optional[str] = None


def split_lines(chunks: Iterable[bytes], max_line_bytes: int) -> Iterator[RawLine]:
    """Numbered lines from byte chunks; a line longer than max_line_bytes is reported, not kept."""
    buffer = bytearray()
    number = 1
    too_long = False
    for chunk in chunks:
        start = 0
        while start < len(chunk):
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            if not too_long:
                buffer += piece
                if len(buffer) > max_line_bytes + 1:  # +1: a trailing \r is not counted
                    too_long = True
                    buffer = bytearray()
            if end < 0:
                break
            yield finish_line(number, buffer, too_long, max_line_bytes)
            number += 1
            buffer = bytearray()
            too_long = False
            start = end + 1
    if buffer or too_long:
        yield finish_line(number, buffer, too_long, max_line_bytes)


def finish_line(number: int, buffer: bytearray, too_long: bool, max_line_bytes: int) -> RawLine:
    """A complete line, its carriage return removed."""
    if buffer.endswith(b"\r"):
        del buffer[-1]
    if too_long or len(buffer) > max_line_bytes:
        return RawLine(number, error=f"the line is longer than the limit of {max_line_bytes} bytes")
    return RawLine(number, bytes(buffer))


# ---------------------------------------------------------------------------------------------
# Checking one line


def parse_line(data: bytes, first: bool) -> list[Any]:
    """A line's JSON array, checked; BadLine says what is wrong with it."""
    if first and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadLine(f"not UTF-8 (invalid byte at offset {e.start})")
    try:
        batch = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadLine(f"not JSON: {e.msg} at column {e.colno}")
    check_batch(batch)
    return batch


def json_kind(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def check_batch(batch: Any) -> None:
    """A batch is a non-empty JSON array of indicator objects."""
    if not isinstance(batch, list):
        raise BadLine(f"not a JSON array but {json_kind(batch)}")
    if not batch:
        raise BadLine("an empty array: nothing to create")
    for index, item in enumerate(batch, start=1):
        check_indicator(item, f"item {index}")


def require_string(obj: dict[str, Any], key: str, where: str) -> str:
    """obj[key] as a non-empty string."""
    if key not in obj:
        raise BadLine(f"{where}: missing `{key}`")
    value = obj[key]
    if not isinstance(value, str):
        raise BadLine(f"{where}: `{key}` is {json_kind(value)}, not a string")
    if not value:
        raise BadLine(f"{where}: `{key}` is empty")
    return value


def check_indicator(item: Any, where: str) -> None:
    """An indicator has `value` and `type`; the dummy has `value` and `relationships`."""
    if not isinstance(item, dict):
        raise BadLine(f"{where}: {json_kind(item)}, not an indicator object")
    value = require_string(item, "value", where)
    dummy = value == DUMMY_VALUE
    if dummy:
        where = f"{where} ($$DummyIndicator$$)"
        if "relationships" not in item:
            raise BadLine(f"{where}: missing `relationships`")
    else:
        require_string(item, "type", where)
    if "fields" in item and item["fields"] is not None and not isinstance(item["fields"], dict):
        raise BadLine(f"{where}: `fields` is {json_kind(item['fields'])}, not an object")
    if item.get("score") is not None:  # null: no score, as XSOAR's ATT&CK feed sends for some types
        score = item["score"]
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 3:
            raise BadLine(f"{where}: `score` must be 0, 1, 2, 3 or null, not {json.dumps(score)[:40]}")
    if "relationships" in item and (item["relationships"] is not None or dummy):
        check_relationships(item["relationships"], where)


def check_relationships(relationships: Any, where: str) -> None:
    """A list of objects with exactly the ten keys of to_indicator()."""
    if not isinstance(relationships, list):
        raise BadLine(f"{where}: `relationships` is {json_kind(relationships)}, not an array")
    for index, rel in enumerate(relationships, start=1):
        check_relationship(rel, f"{where}, relationship {index}")


def check_relationship(rel: Any, where: str) -> None:
    """One to_indicator() object."""
    if not isinstance(rel, dict):
        raise BadLine(f"{where}: {json_kind(rel)}, not a relationship object")
    missing = [key for key in RELATIONSHIP_KEYS if key not in rel]
    if missing:
        raise BadLine(f"{where}: missing {', '.join(f'`{k}`' for k in missing)}")
    extra = [key for key in rel if key not in RELATIONSHIP_KEYS]
    if extra:
        raise BadLine(f"{where}: unexpected {', '.join(f'`{k}`' for k in extra[:5])}")
    for key in RELATIONSHIP_STRING_KEYS:
        require_string(rel, key, where)
    if rel["type"] != "IndicatorToIndicator":
        raise BadLine(f"{where}: `type` must be \"IndicatorToIndicator\", not {json.dumps(rel['type'])[:60]}")
    for key in ("entityAFamily", "entityBFamily"):
        if rel[key] != "Indicator":
            raise BadLine(f"{where}: `{key}` must be \"Indicator\", not {json.dumps(rel[key])[:60]}")
    if not isinstance(rel["fields"], dict):
        raise BadLine(f"{where}: `fields` is {json_kind(rel['fields'])}, not an object")


# ---------------------------------------------------------------------------------------------
# Feed parameters applied to indicators (never to the dummy, never to relationships)


def is_dummy(item: dict[str, Any]) -> bool:
    """The `$$DummyIndicator$$` pseudo-indicator that only carries relationships."""
    return item.get("value") == DUMMY_VALUE


def merged_tags(existing: Any, extra: list[str]) -> list[Any]:
    """The indicator's own tags, then the feed's tags it does not have yet."""
    if isinstance(existing, list):
        tags = list(existing)
    elif isinstance(existing, str) and existing:
        tags = [existing]
    else:
        tags = []
    for tag in extra:
        if tag not in tags:
            tags.append(tag)
    return tags


def apply_feed_params(item: dict[str, Any], params: FeedParams) -> dict[str, Any]:
    """An indicator with feedTags, tlp_color and feedReputation applied; the dummy as it is."""
    if is_dummy(item) or not (params.tags or params.tlp_color or params.score is not None):
        return item
    out = dict(item)
    if params.score is not None:
        out["score"] = params.score
    if params.tags or params.tlp_color:
        fields = dict(item.get("fields") or {})
        if params.tags:
            fields["tags"] = merged_tags(fields.get("tags"), params.tags)
        if params.tlp_color and not fields.get("trafficlightprotocol"):
            fields["trafficlightprotocol"] = params.tlp_color
        out["fields"] = fields
    return out


def apply_to_batch(batch: list[Any], params: FeedParams) -> list[Any]:
    """The batch as sent: the same list when no parameter changes anything."""
    if not (params.tags or params.tlp_color or params.score is not None):
        return batch
    return [apply_feed_params(item, params) for item in batch]


# ---------------------------------------------------------------------------------------------
# Reading the feed


@dataclass
class Report:
    """What a run read, sent and skipped."""

    lines: int = 0
    batches: int = 0
    indicators: int = 0
    dummies: int = 0
    relationships: int = 0
    bad_count: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)

    def add_batch(self, batch: list[Any]) -> None:
        """Counts a batch that was accepted."""
        self.batches += 1
        for item in batch:
            if is_dummy(item):
                self.dummies += 1
            else:
                self.indicators += 1
            self.relationships += len(item.get("relationships") or [])

    def add_bad(self, number: int, reason: str) -> None:
        """Records a skipped line and logs it (the log is capped, the count is not)."""
        self.bad_count += 1
        if self.bad_count <= MAX_LOGGED_BAD_LINES:
            demisto.error(f"FeedTypedRelationships: line {number} skipped: {reason}")
        if len(self.bad) < MAX_REPORTED_BAD_LINES:
            self.bad.append((number, reason))


def open_stream(params: FeedParams) -> requests.Response:
    """The HTTP response, streamed; an HTTP error is a FeedError with the status."""
    try:
        response = requests.get(
            params.url,
            headers=params.headers,
            verify=params.verify,
            proxies=params.proxies,
            timeout=params.timeout,
            stream=True,
        )
    except requests.RequestException as e:
        raise FeedError(f"cannot fetch {safe_url(params.url)}: {type(e).__name__}: {e}")
    if response.status_code >= 400:
        response.close()
        raise FeedError(f"cannot fetch {safe_url(params.url)}: HTTP {response.status_code} {response.reason}")
    return response


def safe_url(url: str) -> str:
    """The URL without its query string (which may hold a signature or a token)."""
    return url.split("?", 1)[0][:200]


def read_lines(params: FeedParams) -> Iterator[RawLine]:
    """The feed's lines, streamed; the connection is closed when the caller stops."""
    response = open_stream(params)
    try:
        chunks = response.iter_content(chunk_size=CHUNK_BYTES)
        yield from split_lines(maybe_gunzip(chunks), params.max_line_bytes)
    except requests.RequestException as e:
        raise FeedError(f"the download of {safe_url(params.url)} broke off: {type(e).__name__}: {e}")
    finally:
        response.close()


def checked_batches(params: FeedParams, report: Report) -> Iterator[tuple[int, list[Any]]]:
    """(line number, batch) for every valid non-blank line; bad lines go to the report."""
    for line in read_lines(params):
        if line.error is None and not line.data.strip():
            continue
        report.lines += 1
        if line.error is not None:
            report.add_bad(line.number, line.error)
            continue
        try:
            batch = parse_line(line.data, line.number == 1)
        except BadLine as e:
            report.add_bad(line.number, str(e))
            continue
        yield line.number, batch


def fetch_indicators(params: FeedParams, create: Callable[[list[Any]], Any]) -> Report:
    """Sends every valid line to `create` once, in order, with the feed parameters applied."""
    report = Report()
    for _, batch in checked_batches(params, report):
        create(apply_to_batch(batch, params))
        report.add_batch(batch)
    return report


def test_module(params: FeedParams) -> str:
    """'ok' when the first non-blank line of the feed is a valid batch; nothing more is read."""
    for line in read_lines(params):
        if line.error is None and not line.data.strip():
            continue
        try:
            if line.error is not None:
                raise BadLine(line.error)
            parse_line(line.data, line.number == 1)
        except BadLine as e:
            return f"The feed's line {line.number} is not a valid createIndicators batch: {e}"
        return "ok"
    return f"The feed at {safe_url(params.url)} holds no batch (the file is empty)."


# ---------------------------------------------------------------------------------------------
# Preview: typed-relationships-get-indicators


@dataclass
class Preview:
    """The first indicators and relationships of the feed, as they would be created."""

    limit: int
    indicators: list[dict[str, Any]] = field(default_factory=list)
    relationships: list[dict[str, Any]] = field(default_factory=list)

    def full(self) -> bool:
        """Both tables hold `limit` rows."""
        return len(self.indicators) >= self.limit and len(self.relationships) >= self.limit

    def add(self, batch: list[Any]) -> None:
        """Takes rows from a (decorated) batch until the tables are full."""
        for item in batch:
            carrier = "$$DummyIndicator$$" if is_dummy(item) else f"{item['type']}: {item['value']}"
            if not is_dummy(item) and len(self.indicators) < self.limit:
                self.indicators.append(item)
            for rel in item.get("relationships") or []:
                if len(self.relationships) < self.limit:
                    self.relationships.append({**rel, "carriedBy": carrier})


def preview_limit(args: dict[str, Any]) -> int:
    """The `limit` argument: a whole number from 1 to MAX_PREVIEW_LIMIT."""
    raw = args.get("limit", DEFAULT_PREVIEW_LIMIT)
    try:
        limit = int(str(raw).strip())
    except ValueError:
        raise FeedError(f"`limit` must be a whole number, not {raw!r}")
    if not 1 <= limit <= MAX_PREVIEW_LIMIT:
        raise FeedError(f"`limit` must be between 1 and {MAX_PREVIEW_LIMIT}, not {limit}")
    return limit


def get_indicators(params: FeedParams, args: dict[str, Any]) -> dict[str, Any]:
    """Reads the feed until `limit` indicators and `limit` relationships are seen; creates nothing."""
    preview = Preview(preview_limit(args))
    report = Report()
    for _, batch in checked_batches(params, report):
        preview.add(apply_to_batch(batch, params))
        report.add_batch(batch)
        if preview.full():
            break
    human = "\n".join(
        [
            f"### Typed relationships feed: preview of {safe_url(params.url)}",
            f"Read {report.lines} line(s): {report.batches} valid batch(es), {report.bad_count} skipped. "
            "Nothing was created.",
            "",
            markdown_table(f"Indicators (first {preview.limit})", indicator_rows(preview.indicators)),
            markdown_table(f"Relationships (first {preview.limit})", relationship_rows(preview.relationships)),
            bad_lines_table(report),
        ]
    )
    contents = {
        "indicators": preview.indicators,
        "relationships": preview.relationships,
        "skippedLines": [{"line": n, "reason": r} for n, r in report.bad],
    }
    return note_entry(contents, human)


# ---------------------------------------------------------------------------------------------
# Entries and tables


def cell(value: Any) -> str:
    """A markdown table cell: lists joined, pipes and newlines escaped."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value)
    text = str(value).replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(text.split())[:300]


def markdown_table(title: str, rows: list[dict[str, Any]]) -> str:
    """A markdown table titled `title`, or a line saying it is empty."""
    if not rows:
        return f"#### {title}\n**No entries.**\n"
    headers = list(rows[0].keys())
    lines = [f"#### {title}", "|" + "|".join(headers) + "|", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["|" + "|".join(cell(row.get(h)) for h in headers) + "|" for row in rows]
    return "\n".join(lines) + "\n"


def indicator_rows(indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The preview's indicator table."""
    rows = []
    for ind in indicators:
        fields = ind.get("fields") or {}
        rows.append(
            {
                "Value": ind.get("value"),
                "Type": ind.get("type"),
                "Score": ind.get("score"),
                "Tags": fields.get("tags"),
                "TLP": fields.get("trafficlightprotocol"),
                "Relationships": len(ind.get("relationships") or []),
            }
        )
    return rows


def relationship_rows(relationships: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The preview's relationship table."""
    return [
        {
            "Entity A": rel["entityA"],
            "Entity A Type": rel["entityAType"],
            "Name": rel["name"],
            "Reverse Name": rel["reverseName"],
            "Entity B": rel["entityB"],
            "Entity B Type": rel["entityBType"],
            "Carried By": rel["carriedBy"],
        }
        for rel in relationships
    ]


def bad_lines_table(report: Report) -> str:
    """The skipped lines (the first MAX_REPORTED_BAD_LINES), or nothing."""
    if not report.bad_count:
        return ""
    rows = [{"Line": n, "Reason": r} for n, r in report.bad]
    more = report.bad_count - len(report.bad)
    suffix = f"\n... and {more} more skipped line(s), listed in the log.\n" if more > 0 else ""
    return markdown_table(f"Skipped lines ({report.bad_count})", rows) + suffix


def note_entry(contents: Any, human: str) -> dict[str, Any]:
    """A note entry with JSON contents and a markdown rendering."""
    return {
        "Type": ENTRY_NOTE,
        "ContentsFormat": "json",
        "Contents": contents,
        "HumanReadable": human,
        "ReadableContentsFormat": "markdown",
    }


def error_entry(message: str) -> dict[str, Any]:
    """An error entry, as CommonServerPython's return_error writes it."""
    return {"Type": ENTRY_ERROR, "ContentsFormat": "text", "Contents": message}


def fetch_summary(params: FeedParams, report: Report) -> dict[str, Any]:
    """The fetch-indicators summary: counts and the skipped lines."""
    human = "\n".join(
        [
            f"### Typed relationships feed: fetched {safe_url(params.url)}",
            f"Read {report.lines} line(s): sent {report.batches} batch(es) to createIndicators "
            f"({report.indicators} indicator(s), {report.dummies} $$DummyIndicator$$, "
            f"{report.relationships} relationship(s)); skipped {report.bad_count} bad line(s).",
            "",
            bad_lines_table(report),
        ]
    )
    contents = {
        "lines": report.lines,
        "batches": report.batches,
        "indicators": report.indicators,
        "dummyIndicators": report.dummies,
        "relationships": report.relationships,
        "skipped": report.bad_count,
        "skippedLines": [{"line": n, "reason": r} for n, r in report.bad],
    }
    return note_entry(contents, human)


# ---------------------------------------------------------------------------------------------
# Entry point


def run_command(command: str) -> Any:
    """Runs one command and returns what to pass to demisto.results."""
    params = parse_params(demisto.params())
    if command == "test-module":
        return test_module(params)
    if command == "fetch-indicators":
        report = fetch_indicators(params, demisto.createIndicators)
        demisto.debug(
            f"FeedTypedRelationships: {report.batches} batch(es) sent, {report.bad_count} line(s) skipped"
        )
        return fetch_summary(params, report)
    if command == "typed-relationships-get-indicators":
        return get_indicators(params, demisto.args())
    raise FeedError(f"command {command!r} is not implemented")


def main() -> None:
    """Dispatches demisto.command(); every failure becomes one error entry."""
    command = demisto.command()
    demisto.debug(f"FeedTypedRelationships: command {command}")
    try:
        demisto.results(run_command(command))
    except FeedError as e:
        demisto.error(f"FeedTypedRelationships: {command} failed: {e}")
        demisto.results(error_entry(f"Failed to execute {command} command. Error: {e}"))
    except Exception as e:  # noqa: BLE001 - XSOAR integrations report every failure as an entry
        demisto.error(f"FeedTypedRelationships: {command} failed: {type(e).__name__}: {e}")
        demisto.results(error_entry(f"Failed to execute {command} command. Error: {type(e).__name__}: {e}"))


if __name__ in ("__main__", "__builtin__", "builtins"):
    main()
