"""Command-line options derived from a request dataclass, so a field's name, type and default are written once.

    request_options(p, FinetuneRequest, ["name", "base", "preset", "max_steps"], help={...})
    ...
    req = request_from_args(FinetuneRequest, args, photos=tuple(args.photos))

A field becomes `--field-name` (or the flag given in `flags`); its type and default come from the dataclass; its
help from the field's metadata ("help", "choices", "flag") or, until a field carries metadata, from `help`.
Booleans that default to False are switches; a boolean that defaults to True takes a negated flag
(`negated={"sidecar": "--no-sidecar"}`). `X | None` fields take an X; tuples take one or more values; dicts
take JSON.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any, Iterable, Mapping

_MISSING = dataclasses.MISSING
FIELDS_ATTR = "_request_fields"


def _unwrap(kind: Any) -> Any:
    """`int | None` → int; `Optional[float]` → float; anything else unchanged."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(kind) if a is not type(None)]
        return rest[0] if len(rest) == 1 else str
    return kind


def _default(f: dataclasses.Field) -> Any:
    if f.default is not _MISSING:
        return f.default
    if f.default_factory is not _MISSING:  # type: ignore[misc]
        return f.default_factory()  # type: ignore[misc]
    return None


def _argument(f: dataclasses.Field, kind: Any, flag: str, help_text: str, default: Any, choices) -> tuple[list, dict]:
    """argparse's (flags, keywords) for one field."""
    kw: dict[str, Any] = {"dest": f.name, "default": default}
    if help_text:
        kw["help"] = help_text
    base = _unwrap(kind)
    origin = typing.get_origin(base) or base
    if base is bool:
        kw["action"] = "store_true"
    elif origin is tuple:
        kw["nargs"] = "+"
        kw["type"] = str
    elif origin is dict:
        kw["type"] = json.loads
    elif base in (int, float, str):
        kw["type"] = base
    if choices:
        kw["choices"] = tuple(choices)
    return [flag], kw


def request_options(parser, cls, names: Iterable[str], *, help: Mapping[str, str] | None = None,
                    flags: Mapping[str, str] | None = None, negated: Mapping[str, str] | None = None,
                    defaults: Mapping[str, Any] | None = None, choices: Mapping[str, Iterable] | None = None,
                    required: Iterable[str] = ()) -> None:
    """Add an option for each named field of the dataclass `cls` (in the order given)."""
    hints = typing.get_type_hints(cls)
    by_name = {f.name: f for f in dataclasses.fields(cls)}
    names = list(names)
    help, flags, negated = dict(help or {}), dict(flags or {}), dict(negated or {})
    defaults, choices, required = dict(defaults or {}), dict(choices or {}), set(required)
    for name in names:
        f = by_name[name]  # a KeyError here is a programming error: the field was renamed
        meta = f.metadata or {}
        help_text = meta.get("help") or help.get(name, "")
        default = defaults.get(name, _default(f))
        if name in negated:
            parser.add_argument(negated[name], dest=name, action="store_false", default=default,
                                **({"help": help_text} if help_text else {}))
            continue
        flag = flags.get(name) or meta.get("flag") or "--" + name.replace("_", "-")
        args, kw = _argument(f, hints.get(name, str), flag, help_text, default, choices.get(name) or meta.get("choices"))
        if kw.get("action") != "store_true" and "choices" not in kw:
            kw["metavar"] = flag.lstrip("-").replace("-", "_").upper()
        if name in required:
            kw.pop("default")
            kw["required"] = True
        parser.add_argument(*args, **kw)
    known = tuple(parser.get_default(FIELDS_ATTR) or ())
    parser.set_defaults(**{FIELDS_ATTR: known + tuple(n for n in names if n not in known)})


def request_from_args(cls, args, **values: Any):
    """An instance of `cls` from the options request_options added (plus `values`, which win)."""
    names = set(getattr(args, FIELDS_ATTR, ()) or ())
    known = {f.name for f in dataclasses.fields(cls)}
    kwargs = {n: getattr(args, n) for n in names & known if hasattr(args, n)}
    for name, value in kwargs.items():
        if isinstance(value, list):
            kwargs[name] = tuple(value)
    kwargs.update(values)
    return cls(**kwargs)
