"""`python -m offline preview`: failures as the CLI reports them, and what the program receives.

Small synthetic projects in temporary directories, so each engine rule is proven on its own.
Every failure must be `error: <one line>` lines on stderr with exit status 1, never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine_model.mocks import GET_ORGANIZATION, READ_STACK_OUTPUTS, StackMocks
from engine_model.program import (
    CONFIG_ENV,
    SECRET_KEYS_ENV,
    local_stack,
    preview_stack,
    run_program,
)
from engine_model.stack_files import StackConfig, StackFileError
from offline.cli import main

ROOT = Path(__file__).resolve().parent.parent

# A program that reads the "central" stack's outputs through the engine's builtin invoke,
# reports what the language host gave it, and fails with one problem per line when told to.
PROGRAM = '''
import json
import pulumi

config = pulumi.Config()
problems = config.get("fail")
if problems:
    raise pulumi.RunError(problems.replace("|", "\\n"))
if config.get("invalid"):
    raise ValueError(config.get("invalid"))
if config.get_bool("crash"):
    raise KeyError("boom")
central = config.get("central")
if central:
    read = pulumi.runtime.invoke("pulumi:pulumi:readStackOutputs", {"name": central}).value
    pulumi.export("read", read)
if config.get_bool("org"):
    org = pulumi.runtime.invoke("aws:organizations/getOrganization:getOrganization", {}).value
    pulumi.export("org", org)
pulumi.export("configEnv", json.dumps(pulumi.runtime.get_config_env(), sort_keys=True))
pulumi.export("bucket", "central-bucket")
'''

PROJECT = """name: demo
runtime: python
config:
  days:
    type: integer
    default: 90
  central:
    type: string
    default: ""
"""


def make_project(directory: Path, files: dict[str, str] | None = None) -> Path:
    """The demo project in `directory`, with `files` replacing or adding files."""
    contents = {
        "Pulumi.yaml": PROJECT,
        "__main__.py": PROGRAM,
        "Pulumi.dev.yaml": "config:\n  central: organization/demo/security\n",
        "Pulumi.security.yaml": "config:\n  aws:region: us-east-1\n",
        **(files or {}),
    }
    directory.mkdir(exist_ok=True)
    for name, text in contents.items():
        (directory / name).write_text(text)
    return directory


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["preview", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def errors(err: str) -> list[str]:
    lines = err.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), err
    return [line.removeprefix("error: ") for line in lines]


def failed_preview(capsys: pytest.CaptureFixture[str], project: Path) -> tuple[str, list[str]]:
    """The `dev` preview of `project` without policies, which fails: its output and errors."""
    code, out, err = run_cli(capsys, "dev", "--project-dir", str(project), "--no-policy")
    assert code == 1
    return out, errors(err)


# --- failures ---------------------------------------------------------------------------------


def test_yaml_syntax_error_in_pulumi_yaml_is_one_line_naming_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, {"Pulumi.yaml": "name: demo\nconfig:\n  days: [1,\n"})
    _, (line,) = failed_preview(capsys, project)
    assert line.startswith(f"could not unmarshal '{project / 'Pulumi.yaml'}': invalid YAML file: "
                           "yaml: line ")


def test_yaml_syntax_error_in_the_stack_file(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, {"Pulumi.dev.yaml": "config:\n  days: 1\n days: 2\n"})
    _, (line,) = failed_preview(capsys, project)
    assert line.startswith(f"{project / 'Pulumi.dev.yaml'}: invalid YAML file: yaml: line 3:")


def test_broken_referenced_stack_file_is_named_while_previewing_dev(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, {"Pulumi.security.yaml": "config: [\n"})
    _, (line,) = failed_preview(capsys, project)
    assert str(project / "Pulumi.security.yaml") in line


def test_missing_required_key_stops_before_the_program(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, {
        "Pulumi.yaml": PROJECT + "  owner:\n    type: string\n  team:\n    type: string\n"})
    out, lines = failed_preview(capsys, project)
    assert out == ""
    assert lines == ["Stack 'dev' is missing configuration values 'owner' and 'team'"]


def test_declared_type_violation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, {"Pulumi.dev.yaml": "config:\n  days: soon\n"})
    _, lines = failed_preview(capsys, project)
    assert lines == ["Stack 'dev' with configuration key 'days' must be of type 'integer'"]


def test_project_schema_errors_are_one_line_each(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, {
        "Pulumi.yaml": "name: demo\nconfig:\n  days: {type: number}\n"})
    _, lines = failed_preview(capsys, project)
    assert len(lines) > 1
    assert all(line.startswith(f"could not validate '{project / 'Pulumi.yaml'}': #/config/days")
               for line in lines)


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("fail: first bad|second bad", ["first bad", "second bad"]),
        ("invalid: 'days: bad'", ["days: bad"]),
        ("crash: true", ["the program failed: KeyError: 'boom'"]),
    ],
    ids=[
        "a-config-error-one-line-per-problem",
        "a-value-error-as-its-message",
        "a-crash-named-with-its-exception-type",
    ],
)
def test_a_program_failure_is_shown_one_line_per_problem(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str,
        expected: list[str]) -> None:
    project = make_project(tmp_path, {"Pulumi.dev.yaml": f"config:\n  {config}\n"})
    _, lines = failed_preview(capsys, project)
    assert lines == expected


def test_a_secret_in_the_stack_file_stands_in_as_a_placeholder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A `secure:` value previews as `[secret]`, the engine's blinded form, and reaches the
    program as a secret key (PULUMI_CONFIG_SECRET_KEYS)."""
    project = make_project(tmp_path, {
        "Pulumi.dev.yaml": "config:\n  token:\n    secure: AAAB\n"})
    code, out, err = run_cli(capsys, "dev", "--project-dir", str(project), "--no-policy",
                             "--json")
    assert (code, err) == (0, "")
    outputs = json.loads(out)["cloudtrailLogging"]["outputs"]
    assert json.loads(outputs["configEnv"])["demo:token"] == "[secret]"
    assert json.loads(out)["config"]["demo:token"] == "[secret]"


