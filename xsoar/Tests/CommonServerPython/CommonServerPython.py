"""A test stand-in for the parts of XSOAR's CommonServerPython that this repository's integrations use.

Written for local tests from the documented behaviour of CommonServerPython (names, signatures,
entry shapes); it is not CommonServerPython's code. On an XSOAR server the real module is
loaded instead. What each stand-in does:

- `return_error(message)`: for the commands the server runs by itself (`fetch-indicators`,
  `fetch-incidents`, ...) raises an `Exception` with the message, so the server records a failed
  run; for any other command writes an error entry with `demisto.results` and exits
  (`SystemExit(0)`).
- `return_results(result)`: a `CommandResults` becomes its entry, a `str` or `dict` is passed on.
- `BaseClient._http_request`: one `requests.Session` request; a request exception becomes a
  `DemistoException` whose message includes the exception text (as the real one does, so tests
  see what an integration must redact); a status outside `ok_codes` calls `error_handler(res)`
  or raises `DemistoException` with the status and body.
- `BaseClient(proxy=False)` calls `skip_proxy()`, which removes `HTTP(S)_PROXY` and
  `http(s)_proxy` from the environment (and nothing else, e.g. not `ALL_PROXY`).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Callable

import requests

import demistomock as demisto

entryTypes = {"note": 1, "error": 4}  # noqa: N816 - CommonServerPython's name
formats = {"json": "json", "text": "text", "markdown": "markdown"}

# Commands whose errors the server records itself: return_error raises instead of writing an entry.
SERVER_HANDLED_COMMANDS = (
    "fetch-incidents",
    "fetch-credentials",
    "long-running-execution",
    "fetch-indicators",
    "fetch-events",
    "fetch-assets",
)


class DemistoException(Exception):
    """CommonServerPython's general integration error."""

    def __init__(self, message: str, exception: Exception | None = None, res: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.exception = exception
        self.res = res


def argToBoolean(value: Any) -> bool:  # noqa: N802 - CommonServerPython's name
    """A boolean, or the strings true/false/yes/no in any letter case; anything else is a ValueError."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value.lower() in ("true", "yes"):
            return True
        if value.lower() in ("false", "no"):
            return False
    raise ValueError("Argument does not contain a valid boolean-like value")


def argToList(arg: Any, separator: str = ",", transform: Callable[[Any], Any] | None = None) -> list:  # noqa: N802
    """None or '' -> []; a list as it is; a JSON list string parsed; other strings split and stripped."""
    if not arg:
        return []
    if isinstance(arg, list):
        result = arg
    elif isinstance(arg, str):
        if arg.startswith("["):
            result = json.loads(arg)
        else:
            result = [s.strip() for s in arg.split(separator)]
    else:
        result = [arg]
    return [transform(x) for x in result] if transform else result


def arg_to_number(arg: Any, arg_name: str | None = None, required: bool = False) -> int | None:
    """An int from an int, a float or a numeric string; None for None or ''; otherwise a ValueError."""
    if arg is None or arg == "":
        if required:
            raise ValueError(f'Missing "{arg_name}"' if arg_name else "Missing required argument")
        return None
    if isinstance(arg, str):
        if arg.isdigit():
            return int(arg)
        try:
            return int(float(arg))
        except ValueError:
            raise ValueError(f'Invalid number: "{arg_name}"="{arg}"') from None
    if isinstance(arg, (int, float)):
        return int(arg)
    raise ValueError(f'Invalid number: "{arg_name}"')


def skip_proxy() -> None:
    """Removes the HTTP(S) proxy variables (both letter cases) from the environment."""
    for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(key, None)


def handle_proxy(proxy_param_name: str = "proxy", checkbox_default_value: bool = False) -> dict[str, str]:
    """The environment's proxies when the instance's proxy parameter is set, else {} (and skip_proxy)."""
    if demisto.params().get(proxy_param_name, checkbox_default_value):
        return {
            "http": os.environ.get("http_proxy") or os.environ.get("HTTP_PROXY") or "",
            "https": os.environ.get("https_proxy") or os.environ.get("HTTPS_PROXY") or "",
        }
    skip_proxy()
    return {}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",\n".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value).replace("|", "\\|").replace("\n", "<br>")


def tableToMarkdown(  # noqa: N802 - CommonServerPython's name
    name: str,
    t: Any,
    headers: list[str] | str | None = None,
    headerTransform: Callable[[str], str] | None = None,  # noqa: N803
    removeNull: bool = False,  # noqa: N803
    sort_headers: bool = True,
    **kwargs: Any,
) -> str:
    """A markdown table: '### name', a header row, a separator row, one row per dict; **No entries.** if empty."""
    rows = [t] if isinstance(t, dict) else list(t or [])
    out = f"### {name}\n" if name else ""
    if isinstance(headers, str):
        headers = [headers]
    if not headers:
        keys: list[str] = []
        for row in rows:
            keys += [k for k in row if k not in keys]
        headers = sorted(keys) if sort_headers else keys
    if removeNull:
        headers = [h for h in headers if any(row.get(h) not in (None, "", []) for row in rows)]
    if not rows or not headers:
        return out + "**No entries.**\n"
    shown = [headerTransform(h) if headerTransform else h for h in headers]
    out += "|" + "|".join(shown) + "|\n" + "|" + "|".join("---" for _ in shown) + "|\n"
    for row in rows:
        out += "|" + "|".join(_cell(row.get(h)) for h in headers) + "|\n"
    return out


class CommandResults:
    """A command's result: outputs for the context, a raw response and a markdown rendering."""

    def __init__(
        self,
        outputs_prefix: str | None = None,
        outputs_key_field: str | list[str] | None = None,
        outputs: Any = None,
        readable_output: str | None = None,
        raw_response: Any = None,
        **kwargs: Any,
    ) -> None:
        self.outputs_prefix = outputs_prefix
        self.outputs_key_field = outputs_key_field
        self.outputs = outputs
        self.readable_output = readable_output
        self.raw_response = raw_response

    def to_context(self) -> dict[str, Any]:
        """The entry for demisto.results."""
        context = {self.outputs_prefix: self.outputs} if self.outputs_prefix and self.outputs is not None else {}
        return {
            "Type": entryTypes["note"],
            "ContentsFormat": formats["json"],
            "Contents": self.raw_response if self.raw_response is not None else self.outputs,
            "HumanReadable": self.readable_output,
            "ReadableContentsFormat": formats["markdown"],
            "EntryContext": context,
        }


def return_results(results: Any) -> None:
    """Writes a CommandResults, a list of them, a string or an entry dict with demisto.results."""
    if results is None:
        return
    if isinstance(results, list):
        for result in results:
            return_results(result)
        return
    if isinstance(results, CommandResults):
        demisto.results(results.to_context())
        return
    demisto.results(results)


def return_error(message: Any, error: Any = "", outputs: Any = None) -> None:
    """Raises for server-run commands (a failed fetch); otherwise writes an error entry and exits."""
    demisto.error(str(message))
    if error:
        demisto.error(str(error))
    if demisto.command() in SERVER_HANDLED_COMMANDS:
        raise Exception(str(message))
    demisto.results(
        {"Type": entryTypes["error"], "ContentsFormat": formats["text"], "Contents": str(message), "EntryContext": outputs}
    )
    sys.exit(0)


class BaseClient:
    """A requests session with the instance's base URL, certificate check, proxy choice and headers."""

    def __init__(
        self,
        base_url: str,
        verify: bool = True,
        proxy: bool = False,
        ok_codes: tuple = (),
        headers: dict | None = None,
        auth: Any = None,
        timeout: float = 60.0,
    ) -> None:
        self._base_url = base_url
        self._verify = verify
        self._ok_codes = ok_codes
        self._headers = headers
        self._auth = auth
        self.timeout = timeout
        self._session = requests.Session()
        if not proxy:
            skip_proxy()

    def _is_status_code_valid(self, response: requests.Response, ok_codes: tuple | None = None) -> bool:
        codes = ok_codes or self._ok_codes
        return response.status_code in codes if codes else response.ok

    def _http_request(
        self,
        method: str,
        url_suffix: str = "",
        full_url: str | None = None,
        headers: dict | None = None,
        auth: Any = None,
        json_data: Any = None,
        params: dict | None = None,
        data: Any = None,
        files: Any = None,
        timeout: Any = None,
        resp_type: str = "json",
        ok_codes: tuple | None = None,
        return_empty_response: bool = False,
        retries: int = 0,
        error_handler: Callable[[requests.Response], Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """One request; see the module docstring for how failures are reported."""
        address = full_url or self._base_url.rstrip("/") + "/" + url_suffix.lstrip("/")
        try:
            res = self._session.request(
                method,
                address,
                verify=self._verify,
                params=params,
                data=data,
                json=json_data,
                files=files,
                headers=headers if headers is not None else self._headers,
                auth=auth or self._auth,
                timeout=timeout if timeout is not None else self.timeout,
                **kwargs,
            )
        except requests.exceptions.ConnectionError as exception:
            raise DemistoException(f"Verify that the server URL parameter is correct.\nError: {exception}", exception)
        except requests.exceptions.RequestException as exception:
            raise DemistoException(f"Error in request: {exception}", exception)
        if not self._is_status_code_valid(res, ok_codes):
            if error_handler:
                error_handler(res)
            raise DemistoException(f"Error in API call [{res.status_code}] - {res.reason}\n{res.text}", res=res)
        if resp_type == "response":
            return res
        if return_empty_response and res.status_code == 204:
            return res
        if resp_type == "json":
            return res.json()
        if resp_type == "text":
            return res.text
        if resp_type == "content":
            return res.content
        return res
