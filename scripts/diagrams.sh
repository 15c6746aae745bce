#!/usr/bin/env bash
# Regenerate the architecture diagrams from the offline previews into docs/diagrams/ and the
# Mermaid page docs/architecture.md: each shipped stack, and the organization view drawn from
# examples/organization (scripts/diagrams.sh [organization stacks dir]).
# Mermaid always; SVG only when Graphviz `dot` is installed (apt-get install graphviz).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec venv/bin/python -m diagrams.diagram security dev --org "${1:-examples/organization}" \
  --out docs/diagrams --markdown docs/architecture.md
