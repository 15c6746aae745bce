"""Which test modules form the whole-stack tier.

The fast tier (`bash scripts/test.sh --fast`) is every test that judges one piece: a document,
a plan, a config key, a pack rule on literal inputs. A module belongs here when its tests run a
whole stack: the program under mocks, an offline preview, the pack in its own process over gRPC,
a script as a user types it, or `verify` against moto. `bash scripts/test.sh` runs both tiers;
the real engine's tier is `tests/e2e/` (`bash scripts/e2e.sh`).
"""

from __future__ import annotations

WHOLE_STACK: dict[str, str] = {
    "tests/test_readme_commands.py": "runs every README command as a user types it",
    "tests/test_preview_diff.py": "offline previews against the real engine's state exports",
    "tests/test_first_week_messages.py": "offline previews of mistaken projects",
    "tests/test_offline_cli.py": "the offline preview's command line",
    "tests/test_deployer.py": "the deployer policy of previewed stacks",
    "tests/test_stack_policies.py": "the pack over gRPC on the shipped stacks' previews",
    "tests/test_stacks.py": "the shipped stacks previewed",
    "tests/test_examples.py": "the examples previewed with the pack",
    "tests/test_urns_kept.py": "the shipped stacks' URNs from previews",
    "tests/test_verify_outputs.py": "the outputs of previewed stacks read by verify",
    "tests/test_diagram.py": "diagrams drawn from previews",
    "tests/test_pack_on_minimal_stacks.py": "the pack over gRPC on minimal stacks",
    "tests/policies/test_pack_config_and_isolation.py": "the pack in its own process",
    "tests/policies/test_pack_metadata.py": "the pack's gRPC metadata",
    "tests/test_log_integrity_stacks.py": "integrity options through whole programs",
    "tests/test_landing_zone.py": "landing-zone stacks through the program and the pack",
    "tests/test_organization.py": "organization stacks through the program",
    "tests/test_adoption.py": "adopting stacks previewed",
    "tests/test_verify.py": "verify against moto's deployed stacks",
}
