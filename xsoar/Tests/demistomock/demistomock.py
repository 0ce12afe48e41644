"""A test stand-in for XSOAR's `demistomock` module, written from its documented behaviour.

It defines only functions that demisto/content's `Tests/demistomock/demistomock.py` defines,
with the same signatures, and behaves as that module documents them outside a server: the
command, parameters and arguments are empty, `getLastRun` / `setLastRun` keep an object in
memory, `createIndicators` and `results` do nothing, the log functions go to `logging`.
Tests replace these functions with pytest's `monkeypatch` to set the command and parameters
and to record what an integration sends, as content's own unit tests do.
"""

import logging
from typing import Any

_last_run: dict = {}
_integration_context: dict = {}


def params() -> dict:
    """(Integration only) The integration instance's parameters."""
    return {}


def args() -> dict:
    """The command's arguments."""
    return {}


def command() -> str:
    """(Integration only) The command being run."""
    return ""


def getLastRun() -> dict:  # noqa: N802 - demistomock's name
    """(Integration only) The object the previous run stored with setLastRun."""
    return _last_run


def setLastRun(obj: dict) -> None:  # noqa: N802 - demistomock's name
    """(Integration only) Stores the object for the next run."""
    global _last_run
    _last_run = obj


def getIntegrationContext() -> dict:  # noqa: N802 - demistomock's name
    """(Integration only) The instance's integration context."""
    return _integration_context


def setIntegrationContext(context: dict) -> None:  # noqa: N802 - demistomock's name
    """(Integration only) Stores the instance's integration context."""
    global _integration_context
    _integration_context = context


def createIndicators(indicators_batch: list, noUpdate: bool = False) -> None:  # noqa: N802,N803
    """(Integration only) Creates indicators from a batch; noUpdate: the feed has nothing new."""
    return None


def results(results: Any) -> None:
    """Outputs an entry (or a list of entries) to the war room."""
    logging.getLogger().info("demisto results: %s", results)


def log(msg: str) -> None:
    """Writes to the war room log."""
    logging.getLogger().info(msg)


def debug(msg: str, *args: Any) -> None:
    """Server log, debug level."""
    logging.getLogger().debug(msg, *args)


def info(msg: str, *args: Any) -> None:
    """Server log, info level."""
    logging.getLogger().info(msg, *args)


def error(msg: str, *args: Any) -> None:
    """Server log, error level."""
    logging.getLogger().error(msg, *args)
