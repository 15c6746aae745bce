"""The IAM policy documents a role needs to deploy and update a stack (cloudtrail_logging/deployer).

    venv/bin/python scripts/deployer_policy.py STACK [--table] [--project-dir DIR]

Prints a JSON document: for each managed policy to attach, its name, the characters IAM counts
and the policy; `--table` prints instead the reviewed calls behind it for the stack's resource
types (operation, API call, IAM action, source). The stack is previewed offline, as
`scripts/preview.sh` does; a failure is reported like the CLI reports one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cloudtrail_logging.deployer import deployment, policy_documents  # noqa: E402
from cloudtrail_logging.deployer.calls import TYPES  # noqa: E402
from cloudtrail_logging.deployer.documents import size  # noqa: E402
from engine_model.program import ProgramError, preview_stack  # noqa: E402
from engine_model.stack_files import PROJECT_DIR, StackFileError, load_stack_config  # noqa: E402
from offline.cli import report_errors  # noqa: E402

NAME_PREFIX_KEY = "cloudtrail-logging:namePrefix"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/deployer-policy.sh", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stack", help="stack name, e.g. security or dev")
    parser.add_argument("--table", action="store_true", help="print the reviewed calls instead")
    parser.add_argument("--project-dir", type=Path, default=PROJECT_DIR)
    args = parser.parse_args(argv)
    try:
        config = load_stack_config(args.stack, args.project_dir)
        result = preview_stack(args.stack, args.project_dir)
    except StackFileError as error:
        return report_errors(error.problems)
    except ProgramError as error:
        return report_errors(error.lines())
    prefix = config.values.get(NAME_PREFIX_KEY, "cloudtrail-logging")
    stack = deployment(result.resources, result.outputs, result.invokes, prefix)
    if args.table:
        types = sorted({r.type for r in result.resources if r.custom and not r.read})
        for type_ in types:
            table = TYPES[type_]
            for call in table.calls:
                source = call.source or table.source
                print("\t".join((type_, call.op, call.api, call.action, source)))
        return 0
    documents = policy_documents(stack)
    print(json.dumps({
        "stack": args.stack,
        "documents": [
            {"name": f"{prefix}-deployer-{args.stack}-{index}", "characters": size(document),
             "policy": document}
            for index, document in enumerate(documents, 1)
        ],
    }, indent=2))
    if result.outputs.get("role") == "log-archive":
        named = ", ".join(result.outputs.get("archiveAdministrators") or [])
        print(f"note: necessary, not sufficient: the role must also be one of "
              f"archiveAdministrators ({named})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
