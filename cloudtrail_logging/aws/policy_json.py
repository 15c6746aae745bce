"""The one serialisation of policy documents: compact, so the size AWS counts is what we check."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def policy_json(document: Mapping[str, Any]) -> str:
    """Compact JSON for a policy document, as sent to AWS."""
    return json.dumps(document, separators=(",", ":"))


def policy_size(document: Mapping[str, Any]) -> int:
    """Bytes of the document as sent; AWS's policy size limits count these."""
    return len(policy_json(document).encode())
