#!/usr/bin/env bash
# Regenerate the architecture diagrams from the offline previews into docs/diagrams/ and the
# Mermaid page docs/architecture.md: scripts/diagrams.sh [member stacks in the org view, 3]
# Mermaid always; SVG only when Graphviz `dot` is installed (apt-get install graphviz).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec venv/bin/python -m diagrams.diagram --org "${1:-3}" --out docs/diagrams \
  --markdown docs/architecture.md
