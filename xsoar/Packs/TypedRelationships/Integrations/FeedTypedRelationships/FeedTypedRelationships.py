"""Typed Relationships Feed: createIndicators batches (one JSON array per line) fetched over HTTP(S).

A fetch downloads the file into a bounded temporary file (within an overall deadline), checks
every line, and only then sends the batches, at most MAX_ITEMS_PER_CALL items per
createIndicators call. An unchanged file (HTTP 304, or the same content) creates nothing and
tells the server there is no update, so no indicator expires.
"""

import demistomock as demisto  # noqa: F401
from CommonServerPython import *  # noqa: F401

import base64
import hashlib
import json
import math
import mmap
import re
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import requests


DUMMY_VALUE = "$$DummyIndicator$$"
MAX_ITEMS_PER_CALL = 2000  # an indicator counts 1, each relationship it carries counts 1
CHUNK_BYTES = 64 * 1024
WINDOW_BYTES = 1024 * 1024

DEFAULT_READ_TIMEOUT = 60
DEFAULT_FETCH_DEADLINE = 240  # seconds; below the 5 minutes after which the server stops a command
DEFAULT_MAX_FILE_MB = 512
MAX_FILE_MB_LIMIT = 4096
DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024
MAX_LINE_BYTES_LIMIT = 16 * 1024 * 1024
DEFAULT_PREVIEW_LIMIT = 10
MAX_PREVIEW_LIMIT = 1000
MAX_LISTED_BAD_LINES = 20
MAX_MESSAGE_CHARS = 4000

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
REPUTATION_SCORES = {"none": 0, "unknown": 0, "good": 1, "suspicious": 2, "bad": 3}
TLP_COLORS = ("RED", "AMBER+STRICT", "AMBER", "GREEN", "WHITE", "CLEAR")
MAX_DEPTH = 512  # arrays and objects inside one another, the outermost counted
MAX_INT_DIGITS = 4300  # Python 3.11's default int_max_str_digits, applied on every version
NON_BLANK = re.compile(rb"[^ \t\r\n\x0c]")  # a line of only these bytes is blank
URL_USER_INFO = re.compile(r"(?i)([a-z][a-z0-9+.\-]*://)[^/\s?#@]*@")
QUERY_STRING = re.compile(r"\?[^\s'\"<>#)]+")


class FeedError(Exception):
    """A failure that ends the command; the message is safe to show once redacted."""


class BadLine(Exception):
    """A line that is not a valid createIndicators batch; the message says why."""


# ---------------------------------------------------------------------------------------------
# Secrets: never in an entry, a log line or an exception message


class Redactor:
    """Replaces every known secret, URL user-info and query string in a text."""

    def __init__(self) -> None:
        self.secrets: list[str] = []

    def add(self, *values: str | None) -> None:
        """Adds secrets (and their percent-encoded and decoded forms); empty values are ignored."""
        for value in values:
            if not value:
                continue
            for form in (value, quote(value, safe=""), quote(value), unquote(value)):
                if form and form not in self.secrets:
                    self.secrets.append(form)
        self.secrets.sort(key=len, reverse=True)

    def clean(self, text: Any) -> str:
        """The text with secrets replaced by <redacted>."""
        out = str(text)
        for secret in self.secrets:
            out = out.replace(secret, "<redacted>")
        out = URL_USER_INFO.sub(r"\1<redacted>@", out)
        return QUERY_STRING.sub("?<redacted>", out)


REDACTOR = Redactor()


def log_debug(message: str) -> None:
    """demisto.debug, redacted."""
    demisto.debug(REDACTOR.clean(f"FeedTypedRelationships: {message}"))


def log_info(message: str) -> None:
    """demisto.info, redacted."""
    demisto.info(REDACTOR.clean(f"FeedTypedRelationships: {message}"))


