"""The engine's own config tests, mirrored against engine_model/stack_files.py.

Each test is named after the Go test it mirrors (snake case) and cites it; the YAML texts and
expected values or error texts are the Go test's. Sources (pulumi/pulumi): pkg/workspace/
config_project_test.go, pkg/workspace/config_test.go, sdk/go/common/workspace/project_test.go and
loaders_test.go. Go's `assert.ErrorContains` becomes `in`; the extra assertions the Go tests make
on the diagnostics sink (nothing printed) are checked through `parse_stack`'s warnings.

Not mirrored: TestEnvironmentMerge (config_project_test.go) merges an ESC environment, which is
out of scope offline; TestProjectRuntimeInfoRoundtripYAML, TestProjectValidationForRuntime, the
Save/Edit round trips and the Environment*/Package* tests in project_test.go do not concern
config.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from engine_model.stack_files import (
    PROJECT_DIR,
    ConfigItemsType,
    ConfigType,
    ConfigValue,
    Project,
    StackFileError,
    base64_decrypter,
    config_string,
    decrypt_config,
    load_project_file,
    load_stack_config,
    merge_config,
    parse_project,
    parse_stack,
    validate_project,
    validate_stack_config_value,
    validate_stack_config_values,
)


def load(project_yaml: str, stack_yaml: str, *, decrypter: Any = None) -> dict[str, str]:
    """loadProjectFromText + loadProjectStackFromText + ValidateStackConfigAndApplyProjectConfig;
    the values as getConfigValue reads them (NopDecrypter: the stored strings)."""
    project = parse_project(project_yaml)
    warnings: list[str] = []
    config = parse_stack(stack_yaml, project, warnings=warnings)
    assert warnings == []  # assert.Empty(t, stdout); assert.Empty(t, stderr)
    if decrypter is None:
        merge_config("dev", project, config)
    else:
        merge_config("dev", project, config, decrypter=decrypter)
    return {key: value.value() for key, value in config.items()}


def error_of(project_yaml: str, stack_yaml: str, **kwargs: Any) -> str:
    with pytest.raises(StackFileError) as caught:
        load(project_yaml, stack_yaml, **kwargs)
    return str(caught.value)


# --- pkg/workspace/config_project_test.go ---------------------------------------------------


def test_stack_config_is_inherited_from_project_config() -> None:
    """TestStackConfigIsInheritedFromProjectConfig."""
    values = load("""
name: test
runtime: dotnet
config:
  instanceSize: t3.micro
  instanceCount: 20
  protect: true""", """
config:
  test:instanceSize: t4.large""")
    assert values == {
        "test:instanceSize": "t4.large",  # overwritten from the stack
        "test:instanceCount": "20",  # inherited from the project
        "test:protect": "true",
    }


def test_namespaced_config_values_are_inherited_correctly() -> None:
    """TestNamespacedConfigValuesAreInheritedCorrectly."""
    values = load("""
name: test
runtime: dotnet
config:
  aws:region: us-west-1
  pulumi:disable-default-providers: ["*"]
  instanceSize: t3.micro""", """
config:
  test:instanceSize: t4.large""")
    assert len(values) == 3
    assert values["test:instanceSize"] == "t4.large"
    assert values["aws:region"] == "us-west-1"
    assert values["pulumi:disable-default-providers"] == '["*"]'


def test_loading_stack_config_without_namespacing_the_project() -> None:
    """TestLoadingStackConfigWithoutNamespacingTheProject."""
    values = load("""
name: test
runtime: dotnet
config:
  aws:region: us-west-1
  instanceSize: t3.micro""", """
config:
  instanceSize: t4.large""")
    assert values == {"test:instanceSize": "t4.large", "aws:region": "us-west-1"}


def test_untyped_project_config_values_are_not_validated() -> None:
    """TestUntypedProjectConfigValuesAreNotValidated."""
    values = load("""
name: test
runtime: dotnet
config:
  instanceSize: t3.micro
  aws:region: us-west-1""", """
config:
  instanceSize: 9999
  aws:region: 42""")
    assert values == {"test:instanceSize": "9999", "aws:region": "42"}


def test_untyped_project_config_values_with_only_default_or_only_value() -> None:
    """TestUntypedProjectConfigValuesWithOnlyDefaultOrOnlyValue."""
    values = load("""
