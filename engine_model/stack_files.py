"""A stack's config exactly as the Pulumi CLI assembles it, modelled on pulumi/pulumi's source.

Every rule below names the Go file and function it models (pulumi/pulumi, Apache-2.0; read from
the mirror, not copied). The pipeline is the CLI's, in its order:

1. `LoadProject` (sdk/go/common/workspace/loaders.go): Pulumi.yaml is decoded as gopkg.in/yaml.v3
   decodes it, checked by `ValidateProject` (name, then the JSON schema project.json), shorthand
   config rewritten, decoded into `Project`, then `Project.Validate` (project.go).
2. `LoadProjectStack` (loaders.go): Pulumi.<stack>.yaml; keys without a namespace get the project's;
   every value becomes a `config.Value` (sdk/go/common/resource/config/value.go, object.go).
3. `ValidateStackConfigAndApplyProjectConfig` -> `mergeConfig` (pkg/workspace/config.go): missing
   required keys, defaults/values merged, then `validateStackConfigValues` (decrypt, types).
4. `config.Map.Decrypt` (config/map.go): the key -> string map the language host receives.

ESC environments (`environment:` in a stack file, `toConfigMap`/`toPlaintext` in config.go) are out
of scope: they need Pulumi Cloud, so a stack file that imports one is refused rather than guessed.
Secrets (`secure:`) need the stack's secrets provider; offline they are refused with the key named.
Where the engine's outcome depends on Go map iteration order (several errors at once, duplicate
keys after namespacing) this model picks sorted order, or refuses, and says so.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
import re
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from engine_model.model import any_nested

PROJECT_DIR = Path(__file__).resolve().parent.parent

_INT64 = (-(2**63), 2**63 - 1)
_UINT64_MAX = 2**64 - 1


class StackFileError(ValueError):
    """The project or stack file is missing or malformed, or the config breaks an engine rule.

    `problems` holds one line per problem; str() joins them with newlines.
    """

    def __init__(self, problems: str | Sequence[str], warnings: Sequence[str] = ()) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.warnings = tuple(warnings)
        """What the CLI printed as `warning:` while loading, before it stopped."""
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class StackConfig:
    project: str
    stack: str
    values: dict[str, str]  # "namespace:key" -> the string the program receives
    secret_keys: tuple[str, ...] = ()  # keys whose value was `secure:` (PULUMI_CONFIG_SECRET_KEYS)
    warnings: tuple[str, ...] = ()  # what the CLI prints as `warning:` while loading


# --- Go values as gopkg.in/yaml.v3 decodes YAML into `any` ------------------------------------
# None = nil, bool, int (int in int64 range, else uint64), float = float64, str = string,
# GoTime = time.Time, list = []any, dict = map[string]any, AnyKeyMap = map[any]any.


class AnyKeyMap(dict):  # type: ignore[type-arg]
    """A YAML mapping with a key that is not a string (yaml.v3 decodes it to map[any]any)."""


@dataclass(frozen=True)
class GoTime:
    """A yaml.v3 timestamp (time.Time); `offset` in seconds, None for UTC."""

    moment: dt.datetime  # naive wall clock
    nanos: int
    offset: int | None

    def _zone(self, colon: bool) -> str:
        if not self.offset:
            return "Z" if colon else "+0000"
        sign = "-" if self.offset < 0 else "+"
        hours, minutes = divmod(abs(self.offset) // 60, 60)
        return f"{sign}{hours:02d}:{minutes:02d}" if colon else f"{sign}{hours:02d}{minutes:02d}"

    def _fraction(self) -> str:
        return f".{self.nanos:09d}".rstrip("0") if self.nanos else ""

    def go_string(self) -> str:
        """time.Time.String(): `2006-01-02 15:04:05.999999999 -0700 MST`.

        A fabricated zone has no name, so Go prints the offset twice; the CLI host's Local zone is
        assumed to be UTC (time.Parse names an offset Local uses after Local).
        """
        name = "UTC" if not self.offset else self._zone(False)
        return f"{self.moment:%Y-%m-%d %H:%M:%S}{self._fraction()} {self._zone(False)} {name}"

    def rfc3339nano(self) -> str:
        return f"{self.moment:%Y-%m-%dT%H:%M:%S}{self._fraction()}{self._zone(True)}"


# yaml.v3 resolve.go: `allowedTimestampFormats` (time.Parse layouts with 1-2 digit fields).
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?P<sep>[Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(?P<zone>Z|[+-]\d{2}:\d{2})?)?$"
)
# yaml.v3 resolve.go: `yamlStyleFloat`.
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_GO_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)$")


def _parse_timestamp(text: str) -> GoTime | None:
    """yaml.v3 `parseTimestamp`: only values starting with `YYYY-`."""
    match = _TIMESTAMP.match(text)
    if match is None:
        return None
    sep, zone = match["sep"], match["zone"]
    if (sep in ("T", "t") and zone is None) or (sep == " " and zone is not None):
        return None
    year, month, day = (int(match[i]) for i in (1, 2, 3))
    hour, minute, second = (int(match[i]) if match[i] else 0 for i in (5, 6, 7))
    try:
        moment = dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    nanos = int((match[8] or "0")[:9].ljust(9, "0"))
    offset = None
    if zone and zone != "Z":
        offset = (1 if zone[0] == "+" else -1) * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return GoTime(moment, nanos, offset or None)


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt/ParseUint(text, 0, 64): base prefixes, 0777 octal, `_` between digits."""
    if not _GO_INT.match(text):
        return None
    sign = -1 if text[0] == "-" else 1
    body = text.lstrip("+-")
    try:
        if body[:2] in ("0x", "0X"):
            value = int(body[2:].replace("_", ""), 16)
        elif body[:2] in ("0o", "0O"):
            value = int(body[2:].replace("_", ""), 8)
        elif body[:2] in ("0b", "0B"):
            value = int(body[2:].replace("_", ""), 2)
        elif len(body) > 1 and body[0] == "0":
            value = int(body.replace("_", ""), 8)  # 0777: a 1.1 octal, still read by v3
        else:
            value = int(body.replace("_", ""), 10)
    except ValueError:
        return None
    value *= sign
    return value if _INT64[0] <= value <= _UINT64_MAX else None


def _resolve_plain(text: str) -> Any:
    """yaml.v3 resolve.go `resolve` for a plain (unquoted, untagged) scalar."""
    specials: dict[str, Any] = {
        "true": True, "True": True, "TRUE": True,
        "false": False, "False": False, "FALSE": False,
        "": None, "~": None, "null": None, "Null": None, "NULL": None,
        ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
        ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
        "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
        "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
    }
    if text in specials:
        return specials[text]
    head = text[0]
    if head == ".":
        try:
            return float(text)
        except ValueError:
            return text
    if head.isdigit() or head in "+-":
        stamp = _parse_timestamp(text)
        if stamp is not None:
            return stamp
        plain = text.replace("_", "")
        number = _go_parse_int(plain)
        if number is not None:
            return number
        if _YAML_FLOAT.match(plain):
            return float(plain)
    return text


