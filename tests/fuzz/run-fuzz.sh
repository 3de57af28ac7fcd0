#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A bounded libFuzzer run of one target (tests/fuzz/meson.build): run-fuzz.sh PROGRAM NAME
# SRCDIR BUILDDIR. Runs TILL_FUZZ_SECONDS (default 20) with new inputs written to a scratch
# corpus in BUILDDIR/corpus/NAME (the checked-in SRCDIR/corpus/NAME is only read), the
# dictionary SRCDIR/NAME.dict when there is one, crashes written to BUILDDIR/crashes/ as
# NAME-crash-<sha1> (printed at the end), and the final statistics printed. With
# TILL_FUZZ_SEED set the run is libFuzzer's -seed=N: the same inputs in the same order on
# every machine, a slower one running a prefix of a faster one's (CI sets it, so that its
# verdict is reproducible); unset, every run explores from a new random seed.
set -uo pipefail

program=$1 name=$2 srcdir=$3 builddir=$4
seconds=${TILL_FUZZ_SECONDS:-20}
scratch=$builddir/corpus/$name
crashes=$builddir/crashes
mkdir -p "$scratch" "$crashes"

args=(
  -max_total_time="$seconds"
  -timeout=10                 # one input slower than this is a hang
  -rss_limit_mb=2048
  -max_len=8192
  -print_final_stats=1
  -error_exitcode=1           # not 77, which meson reads as a skip
  -timeout_exitcode=2
  -artifact_prefix="$crashes/$name-"
)
if [[ -n ${TILL_FUZZ_SEED:-} ]]; then
  args+=(-seed="$TILL_FUZZ_SEED")
fi
if [[ -f $srcdir/$name.dict ]]; then
  args+=(-dict="$srcdir/$name.dict")
fi

echo "fuzz-$name: ${seconds}s, seed ${TILL_FUZZ_SEED:-random}, scratch corpus $scratch, seeds $srcdir/corpus/$name"
"$program" "${args[@]}" "$scratch" "$srcdir/corpus/$name" 2>&1
status=$?
if (( status != 0 )); then
  echo "fuzz-$name: libFuzzer exited with status $status; what it found:"
  ls -l "$crashes"/"$name"-* 2>/dev/null
fi
exit "$status"