name: test
runtime: dotnet
config:
  instanceSize:
    default: t3.micro
  region:
    value: us-west-1""", """
config:
  aws:answer: 42""")
    assert values == {
        "test:instanceSize": "t3.micro", "test:region": "us-west-1", "aws:answer": "42",
    }


def test_untyped_stack_config_values_do_need_project_declaration() -> None:
    """TestUntypedStackConfigValuesDoNeedProjectDeclaration (they do not, despite the name)."""
    values = load("""
name: test
runtime: dotnet
config:
  createVpc: true""", """
config:
  instanceSize: 42""")
    assert values == {"test:instanceSize": "42", "test:createVpc": "true"}


def test_untyped_project_config_object_values_passed_down_to_stack() -> None:
    """TestUntypedProjectConfigObjectValuesPassedDownToStack."""
    values = load("""
name: test
runtime: dotnet
config:
  instanceSize:
    value:
      hello: world
  aws:config:
    value:
      region: us-west-1""", """
config:
  aws:whatever: 42""")
    assert values == {
        "test:instanceSize": '{"hello":"world"}',
        "aws:config": '{"region":"us-west-1"}',
        "aws:whatever": "42",
    }


def test_stack_config_errors_when_stack_value_is_not_correctly_typed() -> None:
    """TestStackConfigErrorsWhenStackValueIsNotCorrectlyTyped."""
    message = error_of("""
name: test
runtime: dotnet
config:
  values:
    type: array
    items:
      type: string
    default: [value]""", """
config:
  test:values: someValue
""")
    assert "Stack 'dev' with configuration key 'values' must be of type 'array<string>'" in message


def test_stack_config_integer_type_is_correctly_validated() -> None:
    """TestStackConfigIntegerTypeIsCorrectlyValidated."""
    project = """
name: test
runtime: dotnet
config:
  importantNumber:
    type: integer
"""
    assert load(project, "\nconfig:\n  test:importantNumber: 20\n") == {
        "test:importantNumber": "20"
    }
    assert ("Stack 'dev' with configuration key 'importantNumber' must be of type 'integer'"
            in error_of(project, "\nconfig:\n  test:importantNumber: hello\n"))


def test_stack_config_errors_when_missing_stack_value_for_config_type_with_no_default() -> None:
    """TestStackConfigErrorsWhenMissingStackValueForConfigTypeWithNoDefault."""
    message = error_of("""
name: test
runtime: dotnet
config:
  values:
    type: array
    items:
      type: string""", "")
    assert message == "Stack 'dev' is missing configuration value 'values'"


def test_stack_config_errors_when_missing_two_stack_value_for_config_type_with_no_default(
) -> None:
    """TestStackConfigErrorsWhenMissingTwoStackValueForConfigTypeWithNoDefault."""
    message = error_of("""
name: test
runtime: dotnet
config:
  another:
    type: string
  values:
    type: array
    items:
      type: string""", "")
    assert message == "Stack 'dev' is missing configuration values 'another' and 'values'"


def test_stack_config_errors_when_missing_multiple_stack_value_for_config_type_with_no_default(
) -> None:
    """TestStackConfigErrorsWhenMissingMultipleStackValueForConfigTypeWithNoDefault."""
    message = error_of("""
name: test
runtime: dotnet
config:
  hello:
    type: integer
  values:
    type: array
    items:
      type: string
  world:
    type: string""", "")
    assert message == "Stack 'dev' is missing configuration values 'hello', 'values' and 'world'"


def test_stack_config_does_not_error_when_project_has_not_defined_config() -> None:
    """TestStackConfigDoesNotErrorWhenProjectHasNotDefinedConfig."""
    values = load("""
name: test
runtime: dotnet""", """
config:
  hello: 21
  world: 42
  another: 42""")
    assert values == {"test:hello": "21", "test:world": "42", "test:another": "42"}


def test_stack_config_secret_is_correctly_validated() -> None:
    """TestStackConfigSecretIsCorrectlyValidated, with config.Base64Crypter as the provider."""
    project = """
name: test
runtime: dotnet
config:
  importantNumber:
    type: integer
    secret: true
