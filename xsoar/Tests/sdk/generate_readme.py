"""Regenerates the integration's README with `demisto-sdk generate-docs`, command examples included.

generate-docs runs each line of the integration's `command_examples.txt` file on an XSOAR server and
puts the output in the README. Without a server, this script runs the examples itself: it serves
`test_data/batches_example.ndjson` from 127.0.0.1, runs each example through the integration's
`main()` (with the CommonServerPython and demistomock stand-ins of xsoar/Tests), and hands the
entries to generate-docs in place of the server's answers. Everything else is generate-docs, except
that the placeholder line generate-docs writes under the description ("tested with version xx")
is replaced with readme_intro.md beside this script (what it was tested with, how a fetch works).
generate-docs also stages the README in git.

Run from the repository's root, with demisto-sdk installed (scripts/check-xsoar-pack.sh installs it):

    python3 xsoar/Tests/sdk/generate_readme.py
"""

import shlex
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

XSOAR = Path(__file__).resolve().parents[2]
INTEGRATION = XSOAR / "Packs" / "TypedRelationships" / "Integrations" / "FeedTypedRelationships"
EXAMPLE_FILE = INTEGRATION / "test_data" / "batches_example.ndjson"
EXAMPLE_URL_SHOWN = "https://feeds.example.com/batches.ndjson"
INTRO = Path(__file__).resolve().parent / "readme_intro.md"

sys.path[:0] = [str(XSOAR / "Tests" / "demistomock"), str(XSOAR / "Tests" / "CommonServerPython"), str(INTEGRATION)]

import demistomock as demisto  # noqa: E402
import FeedTypedRelationships as feed  # noqa: E402
from demisto_sdk.commands.generate_docs import generate_integration_doc as docs  # noqa: E402
from demisto_sdk.commands.generate_docs.common import format_md  # noqa: E402


def serve(body: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def run_example(example: str, url: str) -> str:
    """The human-readable output of one `!command arg=value` example."""
    words = shlex.split(example.lstrip("!"))
    entries: list[Any] = []
    demisto.command = lambda: words[0]  # type: ignore[assignment]
    demisto.args = lambda: dict(word.split("=", 1) for word in words[1:])  # type: ignore[assignment]
    demisto.params = lambda: {"url": url, "feedReliability": "F - Reliability cannot be judged"}  # type: ignore[assignment]
    demisto.results = entries.append  # type: ignore[assignment]
    feed.main()
    human = entries[-1]["HumanReadable"]
    return human.replace(url.rsplit("/", 1)[0] + "/", EXAMPLE_URL_SHOWN.rsplit("/", 1)[0] + "/").replace(
        "batches_example.ndjson", "batches.ndjson"
    )


def main() -> None:
    httpd = serve(EXAMPLE_FILE.read_bytes())
    url = f"http://127.0.0.1:{httpd.server_address[1]}/batches_example.ndjson"

    def build_example_dict(command_examples: list, insecure: bool) -> tuple[dict, list]:
        examples: dict = {}
        for example in command_examples:
            name = example.split(" ")[0][1:]
            examples.setdefault(name, []).append((example, format_md(run_example(example, url)), "{}"))
        return examples, []

    docs.build_example_dict = build_example_dict  # type: ignore[assignment]
    docs.generate_integration_doc(
        input_path=str(INTEGRATION / "FeedTypedRelationships.yml"),
        examples=str(INTEGRATION / "command_examples.txt"),
        force=True,
    )
    httpd.shutdown()
    readme = INTEGRATION / "README.md"
    text = readme.read_text()
    placeholder = "This integration was integrated and tested with version xx of Typed Relationships Feed.\n"
    if placeholder not in text:
        raise SystemExit(f"generate-docs did not write the expected placeholder line in {readme}")
    readme.write_text(text.replace(placeholder, INTRO.read_text()))


if __name__ == "__main__":
    main()