class _GoYamlLoader(yaml.SafeLoader):
    """PyYAML used for parsing only; scalars keep no implicit tag so yaml.v3 rules can apply."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode:
            return "!go-untagged"
        return super().resolve(kind, value, implicit)


_STR_TAG = "tag:yaml.org,2002:str"


class _YamlTypeError(Exception):
    """yaml.v3's *yaml.TypeError (`yaml: unmarshal errors:`)."""


def _node_value(node: yaml.Node) -> Any:
    """yaml.v3 decode.go into `any`: quoted and block scalars are strings, plain ones resolve."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "!go-untagged":
            return node.value if node.style in ("'", '"', "|", ">") else _resolve_plain(node.value)
        if node.tag == _STR_TAG:
            return node.value
        if node.tag == "tag:yaml.org,2002:binary":
            return base64.b64decode(node.value).decode("utf-8", "replace")
        if node.tag.startswith("tag:yaml.org,2002:"):
            resolved = _resolve_plain(node.value)
            if node.tag.endswith(":float") and isinstance(resolved, int):
                return float(resolved)
            return resolved
        return node.value  # a local tag (`!Foo x`) is not resolvable: the text stays a string
    if isinstance(node, yaml.SequenceNode):
        return [_node_value(item) for item in node.value]
    seen: dict[tuple[type, str], int] = {}
    pairs: list[tuple[Any, Any]] = []
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<" and (
            key_node.tag == "!go-untagged" and key_node.style is None
        ):
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [
                value_node
            ]
            for source in sources:
                merged = _node_value(source)
                if isinstance(merged, dict):
                    pairs.extend((k, v) for k, v in merged.items() if k not in dict(pairs))
            continue
        ident = (type(key_node), str(key_node.value))
        if ident in seen:
            # yaml.v3 decode.go `mapping`: duplicate keys are a type error.
            raise _YamlTypeError(
                f"line {key_node.start_mark.line + 1}: mapping key {json.dumps(key_node.value)} "
                f"already defined at line {seen[ident]}"
            )
        seen[ident] = key_node.start_mark.line + 1
        pairs.append((_node_value(key_node), _node_value(value_node)))
    string_keys = all(isinstance(k, str) for k, _ in pairs)
    result: dict[Any, Any] = {} if string_keys else AnyKeyMap()
    for key, value in pairs:
        result[key] = value
    return result


def _decode_yaml(text: str) -> Any:
    """Decode like encoding.YAML.Unmarshal (yaml.v3): the first document only.

    Raises _YamlTypeError or yaml.YAMLError.
    """
    loader = _GoYamlLoader(text)
    try:
        if not loader.check_node():
            return None
        node = loader.get_node()
        return None if node is None else _node_value(node)
    finally:
        loader.dispose()


def _yaml_error_text(error: Exception) -> str:
    """yaml.v3's message shape; the problem wording is PyYAML's, the line is the file's."""
    if isinstance(error, _YamlTypeError):
        return f"yaml: unmarshal errors: {error}"
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is not None:
        return f"invalid YAML file: yaml: line {mark.line + 1}: {problem}"
    return f"invalid YAML file: yaml: {problem}"


def _read(path: Path) -> str:
    """readFileStripUTF8BOM (loaders.go)."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise StackFileError(f"could not read '{path}': {error}") from error


# --- Go formatting: strconv, fmt %v, encoding/json -------------------------------------------


def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-trip digits and decimal point position (strconv's `decimal` d, dp)."""
    _sign, digits, exponent = Decimal(repr(abs(value))).as_tuple()
    text = "".join(map(str, digits)).rstrip("0")
    assert isinstance(exponent, int)
    if not text:
        return "", 0
    exponent += len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return text, len(text) + exponent


