#!/usr/bin/env bash
# Time and peak memory of the errseq command on generated scenarios of
# 10^4, 10^5 and 10^6 events, 10^4 files and 10^4 open descriptions:
# check, run, run --scheme, render, explore; and many pages with many
# fsyncs or syncs (10^4 and 65,536 pages, the page limit, × 10^4 calls). Figures: BENCHMARKS.md
# ("The command line on big scenarios"). Needs GNU time (/usr/bin/time,
# Debian's `time` package) for the peak RSS.
#
#   bash scripts/bench-cli.sh            # all sizes
#   bash scripts/bench-cli.sh 10000      # one size of events
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p errseq-cli >&2
bin=$PWD/target/release/errseq
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A mix of every kind of call over two files and three descriptions.
events() {
  awk -v n="$1" 'BEGIN {
    split("write a|fsync a|fail f EIO|write b 1|fsync b|heal f|writeback g|syncfs c|error g ENOSPC|fdatasync c|flush f|sync|write a 2|sync_file_range a", c, "|")
    print "title: " n " events"; print "open a f"; print "open b f"; print "open c g"
    for (i = 0; i < n - 3; i++) print c[i % 14 + 1]
  }'
}
# 10^4 files, each opened, written, synced and closed through one fd.
files() {
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "open a f%d\nwrite a\nfsync a => 0\nclose a\n", i }'
}
# 10^4 descriptions open at once on one file, each written and synced.
descriptions() {
  awk -v n="$1" 'BEGIN {
    for (i = 0; i < n; i++) printf "open d%d f\n", i
    for (i = 0; i < n; i++) printf "write d%d\nfsync d%d => 0\n", i, i
  }'
}

# N pages written, then 10^4 rewrites each followed by CALL.
pages() {
  awk -v n="$1" -v call="$2" 'BEGIN {
    print "open a f"
    for (i = 0; i < n; i++) print "write a " i
    for (i = 0; i < 10000; i++) { print "write a " (i * 7) % n; print call }
  }'
}

measure() { # label file command...
  local label=$1 file=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$bin" "$@" "$file" > /dev/null 2> "$tmp/err" || true
  read -r secs kib < <(tail -1 "$tmp/t")
  printf '| %s | %s | %s s | %d MiB |\n' "$label" "$*" "$secs" $((kib / 1024))
}

sizes=${1:-"10000 100000 1000000"}
echo "| input | command | time | peak RSS |"
echo "|---|---|---|---|"
for n in $sizes; do
  events "$n" > "$tmp/e.errseq"
  for cmd in check run "run --scheme linux" render explore; do
    # shellcheck disable=SC2086
    measure "$n events" "$tmp/e.errseq" $cmd
  done
done
files 10000 > "$tmp/f.errseq"
descriptions 10000 > "$tmp/d.errseq"
for cmd in check run render explore; do
  # shellcheck disable=SC2086
  measure "10^4 files" "$tmp/f.errseq" $cmd
  # shellcheck disable=SC2086
  measure "10^4 descriptions" "$tmp/d.errseq" $cmd
done
for n in 10000 65536; do
  for call in "fsync a" sync; do
    pages "$n" "$call" > "$tmp/p.errseq"
    for cmd in check run explore; do
      # shellcheck disable=SC2086
      measure "$n pages × 10^4 $call" "$tmp/p.errseq" $cmd
    done
  done
done
