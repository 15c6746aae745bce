"""Whether a plain value fits a pulumi-aws input type, read from the installed SDK's annotations.

The plan hands components nested dicts in the SDK's snake_case `...ArgsDict` shape. The SDK
accepts any dict at run time and the engine would only fail at deploy time on a misspelt key,
so the tests judge each document against the TypedDict the SDK declares: every key one of its
fields, every required field present, every value of an allowed type, recursively.
"""

from __future__ import annotations

import inspect
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, get_args, get_origin

import pulumi

# pulumi.Input is `Union[T, Awaitable[T], "Output[T]"]`: its forward reference is left in every
# Input[...] it makes, so evaluating an annotation needs these names.
_PULUMI_NAMES = {"Output": pulumi.Output, "T": typing.TypeVar("T")}


def _hints(owner: Any, module_name: str | None = None) -> dict[str, Any]:
    """Its annotations, evaluated."""
    module = sys.modules[module_name or owner.__module__]
    return typing.get_type_hints(owner, globalns=vars(module), localns=_PULUMI_NAMES)


def _alternatives(hint: Any) -> list[Any]:
    """The types a value may take: Input, Optional, Union, Awaitable and Output unwrapped."""
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return [a for arg in get_args(hint) for a in _alternatives(arg)]
    if origin is not None and isinstance(origin, type) and issubclass(origin, pulumi.Output):
        return []
    if origin is typing.Awaitable or getattr(origin, "__name__", "") == "Awaitable":
        return []
    if hint is type(None):
        return [None]
    return [hint]


def problems(value: Any, hint: Any, where: str = "") -> list[str]:
    """What does not fit `hint` in `value` (empty when it fits), each naming its path."""
    options = _alternatives(hint)
    if value is None:
        return [] if None in options else [f"{where or 'value'}: None is not allowed"]
    if isinstance(value, Mapping):
        for option in options:
            if typing.is_typeddict(option):
                return _dict_problems(value, option, where)
            if get_origin(option) in (dict, Mapping, typing.Mapping):
                _key, item = get_args(option)
                return [p for k, v in value.items() for p in problems(v, item, f"{where}.{k}")]
        return [f"{where or 'value'}: a mapping where {hint} is expected"]
    if isinstance(value, (list, tuple)):
        for option in options:
            if get_origin(option) in (list, Sequence, typing.Sequence):
                (item,) = get_args(option)
                return [p for i, v in enumerate(value) for p in problems(v, item, f"{where}[{i}]")]
        return [f"{where or 'value'}: a sequence where {hint} is expected"]
    scalar = [o for o in options if isinstance(o, type)]
    if any(_scalar_fits(value, o) for o in scalar) or Any in options:
        return []
    if not scalar:
        return [f"{where or 'value'}: {value!r} where a mapping or a sequence is expected"]
    return [f"{where or 'value'}: {value!r} is not one of {[o.__name__ for o in scalar]}"]


def _scalar_fits(value: Any, kind: type) -> bool:
    if kind is bool or isinstance(value, bool):
        return kind is bool and isinstance(value, bool)
    if kind is float:
        return isinstance(value, (int, float))
    return isinstance(value, kind)


def _dict_problems(value: Mapping[str, Any], typed: Any, where: str) -> list[str]:
    fields = _hints(typed)
    found = [f"{where}.{k}: not a field of {typed.__name__}" for k in value if k not in fields]
    found += [f"{where}.{k}: required by {typed.__name__}, missing"
              for k in typed.__required_keys__ if k not in value]  # fmt: skip
    for key, item in value.items():
        if key in fields:
            found += problems(item, fields[key], f"{where}.{key}")
    return found


def argument_problems(
    resource: type[pulumi.CustomResource], arguments: Mapping[str, Any]
) -> list[str]:
    """What does not fit the keyword arguments of a pulumi-aws resource (its `_internal_init`,
    which lists every argument with its type)."""
    init = resource._internal_init  # type: ignore[attr-defined]
    parameters = inspect.signature(init).parameters
    hints = _hints(init, resource.__module__)
    found = [f"{k}: not an argument of {resource.__name__}"
             for k in arguments if k not in parameters or k in ("resource_name", "opts")]
    for key, value in arguments.items():
        if key in hints:
            found += problems(value, hints[key], key)
    return found