"""
    encrypted = base64.b64encode(b"20").decode()
    valid = f"\nconfig:\n  test:importantNumber:\n    secure: {encrypted}\n"
    assert load(project, valid, decrypter=base64_decrypter) == {
        "test:importantNumber": encrypted
    }
    message = error_of(project, "\nconfig:\n  test:importantNumber: 20\n",
                       decrypter=base64_decrypter)
    assert ("Stack 'dev' with configuration key 'importantNumber' must be encrypted as it's "
            "secret") in message


def test_stack_config_u_int64() -> None:
    """TestStackConfigUInt64."""
    values = load("""
name: test
runtime: dotnet""", """
config:
  test:instanceSize: 18446744073709551615""")
    assert values == {"test:instanceSize": "18446744073709551615"}


# --- pkg/workspace/config_test.go: TestValidateStackConfigValues's subtests ------------------


def test_validate_stack_config_values_no_decrypter_returns_nil() -> None:
    """TestValidateStackConfigValues/No Decrypter Returns Nil."""
    secret = {"testProject:someKey": ConfigValue("someVal", secure=True)}
    validate_stack_config_values("stackA", Project("testProject", {}), secret, None)


def test_validate_stack_config_values_empty_project_with_decrypter_returns_nil() -> None:
    """TestValidateStackConfigValues/Empty Project With Decrypter Returns Nil."""
    validate_stack_config_values("stackA", Project("testProject", {}), {}, base64_decrypter)


def test_validate_stack_config_values_decrypt_error_is_propagated() -> None:
    """TestValidateStackConfigValues/Decrypt Error Is Propagated (config.NewErrorCrypter)."""

    def failing(_ciphertext: str) -> str:
        raise RuntimeError("decrypt failed")

    config = {"testProject:someKey": ConfigValue("someVal", secure=True)}
    with pytest.raises(StackFileError, match="decrypt failed"):
        validate_stack_config_values("stackA", Project("testProject", {}), config, failing)


def test_validate_stack_config_values_typed_config_validates() -> None:
    """TestValidateStackConfigValues/Typed Config Validates: keys are paths into objects.

    config.NewTypedValue("1", TypeInt) has no YAML spelling; a plain "1" stands in for it.
    """
    project = Project("testProject", {
        "testInt": ConfigType(type="integer"),
        "testNested1.float": ConfigType(type="integer"),
        "testNested2.bool": ConfigType(type="boolean"),
        "testSecret": ConfigType(type="string", secret=True),
    })
    config = {
        "testProject:testInt": ConfigValue("1"),
        "testProject:testNested1": ConfigValue('{"float":1.0}', object=True),
        "testProject:testNested2": ConfigValue('{"bool":true}', object=True),
        "testProject:testSecret": ConfigValue("dGVzdFZhbHVl", secure=True),
    }
    validate_stack_config_values("stackA", project, config, base64_decrypter)
    # The case it catches: a nested value of the wrong type.
    config["testProject:testNested2"] = ConfigValue('{"bool":"yes"}', object=True)
    with pytest.raises(StackFileError, match=r"'testNested2\.bool' must be of type 'boolean'"):
        validate_stack_config_values("stackA", project, config, base64_decrypter)


def test_validate_stack_config_values_secret_enforced() -> None:
    """TestValidateStackConfigValues/Secret Enforced."""
    with pytest.raises(StackFileError, match="must be encrypted"):
        validate_stack_config_value("stack1", "proj:secretKey", ConfigType(secret=True),
                                    ConfigValue("plain"), "plain")


def test_validate_stack_config_values_object_unmarshal_error() -> None:
    """TestValidateStackConfigValues/Object Unmarshal Error."""
    with pytest.raises(StackFileError, match="invalid character"):
        validate_stack_config_value("stackX", "proj:objKey", ConfigType(),
                                    ConfigValue("not-a-json", object=True), "not-a-json")


def test_validate_stack_config_values_type_mismatch() -> None:
    """TestValidateStackConfigValues/Type Mismatch."""
    with pytest.raises(StackFileError, match="must be of type"):
        validate_stack_config_value("stackX", "proj:typeKey", ConfigType(type="number"),
                                    ConfigValue("not-a-number"), "not-a-number")


# --- sdk/go/common/workspace/project_test.go: Validate and loading -------------------------


def project_error(text: str) -> str:
    with pytest.raises(StackFileError) as caught:
        parse_project(text)
    return str(caught.value)


def test_project_validation_for_name() -> None:
    """TestProjectValidationForName."""
    with pytest.raises(StackFileError, match=r"^project is missing a 'name' attribute$"):
        validate_project(Project("", {}))
    validate_project(Project("a project", {}))


def test_project_validation_succeeds_for_object_config_type() -> None:
    """TestProjectValidationSucceedsForObjectConfigType."""
    validate_project(Project("test", {
        "example": ConfigType(type="object", default={"hello": "world"})}))


def test_project_validation_fails_for_incorrect_default_value_type() -> None:
    """TestProjectValidationFailsForIncorrectDefaultValueType."""
    with pytest.raises(StackFileError) as caught:
        validate_project(Project("test", {
            "instanceSize": ConfigType(type="integer", default="hello")}))
    assert ("The default value specified for configuration key 'instanceSize' is not of the "
            "expected type 'integer'") in str(caught.value)
    nested = ConfigItemsType("array", ConfigItemsType("string"))
    with pytest.raises(StackFileError) as caught:
        validate_project(Project("test", {
            "values": ConfigType(type="array", items=nested, default=["hello"])}))
    assert ("The default value specified for configuration key 'values' is not of the expected "
            "type 'array<array<string>>'") in str(caught.value)


def test_project_validation_succeeds_for_correct_default_value_type() -> None:
    """TestProjectValidationSucceedsForCorrectDefaultValueType."""
    validate_project(Project("test", {"instanceSize": ConfigType(type="integer", default=1)}))
    nested = ConfigItemsType("array", ConfigItemsType("string"))
    validate_project(Project("test", {
        "values": ConfigType(type="array", items=nested, default=[["hello"]])}))


@pytest.mark.parametrize(("text", "expected"), [
    ('"hello  "', ["expected project to be an object, was 'string'"]),
    ("{}", ["project is missing a 'name' attribute"]),
    ('{"name": ""}', ["project is missing a non-empty string 'name' attribute"]),
    ('{"name": "project", "runtime": 4}', [
        "#/runtime: oneOf failed",
        "#/runtime: expected string, but got number",
        "#/runtime: expected object, but got number",
    ]),
    ('{"name": "project", "runtime": "test", "backend": 4, "main": {}}', [
        "#/main: expected string or null, but got object",
        "#/backend: expected object or null, but got number",
    ]),
])
def test_project_load_json(text: str, expected: list[str]) -> None:
    """TestProjectLoadJSON (the JSON texts read as YAML, of which JSON is a subset)."""
    message = project_error(text)
    for part in expected:
        assert part in message
    assert message.startswith("could not validate 'Pulumi.yaml': ")
    assert len(message.splitlines()) == len(expected)  # the Go test's "N errors occurred"


def test_project_load_json_success_and_null_optionals() -> None:
    """TestProjectLoadJSON/success and /null optionals should work."""
    assert parse_project('{"name": "project", "runtime": "test"}').name == "project"
    project = parse_project('{"name": "project", "runtime": "test", "description": null, '
                            '"main": null, "backend": null}')
    assert project.document["description"] is None


@pytest.mark.parametrize(("text", "expected"), [
    ('{"Name": "project", "runtime": "test"}',
     "project is missing a 'name' attribute; found 'Name' instead"),
    ('{"name": "project", "runtime": "test", "template": {"displatName": "foo"}}',
     "'displatName' not allowed; did you mean 'displayName'?"),
    ('{"name": "project", "runtime": "test", "template": {"displayNameDisplayName": "foo"}}',
     "'displayNameDisplayName' not allowed; the allowed attributes are 'config', 'description', "
     "'displayName', 'important', 'metadata' and 'quickstart'"),
    ('{"name": "project", "runtime": "test", "backend": {"url": "https://pulumi.com", '
     '"name": "test"}}',
     "'name' not allowed; the only allowed attribute is 'url'"),
    ('{"name": "project", "runtime": "test", "plugins": {"providers": [{"nome": "test"}]}}',
     "'nome' not allowed; did you mean 'name'"),
    ('{"name": "project", "runtime": "test", "plugins": {"providers": '
     '[{"displayName": "test"}]}}',
     "'displayName' not allowed; the allowed attributes are 'name', 'path' and 'version'"),
])
def test_project_load_json_informative_errors(text: str, expected: str) -> None:
    """TestProjectLoadJSONInformativeErrors."""
    assert expected in project_error(text)


def test_project_loads_config_schemas() -> None:
    """TestProjectLoadsConfigSchemas."""
    project = parse_project("""