def register_secrets(params: dict[str, Any]) -> None:
    """Registers the credentials and the URL's user-info and query before anything can fail."""
    REDACTOR.secrets.clear()
    credentials = params.get("credentials")
    if isinstance(credentials, dict):
        password = str(credentials.get("password") or "")
        REDACTOR.add(password, password.strip(), str(credentials.get("identifier") or ""))
        for part in password.split():
            if len(part) >= 8:
                REDACTOR.add(part)
    url = str(params.get("url") or "")
    try:
        parts = urlsplit(url.strip())
        REDACTOR.add(parts.query, parts.fragment)
        for pair in parts.query.split("&"):
            value = pair.partition("=")[2]
            REDACTOR.add(pair, value if len(value) >= 4 else None)
        if "@" in parts.netloc:
            user_info = parts.netloc.rsplit("@", 1)[0]
            REDACTOR.add(user_info, *user_info.split(":", 1))
    except ValueError:
        REDACTOR.add(url)


# ---------------------------------------------------------------------------------------------
# Parameters


@dataclass(frozen=True)
class FeedParams:
    """The instance parameters, checked once per command."""

    url: str
    display_url: str
    authorization: str | None
    verify: bool
    proxy: bool
    read_timeout: float
    deadline_seconds: float
    max_file_bytes: int
    max_line_bytes: int
    skip_bad_lines: bool
    tags: list[str]
    tlp_color: str | None
    score: int | None

    def settings_digest(self) -> str:
        """A digest of the settings that change what is sent for the same file."""
        settings = [self.tags, self.tlp_color, self.score, self.skip_bad_lines, self.max_line_bytes]
        return hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:16]


def split_url(raw: Any) -> tuple[str, str, str, str]:
    """(URL without user-info, URL for messages, user, password) of the `url` parameter."""
    url = str(raw or "").strip()
    if not url:
        raise FeedError("The Batches URL parameter is required.")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise FeedError("The Batches URL is not a valid URL.") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise FeedError("The Batches URL must be an http:// or https:// address with a host name.")
    user = password = ""
    netloc = parts.netloc
    if "@" in netloc:
        user_info, netloc = netloc.rsplit("@", 1)
        user, _, password = user_info.partition(":")
    request_url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    display = urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))
    return request_url, display[:200], unquote(user), unquote(password)


def authorization_header(credentials: Any, url_user: str, url_password: str) -> str | None:
    """HTTP Basic for a user name and password; a password alone is a token (`Bearer` unless it names a scheme)."""
    user = password = ""
    if isinstance(credentials, dict):
        user = str(credentials.get("identifier") or "")
        password = str(credentials.get("password") or "")
    if not user and not password:
        user, password = url_user, url_password
    if user:
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        REDACTOR.add(token)
        return f"Basic {token}"
    token = password.strip()
    if not token:
        return None
    if any(not 32 <= ord(ch) <= 126 for ch in token):
        raise FeedError(
            "The password or token contains a line break, a control character or a non-ASCII character, "
            "so it cannot be sent in an HTTP header. Check the Credentials parameter."
        )
    value = token if " " in token else f"Bearer {token}"
    REDACTOR.add(value)
    return value


def number_param(params: dict[str, Any], key: str, display: str, default: int, low: int, high: int) -> int:
    """An integer parameter between low and high, or the default when it is empty."""
    try:
        value = arg_to_number(params.get(key), arg_name=display)
    except ValueError:
        raise FeedError(f"{display} must be a whole number.") from None
    if value is None:
        return default
    if not low <= value <= high:
        raise FeedError(f"{display} must be between {low} and {high}, not {value}.")
    return value


def reputation_score(raw: Any) -> int | None:
    """feedReputation as a DBot score, or None when it is not set."""
    if raw in (None, "", "feedInstanceReputationNotSet"):
        return None
    score = REPUTATION_SCORES.get(str(raw).strip().lower())
    if score is None:
        raise FeedError("Indicator Reputation must be one of None, Good, Suspicious, Bad.")
    return score


def tlp_color(raw: Any) -> str | None:
    """tlp_color, one of TLP_COLORS, or None."""
    if raw in (None, ""):
        return None
    color = str(raw).strip().upper()
    if color not in TLP_COLORS:
        raise FeedError(f"Traffic Light Protocol Color must be one of {', '.join(TLP_COLORS)}.")
    return color


def boolean_param(params: dict[str, Any], key: str, display: str) -> bool:
    """A check box parameter (unset is false)."""
    raw = params.get(key)
    if raw in (None, ""):
        return False
    try:
        return argToBoolean(raw)
    except ValueError:
        raise FeedError(f"{display} must be true or false.") from None


