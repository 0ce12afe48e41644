"""Throughput and peak memory of the XSOAR feed integration's fetch-indicators.

Serves FILE from 127.0.0.1, runs FeedTypedRelationships' main() with fetch-indicators three
times against the repository's demistomock stand-in (createIndicators counts batches and keeps
nothing, as XSOAR's bridge sends each batch away), and prints the best time and the process's
peak RSS. Usage, from the repository's root:

    xsoar-rel convert-stix data/attck/enterprise.json -o /tmp/attck.ndjson
    python3 scripts/bench-feed-integration.py /tmp/attck.ndjson [FEED_TAGS]
"""

import os
import resource
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "xsoar" / "Tests" / "demistomock"))
sys.path.insert(0, str(ROOT / "xsoar" / "Packs" / "TypedRelationships" / "Integrations" / "FeedTypedRelationships"))

import demistomock as demisto  # noqa: E402
import FeedTypedRelationships as feed  # noqa: E402


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def main() -> None:
    path = os.path.abspath(sys.argv[1])
    tags = sys.argv[2] if len(sys.argv) > 2 else ""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=os.path.dirname(path)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/{os.path.basename(path)}"
    batches = [0]

    def create(batch: list[Any], noUpdate: bool = False) -> None:  # noqa: N803
        batches[0] += 1

    demisto.createIndicators = create
    times = []
    for _ in range(3):
        batches[0] = 0
        demisto.setup("fetch-indicators", {"url": url, "feedTags": tags})
        start = time.perf_counter()
        feed.main()
        times.append(time.perf_counter() - start)
    size = os.path.getsize(path) / 1e6
    best = min(times)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"file {size:.1f} MB, {batches[0]} batches, best of 3 {best:.2f} s ({size / best:.1f} MB/s), peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
