"""A stand-in for XSOAR's `demistomock` module, for running integrations outside XSOAR.

It implements the calls this repository's integrations make and records what they do:
`createIndicators` batches, `results` entries and log lines. Tests set the command, parameters
and arguments with `setup()` and read the records back; `reset()` clears everything.
"""

from typing import Any

_command: str = ""
_params: dict[str, Any] = {}
_args: dict[str, Any] = {}

created: list[list[Any]] = []
results_entries: list[Any] = []
errors: list[str] = []
debugs: list[str] = []


def setup(command: str, params: dict[str, Any] | None = None, args: dict[str, Any] | None = None) -> None:
    """Sets what demisto.command(), demisto.params() and demisto.args() return, and clears the records."""
    global _command, _params, _args
    reset()
    _command = command
    _params = dict(params or {})
    _args = dict(args or {})


def reset() -> None:
    """Clears the recorded calls."""
    created.clear()
    results_entries.clear()
    errors.clear()
    debugs.clear()


def command() -> str:
    """The command being run."""
    return _command


def params() -> dict[str, Any]:
    """The integration instance's parameters."""
    return _params


def args() -> dict[str, Any]:
    """The command's arguments."""
    return _args


def createIndicators(indicators_batch: list[Any], noUpdate: bool = False) -> None:  # noqa: N802 - XSOAR's name
    """Records one createIndicators batch, as it was passed."""
    created.append(indicators_batch)


def results(entry: Any) -> None:
    """Records one war-room entry (or test-module's 'ok')."""
    results_entries.append(entry)


def error(message: str) -> None:
    """Records an error log line."""
    errors.append(message)


def debug(message: str) -> None:
    """Records a debug log line."""
    debugs.append(message)


def info(message: str) -> None:
    """Records an info log line with the debug lines."""
    debugs.append(message)
