"""Put a mutant of a module in place of the module, inside a process that has imported it.

scripts/mutation.py forks one child per mutant from a pytest session that has imported and
collected everything once; the child calls `apply`. Execution of the mutated source gives a new
namespace, which is grafted onto the live module so that every holder of its objects sees the
mutant, not only code that looks a name up in the module:

* a function keeps its identity and takes the mutant's code and defaults (so a POLICY object or
  a dispatch table built at import runs the mutated function);
* a class of the module keeps its identity and takes the mutant's methods and attributes;
* a list, dict or set is updated in place; an object with a `__dict__` takes the new state;
* anything else (a tuple, a string, a number) is rebound in the module and in every project or
  test module that imported it by name (`from module import NAME`).

What this cannot reach is a value another module derived at import time from an immutable
constant (a tuple concatenated into another module's tuple): such a mutant survives here though
a fresh import would kill it, never the other way round. `--confirm` re-runs each survivor in a
fresh interpreter.
"""

from __future__ import annotations

import ast
import builtins
import enum
import sys
from pathlib import Path
from types import FunctionType, ModuleType
from typing import Any

_SKIP = frozenset({"__name__", "__file__", "__package__", "__spec__", "__loader__",
                   "__builtins__", "__cached__", "__doc__"})  # fmt: skip


def _graft_function(old: FunctionType, new: FunctionType) -> bool:
    if len(old.__code__.co_freevars) != len(new.__code__.co_freevars):
        return False
    old.__code__ = new.__code__
    old.__defaults__ = new.__defaults__
    old.__kwdefaults__ = new.__kwdefaults__
    return True


def _graft_class(old: type, new: type) -> None:
    if issubclass(old, enum.Enum):
        return
    for name, value in vars(new).items():
        current = vars(old).get(name)
        if (isinstance(value, FunctionType) and isinstance(current, FunctionType)
                and _graft_function(current, value)):  # fmt: skip
            continue
        if (isinstance(value, staticmethod | classmethod) and type(current) is type(value)
                and _graft_function(current.__func__, value.__func__)):  # type: ignore[union-attr]
            continue
        if name.startswith("__") and name.endswith("__"):
            continue
        setattr(old, name, value)


_IMPORTS: dict[str, list[tuple[ModuleType, dict[str, str]]]] = {}


def prepare(root: Path) -> None:
    """Read once, in the parent, which project and test modules import which names from which
    module (`from module import NAME`), so that no child parses a file."""
    _IMPORTS.clear()
    for mod in list(sys.modules.values()):
        file = getattr(mod, "__file__", None)
        if not file or not Path(file).is_relative_to(root) or "venv" in Path(file).parts:
            continue
        try:
            tree = ast.parse(Path(file).read_text())
        except (OSError, SyntaxError):
            continue
        by_module: dict[str, dict[str, str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = by_module.setdefault(node.module, {})
                names.update({(a.asname or a.name): a.name for a in node.names})
        for source, names in by_module.items():
            _IMPORTS.setdefault(source, []).append((mod, names))


def apply(name: str, path: Path, source: str, root: Path) -> None:
    """Graft the mutated `source` of module `name` onto the imported module (see module doc)."""
    old = sys.modules[name]
    namespace: dict[str, Any] = {
        "__name__": name, "__file__": str(path), "__package__": old.__package__,
        "__spec__": old.__spec__, "__builtins__": builtins,
        **({"__path__": old.__path__} if hasattr(old, "__path__") else {}),  # a package
    }  # fmt: skip
    exec(compile(source, str(path), "exec"), namespace)
    rebound: dict[str, tuple[Any, Any]] = {}
    for key, new in namespace.items():
        if key in _SKIP:
            continue
        current = old.__dict__.get(key, namespace)
        if current is new:
            continue
        if (isinstance(current, FunctionType) and isinstance(new, FunctionType)
                and current.__module__ == name and _graft_function(current, new)):  # fmt: skip
            continue
        if isinstance(current, type) and isinstance(new, type) and current.__module__ == name:
            _graft_class(current, new)
            continue
        if type(current) is type(new) and isinstance(new, list):
            current[:] = new
            continue
        if type(current) is type(new) and isinstance(new, dict | set):
            current.clear()
            current.update(new)
            continue
        if (type(current) is type(new) and hasattr(new, "__dict__")
                and not isinstance(new, type | ModuleType | FunctionType)):  # fmt: skip
            vars(current).clear()
            vars(current).update(vars(new))
            continue
        setattr(old, key, new)
        rebound[key] = (current, new)
    if rebound:
        for mod, names in _IMPORTS.get(name, []):
            for local, imported in names.items():
                if imported in rebound and getattr(mod, local, None) is rebound[imported][0]:
                    setattr(mod, local, rebound[imported][1])