name: test
runtime: dotnet
config:
  integerSchemaFull:
    type: integer
    description: a very important value
    default: 1
  integerSchemaSimple: 20
  textSchemaFull:
    type: string
    default: t3.micro
  textSchemaSimple: t4.large
  booleanSchemaFull:
    type: boolean
    default: true
  booleanSchemaSimple: false
  simpleArrayOfStrings:
    type: array
    items:
      type: string
    default: [hello]
  arrayOfArrays:
    type: array
    items:
      type: array
      items:
        type: string
  secretString:
    type: string
    secret: true
  """)
    config = project.config
    assert len(config) == 9
    assert config["integerSchemaFull"] == ConfigType(
        type="integer", description="a very important value", default=1)
    assert config["integerSchemaSimple"] == ConfigType(default=20)
    assert config["textSchemaFull"] == ConfigType(type="string", default="t3.micro")
    assert config["textSchemaSimple"] == ConfigType(default="t4.large")
    assert config["booleanSchemaFull"] == ConfigType(type="boolean", default=True)
    assert config["booleanSchemaSimple"] == ConfigType(default=False)
    assert config["simpleArrayOfStrings"] == ConfigType(
        type="array", items=ConfigItemsType("string"), default=["hello"])
    assert config["arrayOfArrays"] == ConfigType(
        type="array", items=ConfigItemsType("array", ConfigItemsType("string")))
    assert config["secretString"] == ConfigType(type="string", secret=True)


def test_namespaced_project_config_should_not_be_explicitly_typed() -> None:
    """TestNamespacedProjectConfigShouldNotBeExplicitlyTyped."""
    assert ("Configuration key 'aws:region' is not namespaced by the project and should not "
            "define a type") in project_error("""