def _format_float(value: float, fmt: str) -> str:
    """strconv.FormatFloat(value, fmt, -1, 64) for fmt in 'e', 'f', 'g'."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    digits, dp = _shortest_digits(value)
    if fmt == "g":
        exp = dp - 1 if digits else -1
        fmt = "e" if (exp < -4 or exp >= 6) and digits else "f"
    if fmt == "e":
        first, rest = (digits[0], digits[1:]) if digits else ("0", "")
        exp = dp - 1 if digits else 0
        mantissa = first + ("." + rest if rest else "")
        return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    whole = (digits[:dp].ljust(dp, "0") if dp > 0 else "0") or "0"
    frac = "".join(digits[i] if 0 <= i < len(digits) else "0" for i in range(dp, len(digits)))
    return f"{sign}{whole}{'.' + frac if frac else ''}"


class _JsonUnsupported(ValueError):
    pass


def _json_float(value: float) -> str:
    """encoding/json floatEncoder: 'f' unless |v| < 1e-6 or >= 1e21; e-09 becomes e-9."""
    if math.isnan(value) or math.isinf(value):
        raise _JsonUnsupported(f"json: unsupported value: {_format_float(value, 'g')}")
    magnitude = abs(value)
    fmt = "e" if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21) else "f"
    text = _format_float(value, fmt)
    if fmt == "e" and re.search(r"e-0\d$", text):
        text = text[:-2] + text[-1]
    return text


def _json_string(text: str) -> str:
    """encoding/json: HTML-safe escaping, U+2028/2029 escaped, other non-ASCII kept."""
    encoded = json.dumps(text, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        encoded = encoded.replace(char, escape)
    return encoded


def go_json(value: Any) -> str:
    """json.Marshal of a decoded value: compact, map keys sorted, Go's number forms."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _json_float(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, GoTime):
        return _json_string(value.rfc3339nano())
    if isinstance(value, _Secret):
        return '{"secure":' + _json_string(value.ciphertext) + "}"
    if isinstance(value, dict):
        if isinstance(value, AnyKeyMap):
            raise _JsonUnsupported("json: unsupported type: map[interface {}]interface {}")
        items = sorted(value.items())
        return "{" + ",".join(f"{_json_string(k)}:{go_json(v)}" for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(go_json(v) for v in value) + "]"
    raise _JsonUnsupported(f"json: unsupported type: {type(value).__name__}")


def _go_v(value: Any) -> str:
    """fmt %v of a decoded scalar."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _format_float(value, "g")
    if isinstance(value, GoTime):
        return value.go_string()
    return str(value)


def _go_type(value: Any) -> str:
    """fmt %T of a decoded value."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if _INT64[0] <= value <= _INT64[1] else "uint64"
    if isinstance(value, AnyKeyMap):
        return "map[interface {}]interface {}"
    names = {float: "float64", str: "string", list: "[]interface {}",
             dict: "map[string]interface {}", GoTime: "time.Time"}
    return names.get(type(value), type(value).__name__)


def _go_s(value: Any) -> str:
    """fmt %s: a non-string operand prints as %!s(type=value)."""
    if isinstance(value, str):
        return value
    return f"%!s({_go_type(value)}={_go_v(value)})" if value is not None else "%!s(<nil>)"


def _remarshal(value: Any) -> Any:
    """The YAML encode + decode round trip loaders.go makes (yamlutil.YamlEncode, yaml.v3).

    Floats are written with strconv 'g' and read back (2.0 -> "2" -> int 2); timestamps are
    written RFC 3339 and read back. Everything else survives unchanged.
    """
    if isinstance(value, float):
        text = _format_float(value, "g")
        text = {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
        return _resolve_plain(text)
    if isinstance(value, GoTime):
        return _parse_timestamp(value.rfc3339nano()) or value
    if isinstance(value, AnyKeyMap):
        out = AnyKeyMap()
        for key, item in value.items():
            out[key] = _remarshal(item)
        return out
    if isinstance(value, dict):
        return {key: _remarshal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_remarshal(item) for item in value]
    return value


def config_string(value: Any) -> str:
    """The string a program receives for `value` written in a stack file (scalar, list or map)."""
    return _value_from_yaml(_remarshal(value)).value(_nop)


# The name conftest.py imports.
_as_config_string = config_string


# --- config values (sdk/go/common/resource/config/value.go, object.go) ------------------------


@dataclass(frozen=True)
class _Secret:
    """object.go CiphertextSecret."""

    ciphertext: str


Decrypter = Callable[[str], str]  # ciphertext -> plaintext; raises on failure


def _nop(ciphertext: str) -> str:  # config.NopDecrypter: values are returned as stored
    return ciphertext


def base64_decrypter(ciphertext: str) -> str:
    """config.Base64Crypter, the engine tests' stand-in secrets provider."""
    try:
        return base64.b64decode(ciphertext, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise ValueError(f"illegal base64 data: {error}") from error


class _SecretsOffline(Exception):
    pass


def _offline_decrypter(ciphertext: str) -> str:
    raise _SecretsOffline("secrets cannot be decrypted offline")


SECRET_PLACEHOLDER = "[secret]"


def blinding_decrypter(ciphertext: str) -> str:
    """The engine's blinding crypter (sdk/go/common/resource/config/crypt.go,
    `blindingCrypter.DecryptValue`): every secret reads as `[secret]`, which is how a stack file's
    `secure:` values stand in offline, where the stack's secrets provider is not at hand."""
    return SECRET_PLACEHOLDER


@dataclass(frozen=True)
class ConfigValue:
    """config.Value: the stored string, and whether it is a secret and/or a JSON object."""

    text: str
    secure: bool = False
    object: bool = False

    def value(self, decrypter: Decrypter = _nop) -> str:
        """Value.Value: the plaintext string (JSON text for objects, Go's formatting)."""
        if decrypter is _nop:
            return self.text
        return _plaintext_text(_decrypt_object(_object_of(self), decrypter))


def _is_secure_map(value: Any) -> bool:
    """object.go isSecureValue: a map with the single string key `secure`."""
    return (isinstance(value, dict) and len(value) == 1 and "secure" in value
            and isinstance(value["secure"], str))


def _object_from_decoded(value: Any) -> Any:
    """object.go unmarshalObject for a YAML-decoded value."""
    if isinstance(value, GoTime):
        return value.go_string()
    if isinstance(value, AnyKeyMap):
        return _object_from_decoded({_go_v(k): v for k, v in value.items()})
    if isinstance(value, dict):
        if _is_secure_map(value):
            return _Secret(value["secure"])
        return {k: _object_from_decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_object_from_decoded(v) for v in value]
    return value


def _marshal_object(value: Any) -> ConfigValue:
    """object.go MarshalString."""
    if isinstance(value, (bool, int, float)):
        return ConfigValue(go_json(value))
    if isinstance(value, str):
        return ConfigValue(value)
    if isinstance(value, _Secret):
        return ConfigValue(value.ciphertext, secure=True)
    secure = any_nested(value, lambda v: isinstance(v, _Secret))
    return ConfigValue(go_json(value), secure=secure, object=True)


def _value_from_yaml(value: Any) -> ConfigValue:
    """Value.UnmarshalYAML; a null is skipped by yaml.v3 and stays the zero Value ("")."""
    if value is None:
        return ConfigValue("")
    return _marshal_object(_object_from_decoded(value))


def _json_number(text: str) -> int | float:
    """json.Number as unmarshalObject reads it: Int64 when it fits, else Float64."""
    try:
        number = int(text)
    except ValueError:
        return float(text)
    return number if _INT64[0] <= number <= _INT64[1] else float(text)


def _object_of(value: ConfigValue) -> Any:
    """Value.unmarshalObject."""
    if not value.object:
        return _Secret(value.text) if value.secure else value.text
    try:
        decoded = json.loads(value.text, parse_int=_json_number, parse_float=float)
    except json.JSONDecodeError as error:
        raise StackFileError(f"invalid character in config object: {error}") from error
    return _object_from_json(decoded)


def _object_from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if _is_secure_map(value):
            return _Secret(value["secure"])
        return {k: _object_from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_object_from_json(v) for v in value]
    return value


def _decrypt_object(value: Any, decrypter: Decrypter) -> Any:
    if isinstance(value, _Secret):
        return decrypter(value.ciphertext)
    if isinstance(value, dict):
        return {k: _decrypt_object(v, decrypter) for k, v in value.items()}
    if isinstance(value, list):
        return [_decrypt_object(v, decrypter) for v in value]
    return value


def _plaintext_text(value: Any) -> str:
    """plaintext.go marshalText: strings as they are, everything else JSON."""
    return value if isinstance(value, str) else go_json(value)


# --- keys and paths (config/key.go, config/map.go, resource/properties_path.go) ---------------

_KEY_FORM = "(configuration keys should be of the form `<namespace>:<name>`)"


def parse_key(text: str) -> str:
    """config.ParseKey: `<namespace>:<name>`, or the old `<namespace>:config:<name>`."""
    parts = text.split(":")
    if len(parts) == 2:
        return text
    if len(parts) == 3 and parts[1] == "config" and parts[0] and parts[2]:
        return f"{parts[0]}:{parts[2]}"
    raise StackFileError(f"could not parse {text} as a configuration key {_KEY_FORM}")


def _parse_config_key(project: str, key: str) -> str:
    """config.go parseConfigKey: a key without `:` is in the project's namespace."""
    return parse_key(key) if ":" in key else f"{project}:{key}"


PathElement = str | int


def parse_property_path(path: str) -> list[PathElement]:
    """properties_path.go ParsePropertyPathStrict (config keys are paths: `a.b`, `a[0]`)."""
    elements: list[PathElement] = []
    if path.startswith("."):
        raise ValueError("expected property path to start with a name or index")
    while path:
        if path[0] == ".":
            path = path[1:]
            if not path:
                raise ValueError("expected property path to end with a name or index")
            if path[0] == "[":
                raise ValueError("expected property name after '.'")
        elif path[0] == "[":
            if len(path) > 1 and path[1] == '"':
                key, i = "", 2
                while True:
                    if i >= len(path):
                        raise ValueError("missing closing quote in property name")
                    if path[i] == '"':
                        i += 1
                        break
                    if path[i] == "\\" and i + 1 < len(path) and path[i + 1] == '"':
                        key, i = key + '"', i + 2
                    else:
                        key, i = key + path[i], i + 1
                if i >= len(path) or path[i] != "]":
                    raise ValueError("missing closing bracket in property access")
                elements.append(key)
                path = path[i + 1:]
            else:
                end = path.find("]")
                if end == -1:
                    raise ValueError("missing closing bracket in array index")
                segment = path[1:end]
                if segment == "*":
                    elements.append("*")
                elif re.fullmatch(r"[+-]?[0-9]+", segment):
                    elements.append(int(segment))
                else:
                    raise ValueError(f'invalid array index: strconv.ParseInt: parsing '
                                     f'"{segment}": invalid syntax')
                path = path[end + 1:]
        else:
            end = min((i for i in (path.find("."), path.find("[")) if i != -1), default=len(path))
            elements.append(path[:end])
            path = path[end:]
    return elements


def _key_path(key: str) -> tuple[list[PathElement], str]:
    """map.go parseKeyPath: the path in the key's name and the key of its first segment."""
    namespace, name = key.split(":", 1)
    try:
        path = parse_property_path(name)
    except ValueError as error:
        raise StackFileError(f"invalid config key path: {error}") from error
    if not path:
        raise StackFileError("empty config key path")
    if not isinstance(path[0], str):
        raise StackFileError("first path segement of config key must be a string")
    if path[0] == "":
        raise StackFileError("config key is empty")
    return path, f"{namespace}:{path[0]}"


ConfigMap = dict[str, ConfigValue]  # config.Map: "namespace:name" -> Value


def config_get(config: ConfigMap, key: str, path: bool = True) -> tuple[ConfigValue, bool]:
    """config.Map.Get."""
    if not path:
        return config.get(key, ConfigValue("")), key in config
    elements, root_key = _key_path(key)
    if root_key not in config:
        return ConfigValue(""), False
    if len(elements) == 1:
        return config[root_key], True
    current = _object_of(config[root_key])
    for element in elements[1:]:
        in_list = isinstance(current, list) and isinstance(element, int) and (
            0 <= element < len(current))
        if in_list or (isinstance(current, dict) and isinstance(element, str)
                       and element in current):
            current = current[element]
        else:
            return ConfigValue(""), False
    return _marshal_object(current), True


def _coerce(value: ConfigValue) -> Any:
    """value.go coerceObject: an untyped plain string "true"/"false"/digits becomes bool/int."""
    if value.secure or value.object:
        return _object_of(value)
    text = value.text
    if text in ("true", "false"):
        return text == "true"
    if not (len(text) > 1 and text[0] == "0") and re.fullmatch(r"[+-]?[0-9]+", text):
        number = int(text)
        if _INT64[0] <= number <= _UINT64_MAX:
            return number
    return text


def _path_text(elements: Sequence[PathElement]) -> str:
    return "[" + " ".join(str(e) for e in elements) + "]"  # fmt %v of a PropertyPath


def _object_set(current: Any, prefix: list[PathElement], path: list[PathElement],
                new: Any) -> Any:
    """object.go object.Set; returns the updated value."""
    if not path:
        return new
    head = path[0]
    if current is None or not isinstance(current, (list, dict)):
        if current is not None and len(prefix) != 1:
            kind = "an array" if isinstance(head, int) else "a map"
            raise StackFileError(f"{_path_text(prefix)}: expected {kind}")
        current = [None] * (head + 1) if isinstance(head, int) else {}
    prefix = [*prefix, head]
    if isinstance(current, list):
        if not isinstance(head, int):
            raise StackFileError(f"{_path_text(prefix)}: key for an array must be an int")
        if head < 0 or head > len(current):
            raise StackFileError(f"{_path_text(prefix)}: array index out of range")
        if head == len(current):
            current.append(None)
        current[head] = _object_set(current[head], prefix, path[1:], new)
        return current
    if not isinstance(head, str):
        raise StackFileError(f"{_path_text(prefix)}: key for a map must be a string")
    if len(path) == 1 and not current and head == "secure" and isinstance(new, str):
        raise StackFileError('maps with the single key "secure" are reserved')
    current[head] = _object_set(current.get(head), prefix, path[1:], new)
    return current


def config_set(config: ConfigMap, key: str, value: ConfigValue, path: bool = True) -> None:
    """config.Map.Set."""
    if not path:
        config[key] = value
        return
    elements, root_key = _key_path(key)
    if len(elements) == 1:
        config[root_key] = value
        return
    new = _coerce(value)
    if root_key in config:
        root = _object_of(config[root_key])
    else:
        root = [None] * (elements[1] + 1) if isinstance(elements[1], int) else {}
    config[root_key] = _marshal_object(_object_set(root, elements[:1], elements[1:], new))


# --- the project file (sdk/go/common/workspace/project.go, project.json, loaders.go) ----------

# project.json (the JSON schema LoadProject validates against), restated as data. Only `$ref`
# targets under `$defs` are used. Descriptions are left out: they do not affect validation.
_DEFS: dict[str, Any] = {
    "packageSpec": {
        "type": "object", "additionalProperties": False, "required": ["source"],
        "properties": {
            "source": {"type": "string"}, "version": {"type": "string"},
            "parameters": {"type": "array", "items": {"type": "string"}},
            "pluginDownloadURL": {"type": "string"},
            "checksums": {"type": "object", "additionalProperties": {"type": "string"}},
            "extensions": {"type": "array", "items": {"type": "string"}},
        },
    },
    "pluginOptions": {
        "type": "object", "additionalProperties": False, "required": ["name", "path"],
        "properties": {"name": {"type": "string"}, "path": {"type": "string"},
                       "version": {"type": "string"}},
    },
    "simpleConfigType": {"enum": ["string", "integer", "boolean", "array", "object"]},
    "configItemsType": {
        "type": "object", "required": ["type"],
        "properties": {
            "type": {"oneOf": [{"$ref": "simpleConfigType"}, {"$ref": "configItemsType"}]},
            "items": {"$ref": "configItemsType"},
        },
        "if": {"properties": {"type": {"const": "array"}}},
        "then": {"required": ["items"]},
    },
    "configTypeDeclaration": {
        "type": "object", "additionalProperties": False,
        "properties": {
            "type": {"$ref": "simpleConfigType"}, "items": {"$ref": "configItemsType"},
            "description": {"type": "string"}, "secret": {"type": "boolean"},
            "default": {}, "value": {},
        },
    },
}
_STRING_OR_NULL = {"type": ["string", "null"]}
_PROJECT_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["name"], "additionalProperties": True,
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "description": _STRING_OR_NULL, "author": _STRING_OR_NULL, "website": _STRING_OR_NULL,
        "license": _STRING_OR_NULL, "main": _STRING_OR_NULL, "stackConfigDir": _STRING_OR_NULL,
        "runtime": {"oneOf": [
            {"type": "string", "minLength": 1},
            {"type": "object", "additionalProperties": False, "properties": {
                "name": {"type": "string", "minLength": 1},
                "options": {"type": "object", "additionalProperties": True}}},
        ]},
        "config": {
            "type": ["object", "string", "null"],
            "properties": {"secret": {"type": "boolean"}},
            "additionalProperties": {"oneOf": [
                {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "array"},
                {"$ref": "configTypeDeclaration"},
            ]},
        },
        "backend": {"type": ["object", "null"], "additionalProperties": False,
                    "properties": {"url": {"type": "string"}}},
        "options": {"type": ["object", "null"], "additionalProperties": False,
                    "properties": {"refresh": {"type": "string", "const": "always"}}},
        "template": {
            "type": ["object", "null"], "additionalProperties": False,
            "properties": {
                "displayName": _STRING_OR_NULL, "description": _STRING_OR_NULL,
                "quickstart": _STRING_OR_NULL, "important": {"type": ["boolean", "null"]},
                "metadata": {"type": ["object", "null"],
                             "additionalProperties": {"type": "string"}},
                "config": {"type": ["object", "null"], "additionalProperties": {"properties": {
                    "description": _STRING_OR_NULL, "default": {},
                    "secret": {"type": ["boolean", "null"]}}}},
            },
        },
        "packages": {"type": "object", "additionalProperties": {"oneOf": [
            {"type": "string"}, {"$ref": "packageSpec"}]}},
        "plugins": {"type": "object", "properties": {
            kind: {"type": "array", "items": {"$ref": "pluginOptions"}}
            for kind in ("providers", "analyzers", "languages")}},
    },
}


class _InvalidJSONType(Exception):
    """jsonschema v5 InvalidJSONTypeError: a decoded value JSON has no type for."""


def _json_type(value: Any) -> str:
    """jsonschema v5 jsonType (it panics, and Validate returns, on anything else)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) and _INT64[0] <= value <= _INT64[1]:
        return "number"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict) and not isinstance(value, AnyKeyMap):
        return "object"
    raise _InvalidJSONType(f"jsonschema: invalid jsonType: {_go_type(value)}")


def _json_equal(a: Any, b: Any) -> bool:
    kind = _json_type(a)
    if kind != _json_type(b):
        return False
    if kind == "array":
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if kind == "object":
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    return bool(a == b)


def _go_quote(text: str) -> str:
    """jsonschema v5 `quote` (a `"` is dropped: its escape switch has no case for it)."""
    out = []
    for char in text:
        if char == '"':
            continue
        if char == "\\":
            out.append("\\\\")
        elif char in "\n\r\f\t":
            out.append({"\n": "\\n", "\r": "\\r", "\f": "\\f", "\t": "\\t"}[char])
        elif ord(char) < 0x20:
            out.append(f"\\u00{ord(char):02x}")
        elif char in "\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def _pointer_escape(token: str) -> str:
    """jsonschema v5 `escape`: JSON pointer escapes, then url.PathEscape."""
    token = token.replace("~", "~0").replace("/", "~1")
    return urllib.parse.quote(token, safe="-_.~$&+:=@")


def _go_quoted(value: Any) -> str:
    """fmt %#v of a schema literal."""
    return json.dumps(value) if isinstance(value, str) else _go_v(value)


@dataclass
class _Invalid:
    """jsonschema v5 ValidationError: instance location, message, causes."""

    location: str
    message: str
    causes: list[_Invalid] = field(default_factory=list)


def _one_or_wrap(location: str, errors: list[_Invalid]) -> _Invalid | None:
    if not errors:
        return None
    return errors[0] if len(errors) == 1 else _Invalid(location, "", errors)


def _causes_of(error: _Invalid) -> list[_Invalid]:
    return error.causes if error.message == "" else [error]


def _check(schema: dict[str, Any], value: Any, location: str) -> _Invalid | None:
    """jsonschema v5 Schema.validate for the keywords project.json uses, in v5's order."""
    types = schema.get("type")
    if types:
        types = [types] if isinstance(types, str) else types
        kind = _json_type(value)
        whole = kind == "number" and (isinstance(value, int) or (
            math.isfinite(value) and float(value).is_integer()))
        if not any(t == kind or (t == "integer" and whole) for t in types):
            return _Invalid(location, f"expected {' or '.join(types)}, but got {kind}")
    errors: list[_Invalid] = []
    if "const" in schema and not _json_equal(value, schema["const"]):
        errors.append(_Invalid(location, f"value must be {_go_quoted(schema['const'])}"))
    if "enum" in schema and not any(_json_equal(value, item) for item in schema["enum"]):
        listed = ", ".join(_go_quoted(item) for item in schema["enum"])
        errors.append(_Invalid(location, f"value must be one of {listed}"))
    if isinstance(value, dict) and not isinstance(value, AnyKeyMap):
        missing = [_go_quote(k) for k in schema.get("required", []) if k not in value]
        if missing:
            errors.append(_Invalid(location, f"missing properties: {', '.join(missing)}"))
        properties = schema.get("properties", {})
        for name in sorted(properties):  # v5 walks a Go map: order varies; sorted here
            if name in value:
                found = _check(properties[name], value[name],
                               f"{location}/{_pointer_escape(name)}")
                if found:
                    errors.append(found)
        extra = sorted(k for k in value if k not in properties)
        additional = schema.get("additionalProperties")
        if additional is False and extra:
            names = ", ".join(_go_quote(k) for k in extra)
            errors.append(_Invalid(location, f"additionalProperties {names} not allowed"))
        elif isinstance(additional, dict):
            for name in extra:
                found = _check(additional, value[name], f"{location}/{_pointer_escape(name)}")
                if found:
                    errors.append(found)
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found = _check(schema["items"], item, f"{location}/{index}")
            if found:
                errors.append(found)
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        errors.append(_Invalid(location, f"length must be >= {schema['minLength']}, "
                                         f"but got {len(value)}"))
    if "$ref" in schema:
        found = _check(_DEFS[schema["$ref"]], value, location)
        if found:
            errors.append(_Invalid(location, f"doesn't validate with "
                                             f"{_go_quote('/$defs/' + schema['$ref'])}",
                                   _causes_of(found)))
    if "oneOf" in schema:
        matched: int | None = None
        causes: list[_Invalid] = []
        for index, option in enumerate(schema["oneOf"]):
            found = _check(option, value, location)
            if found:
                causes.append(found)
            elif matched is None:
                matched = index
            else:
                errors.append(_Invalid(location, f"valid against schemas at indexes {matched} "
                                                 f"and {index}"))
                break
        if matched is None:
            errors.append(_Invalid(location, "oneOf failed", causes))
    if "if" in schema and _check(schema["if"], value, location) is None and "then" in schema:
        found = _check(schema["then"], value, location)
        if found:
            errors.append(_Invalid(location, "if-then failed", [found]))
    return _one_or_wrap(location, errors)


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _closest_key(needle: str, haystack: Iterable[str], max_distance: int = 2) -> str:
    """project.go findClosestKey: smallest case-insensitive Levenshtein distance, sorted keys."""
    match, closest = "", max_distance + 1
    for key in sorted(haystack):
        distance = _levenshtein(needle.lower(), key.lower())
        if distance == 0:
            return key
        if distance < closest:
            match, closest = key, distance
    return match


def _schema_attributes(location: str) -> list[str] | None:
    """project.go getSchemaPathAttributes: the attributes allowed at an instance location."""
    current: dict[str, Any] = _PROJECT_SCHEMA
    for element in [e for e in location.split("/") if e]:
        if "$ref" in current:
            current = _DEFS[current["$ref"]]
        if element in current.get("properties", {}):
            current = current["properties"][element]
        elif element.isdigit() and "items" in current:
            current = current["items"]
        else:
            return None  # additionalProperties is a schema, not a map of attributes
    if "$ref" in current:
        current = _DEFS[current["$ref"]]
    return list(current.get("properties", {}))


_NOT_ALLOWED = re.compile(r"'(\w[a-zA-Z0-9_]*)' not allowed$", re.ASCII)


def _schema_problems(error: _Invalid) -> list[str]:
    """project.go ValidateProject `appendError`: every located message, with suggestions."""
    lines: list[str] = []
    if error.location and error.message:
        message = error.message
        match = _NOT_ALLOWED.search(message)
        if match:
            attributes = _schema_attributes(error.location) or []
            closest = _closest_key(match[1], attributes)
            valid = sorted(f"'{a}'" for a in attributes)
            if closest:
                message += f"; did you mean '{closest}'?"
            elif len(valid) > 1:
                message += f"; the allowed attributes are {', '.join(valid[:-1])} and {valid[-1]}"
            elif valid:
                message += f"; the only allowed attribute is {valid[0]}"
        lines.append(f"#{error.location}: {message}")
    for cause in error.causes:
        lines.extend(_schema_problems(cause))
    return lines


def _cast_string_keys(value: Any) -> Any:
    """project.go SimplifyMarshalledValue: a map[any]any (and lists) cast deep to string keys;
    a map[string]any is returned as it is, without looking inside."""
    if isinstance(value, AnyKeyMap):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise StackFileError(f"expected only string keys, got '{_go_s(key)}'")
            out[key] = _cast_string_keys(item)
        return out
    if isinstance(value, list):
        return [_cast_string_keys(item) for item in value]
    return value


def _simplify(raw: Any) -> dict[str, Any]:
    """project.go SimplifyMarshalledProject (also used for stack files)."""
    result = _cast_string_keys(raw)
    if not isinstance(result, dict):
        raise StackFileError(f"expected project to be an object, was '{_go_type(result)}'")
    return result


@dataclass(frozen=True)
class ConfigItemsType:
    """project.go ProjectConfigItemsType."""

    type: str
    items: ConfigItemsType | None = None


@dataclass(frozen=True)
class ConfigType:
    """project.go ProjectConfigType; None for `default`/`value` is Go's nil (absent or null)."""

    type: str | None = None
    description: str = ""
    items: ConfigItemsType | None = None
    default: Any = None
    value: Any = None
    secret: bool = False


@dataclass(frozen=True)
class Project:
    name: str
    config: dict[str, ConfigType]
    stack_config_dir: str = ""
    document: dict[str, Any] = field(default_factory=dict)


def _unmarshal_error(value: Any, into: str) -> StackFileError:
    tag = {bool: "!!bool", int: "!!int", float: "!!float", str: "!!str", list: "!!seq"}.get(
        type(value), "!!map")
    shown = "" if isinstance(value, (dict, list)) else f" `{_go_v(value)}`"
    # yaml.v3 TypeError; its line refers to the re-encoded document, so it is left out here.
    return StackFileError(f"yaml: unmarshal errors: cannot unmarshal {tag}{shown} into {into}")


def _items_type(raw: Any) -> ConfigItemsType | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _unmarshal_error(raw, "workspace.ProjectConfigItemsType")
    kind = raw.get("type", "")
    if kind is None:
        kind = ""
    if not isinstance(kind, str):
        raise _unmarshal_error(kind, "string")
    return ConfigItemsType(kind, _items_type(raw.get("items")))


def _config_type(raw: Any) -> ConfigType:
    """yaml.v3 decoding a rewritten `config:` entry into ProjectConfigType."""
    if raw is None:
        return ConfigType()
    if not isinstance(raw, dict):
        raise _unmarshal_error(raw, "workspace.ProjectConfigType")
    return ConfigType(
        type=raw.get("type"),
        description=raw.get("description") or "",
        items=_items_type(raw.get("items")),
        default=raw.get("default"),
        value=raw.get("value"),
        secret=bool(raw.get("secret")),
    )


def is_namespaced_by_project(project: str, key: str) -> bool:
    """project.go configKeyIsNamespacedByProject."""
    return ":" not in key or key.startswith(project + ":")


def _go_int_text(text: str) -> bool:
    """strconv.Atoi succeeds."""
    return bool(re.fullmatch(r"[+-]?[0-9]+", text)) and _INT64[0] <= int(text) <= _INT64[1]


def validate_config_value(type_name: str, items: ConfigItemsType | None, value: Any) -> bool:
    """project.go ValidateConfigValue."""
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "integer":
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return _INT64[0] <= value <= _INT64[1]
        if isinstance(value, float):  # Go: f == math.Trunc(f), true for ±Inf
            return math.isinf(value) or value.is_integer()
        return isinstance(value, str) and _go_int_text(value)
    if type_name == "boolean":
        return value in ("true", "false") if isinstance(value, str) else isinstance(value, bool)
    if type_name == "object":
        return isinstance(value, dict) and not isinstance(value, AnyKeyMap)
    if not isinstance(value, list) or items is None:
        return False
    return all(validate_config_value(items.type, items.items, item) for item in value)


def infer_full_type_name(type_name: str, items: ConfigItemsType | None) -> str:
    """project.go InferFullTypeName: array<array<string>>."""
    if items is not None:
        return f"array<{infer_full_type_name(items.type, items.items)}>"
    return type_name


def validate_project(project: Project) -> None:
    """project.go Project.Validate (keys in sorted order; Go's map order varies)."""
    if not project.name:
        raise StackFileError("project is missing a 'name' attribute")
    for key in sorted(project.config):
        spec = project.config[key]
        if spec.default is not None and spec.value is not None:
            raise StackFileError(
                f"project config '{key}' cannot have both a 'default' and 'value' attribute")
        if is_namespaced_by_project(project.name, key):
            if spec.type == "array" and spec.items is None:
                raise StackFileError(
                    f"The configuration key '{key}' declares an array but does not specify the "
                    "underlying type via the 'items' attribute")
            if spec.type is not None and spec.default is not None and not validate_config_value(
                    spec.type, spec.items, spec.default):
                raise StackFileError(
                    f"The default value specified for configuration key '{key}' is not of the "
                    f"expected type '{infer_full_type_name(spec.type, spec.items)}'")
        else:
            if spec.type is not None:
                raise StackFileError(f"Configuration key '{key}' is not namespaced by the "
                                     "project and should not define a type")
            if spec.default is not None:
                raise StackFileError(
                    f"Configuration key '{key}' is not namespaced by the project and should not "
                    "define a default value. Did you mean to use the 'value' attribute instead "
                    "of 'default'?")
            if spec.value is None:
                raise StackFileError(
                    f"Configuration key '{key}' is namespaced and must provide an attribute "
                    "'value'")


def _validate_document(raw: Any) -> None:
    """project.go ValidateProject: the name first (with a suggestion), then the schema."""
    document = _simplify(raw)
    if "name" not in document:
        closest = _closest_key("name", document)
        if closest:
            raise StackFileError(
                f"project is missing a 'name' attribute; found '{closest}' instead")
        raise StackFileError("project is missing a 'name' attribute")
    if not isinstance(document["name"], str) or not document["name"]:
        raise StackFileError("project is missing a non-empty string 'name' attribute")
    try:
        error = _check(_PROJECT_SCHEMA, document, "")
    except _InvalidJSONType as invalid:
        raise StackFileError(str(invalid)) from invalid
    if error is not None:
        raise StackFileError(_schema_problems(error))


def parse_project(text: str, path: str | Path = "Pulumi.yaml") -> Project:
    """loaders.go LoadProjectBytes, with the engine's error texts (prefixed as it prefixes them)."""
    try:
        raw = _decode_yaml(text)
    except (yaml.YAMLError, _YamlTypeError) as error:
        raise StackFileError(f"could not unmarshal '{path}': {_yaml_error_text(error)}") from error
    try:
        _validate_document(raw)
    except StackFileError as error:
        problems = [f"could not validate '{path}': {p}" for p in error.problems]
        raise StackFileError(problems) from None
    document = _simplify(raw)
    # RewriteConfigPathIntoStackConfigDir: `config: <dir>` is the old spelling of stackConfigDir.
    config = document.get("config")
    stack_config_dir = document.get("stackConfigDir") or ""
    if isinstance(config, str):
        if "stackConfigDir" in document:
            raise StackFileError("Should not use both config and stackConfigDir to define the "
                                 "stack directory. Use only stackConfigDir instead.")
        stack_config_dir, config = config, None
    # RewriteShorthandConfigValues: `key: <scalar or list>` is a default in the project's
    # namespace and a value in any other.
    declared: dict[str, Any] = {}
    for key, spec in (config or {}).items():
        if isinstance(spec, (str, bool, list)) or (
                isinstance(spec, int) and _INT64[0] <= spec <= _INT64[1]):
            field_name = "default" if is_namespaced_by_project(document["name"], key) else "value"
            spec = {field_name: spec}
        declared[key] = _remarshal(spec)
    try:
        types = {key: _config_type(spec) for key, spec in declared.items()}
    except StackFileError as error:
        raise StackFileError(f"could not unmarshal '{path}': {error}") from None
    project = Project(document["name"], types, stack_config_dir, document)
    try:
        validate_project(project)
    except StackFileError as error:
        raise StackFileError(f"could not unmarshal '{path}': {error}") from None
    return project


def load_project_file(project_dir: Path = PROJECT_DIR) -> Project:
    """The project, from `<project_dir>/Pulumi.yaml` (Pulumi.yml/.json are not looked for)."""
    path = Path(project_dir) / "Pulumi.yaml"
    if not path.is_file():
        raise StackFileError(f"{path}: not found (no Pulumi project here)")
    return parse_project(_read(path), path)


def load_project(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """The validated Pulumi.yaml document, as a mapping."""
    return load_project_file(project_dir).document


# --- the stack file (loaders.go LoadProjectStackBytes) ----------------------------------------


def _empty_value_warning(keys: list[str]) -> str:
    """loaders.go checkForEmptyConfig (keys sorted here; Go's map order varies)."""
    quoted = [f'"{k}"' for k in sorted(keys)]
    plural = "s" if len(keys) > 1 else ""
    listed = " and ".join(quoted) if len(quoted) == 2 else ", ".join(quoted)
    return (f"No value for configuration key{plural} {listed}. This is currently treated as an "
            "empty string `\"\"`, but will be treated as `null` in a future version of pulumi. "
            f"Set the value{plural} to `\"\"` to avoid this warning.")


def _environment_warning(environment: Any) -> str:
    """An ESC `environment:` import (a list of environment names) needs Pulumi Cloud to open;
    offline the values it would supply are missing (config.go `toConfigMap` merges its
    `pulumiConfig` into the stack's config; its `environmentVariables` and `files` reach the
    program's environment)."""
    names = environment if isinstance(environment, list) else [environment]
    listed = ", ".join(f"'{n}'" for n in names) or "(none listed)"
    noun = "environments" if len(names) > 1 else "environment"
    return (f"imports the ESC {noun} {listed}, which only Pulumi Cloud can open: offline its "
            "pulumiConfig values, environment variables and files are not supplied, so a key "
            "it would set is unset here (or takes Pulumi.yaml's default)")


def parse_stack(text: str, project: Project, path: str | Path = "Pulumi.stack.yaml",
                warnings: list[str] | None = None) -> ConfigMap:
    """The stack file's config, every value a config.Value, keys fully namespaced.

    The engine's warnings (a key with no value) are appended to `warnings` when given.
    """
    try:
        raw = _decode_yaml(text)
    except (yaml.YAMLError, _YamlTypeError) as error:
        raise StackFileError(f"{path}: {_yaml_error_text(error)}") from error
    if raw is None:
        return {}  # an empty stack file is an empty config
    try:
        document = _simplify(raw)
    except StackFileError as error:
        raise StackFileError(f"{path}: {error}") from None
    environment = document.get("environment")
    if environment is not None and warnings is not None:
        warnings.append(_environment_warning(environment))
    config = document.get("config")
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise StackFileError(f"{path}: could not unmarshal map: cannot unmarshal "
                             f"{_go_type(config)} into config.Map")
    empty = [k for k, v in config.items() if v is None and isinstance(k, str)]
    if empty and warnings is not None and not isinstance(config, AnyKeyMap):
        warnings.append(_empty_value_warning(empty))
    # stackConfigNamespacedWithProject: a key without `:` is in the project's namespace. Only a
    # map[string]any is rewritten, so a map with a non-string key keeps its bare keys (which
    # ParseKey then refuses).
    rewritten: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, value in config.items():
        text_key = key if isinstance(key, str) else _go_v(key)
        if not isinstance(config, AnyKeyMap) and ":" not in text_key:
            full = f"{project.name}:{text_key}"
        else:
            full = text_key
        try:
            full = parse_key(full)
        except StackFileError as error:
            raise StackFileError(f"{path}: could not unmarshal map: {error}") from None
        if full in rewritten:
            # The engine keeps whichever Go's map iteration writes last: refuse instead.
            raise StackFileError(f"{path}: keys '{sources[full]}' and '{text_key}' both set "
                                 f"'{full}'; the engine would keep either one")
        rewritten[full], sources[full] = value, text_key
    values: ConfigMap = {}
    for key, value in rewritten.items():
        try:
            values[key] = _value_from_yaml(_remarshal(value))
        except _JsonUnsupported as error:
            raise StackFileError(f"{path}: {key}: {error}") from error
    return values


# --- merge and validation (pkg/workspace/config.go) -------------------------------------------


def _format_missing(keys: list[str]) -> str:
    """config.go formatMissingKeys: 'a', 'b' and 'c' (sorted)."""
    if len(keys) == 1:
        return f"'{keys[0]}'"
    quoted = [f"'{k}'" for k in sorted(keys)]
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def missing_keys_error(keys: list[str], stack: str) -> str:
    """config.go missingStackConfigurationKeysError."""
    noun = "values" if len(keys) > 1 else "value"
    return f"Stack '{stack}' is missing configuration {noun} {_format_missing(keys)}"


def create_config_value(raw: Any) -> ConfigValue:
    """config.go createConfigValue: string/int/bool with %v, anything else a JSON object."""
    if isinstance(raw, (str, bool)) or (isinstance(raw, int) and _INT64[0] <= raw <= _INT64[1]):
        return ConfigValue(_go_v(raw))
    try:
        return ConfigValue(go_json(_cast_string_keys(raw)), object=True)
    except _JsonUnsupported as error:
        raise StackFileError(str(error)) from error


def validate_stack_config_value(stack: str, key: str, spec: ConfigType, value: ConfigValue,
                                decrypted: str) -> None:
    """config.go validateStackConfigValue."""
    if spec.secret and not value.secure:
        raise StackFileError(
            f"Stack '{stack}' with configuration key '{key}' must be encrypted as it's secret")
    content: Any = decrypted
    if value.object:
        try:
            content = json.loads(decrypted)  # json.Unmarshal into any: every number a float64
        except json.JSONDecodeError as error:
            raise StackFileError(f"invalid character in config value: {error}") from error
        content = _floats(content)
    if spec.type is not None and not validate_config_value(spec.type, spec.items, content):
        raise StackFileError(f"Stack '{stack}' with configuration key '{key}' must be of type "
                             f"'{infer_full_type_name(spec.type, spec.items)}'")


def _floats(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_floats(v) for v in value]
    return value


class _DecryptFailed(StackFileError):
    def __init__(self, failures: list[tuple[str, Exception]]) -> None:
        self.failures = failures
        super().__init__([f"configuration value '{k}': {e}" for k, e in failures])


def decrypt_config(config: ConfigMap, decrypter: Decrypter) -> dict[str, str]:
    """config.Map.Decrypt: key -> plaintext string; every key that fails is listed."""
    result: dict[str, str] = {}
    failures: list[tuple[str, Exception]] = []
    for key in sorted(config):
        try:
            result[key] = config[key].value(decrypter)
        except StackFileError:
            raise
        except Exception as error:  # a secrets provider may fail in any way
            failures.append((key, error))
    if failures:
        raise _DecryptFailed(failures)
    return result


def validate_stack_config_values(stack: str, project: Project, config: ConfigMap,
                                 decrypter: Decrypter | None) -> None:
    """config.go validateStackConfigValues: decrypt everything once, then check declared types."""
    if decrypter is None:
        return
    decrypt_config(config, decrypter)
    for key in sorted(project.config):
        spec = project.config[key]
        full = _parse_config_key(project.name, key)
        try:
            value, _found = config_get(config, full, path=True)
        except StackFileError as error:
            raise StackFileError(f"getting stack config value for key '{full}': {error}") from None
        if spec.type is not None:
            validate_stack_config_value(stack, key, spec, value, value.value(decrypter))


def merge_config(stack: str, project: Project, config: ConfigMap, *,
                 decrypter: Decrypter | None = _nop, validate: bool = True) -> None:
    """config.go mergeConfig (no ESC environment): apply defaults/values in place, then validate.

    `validate=False` is ApplyProjectConfig (`--skip-config-validation`).
    """
    missing: list[str] = []
    for key in sorted(project.config):
        spec = project.config[key]
        full = _parse_config_key(project.name, key)
        try:
            _value, found = config_get(config, full, path=True)
        except StackFileError as error:
            raise StackFileError(f"getting stack config value for key '{full}': {error}") from None
        has_default, has_value = spec.default is not None, spec.value is not None
        if not found and not has_value and not has_default and (
                full.split(":", 1)[0] == project.name):
            missing.append(key)
            continue
        if not found and (has_value or has_default):
            config_set(config, full, create_config_value(
                spec.default if has_default else spec.value), path=True)
    if validate and missing:
        raise StackFileError(missing_keys_error(missing, stack))
    if validate:
        validate_stack_config_values(stack, project, config, decrypter)


# --- the whole pipeline -----------------------------------------------------------------------


def stack_file_path(stack: str, project: Project, project_dir: Path = PROJECT_DIR) -> Path:
    """workspace.DetectProjectStackPath: Pulumi.<stack>.yaml beside Pulumi.yaml or in
    stackConfigDir."""
    return Path(project_dir) / project.stack_config_dir / f"Pulumi.{stack}.yaml"


_TYPE_ERROR = re.compile(
    r"with configuration key '([^']+)' must be of type '(?:string|array<string>)'")


def _number_hint(problem: str, config: ConfigMap) -> str:
    """For a string (or list of strings) key given a 12-digit YAML number, as `pulumi config set
    --path 'key[1]' 333333333333` writes one: how to write it as a string."""
    match = _TYPE_ERROR.search(problem)
    if match is None:
        return ""
    key = match[1] if ":" in match[1] else next((k for k in config if k.endswith(f":{match[1]}")),
                                                match[1])
    try:
        value, _found = config_get(config, key, path=True)
        content = json.loads(value.text) if value.object else value.text
    except (StackFileError, json.JSONDecodeError):
        return ""
    items = content if isinstance(content, list) else [content]
    for index, item in enumerate(items):
        if isinstance(item, int | float) and not isinstance(item, bool) and (
                len(str(int(item))) == 12):
            at = f"{key}[{index}]" if isinstance(content, list) else key
            return (f"; {int(item)} is written as a YAML number: quote it (\"{int(item)}\") or "
                    f"set it with `pulumi config set --path '{at}' {int(item)} --type string`")
    return ""


def load_stack_config(stack: str, project_dir: Path = PROJECT_DIR) -> StackConfig:
    """What the program receives for `stack`, or the error the CLI would stop with.

    Unlike the CLI, a stack without a stack file is an error: offline the file is the only
    record that the stack exists (LoadProjectStack reads a missing file as empty config).
    """
    project = load_project_file(project_dir)
    path = stack_file_path(stack, project, project_dir)
    if not path.is_file():
        raise StackFileError(f"{path}: no such stack file (stack '{stack}')")
    warnings: list[str] = []
    config = parse_stack(_read(path), project, path, warnings)
    located = tuple(f"{path}: {w}" for w in warnings)
    try:
        merge_config(stack, project, config, decrypter=blinding_decrypter)
    except StackFileError as error:
        problems = [p + _number_hint(p, config) for p in error.problems]
        raise StackFileError(problems, warnings=located) from None
    values = decrypt_config(config, blinding_decrypter)
    secret_keys = tuple(sorted(k for k, v in config.items() if v.secure))
    return StackConfig(project=project.name, stack=stack, values=values, secret_keys=secret_keys,
                       warnings=located)


__all__ = [
    "PROJECT_DIR",
    "AnyKeyMap",
    "ConfigItemsType",
    "ConfigType",
    "ConfigValue",
    "GoTime",
    "Project",
    "StackConfig",
    "StackFileError",
    "base64_decrypter",
    "config_get",
    "config_set",
    "config_string",
    "create_config_value",
    "decrypt_config",
    "go_json",
    "infer_full_type_name",
    "is_namespaced_by_project",
    "load_project",
    "load_project_file",
    "load_stack_config",
    "merge_config",
    "missing_keys_error",
    "parse_key",
    "parse_project",
    "parse_property_path",
    "parse_stack",
    "stack_file_path",
    "validate_config_value",
    "validate_project",
    "validate_stack_config_value",
    "validate_stack_config_values",
]
