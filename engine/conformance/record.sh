#!/bin/sh
# Records real hyper's answers to the conformance corpus.
#
#   HYPER1_ORACLE=/path/to/target/release/hyper1-oracle ./record.sh
#   HYPER1_ORACLE_TRACED=/path/to/target/traced/release/hyper1-oracle  (optional:
#       also record hyper's own trace events for every server case, and for
#       every client case when that build's client-case takes --hyper-trace)
#
# Client traces need oracle/client-trace.patch (client-case --hyper-trace,
# the same recorder as case --hyper-trace) applied to a copy of the oracle:
#
#   cp -r /work/shared/tools/hyper1-oracle /tmp/oracle && cd /tmp/oracle
#   patch -p1 < /path/to/engine/conformance/oracle/client-trace.patch
#   MIRROR=... ./build.sh --traced
#
# With an unpatched traced build the client traces are left as they are
# (TestRecord says so) and the server traces are recorded as before.
#
# The oracle is /work/shared/tools/hyper1-oracle (real hyper 1.x, v1.11.0+15,
# built offline; see its README.md). This script runs TestRecord twice into
# two scratch directories, fails if the two recordings differ (the answers
# must be deterministic once the date is masked), then copies the answers
# into testdata/. Run it from anywhere; it needs Go and the oracle, not Rust.
set -eu
cd "$(dirname "$0")"
: "${HYPER1_ORACLE:?set HYPER1_ORACLE to the hyper1-oracle binary}"
export HYPER1_ORACLE
[ -n "${HYPER1_ORACLE_TRACED:-}" ] && export HYPER1_ORACLE_TRACED

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for run in 1 2; do
	mkdir -p "$tmp/$run"
	echo "record.sh: recording run $run into $tmp/$run"
	CONNLAB_RECORD_DIR="$tmp/$run" go test -count=1 -timeout 30m -run '^TestRecord$' .
done
if ! diff -r "$tmp/1" "$tmp/2"; then
	echo "record.sh: the two recordings differ (above): hyper's answers are not deterministic" >&2
	exit 1
fi
echo "record.sh: the two recordings are identical"
if [ -n "${HYPER1_ORACLE_TRACED:-}" ] && ! ls "$tmp/1/client/"*.trace.json >/dev/null 2>&1; then
	echo "record.sh: no client traces (the traced oracle lacks oracle/client-trace.patch)" >&2
fi
cp -r "$tmp/1/." testdata/
echo "record.sh: wrote $(cd "$tmp/1" && find . -name '*.json' | sort | tr '\n' ' ')"