def parse_params(params: dict[str, Any]) -> FeedParams:
    """Checks the instance parameters; a wrong value is a FeedError naming the parameter, never its value."""
    url, display, url_user, url_password = split_url(params.get("url"))
    return FeedParams(
        url=url,
        display_url=display,
        authorization=authorization_header(params.get("credentials"), url_user, url_password),
        verify=not boolean_param(params, "insecure", "Trust any certificate"),
        proxy=boolean_param(params, "proxy", "Use system proxy settings"),
        read_timeout=number_param(params, "timeout", "Read timeout", DEFAULT_READ_TIMEOUT, 1, 600),
        deadline_seconds=number_param(params, "fetch_deadline", "Fetch deadline", DEFAULT_FETCH_DEADLINE, 1, 3600),
        max_file_bytes=number_param(params, "max_file_mb", "Largest file", DEFAULT_MAX_FILE_MB, 1, MAX_FILE_MB_LIMIT)
        * 1024
        * 1024,
        max_line_bytes=number_param(
            params, "max_line_bytes", "Longest line", DEFAULT_MAX_LINE_BYTES, 1024, MAX_LINE_BYTES_LIMIT
        ),
        skip_bad_lines=boolean_param(params, "skip_bad_lines", "Skip bad lines"),
        tags=[str(tag).strip() for tag in argToList(params.get("feedTags")) if str(tag).strip()],
        tlp_color=tlp_color(params.get("tlp_color")),
        score=reputation_score(params.get("feedReputation")),
    )


# ---------------------------------------------------------------------------------------------
# Download: HTTP body -> (gunzipped) bytes in a bounded temporary file, within the deadline


class Deadline:
    """The fetch's overall deadline."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.end - time.monotonic())

    def check(self, doing: str) -> None:
        """A FeedError once the deadline has passed."""
        if time.monotonic() > self.end:
            raise FeedError(f"The fetch deadline of {self.seconds:g} seconds passed while {doing}.")


@dataclass
class Download:
    """A 304, or the body (decompressed) in a temporary file."""

    status: int
    etag: str | None = None
    last_modified: str | None = None
    file: IO[bytes] | None = None
    size: int = 0
    sha256: str = ""


class Client(BaseClient):
    """Downloads the batches file; no proxy at all, not even from the environment, unless `proxy` is set."""

    def __init__(self, params: FeedParams) -> None:
        headers = {"Accept": "application/x-ndjson, application/json;q=0.9, */*;q=0.1", "Accept-Encoding": "gzip"}
        if params.authorization:
            headers["Authorization"] = params.authorization
        super().__init__(base_url=params.url, verify=params.verify, proxy=params.proxy, headers=headers)
        self.params = params
        self.request_headers = headers
        if not params.proxy:
            self._session.trust_env = False
            self._session.proxies.clear()

    def open(self, validators: dict[str, str]) -> requests.Response:
        """The streamed response (200 or 304); any other status is a FeedError."""
        timeout = (self.params.read_timeout, self.params.read_timeout)
        return self._http_request(
            "GET",
            full_url=self.params.url,
            headers={**self.request_headers, **validators},
            timeout=timeout,
            resp_type="response",
            ok_codes=(200, 304),
            error_handler=status_error,
            stream=True,
            allow_redirects=True,
        )

    def download(self, validators: dict[str, str], cancel: threading.Event) -> Download:
        """The response spooled to a temporary file, decompressed, within max_file_bytes."""
        response = self.open(validators)
        try:
            etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
            if response.status_code == 304:
                return Download(304, etag, modified)
            spool = tempfile.TemporaryFile()
            try:
                size, digest = spool_body(response, spool, self.params.max_file_bytes, cancel)
            except BaseException:
                spool.close()
                raise
            return Download(200, etag, modified, spool, size, digest)
        finally:
            response.close()


def status_error(response: requests.Response) -> None:
    """An HTTP error status as a FeedError, without the body."""
    response.close()
    reason = "".join(ch for ch in str(response.reason or "")[:80] if ch.isprintable())
    raise FeedError(f"The server answered HTTP {response.status_code} {reason}".rstrip() + ".")


def raw_chunks(response: requests.Response, cancel: threading.Event) -> Iterator[bytes]:
    """The body as sent (not decoded), stopping when the fetch is cancelled."""
    try:
        for chunk in response.raw.stream(CHUNK_BYTES, decode_content=False):
            if cancel.is_set():
                raise FeedError("The download was cancelled.")
            yield chunk
    except FeedError:
        raise
    except Exception as error:
        raise FeedError(f"The download broke off: {type(error).__name__}: {error}") from None


def gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Decompresses gzip (one or more members), never more than CHUNK_BYTES at a time."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending = False
    for chunk in chunks:
        data = chunk
        while data:
            pending = True
            try:
                out = inflater.decompress(data, CHUNK_BYTES)
            except zlib.error:
                raise FeedError("The gzip-compressed body is corrupt.") from None
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
        if not out:
            break
        yield out
    if pending and not inflater.eof:
        raise FeedError("The gzip-compressed body ends early (a truncated download?).")


def maybe_gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The bytes as they are, or decompressed when they start as a gzip file (1f 8b)."""
    iterator = iter(chunks)
    first = b""
    for chunk in iterator:
        first += chunk
        if len(first) >= 2:
            break
    if first[:2] == b"\x1f\x8b":
        yield from gunzip(_prepend(first, iterator))
        return
    if first:
        yield first
    yield from iterator


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def spool_body(response: requests.Response, spool: IO[bytes], limit: int, cancel: threading.Event) -> tuple[int, str]:
    """Writes the decompressed body to `spool`; (size, sha256). More than `limit` bytes is a FeedError."""
    encoding = str(response.headers.get("Content-Encoding") or "").strip().lower()
    chunks: Iterable[bytes] = raw_chunks(response, cancel)
    if encoding in ("gzip", "x-gzip"):
        chunks = gunzip(chunks)
    elif encoding not in ("", "identity"):
        raise FeedError("The server sent an unsupported Content-Encoding (use gzip or none).")
    digest = hashlib.sha256()
    size = 0
    for chunk in maybe_gunzip(chunks):
        size += len(chunk)
        if size > limit:
            raise FeedError(f"The file is larger than the limit of {limit // (1024 * 1024)} MB (after decompression).")
        digest.update(chunk)
        spool.write(chunk)
    spool.flush()
    return size, digest.hexdigest()


