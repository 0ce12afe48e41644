#!/usr/bin/env bash
# Checks the XSOAR content pack (xsoar/Packs/TypedRelationships) as demisto/content would:
#
#   1. pytest on xsoar/ (the end-to-end test needs xsoar-rel, built here with
#      `cargo build -p relationship-cli` unless XSOAR_REL names a binary, and the ATT&CK bundle
#      of scripts/fetch-attck.sh, fetched here when it is missing);
#   2. ruff and mypy with content's settings (xsoar/Tests/sdk/pyproject.toml), mypy seeing the
#      CommonServerPython and demistomock stand-ins of xsoar/Tests;
#   3. demisto-sdk validate, offline, in a throw-away content-layout git repository: its master
#      holds the pack's previous release (1.0.0, from this repository's history) and a branch
#      holds the pack as it is now; the repository is its own origin. Both the git flow
#      (`-g --prev-ver master`) and the path flow (`-i`) run with content's
#      validation_config.toml less the validators that need neo4j or Docker
#      (xsoar/Tests/sdk/validation_config.toml), then the older flow (`--run-old-validate`,
#      without Docker checks and pack dependencies). Zero errors are allowed;
#   4. demisto-sdk format on the pack changes nothing;
#   5. the integration README is what demisto-sdk generate-docs writes
#      (xsoar/Tests/sdk/generate_readme.py, run on a copy).
#
# The tools are pinned and installed into a virtual environment kept under
# ${XDG_CACHE_HOME:-~/.cache}/xsoar-pack-check (XSOAR_PACK_VENV overrides the place), so a second
# run installs nothing. Where `python3 -m venv` is not available they are installed with pip
# into the user's Python instead. Run from anywhere; CI runs it from .ci/run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

readonly PINS=(
  "demisto-sdk==1.39.13"
  "pytest==8.3.4"
  "ruff==0.0.264"
  "mypy==0.982"
  "types-requests==2.28.11"
)
# The pack as released before this version, for validate's git flow (release notes, version bump).
readonly PREVIOUS_RELEASE_COMMIT="1de7e20419d8aa5c033f008e72ce5e0ffccc7b4f"
readonly PACK="xsoar/Packs/TypedRelationships"
readonly SDK_DIR="xsoar/Tests/sdk"

step() { echo "== xsoar pack: $*"; }

pip_install() { # pip_install PYTHON ARGS...: falls back to --break-system-packages (PEP 668)
  local python="$1"
  shift
  if ! "$python" -m pip install --quiet "$@"; then
    "$python" -m pip install --quiet --break-system-packages "$@"
  fi
}

install_tools() { # sets PY and BIN
  local key venv
  key="$(printf '%s\n' "${PINS[@]}" "$(python3 -V 2>&1)" | sha256sum | cut -c1-12)"
  venv="${XSOAR_PACK_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/xsoar-pack-check/venv-$key}"
  if [ -x "$venv/bin/python" ] && [ -f "$venv/.complete" ]; then
    echo "tools: $venv (installed)"
  elif rm -rf "$venv" && python3 -m venv "$venv" 2>/dev/null; then
    echo "tools: installing ${PINS[*]} into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${PINS[@]}"
    touch "$venv/.complete"
  else
    rm -rf "$venv"
    echo "tools: python3 -m venv is not available; installing ${PINS[*]} with pip"
    pip_install python3 "${PINS[@]}"
    PY="python3"
    BIN="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
    return
  fi
  PY="$venv/bin/python"
  BIN="$venv/bin"
}

run_pytest() {
  if [ -z "${XSOAR_REL:-}" ]; then
    cargo build -p relationship-cli
  fi
  if [ ! -f data/attck/enterprise.json ]; then
    bash scripts/fetch-attck.sh
  fi
  "$PY" -m pytest -q -p no:cacheprovider -W "ignore::DeprecationWarning:pytest_freezegun" xsoar
}

run_linters() {
  "$BIN/ruff" check --config "$SDK_DIR/pyproject.toml" "$PACK"
  MYPYPATH="xsoar/Tests/demistomock:xsoar/Tests/CommonServerPython" \
    "$PY" -m mypy --config-file "$SDK_DIR/pyproject.toml" --cache-dir "$work/mypy-cache" "$PACK"
}

