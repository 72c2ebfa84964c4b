#!/usr/bin/env bash
# Clone the committed HEAD into a temporary directory and run the README's two commands there
# from nothing (`make report`, `make test`), timing the setup (venv + pip install) separately.
# Prints a summary; exits 1 if a step failed. KEEP=1 keeps the directory; PYTHON (default
# python3 from PATH) is the interpreter the venv is made from; SHARED is linked as ../shared
# beside the clone if anything in the repository refers to ../shared.
set -uo pipefail

ROOT=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
PYTHON=${PYTHON:-python3}
SHARED=${SHARED:-$(dirname "$ROOT")/shared}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tunisia-fresh-XXXXXX")
CLONE=$TMP/$(basename "$ROOT")

cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then echo "kept: $CLONE"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

# From nothing: no outer make's variables, no activated venv of the working copy.
unset MAKEFLAGS MFLAGS MAKELEVEL VIRTUAL_ENV
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$ROOT/.venv/bin" | paste -sd: -)

git clone --quiet "$ROOT" "$CLONE" || exit 1
echo "cloned $(git -C "$CLONE" rev-parse --short HEAD) into $CLONE" \
     "($($PYTHON --version 2>&1) from $(command -v "$PYTHON"))"
if git -C "$CLONE" grep -q -F '../shared'; then
    if [ -d "$SHARED" ]; then ln -s "$SHARED" "$TMP/shared"; echo "linked $SHARED as ../shared"
    else echo "warning: the repository refers to ../shared but $SHARED does not exist"; fi
else
    echo "nothing refers to ../shared: not linked"
fi

declare -A TIME STATUS
step() {  # step NAME COMMAND...: run in the clone, record wall time and pass/fail
    local name=$1 start; shift
    echo; echo "== $name: $*"
    start=$EPOCHREALTIME
    (cd "$CLONE" && "$@")
    local rc=$?
    TIME[$name]=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    if [ $rc = 0 ]; then STATUS[$name]=pass; else STATUS[$name]="FAIL (exit $rc)"; fi
    return $rc
}

if step setup make .venv/.installed PYTHON="$PYTHON"; then
    step "make report" make report PYTHON="$PYTHON"
    step "make test" make test PYTHON="$PYTHON"
fi

echo; echo "== summary (fresh clone of HEAD, $(nproc) CPUs)"
failed=0
for name in setup "make report" "make test"; do
    printf '  %-12s %-16s %s\n' "$name" "${STATUS[$name]:-not run}" \
           "${TIME[$name]:+${TIME[$name]} s}"
    [ "${STATUS[$name]:-}" = pass ] || failed=1
done
exit $failed