def download(client: Client, validators: dict[str, str], deadline: Deadline) -> Download:
    """Runs the download in a worker thread so that the deadline holds even against a trickling server."""
    result: dict[str, Any] = {}
    cancel = threading.Event()

    def work() -> None:
        try:
            result["download"] = client.download(validators, cancel)
        except BaseException as error:  # handed to the caller's thread
            result["error"] = error

    worker = threading.Thread(target=work, name="FeedTypedRelationships-download", daemon=True)
    worker.start()
    worker.join(deadline.remaining())
    if worker.is_alive():
        cancel.set()
        raise FeedError(f"The download did not finish within the fetch deadline of {deadline.seconds:g} seconds.")
    if "error" in result:
        raise result["error"]
    return result["download"]


# ---------------------------------------------------------------------------------------------
# Lines of the spooled file


@dataclass
class Line:
    """One non-blank line: its number (1-based, blank lines counted) and bytes, or why it is unreadable."""

    number: int
    data: bytes = b""
    error: str | None = None


def count_newlines(view: mmap.mmap, start: int, end: int) -> int:
    """Newlines in view[start:end], counted a window at a time."""
    total = 0
    for offset in range(start, end, WINDOW_BYTES):
        total += view[offset: min(end, offset + WINDOW_BYTES)].count(b"\n")
    return total


def scan_lines(view: mmap.mmap, max_line_bytes: int, deadline: Deadline | None) -> Iterator[Line]:
    """The non-blank lines of the file; blank runs are skipped at C speed, a long line is never copied."""
    pos = 0
    number = 1
    size = len(view)
    while pos < size:
        match = NON_BLANK.search(view, pos)
        if match is None:
            return
        start = view.rfind(b"\n", pos, match.start()) + 1 or pos
        number += count_newlines(view, pos, start)
        end = view.find(b"\n", match.start())
        end = size if end < 0 else end
        stop = end - 1 if end > start and view[end - 1: end] == b"\r" else end
        if deadline is not None:
            deadline.check(f"reading line {number}")
        if end - start > max_line_bytes:
            yield Line(number, error=f"longer than the limit of {max_line_bytes} bytes")
        else:
            yield Line(number, view[start:stop])
        number += 1
        pos = end + 1