TINY_PACK = '''
from pulumi_policy import EnforcementLevel, PolicyConfigSchema, PolicyPack, ResourceValidationPolicy


def check(args, report_violation):
    pass


PolicyPack(
    name="tiny",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[ResourceValidationPolicy(
        name="tiny-policy", description="checks nothing", validate=check,
        config_schema=PolicyConfigSchema(properties={"limit": {"type": "integer"}}))],
)
'''


@pytest.fixture
def tiny_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\nversion: 0.0.1\n")
    (pack / "__main__.py").write_text(TINY_PACK)
    return pack


@pytest.mark.parametrize(("content", "expected"), [
    (None, "cannot read policy pack config"),
    ("{not json", "cannot read policy pack config"),
    ("[1]", "expected a JSON object of policy names"),
    ('{"no-such-policy": "mandatory"}', "no-such-policy: no such policy in tiny"),
    ('{"tiny-policy": {"limit": "many"}}', "tiny-policy.limit"),
])
def test_bad_policy_config_is_reported_per_problem(
        tmp_path: Path, tiny_pack: Path, capsys: pytest.CaptureFixture[str],
        content: str | None, expected: str) -> None:
    project = make_project(tmp_path / "project")
    config_file = tmp_path / "policy.json"
    if content is not None:
        config_file.write_text(content)
    code, _, err = run_cli(capsys, "dev", "--project-dir", str(project), "--policy-pack",
                           str(tiny_pack), "--policy-config", str(config_file))
    assert code == 1
    lines = errors(err)
    assert any(expected in line for line in lines), lines


