#!/usr/bin/env bash
# followup's benchmark: prints figures, asserts nothing (see bench/README.md).
#
#   bench/run.sh [SIZES...]      SIZES like 1000x4000 (people x meetings)
#   BASELINE=OTHER/followup bench/run.sh ...   the same figures for another
#                                build too, in the same run, size by size
#
# For each size, on a generated vault (bench/gen_vault.py, cached in
# $BENCH_DIR), in one run: files, MB, followup's full scan (--no-cache),
# MB/s, peak RSS, `rg -j1` over the same vault and the ratio; the warm-cache
# run against `find VAULT -newer FILE` and the ratio; and at the smallest
# size the Python peer (bench/peer.py) and the ratio. Times are medians of
# hyperfine runs after a warm-up, so every run reads from the page cache.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
FOLLOWUP=${FOLLOWUP:-$top/build/followup}
BENCH_DIR=${BENCH_DIR:-/tmp/followup-bench}
RUNS=${RUNS:-5}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000x4000 10000x40000 30000x120000)

for tool in hyperfine rg /usr/bin/time; do
	command -v "$tool" >/dev/null || {
		echo "bench: $tool is missing: apt-get install hyperfine ripgrep time" >&2
		exit 1
	}
done
[ -x "$FOLLOWUP" ] || { echo "bench: build followup first (make)" >&2; exit 1; }
builds=("$FOLLOWUP")
if [ -n "${BASELINE:-}" ]; then
	[ -x "$BASELINE" ] || { echo "bench: BASELINE $BASELINE is not a binary" >&2; exit 1; }
	builds=("$BASELINE" "$FOLLOWUP")
fi

median() {	# hyperfine's JSON export -> median seconds
	/usr/bin/python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}

time_cmd() {	# time_cmd NAME CMD... -> median seconds
	local out="$BENCH_DIR/$1.json"; shift
	hyperfine --runs "$RUNS" --warmup 1 --style none --export-json "$out" \
		-- "$(printf '%q ' "$@")" >/dev/null 2>&1
	median "$out"
}

peak_rss_mib() {
	/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 |
		awk '{ printf "%.1f", $1 / 1024 }'
}

ratio() { /usr/bin/python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

per_file_us() { /usr/bin/python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) * 1e6 / int(sys.argv[2])))" "$1" "$2"; }

mkdir -p "$BENCH_DIR"
printf '%-13s %-9s %7s %7s %9s %8s %7s %8s %8s %6s %8s %8s %6s %8s %7s\n' \
	size build files MB scan_s us/file MB/s rss_MiB rg_s x_rg warm_s find_s \
	x_find peer_s x_peer
first=1
for size in "${sizes[@]}"; do
 peer_s=
 for FOLLOWUP in "${builds[@]}"; do
	build=this; [ "$FOLLOWUP" = "${BASELINE:-}" ] && build=baseline
	people=${size%x*}; meetings=${size#*x}
	vault="$BENCH_DIR/vault-$size"
	[ -d "$vault" ] || /usr/bin/python3 "$here/gen_vault.py" "$vault" "$people" "$meetings" >&2
	vault=$(cd "$vault" && pwd -P)	# a link to a vault elsewhere is fine
	files=$(find "$vault" -name '*.md' | wc -l)
	mb=$(find "$vault" -name '*.md' -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / 1048576 }')
	state="$BENCH_DIR/state-$size"
	rm -rf "$state"; mkdir -p "$state"
	args=(status --vault "$vault" --today 2026-01-10)
	scan=$(time_cmd "scan-$size" env XDG_STATE_HOME="$state" "$FOLLOWUP" "${args[@]}" --no-cache)
	rss=$(peak_rss_mib env XDG_STATE_HOME="$state" "$FOLLOWUP" "${args[@]}" --no-cache)
	rg=$(time_cmd "rg-$size" rg -j1 --no-ignore -c '^- \[' "$vault")
	# Fill the cache, let the files age past the racy window, then time it.
	env XDG_STATE_HOME="$state" "$FOLLOWUP" "${args[@]}" >/dev/null || true
	sleep 1.2
	warm=$(time_cmd "warm-$size" env XDG_STATE_HOME="$state" "$FOLLOWUP" "${args[@]}")
	touch "$BENCH_DIR/ref"
	find_s=$(time_cmd "find-$size" find "$vault" -newer "$BENCH_DIR/ref")
	peer="-"; xpeer="-"
	if [ $first -eq 1 ] && [ -z "${NO_PEER:-}" ]; then
		# The peer is the same for both builds: timed once.
		[ -n "$peer_s" ] || peer_s=$(time_cmd "peer-$size" /usr/bin/python3 "$here/peer.py" "$vault" 2026-01-10 "$BENCH_DIR/peer.ics")
		peer=$peer_s
		xpeer=$(ratio "$peer" "$scan")
	fi
	printf '%-13s %-9s %7s %7s %9s %8s %7s %8s %8s %6s %8s %8s %6s %8s %7s\n' \
		"$size" "$build" "$files" "$mb" "$scan" \
		"$(per_file_us "$scan" "$files")" \
		"$(ratio "$mb" "$scan")" "$rss" \
		"$rg" "$(ratio "$scan" "$rg")" "$warm" "$find_s" \
		"$(ratio "$warm" "$find_s")" "$peer" "$xpeer"
 done
 first=0
done
echo "scan_s: followup status --no-cache; us/file: scan_s per file, in microseconds;"
echo "x_rg: scan_s / rg_s (rg -j1 over the same vault);"
echo "warm_s: followup status with a warm scan cache; x_find: warm_s / find_s (find VAULT -newer FILE);"
echo "x_peer: how many times faster than bench/peer.py; medians of $RUNS runs (hyperfine)."
[ -z "${BASELINE:-}" ] || echo "build: this one ($FOLLOWUP), or the baseline ($BASELINE), measured size by size in one run."
