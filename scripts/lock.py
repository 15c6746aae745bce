"""Make the lock files, or check they are current: python3 scripts/lock.py [--check | --upgrade]

Each lock holds exact versions with the sha256 of every wheel and sdist, one resolution for every
OS and Python >= 3.11, made from inputs that hold ranges (what the project accepts):

    requirements-dev.txt       pyproject.toml dependencies + group dev, within the pack's pins
                               -> venv/ (scripts/setup.sh)
    requirements.txt           pyproject.toml dependencies
                               -> venv/ by `pulumi install` (Pulumi.yaml toolchain pip)
    requirements-policies.txt  policies/requirements.txt
                               -> policies/venv/, the pack's own (scripts/setup.sh)
    requirements-uv.txt        UV_VERSION below
                               -> .tools/, the installer (scripts/setup.sh)

requirements.txt and requirements-policies.txt are constrained to requirements-dev.txt: the
program and the pack run the very versions the tests ran. Each lock records a digest of its
inputs; `--check` (scripts/setup.sh runs it: offline, instant) fails when an input changed without
re-locking. Locking asks the package index, with the uv scripts/setup.sh installed; existing pins
are kept unless `--upgrade` moves them to the newest versions the ranges allow.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UV_VERSION = "0.13.9"
PYTHON_VERSION = "3.11"  # the oldest the project supports (requires-python): locks hold for it up
COMMAND = "python3 scripts/lock.py"
# Pulumi's pip toolchain runs `python -m pip list` in the program's virtualenv at every preview and
# update (pulumi/pulumi sdk/python/toolchain/pip.go, ListPackages), and `uv venv` adds no pip: the
# venvs setup.sh makes get a locked one.
VENV_TOOLS = "pip\n"

DEV_LOCK = "requirements-dev.txt"
PROGRAM_LOCK = "requirements.txt"
PACK_LOCK = "requirements-policies.txt"
PACK_INPUT = "policies/requirements.txt"
UV_LOCK = "requirements-uv.txt"

PURPOSE_PREFIX = "# Lock: "
DIGEST_PREFIX = "# inputs-sha256: "
PURPOSES = {
    DEV_LOCK: "venv/ for preview, lint, types and tests; edit pyproject.toml instead.",
    PROGRAM_LOCK: "what `pulumi install` puts into venv/; edit pyproject.toml instead.",
    PACK_LOCK: "policies/venv/, the pack's own; edit policies/requirements.txt instead.",
    UV_LOCK: "the installer scripts/setup.sh uses; edit UV_VERSION in scripts/lock.py instead.",
}


def requirement_lines(text: str) -> list[str]:
    """A requirements file's requirements, without comments and blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def input_digests(root: Path = ROOT) -> dict[str, str]:
    """Each lock file's input digest: everything it is made from."""
    project = tomllib.loads((root / "pyproject.toml").read_text())
    program = {
        "requires-python": project["project"]["requires-python"],
        "dependencies": project["project"]["dependencies"],
    }
    pack = requirement_lines((root / PACK_INPUT).read_text())
    dev = {**program, "dev": project["dependency-groups"]["dev"], "pack": pack, "venv": VENV_TOOLS}

    def digest(value: object) -> str:
        canonical = json.dumps({"python": PYTHON_VERSION, "inputs": value}, sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()

    return {
        DEV_LOCK: digest(dev),
        PROGRAM_LOCK: digest({"program": program, "dev": dev}),
        PACK_LOCK: digest({"pack": pack, "dev": dev}),
        UV_LOCK: digest({"uv": UV_VERSION}),
    }


def recorded_digest(path: Path) -> str | None:
    """The input digest a lock file records, if any."""
    if not path.exists():
        return None
    for line in path.read_text().splitlines():
        if line.startswith(DIGEST_PREFIX):
            return line.removeprefix(DIGEST_PREFIX).strip()
    return None


def stale_locks(root: Path = ROOT) -> list[str]:
    """The lock files whose inputs changed since they were made (or that are missing)."""
    digests = input_digests(root)
    return [name for name, digest in digests.items() if recorded_digest(root / name) != digest]


def record_digest(path: Path, digest: str) -> None:
    """Put what the file is for and its input digest under the header uv wrote."""
    lines = [
        line
        for line in path.read_text().splitlines()
        if not line.startswith((DIGEST_PREFIX, PURPOSE_PREFIX))
    ]
    end = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    lines[end:end] = [PURPOSE_PREFIX + PURPOSES[path.name], DIGEST_PREFIX + digest]
    path.write_text("\n".join(lines) + "\n")


def installed_uv() -> Path:
    """The uv scripts/setup.sh installed from requirements-uv.txt."""
    pins = [line for line in requirement_lines((ROOT / UV_LOCK).read_text()) if "==" in line]
    version = pins[0].split("==", 1)[1].split()[0]
    uv = ROOT / ".tools" / f"uv-{version}" / "bin" / "uv"
    if not uv.exists():
        sys.exit(f"{uv.relative_to(ROOT)} is missing: run `bash scripts/setup.sh` first")
    return uv


def compile_lock(uv: Path, output: str, args: list[str], stdin: str | None = None) -> None:
    """`uv pip compile` one lock file: universal, hashed, annotated, no index URLs in it."""
    command = [
        str(uv), "pip", "compile", "--quiet", "--universal", "--generate-hashes",
        "--python-version", PYTHON_VERSION, "--no-python-downloads",
        "--custom-compile-command", COMMAND, "--output-file", output, *args,
    ]  # fmt: skip
    subprocess.run(command, cwd=ROOT, check=True, input=stdin, text=True)


def lock(upgrade: bool) -> None:
    """Regenerate every lock file and record its input digest."""
    uv = installed_uv()
    digests = input_digests()
    within_dev = ["--constraints", DEV_LOCK]
    # The pack's own pins hold in venv/ too: the tests and the offline preview load the pack's
    # SDK from there.
    dev = ["--group", "dev", "--constraints", PACK_INPUT, *(["--upgrade"] if upgrade else [])]
    compile_lock(uv, DEV_LOCK, [*dev, "pyproject.toml", "-"], stdin=VENV_TOOLS)
    compile_lock(uv, PROGRAM_LOCK, [*within_dev, "pyproject.toml"])
    compile_lock(uv, PACK_LOCK, [*within_dev, PACK_INPUT, "-"], stdin=VENV_TOOLS)
    compile_lock(uv, UV_LOCK, ["-"], stdin=f"uv=={UV_VERSION}\n")
    for name, digest in digests.items():
        record_digest(ROOT / name, digest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="fail if a lock file is out of date")
    mode.add_argument("--upgrade", action="store_true", help="move pins to the newest allowed")
    args = parser.parse_args(argv)
    if not args.check:
        lock(args.upgrade)
        return 0
    stale = stale_locks()
    if stale:
        print(
            f"{', '.join(stale)}: out of date with their inputs; run `{COMMAND}`", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