def test_good_policy_config_previews(tmp_path: Path, tiny_pack: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "project")
    config_file = tmp_path / "policy.json"
    config_file.write_text('{"tiny-policy": {"limit": 3}}')
    code, out, err = run_cli(capsys, "dev", "--project-dir", str(project), "--policy-pack",
                             str(tiny_pack), "--policy-config", str(config_file), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["cloudtrailLogging"]["stack"] == "dev"


def test_the_module_entry_point_prints_no_traceback(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"Pulumi.dev.yaml": "config:\n  fail: bad value\n"})
    done = subprocess.run(
        [sys.executable, "-m", "offline", "preview", "dev", "--no-policy", "--project-dir",
         str(project)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert done.stderr == "error: bad value\n"


# --- what the program receives ----------------------------------------------------------------


def outputs_of(project: Path, stack: str = "dev") -> dict[str, Any]:
    return preview_stack(stack, project).outputs


def test_program_sees_pulumi_config_as_the_language_host_sets_it(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"Pulumi.dev.yaml": "config:\n  note: <&>\n"})
    before = {name: os.environ.get(name) for name in (CONFIG_ENV, SECRET_KEYS_ENV)}
    seen = json.loads(outputs_of(project)["configEnv"])
    assert seen == {"demo:central": "", "demo:days": "90", "demo:note": "<&>"}
    # ... and the variables are put back afterwards.
    assert {name: os.environ.get(name) for name in (CONFIG_ENV, SECRET_KEYS_ENV)} == before


def test_language_host_environment_is_go_json(tmp_path: Path) -> None:
    make_project(tmp_path)
    captured: dict[str, str | None] = {}
    program = tmp_path / "__main__.py"
    program.write_text("import os\nimport pulumi\n"
                       "pulumi.export('raw', os.environ['PULUMI_CONFIG'])\n"
                       "pulumi.export('keys', os.environ['PULUMI_CONFIG_SECRET_KEYS'])\n")
    config = StackConfig("demo", "dev", {"demo:b": "<x>", "demo:a": "1"})
    captured.update(run_program(config, project_dir=tmp_path).outputs)
    assert captured == {"raw": '{"demo:a":"1","demo:b":"\\u003cx\\u003e"}', "keys": "[]"}


def test_read_stack_outputs_answers_like_the_engine_builtin(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    read = outputs_of(project)["read"]
    assert set(read) == {"name", "outputs", "secretOutputNames"}
    assert read["name"] == "organization/demo/security"
    assert read["outputs"]["bucket"] == "central-bucket"
    assert read["secretOutputNames"] == []


def test_get_organization_answers_with_this_account_as_management(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {"Pulumi.dev.yaml": 'config:\n  org: true\n  aws:allowedAccountIds: ["111111111111"]\n'})
    org = outputs_of(project)["org"]
    assert org["masterAccountId"] == "111111111111"
    assert org["id"].startswith("o-") and len(org["id"]) == 12
    (root,) = org["roots"]
    assert root["id"].startswith("r-")
    assert root["arn"] == f"arn:aws:organizations::111111111111:root/{org['id']}/{root['id']}"


def test_any_other_invoke_fails_loudly() -> None:
    mocks = StackMocks(preview=True, account_id="1", region="us-east-1", partition="aws")
    from pulumi.runtime.mocks import MockCallArgs

    with pytest.raises(RuntimeError, match="aws:s3/getBucket:getBucket"):
        mocks.call(MockCallArgs("aws:s3/getBucket:getBucket", {}, ""))
    assert mocks.call(MockCallArgs(GET_ORGANIZATION, {}, ""))[0]["masterAccountId"] == "1"
    with pytest.raises(RuntimeError, match="cannot be resolved offline"):
        mocks.call(MockCallArgs(READ_STACK_OUTPUTS, {"name": "x"}, ""))


@pytest.mark.parametrize("reference", [
    "security", "organization/security", "acme/security", "organization/demo/security",
    "acme/demo/security",
])
def test_stack_reference_forms_that_resolve_locally(tmp_path: Path, reference: str) -> None:
    assert local_stack(reference, "demo", make_project(tmp_path)) == "security"


@pytest.mark.parametrize("reference", [
    "organization/other/security", "a/demo/security/x", "organization/demo/missing", "/security",
])
def test_stack_reference_forms_that_cannot(tmp_path: Path, reference: str) -> None:
    with pytest.raises(StackFileError) as caught:
        local_stack(reference, "demo", make_project(tmp_path))
    assert len(caught.value.problems) == 1
