#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz, libFuzzer) of the five ways text
# gets in: the parser and checker (`parse`), evaluation and exploration of
# whatever parses (`evaluate`), the link decoder (`share_decode`), the
# replay-string decoder (`replay_decode`) and the scheme language's
# compiler and interpreter (`scheme`). Each target runs for SECONDS
# (default 600) in one process (one core), from a corpus seeded with the
# examples, the golden links and real replay strings; what it finds lands
# in fuzz/artifacts/TARGET/. Figures and findings: BENCHMARKS.md
# ("Coverage-guided fuzzing"). Needs the nightly toolchain (rustup); installs
# cargo-fuzz at a pinned version if it is missing.
#
#   bash scripts/fuzz.sh            # 10 minutes per target
#   bash scripts/fuzz.sh 60 parse   # one target, one minute
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CARGO_FUZZ_VERSION=0.13.1
export PATH="$HOME/.cargo/bin:$PATH"

secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse evaluate share_decode replay_decode scheme)

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz.sh: cargo-fuzz needs a nightly toolchain (rustup toolchain install nightly)" >&2
  exit 1
fi
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  echo "==> cargo install cargo-fuzz $CARGO_FUZZ_VERSION (about a minute, once)" >&2
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# Seeds: the texts of the examples, the golden links, replay strings.
seed() {
  local target=$1 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  case $target in
    parse | evaluate)
      for f in examples/*.errseq examples/findings/*.errseq; do cp "$f" "$dir/"; done ;;
    share_decode)
      awk '/^=== link / { print $3 }' crates/share/tests/golden/*.txt | while read -r link; do
        printf '%s' "$link" > "$dir/$(printf '%s' "$link" | sha1sum | cut -c1-16)"
      done
      printf 'text=open%%20a%%20f%%0Afsync%%20a%%20%%3D%%3E%%20EIO%%0A' > "$dir/text" ;;
    scheme)
      # The first byte picks the base; the rest is the scheme's text.
      for f in crates/lang/src/bases/*.c; do { printf '\000'; cat "$f"; } > "$dir/$(basename "$f")"; done ;;
    replay_decode)
      # The first byte picks the scenario; the rest is the string.
      printf '\0002fAFV_gAAH' > "$dir/v2"; printf '\0001f.UNUH' > "$dir/v1"
      printf '\0012aAAAAAA' > "$dir/b"; printf '\0022fAAAA' > "$dir/c" ;;
  esac
}

# Build first: a target that does not build is an error, not a quiet run.
for t in "${targets[@]}"; do
  (cd fuzz && cargo +nightly fuzz build "$t")
done

for t in "${targets[@]}"; do
  seed "$t"
  mkdir -p "fuzz/artifacts/$t"
  echo "==> $t for $secs s" >&2
  # -rss_limit_mb: an input that needs more is a finding (unbounded
  # memory); -timeout: one that takes longer than 10 s is a hang.
  dict=()
  case $t in parse | evaluate) dict=(-dict="$ROOT/fuzz/scenario.dict") ;; esac
  (cd fuzz && cargo +nightly fuzz run "$t" "corpus/$t" -- "${dict[@]}" \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$ROOT/fuzz/artifacts/$t/") 2>&1 |
    tee "fuzz/artifacts/$t/last-run.log" | grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|==ERROR|panicked|Test unit written' || true
done