# A content-layout repository: master = the previous release, branch `pack` = the pack now.
make_content_repo() {
  local repo="$1"
  mkdir -p "$repo/Packs" "$repo/Tests" "$repo/Config"
  cp "$SDK_DIR/validation_config.toml" "$repo/"
  cp "$SDK_DIR"/Config/*.json "$repo/Config/"
  echo '{"tests": [], "skipped_tests": {}, "skipped_integrations": {}}' >"$repo/Tests/conf.json"
  if ! git cat-file -e "$PREVIOUS_RELEASE_COMMIT^{commit}" 2>/dev/null; then
    echo "error: commit $PREVIOUS_RELEASE_COMMIT (the pack's previous release) is not in this clone" >&2
    exit 1
  fi
  git archive "$PREVIOUS_RELEASE_COMMIT" "$PACK" | tar -x -C "$repo" --strip-components=1
  (
    cd "$repo"
    git init -q -b master
    git config user.email "check@localhost"
    git config user.name "check-xsoar-pack"
    git config commit.gpgsign false
    git add -A
    git commit -q -m "previous release"
    git remote add origin "$repo"
    git fetch -q origin
    git checkout -q -b pack
  )
  rm -rf "$repo/Packs/TypedRelationships"
  cp -r "$PACK" "$repo/Packs/"
  find "$repo/Packs" -name __pycache__ -prune -exec rm -rf {} +
  (cd "$repo" && git add -A && git commit -q -m "the pack")
}

sdk() { # demisto-sdk, offline, in the throw-away repository; output kept in $work/sdk.log
  (cd "$content" && "$BIN/demisto-sdk" "$@") >"$work/sdk.log" 2>&1
}

run_validate() {
  local flow
  for flow in "-g --prev-ver master" "-i Packs/TypedRelationships"; do
    # shellcheck disable=SC2086 # the flow's words are separate arguments
    if ! sdk validate $flow --config-path validation_config.toml ||
      ! grep -q "All validations passed" "$work/sdk.log"; then
      cat "$work/sdk.log"
      echo "error: demisto-sdk validate $flow found errors (above)" >&2
      exit 1
    fi
    echo "demisto-sdk validate $flow: all validations passed"
  done
  # The older validate flow, as reviewers still run it (without Docker and the dependency graph).
  if ! sdk validate -g --prev-ver master --run-old-validate --skip-new-validate --no-docker-checks \
    --skip-pack-dependencies || ! grep -q "The files are valid" "$work/sdk.log"; then
    cat "$work/sdk.log"
    echo "error: demisto-sdk validate --run-old-validate found errors (above)" >&2
    exit 1
  fi
  echo "demisto-sdk validate -g --run-old-validate: the files are valid"
}

run_format_check() {
  if ! sdk format -i Packs/TypedRelationships -y -nv; then
    cat "$work/sdk.log"
    echo "error: demisto-sdk format failed (above)" >&2
    exit 1
  fi
  if [ -n "$(cd "$content" && git status --porcelain)" ]; then
    (cd "$content" && git status --short && git diff)
    echo "error: demisto-sdk format changes the pack (above): apply its changes to $PACK" >&2
    exit 1
  fi
  echo "demisto-sdk format: no change"
}

run_readme_check() { # generate-docs (xsoar/Tests/sdk/generate_readme.py) on a copy writes the same README
  local copy="$work/readme" readme="Packs/TypedRelationships/Integrations/FeedTypedRelationships/README.md"
  mkdir -p "$copy"
  cp -r xsoar "$copy/"
  find "$copy" -name __pycache__ -prune -exec rm -rf {} +
  if ! (cd "$copy" && "$PY" xsoar/Tests/sdk/generate_readme.py) >"$work/sdk.log" 2>&1; then
    cat "$work/sdk.log"
    echo "error: generating the integration README failed (above)" >&2
    exit 1
  fi
  if ! diff -u "xsoar/$readme" "$copy/xsoar/$readme"; then
    echo "error: xsoar/$readme is not what demisto-sdk generate-docs writes (diff above):" \
      "run python3 xsoar/Tests/sdk/generate_readme.py" >&2
    exit 1
  fi
  echo "integration README: as demisto-sdk generate-docs writes it"
}

export DEMISTO_SDK_IGNORE_CONTENT_WARNING=1 DEMISTO_SDK_SKIP_VERSION_CHECK=1
export PYTHONDONTWRITEBYTECODE=1
work="$(mktemp -d "${TMPDIR:-/tmp}/xsoar-pack-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
content="$work/content"

step "tools (${PINS[*]})"
install_tools
step "pytest"
run_pytest
step "ruff and mypy (content's settings)"
run_linters
step "demisto-sdk validate (content's configuration, offline)"
make_content_repo "$content"
run_validate
step "demisto-sdk format changes nothing"
run_format_check
step "the integration README is generate-docs' output"
run_readme_check
echo "== xsoar pack: all checks passed"