name: test
runtime: dotnet
config:
  aws:region:
    type: string
    value:
      region: us-west-1""")


def test_project_config_cannot_have_both_value_and_default() -> None:
    """TestProjectConfigCannotHaveBothValueAndDefault."""
    assert ("project config 'instanceSize' cannot have both a 'default' and 'value' attribute"
            in project_error("""
name: test
runtime: dotnet
config:
  instanceSize:
    type: string
    default: t3.micro
    value: t4.large"""))


def test_project_config_cannot_be_typed_array_without_items() -> None:
    """TestProjectConfigCannotBeTypedArrayWithoutItems."""
    assert ("The configuration key 'instanceSize' declares an array but does not specify the "
            "underlying type via the 'items' attribute") in project_error("""
name: test
runtime: dotnet
config:
  instanceSize:
    type: array
    default: [t3.micro, t4.large]""")


def test_namespaced_project_config_should_not_be_provide_default() -> None:
    """TestNamespacedProjectConfigShouldNotBeProvideDefault."""
    message = project_error("""
name: test
runtime: dotnet
config:
  aws:region:
    default: us-west-1""")
    assert ("Configuration key 'aws:region' is not namespaced by the project and should not "
            "define a default value") in message
    assert "Did you mean to use the 'value' attribute instead of 'default'?" in message


def test_loading_config_is_rewritten_to_stack_config_dir() -> None:
    """TestLoadingConfigIsRewrittenToStackConfigDir."""
    project = parse_project("name: test\nruntime: dotnet\nconfig: ./some/path")
    assert project.stack_config_dir == "./some/path"
    assert project.config == {}


def test_defning_both_config_and_stack_config_dir_errors_out() -> None:
    """TestDefningBothConfigAndStackConfigDirErrorsOut."""
    assert "Should not use both config and stackConfigDir" in project_error(
        "name: test\nruntime: dotnet\nconfig: ./some/path\nstackConfigDir: ./some/other/path")


def test_config_object_and_stack_config_dir_successfully_load_project() -> None:
    """TestConfigObjectAndStackConfigDirSuccessfullyLoadProject."""
    project = parse_project(
        "name: test\nruntime: dotnet\nstackConfigDir: ./some/other/path\nconfig:\n  value: hello\n")
    assert project.stack_config_dir == "./some/other/path"
    assert len(project.config) == 1


@pytest.mark.parametrize(("text", "expected"), [
    ('"hello"', "expected project to be an object"),
    ("4: hello", "expected only string keys, got '%!s(int=4)'"),
    ("hello:\n    6: bad", "project is missing a 'name' attribute"),
    ("{}", "project is missing a 'name' attribute"),
    ("name:", "project is missing a non-empty string 'name' attribute"),
    ("name: project\nruntime: 4", "#/runtime: expected object, but got number"),
    ("name: project\nruntime: test\nbackend: 4\nmain: {}",
     "#/main: expected string or null, but got object"),
])
def test_project_load_yaml(text: str, expected: str) -> None:
    """TestProjectLoadYAML."""
    assert expected in project_error(text)


def test_project_load_yaml_success_and_null_optionals() -> None:
    """TestProjectLoadYAML: success, and null optionals."""
    assert parse_project("name: project\nruntime: test").name == "project"
    project = parse_project("name: project\nruntime: test\ndescription:\nmain: null\nbackend:\n")
    assert project.document["description"] is None


# --- sdk/go/common/workspace/loaders_test.go ------------------------------------------------

TEST_PROJECT = parse_project("name: project")


def test_unmarshall_nil() -> None:
    """TestUnmarshallNil: a null inside a list survives as JSON null."""
    config = parse_stack("config:\n  aws:region: us-east-1\n  aws:id:\n    -\n", TEST_PROJECT)
    assert decrypt_config(config, base64_decrypter) == {
        "aws:region": "us-east-1", "aws:id": "[null]"}


def test_unmarshal_time() -> None:
    """TestUnmarshalTime: a timestamp is a time.Time; the program gets its String() form."""
    config = parse_stack("config:\n  aws:region: us-east-1\n  aws:time: 2020-01-01T00:00:00Z\n",
                         TEST_PROJECT)
    assert decrypt_config(config, base64_decrypter)["aws:time"] == "2020-01-01 00:00:00 +0000 UTC"


def test_no_empty_value_warning() -> None:
    """TestNoEmptyValueWarning."""
    warnings: list[str] = []
    config = parse_stack("config:\n  project:a: a\n", TEST_PROJECT, warnings=warnings)
    assert warnings == []
    assert config == {"project:a": ConfigValue("a")}


def test_empty_value_warning() -> None:
    """TestEmptyValueWarning: a key with no value is "" and warned about."""
    warnings: list[str] = []
    config = parse_stack('config:\n  project:a:\n  project:b: null\n  project:c: ~\n'
                         '  project:d: ""\n', TEST_PROJECT, warnings=warnings)
    assert len(warnings) == 1
    assert "No value for configuration keys" in warnings[0]
    assert all(f"project:{k}" in warnings[0] for k in "abc")
    assert "project:d" not in warnings[0]
    assert config == {f"project:{k}": ConfigValue("") for k in "abcd"}


# --- rules of the engine these tests pin beyond the Go tests ---------------------------------


@pytest.mark.parametrize(("yaml_value", "expected"), [
    ("yes", "yes"),  # YAML 1.1 booleans are strings to yaml.v3
    ("on", "on"),
    ("True", "true"),
    ("0x1F", "31"),
    ("0777", "511"),  # 1.1 octal, still read by yaml.v3
    ("09", "9"),  # not octal: a float, re-encoded as 9
    ("2.0", "2"),
    ("1.5", "1.5"),
    ("1e21", "1e+21"),
    ("0.0000001", "1e-7"),
    ("'0777'", "0777"),
    ("1_000", "1000"),
    ("12:30", "12:30"),  # no sexagesimal numbers in yaml.v3
    ("2001-12-14", "2001-12-14 00:00:00 +0000 UTC"),
    ('{b: 1, a: "<x>"}', '{"a":"\\u003cx\\u003e","b":1}'),
    ("[1.0, 2.5]", "[1,2.5]"),
])
def test_stack_values_are_read_as_yaml_v3_and_go_format_them(yaml_value: str,
                                                             expected: str) -> None:
    config = parse_stack(f"config:\n  k: {yaml_value}\n", TEST_PROJECT)
    assert decrypt_config(config, base64_decrypter) == {"project:k": expected}


def test_config_string_is_what_the_program_receives() -> None:
    assert config_string(["a", "b"]) == '["a","b"]'
    assert config_string(True) == "true"
    assert config_string(90) == "90"
    assert config_string({"z": [1], "a": None}) == '{"a":null,"z":[1]}'


def test_defaults_are_merged_in_go_form_and_types_checked_after_the_merge() -> None:
    project = """
