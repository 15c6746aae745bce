# Sourced by the measure_*.sh scripts: `seconds`, with $work (the caller's temporary directory)
# and $timing_decimals (digits after the point) set by the caller.
seconds() { # seconds <command...>: run quietly, print the wall time; abort on failure
  local start=$EPOCHREALTIME
  if ! "$@" >"$work/out" 2>&1; then
    echo "failed: $*" >&2
    cat "$work/out" >&2
    exit 1
  fi
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.{sys.argv[3]}f}')" \
    "$start" "$EPOCHREALTIME" "$timing_decimals"
}