def mapped(file: IO[bytes]) -> mmap.mmap | None:
    """The spooled file mapped read-only, or None when it is empty."""
    file.seek(0, 2)
    if file.tell() == 0:
        return None
    return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)


# ---------------------------------------------------------------------------------------------
# Checking one line


def finite_float(text: str) -> float:
    """A JSON number as a float; infinite values (1e400) are refused."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON."""
    raise ValueError(f"{name} is not a JSON value")


def bounded_int(text: str) -> int:
    """A JSON integer of at most MAX_INT_DIGITS digits, whatever the Python version."""
    digits = len(text) - text.startswith("-")
    if digits > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {digits} digits, more than {MAX_INT_DIGITS}")
    return int(text)


def check_nesting_and_strings(batch: Any) -> None:
    """At most MAX_DEPTH levels of arrays and objects; no string (or key) with a lone surrogate."""
    stack: list[tuple[Any, int]] = [(batch, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise BadLine("a string holds a lone surrogate escape") from None
        elif isinstance(value, list | dict):
            if depth > MAX_DEPTH:
                raise BadLine(f"nested too deep: more than {MAX_DEPTH} levels of arrays and objects")
            children = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)


def parse_line(line: Line) -> list[Any]:
    """A line's JSON array, checked; BadLine says what is wrong with it."""
    if line.error is not None:
        raise BadLine(line.error)
    data = line.data[3:] if line.number == 1 and line.data.startswith(b"\xef\xbb\xbf") else line.data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadLine(f"not UTF-8 (invalid byte at offset {error.start})") from None
    try:
        batch = json.loads(text, parse_float=finite_float, parse_int=bounded_int, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        raise BadLine(f"not JSON: {error.msg} at column {error.colno}") from None
    except ValueError as error:  # a number out of range, NaN, an integer of too many digits
        raise BadLine(f"not valid JSON: {str(error)[:200]}") from None
    check_nesting_and_strings(batch)
    check_batch(batch)
    return batch


def checked_line(line: Line) -> tuple[list[Any] | None, str | None]:
    """(batch, None) for a valid line, (None, reason) for any failure while reading or checking it."""
    try:
        return parse_line(line), None
    except BadLine as error:
        return None, str(error)
    except RecursionError:
        return None, "nested too deeply"
    except Exception as error:  # a hostile line (a huge integer, ...) is that line's error, never the fetch's
        return None, f"cannot be read: {type(error).__name__}: {str(error)[:200]}"


def json_kind(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
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
    dummy = require_string(item, "value", where) == DUMMY_VALUE
    if dummy:
        where = f"{where} ($$DummyIndicator$$)"
        if "relationships" not in item:
            raise BadLine(f"{where}: missing `relationships`")
    else:
        require_string(item, "type", where)
    if item.get("fields") is not None and not isinstance(item["fields"], dict):
        raise BadLine(f"{where}: `fields` is {json_kind(item['fields'])}, not an object")
    score = item.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 3):
        raise BadLine(f"{where}: `score` must be 0, 1, 2, 3 or null")
    if item.get("relationships") is not None or dummy:
        check_relationships(item.get("relationships"), where)


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
        raise BadLine(f"{where}: {len(extra)} unexpected key(s)")
    for key in RELATIONSHIP_STRING_KEYS:
        require_string(rel, key, where)
    if rel["type"] != "IndicatorToIndicator":
        raise BadLine(f'{where}: `type` must be "IndicatorToIndicator"')
    for key in ("entityAFamily", "entityBFamily"):
        if rel[key] != "Indicator":
            raise BadLine(f'{where}: `{key}` must be "Indicator"')
    if not isinstance(rel["fields"], dict):
        raise BadLine(f"{where}: `fields` is {json_kind(rel['fields'])}, not an object")


# ---------------------------------------------------------------------------------------------
# Checking the whole file


@dataclass
class Check:
    """What the check of a file found."""

    lines: int = 0
    good: int = 0
    bad_count: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)

    def add_bad(self, number: int, reason: str) -> None:
        """Records a bad line; the first MAX_LISTED_BAD_LINES are kept with their reasons."""
        self.bad_count += 1
        if len(self.bad) < MAX_LISTED_BAD_LINES:
            self.bad.append((number, reason))

    def describe_bad(self) -> str:
        """The bad lines, numbered, for a message."""
        listed = "; ".join(f"line {number}: {reason}" for number, reason in self.bad)
        more = self.bad_count - len(self.bad)
        return listed + (f"; and {more} more bad line(s)" if more > 0 else "")


def check_file(view: mmap.mmap | None, params: FeedParams, deadline: Deadline) -> Check:
    """Reads and checks every line; nothing is created."""
    check = Check()
    for line in scan_lines(view, params.max_line_bytes, deadline) if view is not None else ():
        check.lines += 1
        batch, reason = checked_line(line)
        if reason is not None:
            check.add_bad(line.number, reason)
        elif batch is not None:
            check.good += 1
    return check


def bad_lines_error(check: Check) -> FeedError:
    """The error that fails a fetch whose file has bad lines (so that nothing expires)."""
    return FeedError(
        f"{check.bad_count} of the file's {check.lines} line(s) are not valid createIndicators batches, "
        "so nothing was created: "
        f"{check.describe_bad()}. Fix the file, or select Skip bad lines to create the valid lines only."
    )


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
    return tags + [tag for tag in extra if tag not in tags]


def decorate(item: dict[str, Any], params: FeedParams) -> dict[str, Any]:
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


# ---------------------------------------------------------------------------------------------
# createIndicators calls of at most MAX_ITEMS_PER_CALL items


def weight(item: dict[str, Any]) -> int:
    """What an object counts towards a call: itself and each relationship it carries."""
    return 1 + len(item.get("relationships") or [])


def split_item(item: dict[str, Any]) -> list[dict[str, Any]]:
    """An object that alone is over the limit, split: its extra relationships go on dummies."""
    relationships = item.get("relationships") or []
    room = MAX_ITEMS_PER_CALL - 1
    if len(relationships) <= room:
        return [item]
    head = {**item, "relationships": relationships[:room]}
    rest = [{"value": DUMMY_VALUE, "relationships": relationships[i: i + room]} for i in range(room, len(relationships), room)]
    return [head, *rest]


def calls_for(batch: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The batch in order, as calls of at most MAX_ITEMS_PER_CALL items; no relationship lost or repeated."""
    call: list[dict[str, Any]] = []
    load = 0
    for item in batch:
        for piece in split_item(item):
            if call and load + weight(piece) > MAX_ITEMS_PER_CALL:
                yield call
                call, load = [], 0
            call.append(piece)
            load += weight(piece)
    if call:
        yield call


@dataclass
class Sent:
    """What a fetch sent."""

    calls: int = 0
    indicators: int = 0
    relationships: int = 0

    def add(self, call: list[dict[str, Any]]) -> None:
        """Counts one createIndicators call."""
        self.calls += 1
        self.indicators += sum(1 for item in call if not is_dummy(item))
        self.relationships += sum(len(item.get("relationships") or []) for item in call)


def good_batches(view: mmap.mmap | None, params: FeedParams, deadline: Deadline) -> Iterator[list[dict[str, Any]]]:
    """The valid lines' batches, in order, with the feed parameters applied."""
    for line in scan_lines(view, params.max_line_bytes, deadline) if view is not None else ():
        batch, _ = checked_line(line)
        if batch is not None:
            yield [decorate(item, params) for item in batch]


def deliver(
    view: mmap.mmap | None, params: FeedParams, create: Callable[[list[dict[str, Any]]], Any], deadline: Deadline
) -> Sent:
    """Sends every valid line once, in order, in calls of at most MAX_ITEMS_PER_CALL items (within the deadline)."""
    sent = Sent()
    for batch in good_batches(view, params, deadline):
        for call in calls_for(batch):
            create(call)
            sent.add(call)
    return sent


# ---------------------------------------------------------------------------------------------
# Commands


def same_settings(last_run: dict[str, Any], params: FeedParams) -> bool:
    """The last successful fetch ran with the settings of this one."""
    return isinstance(last_run, dict) and last_run.get("settings") == params.settings_digest()


def header_safe(value: str) -> bool:
    """A stored validator that can be sent back as a header value."""
    return len(value) <= 512 and all(32 <= ord(ch) <= 126 for ch in value)


def conditional_headers(last_run: dict[str, Any], params: FeedParams) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the last successful fetch with the same settings."""
    if not same_settings(last_run, params):
        return {}
    headers = {}
    if isinstance(last_run.get("etag"), str) and last_run["etag"]:
        headers["If-None-Match"] = last_run["etag"]
    if isinstance(last_run.get("last_modified"), str) and last_run["last_modified"]:
        headers["If-Modified-Since"] = last_run["last_modified"]
    return {name: value for name, value in headers.items() if header_safe(value)}


def next_last_run(got: Download, params: FeedParams) -> dict[str, Any]:
    """What the next fetch needs to ask for changes only (no secret in it)."""
    return {
        "etag": got.etag,
        "last_modified": got.last_modified,
        "sha256": got.sha256,
        "settings": params.settings_digest(),
    }


def no_update(reason: str) -> None:
    """Tells the server the feed has nothing new, so nothing expires."""
    demisto.createIndicators([], noUpdate=True)
    log_info(f"no update: {reason}")


def fetch_indicators_command(client: Client, params: FeedParams, last_run: dict[str, Any]) -> dict[str, Any] | None:
    """One fetch; the new lastRun, or None to keep the old one (HTTP 304)."""
    deadline = Deadline(params.deadline_seconds)
    got = download(client, conditional_headers(last_run, params), deadline)
    if got.status == 304:
        no_update("the server answered 304 Not Modified")
        return None
    if got.file is None:
        raise FeedError("The download holds no file.")
    with got.file:
        state = next_last_run(got, params)
        if same_settings(last_run, params) and last_run.get("sha256") == got.sha256:
            no_update("the file is unchanged")
            return state
        view = mapped(got.file)
        try:
            check = check_file(view, params, deadline)
            if check.bad_count and not params.skip_bad_lines:
                raise bad_lines_error(check)
            if not check.good:
                raise FeedError("The file holds no batch, so nothing was created (an empty file never expires indicators).")
            sent = deliver(view, params, demisto.createIndicators, deadline)
        finally:
            if view is not None:
                view.close()
    log_info(
        f"{got.size} bytes, {check.lines} line(s): {sent.calls} createIndicators call(s), {sent.indicators} "
        f"indicator(s), {sent.relationships} relationship(s); {check.bad_count} bad line(s) skipped "
        f"{[number for number, _ in check.bad]}"
    )
    return state


def test_module(client: Client, params: FeedParams) -> str:
    """'ok' when the file downloads and every line is a valid batch; otherwise what is wrong."""
    deadline = Deadline(params.deadline_seconds)
    got = download(client, {}, deadline)
    if got.file is None:
        raise FeedError(f"The server answered HTTP {got.status} without a body.")
    with got.file:
        view = mapped(got.file)
        try:
            check = check_file(view, params, deadline)
        finally:
            if view is not None:
                view.close()
    if check.bad_count and not params.skip_bad_lines:
        return str(bad_lines_error(check))
    if not check.good:
        return "The file holds no batch."
    return "ok"


@dataclass
class Preview:
    """The first indicators and relationships of the feed, as they would be created."""

    limit: int
    indicators: list[dict[str, Any]] = field(default_factory=list)
    relationships: list[dict[str, Any]] = field(default_factory=list)

    def full(self) -> bool:
        """Both tables hold `limit` rows."""
        return len(self.indicators) >= self.limit and len(self.relationships) >= self.limit

    def add(self, batch: list[dict[str, Any]]) -> None:
        """Takes rows from a decorated batch until the tables are full."""
        for item in batch:
            carrier = DUMMY_VALUE if is_dummy(item) else f"{item.get('type')}: {item.get('value')}"
            if not is_dummy(item) and len(self.indicators) < self.limit:
                self.indicators.append(item)
            for rel in item.get("relationships") or []:
                if len(self.relationships) < self.limit:
                    self.relationships.append({**rel, "carriedBy": carrier})


def preview_file(view: mmap.mmap | None, params: FeedParams, preview: Preview, deadline: Deadline) -> Check:
    """Reads lines until the preview is full; the bad lines met on the way are in the Check."""
    check = Check()
    for line in scan_lines(view, params.max_line_bytes, deadline) if view is not None else ():
        check.lines += 1
        batch, reason = checked_line(line)
        if reason is not None:
            check.add_bad(line.number, reason)
        elif batch is not None:
            check.good += 1
            preview.add([decorate(item, params) for item in batch])
            if preview.full():
                break
    return check


def indicator_rows(indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The preview's indicator table."""
    return [
        {
            "Value": ind.get("value"),
            "Type": ind.get("type"),
            "Score": ind.get("score"),
            "Tags": (ind.get("fields") or {}).get("tags"),
            "TLP": (ind.get("fields") or {}).get("trafficlightprotocol"),
            "Relationships": len(ind.get("relationships") or []),
        }
        for ind in indicators
    ]


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


def get_indicators_command(client: Client, params: FeedParams, args: dict[str, Any]) -> CommandResults:
    """Previews the feed: the first `limit` indicators and relationships; creates nothing."""
    try:
        limit = arg_to_number(args.get("limit", DEFAULT_PREVIEW_LIMIT), arg_name="limit")
    except ValueError:
        raise FeedError("The limit argument must be a whole number.") from None
    if limit is None or not 1 <= limit <= MAX_PREVIEW_LIMIT:
        raise FeedError(f"The limit argument must be between 1 and {MAX_PREVIEW_LIMIT}.")
    deadline = Deadline(params.deadline_seconds)
    got = download(client, {}, deadline)
    preview = Preview(limit)
    if got.file is None:
        raise FeedError(f"The server answered HTTP {got.status} without a body.")
    with got.file:
        view = mapped(got.file)
        try:
            check = preview_file(view, params, preview, deadline)
        finally:
            if view is not None:
                view.close()
    indicator_headers = ["Value", "Type", "Score", "Tags", "TLP", "Relationships"]
    relationship_headers = ["Entity A", "Entity A Type", "Name", "Reverse Name", "Entity B", "Entity B Type", "Carried By"]
    readable = (
        f"Preview of {params.display_url}: read {check.lines} line(s), {check.good} valid batch(es), "
        f"{check.bad_count} bad. Nothing was created.\n\n"
        + tableToMarkdown(f"Indicators (first {limit})", indicator_rows(preview.indicators), headers=indicator_headers)
        + tableToMarkdown(
            f"Relationships (first {limit})", relationship_rows(preview.relationships), headers=relationship_headers
        )
    )
    if check.bad:
        bad_rows = [{"Line": number, "Reason": reason} for number, reason in check.bad]
        readable += tableToMarkdown(f"Bad lines ({check.bad_count})", bad_rows, headers=["Line", "Reason"])
    raw = {
        "indicators": preview.indicators,
        "relationships": preview.relationships,
        "badLines": [{"line": number, "reason": reason} for number, reason in check.bad],
    }
    return CommandResults(readable_output=REDACTOR.clean(readable), raw_response=raw)


def describe(error: BaseException) -> str:
    """A failure as one message, redacted and bounded."""
    if isinstance(error, FeedError | DemistoException):
        text = str(error)
    else:
        text = f"{type(error).__name__}: {error}"
    return REDACTOR.clean(text)[:MAX_MESSAGE_CHARS]


def run_command(command: str) -> None:
    """Runs one command."""
    params = parse_params(demisto.params())
    client = Client(params)
    if command == "test-module":
        return_results(test_module(client, params))
    elif command == "fetch-indicators":
        state = fetch_indicators_command(client, params, demisto.getLastRun() or {})
        if state is not None:
            demisto.setLastRun(state)
    elif command == "typed-relationships-get-indicators":
        return_results(get_indicators_command(client, params, demisto.args()))
    else:
        raise NotImplementedError(f"Command {command} is not implemented.")


def main() -> None:  # pragma: no cover - every path is driven by the tests through main()
    command = demisto.command()
    message = None
    try:
        register_secrets(demisto.params())
        log_debug(f"command {command}")
        run_command(command)
    except Exception as error:
        message = f"Failed to execute {command} command.\nError:\n{describe(error)}"
    if message is not None:
        # Outside the except block: nothing of the original exception (its text, its traceback)
        # reaches return_error or the log; the message is redacted.
        return_error(message)


if __name__ in ("__main__", "__builtin__", "builtins"):
    main()
