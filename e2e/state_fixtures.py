"""Deployed-stack fixtures made by the real engine: `python -m e2e.state_fixtures [DIR]`.

`pulumi up` of the shipped log-archive and member stacks (the engine, the program and the pack
are real; the `aws` provider is the stand-in, e2e/aws_provider.py), then `pulumi stack export` of
each, written to DIR (tests/fixtures/state/ by default) as `<stack>.json.gz`: byte for byte what
the CLI printed, gzipped (30 KB instead of 700: the engine stores each resource's stack trace).
The offline `--diff` tests read them as a user's deployed state. Needs the CLI
(scripts/build-pulumi.sh).
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from pathlib import Path

from e2e.engine import REPO, Sandbox, run, say

ACCOUNTS = {"security": "222222222222", "dev": "111111111111"}
FIXTURES = REPO / "tests" / "fixtures" / "state"


def export(box: Sandbox, stack: str) -> str:
    """`pulumi stack export --stack <stack>`, as the CLI prints it."""
    done = box.cli(["stack", "export", "--stack", stack], ACCOUNTS[stack])
    if done.returncode != 0:
        raise RuntimeError(f"pulumi stack export {stack} failed:\n{done.stderr}")
    return done.stdout


def make(out: Path = FIXTURES) -> list[Path]:
    """Deploy both shipped stacks in a sandbox and write their exports to `out`."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as root:
        box = Sandbox.create(Path(root), {name: REPO / f"Pulumi.{name}.yaml" for name in ACCOUNTS})
        for name, account in ACCOUNTS.items():
            stack = box.init(name, account)
            outcome = run("up", stack, pack=REPO / "policies",
                          config=REPO / "policies" / "policy-config.example.json")
            if not outcome.ok:
                raise RuntimeError(f"pulumi up {name} failed:\n{outcome.output[-4000:]}")
            path = out / f"{name}.json.gz"
            # mtime 0: the same export gives the same bytes.
            path.write_bytes(gzip.compress(export(box, name).encode(), mtime=0))
            say(f"pulumi up --stack {name}; pulumi stack export > {path}")
            written.append(path)
    return written


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES)