name: test
config:
  days: {type: integer, default: 90}
  flag: {type: boolean, default: false}
  names: {type: array, items: {type: string}, default: [a, b]}
  limits: {type: object, default: {max: 3}}
"""
    assert load(project, "") == {
        "test:days": "90", "test:flag": "false", "test:names": '["a","b"]',
        "test:limits": '{"max":3}',
    }
    assert load(project, "config:\n  days: '7'\n  flag: 'true'\n")["test:days"] == "7"
    assert "'flag' must be of type 'boolean'" in error_of(project, "config:\n  flag: yes\n")
    assert "'names' must be of type 'array<string>'" in error_of(
        project, "config:\n  names: [1, 2]\n")
    assert "'limits' must be of type 'object'" in error_of(project, "config:\n  limits: [1]\n")


def test_a_default_of_the_wrong_type_is_refused_when_the_project_loads() -> None:
    message = project_error("name: test\nconfig:\n  days: {type: integer, default: soon}\n")
    assert message == ("could not unmarshal 'Pulumi.yaml': The default value specified for "
                       "configuration key 'days' is not of the expected type 'integer'")


@pytest.mark.parametrize(("config", "expected"), [
    ("  x: {type: number}", 'value must be one of "string", "integer", "boolean", "array", '
                            '"object"'),
    ("  x: {type: string, defualt: 1}", "#/config/x: additionalProperties 'defualt' not allowed"),
    ("  x: {type: array, items: {}}", "#/config/x/items: missing properties: 'type'"),
    ("  x: {type: array, items: {type: array}}", "#/config/x/items: missing properties: 'items'"),
    ("  x: {description: 5}", "#/config/x/description: expected string, but got number"),
    ("  x: {secret: 'yes'}", "#/config/x/secret: expected boolean, but got string"),
    ("  x: 1.5", "#/config/x: oneOf failed"),
    ("  secret: {type: string}", "#/config/secret: expected boolean, but got object"),
])
def test_the_project_json_schema_checks_the_config_block(config: str, expected: str) -> None:
    message = project_error(f"name: test\nconfig:\n{config}\n")
    assert expected in message
    assert all(line.startswith("could not validate 'Pulumi.yaml': ")
               for line in message.splitlines())


def test_a_declared_key_with_dots_is_a_path_into_an_object_value() -> None:
    """mergeConfig reads and sets project keys with path=true (config.Map.Get/Set): `limits.max`
    is member `max` of `limits`; its default is coerced to a number inside the object."""
    project = "name: test\nconfig:\n  limits.max: {type: integer, default: 3}\n"
    assert load(project, "") == {"test:limits": '{"max":3}'}
    assert load(project, "config:\n  limits: {max: 5, min: 1}\n") == {
        "test:limits": '{"max":5,"min":1}'}
    assert "'limits.max' must be of type 'integer'" in error_of(
        project, "config:\n  limits: {max: lots}\n")


def test_a_typed_secret_key_with_a_default_fails_validation() -> None:
    """validateStackConfigValue: the merged default is not `secure`, so the engine refuses it."""
    project = "name: test\nconfig:\n  token: {type: string, secret: true, default: x}\n"
    assert ("Stack 'dev' with configuration key 'token' must be encrypted as it's secret"
            in error_of(project, ""))


def test_other_namespaces_pass_through_and_a_misspelt_one_is_not_checked() -> None:
    values = load("name: test\nconfig:\n  days: {type: integer, default: 1}\n",
                  "config:\n  aws:region: eu-west-1\n  tset:days: many\n")
    assert values == {"aws:region": "eu-west-1", "tset:days": "many", "test:days": "1"}


def test_declared_keys_of_other_namespaces_are_never_required() -> None:
    values = load("name: test\nconfig:\n  aws:region: {value: us-east-1}\n",
                  "config:\n  aws:region: eu-west-1\n")
    assert values == {"aws:region": "eu-west-1"}


def test_stack_file_errors_name_the_file_and_line() -> None:
    with pytest.raises(StackFileError) as caught:
        parse_stack("config:\n  a: [1,\n", TEST_PROJECT, "Pulumi.dev.yaml")
    (line,) = caught.value.problems
    assert line.startswith("Pulumi.dev.yaml: invalid YAML file: yaml: line ")
    with pytest.raises(StackFileError, match='line 3: mapping key "a" already defined at line 2'):
        parse_stack("config:\n  a: 1\n  a: 2\n", TEST_PROJECT, "Pulumi.dev.yaml")


def test_bad_keys_are_refused_and_esc_environments_named() -> None:
    with pytest.raises(StackFileError, match="could not parse a:b:c as a configuration key"):
        parse_stack("config:\n  a:b:c: 1\n", TEST_PROJECT)
    with pytest.raises(StackFileError, match="both set 'project:k'"):
        parse_stack("config:\n  k: 1\n  project:k: 2\n", TEST_PROJECT)
    warnings: list[str] = []  # offline an ESC import is a warning naming it: Cloud opens it
    assert parse_stack("environment:\n  - prod\n", TEST_PROJECT, warnings=warnings) == {}
    assert warnings == [
        "imports the ESC environment 'prod', which only Pulumi Cloud can open: offline its "
        "pulumiConfig values, environment variables and files are not supplied, so a key it "
        "would set is unset here (or takes Pulumi.yaml's default)"]
    # The old `<namespace>:config:<name>` spelling is still read.
    assert parse_stack("config:\n  aws:config:region: x\n", TEST_PROJECT) == {
        "aws:region": ConfigValue("x")}


def write(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_load_stack_config_blinds_secrets_as_the_engine_shows_them(tmp_path: Path) -> None:
    """A `secure:` value stands in as `[secret]` (the engine's blinding crypter) and is listed
    among the secret keys, so the program reads it as a secret."""
    write(tmp_path, {"Pulumi.yaml": "name: test\n",
                     "Pulumi.dev.yaml": "config:\n  token:\n    secure: AAAB\n  plain: x\n"})
    config = load_stack_config("dev", tmp_path)
    assert config.values == {"test:token": "[secret]", "test:plain": "x"}
    assert config.secret_keys == ("test:token",)


def test_load_stack_config_reports_missing_keys_before_secrets(tmp_path: Path) -> None:
    write(tmp_path, {"Pulumi.yaml": "name: test\nconfig:\n  need: {type: string}\n",
                     "Pulumi.dev.yaml": "config:\n  token:\n    secure: AAAB\n"})
    with pytest.raises(StackFileError, match=r"^Stack 'dev' is missing configuration value"):
        load_stack_config("dev", tmp_path)


def test_load_stack_config_reads_stack_config_dir_and_warnings(tmp_path: Path) -> None:
    (tmp_path / "stacks").mkdir()
    write(tmp_path, {"Pulumi.yaml": "name: test\nstackConfigDir: stacks\n",
                     "stacks/Pulumi.dev.yaml": "config:\n  empty:\n"})
    loaded = load_stack_config("dev", tmp_path)
    assert loaded.values == {"test:empty": ""}
    assert loaded.secret_keys == ()
    assert len(loaded.warnings) == 1 and '"empty"' in loaded.warnings[0]


# --- the shipped project ---------------------------------------------------------------------
# These read the real Pulumi.yaml and stack files, which the lead is regenerating: they may fail
# while that is under way.


def test_shipped_pulumi_yaml_passes_validate() -> None:
    project = load_project_file(PROJECT_DIR)
    assert project.name == "cloudtrail-logging"
    validate_project(project)


@pytest.mark.parametrize("stack", ["dev", "security"])
def test_shipped_stacks_merge_without_error(stack: str) -> None:
    loaded = load_stack_config(stack, PROJECT_DIR)
    assert loaded.values["cloudtrail-logging:role"] in ("member", "log-archive")
    # Every key the project declares reaches the program: a default or the stack's value.
    declared = load_project_file(PROJECT_DIR).config
    assert {f"cloudtrail-logging:{k}" for k in declared} <= set(loaded.values)
