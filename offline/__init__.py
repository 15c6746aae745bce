"""The offline preview a user runs: `python -m offline preview STACK` (scripts/preview.sh)."""
