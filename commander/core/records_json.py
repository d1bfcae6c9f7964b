"""One converter from records (dataclasses) to the JSON the CLI prints and exports write.

``to_json(record)`` walks the record's fields in declaration order (then its computed
members, below) and turns each value into plain JSON data:

* ``datetime`` → ISO-8601 UTC text (``clock.iso``), ``date`` → ``isoformat()``
* ``timedelta`` → seconds as a float (``total_seconds()``)
* ``Enum`` → its ``value``; ``Path`` → ``str``
* ``tuple``/``list`` → list; ``set``/``frozenset`` → sorted list (JSON has no sets, and a
  set's order is not stable)
* ``Mapping`` → dict; a nested record → its JSON (its own hand-written ``to_json`` if it
  has one, otherwise this converter's)
* ``str``/``int``/``float``/``bool``/``None`` pass through.

A field says how it is written through ``dataclasses.field(metadata=json_field(...))``:
another key (``name``), left out (``omit``), ``""`` written as ``None`` (``empty_as_none``),
a list or mapping sorted by its items or keys (``sort``), the value passed on untouched
(``as_is``, for fields that already hold JSON data), or written before another member
(``before``, naming its attribute) rather than in declaration order.

A record also writes computed members, declared on the class::

    JSON_COMPUTED = (
        json_computed("ok", before="path"),
        json_computed("hit_count", name="matches"),
    )

Each names a property (or ``functools.cached_property``) or a method taking no argument,
whose value is written by the same rules as a field's, and takes the same options as
``json_field`` but ``omit``. It goes after the fields, in the order declared, or ``before``
the member it names (a field or another computed member), so a record keeps the key order
it has always written. Two members writing one key, or a ``before`` naming no member that
is written, are refused when the class is first written.

The members and their options are worked out once per class and cached, and each class
gets a writer made for its members (as ``dataclasses`` makes ``__init__``): a field declared
(or a computed member returning) ``str``, ``int``, ``datetime``, ``tuple[str, ...]`` and the
like is written by its declared type, any other by the rules above, looked up once per value
type. So a listing of thousands
of records costs about what the hand-written methods did.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import PurePath
from typing import Any, ClassVar, NamedTuple

from commander.core.clock import iso

__all__ = ["Computed", "JsonRecord", "json_computed", "json_field", "to_json"]

_KEY = "commander.json"


def json_field(
    *,
    name: str | None = None,
    omit: bool = False,
    empty_as_none: bool = False,
    sort: bool = False,
    as_is: bool = False,
    before: str | None = None,
) -> dict[str, Any]:
    """Metadata for ``dataclasses.field(metadata=...)`` saying how the field is written."""
    return {_KEY: _Options(name, omit, empty_as_none, sort, as_is, before)}


@dataclasses.dataclass(frozen=True, slots=True)
class _Options:
    name: str | None
    omit: bool
    empty_as_none: bool
    sort: bool
    as_is: bool
    before: str | None = None


_NONE = _Options(None, False, False, False, False)


@dataclasses.dataclass(frozen=True, slots=True)
class Computed:
    """A computed member a record writes beside its fields (made by ``json_computed``)."""

    attr: str
    options: _Options


def json_computed(
    attr: str,
    *,
    name: str | None = None,
    before: str | None = None,
    empty_as_none: bool = False,
    sort: bool = False,
    as_is: bool = False,
) -> Computed:
    """The property or zero-argument method ``attr``, written as ``name`` (default ``attr``)
    after the fields or ``before`` the member named, for a class's ``JSON_COMPUTED``."""
    return Computed(attr, _Options(name, False, empty_as_none, sort, as_is, before))


class _Step(NamedTuple):
    attr: str
    key: str
    options: _Options | None  # None when the member has only defaults
    call: bool  # a method: called for its value
    annotation: Any  # the declared type (of a computed member: its return type)


_Plan = tuple[_Step, ...]
_plans: dict[type, _Plan] = {}
# For each record class, a function written for its fields (as ``dataclasses`` writes
# ``__init__``): no loop over fields and no call per plain value.
_writers: dict[type, Callable[[Any], dict[str, Any]]] = {}


def plan(cls: type) -> _Plan:
    """The members of ``cls`` that are written, in order, with their keys and options (cached)."""
    found = _plans.get(cls)
    if found is None:
        steps = []
        for f in dataclasses.fields(cls):
            options: _Options = f.metadata.get(_KEY, _NONE)
            if not options.omit:
                kept = None if options is _NONE else options
                steps.append(_Step(f.name, options.name or f.name, kept, False, f.type))
        steps += [_computed(cls, c) for c in getattr(cls, "JSON_COMPUTED", ())]
        found = _plans[cls] = _placed(cls, steps)
    return found


def _computed(cls: type, computed: Computed) -> _Step:
    member = inspect.getattr_static(cls, computed.attr, None)
    if isinstance(member, property):
        call, function = False, member.fget
    elif isinstance(member, functools.cached_property):
        call, function = False, member.func
    elif inspect.isfunction(member):
        call, function = True, member
    else:
        raise TypeError(f"{cls.__qualname__}.{computed.attr} is not a property or method")
    annotation = getattr(function, "__annotations__", {}).get("return")
    options = computed.options
    return _Step(computed.attr, options.name or computed.attr, options, call, annotation)


def _placed(cls: type, steps: list[_Step]) -> _Plan:
    """The steps in declaration order, each with a ``before`` moved in front of its member."""
    order = [s for s in steps if _before(s) is None]
    pending = [s for s in steps if _before(s) is not None]
    while pending:
        waiting = []
        for step in pending:
            attrs = [s.attr for s in order]
            target = _before(step)
            if target in attrs:
                order.insert(attrs.index(target), step)
            else:
                waiting.append(step)  # its member is itself still to be placed
        if len(waiting) == len(pending):
            raise TypeError(
                f"{cls.__qualname__}.{waiting[0].attr} goes before {_before(waiting[0])!r}, "
                "which is not written"
            )
        pending = waiting
    keys = [s.key for s in order]
    if len(set(keys)) < len(keys):
        twice = sorted({k for k in keys if keys.count(k) > 1})
        raise TypeError(f"{cls.__qualname__} writes the key {', '.join(twice)} twice")
    return tuple(order)


def _before(step: _Step) -> str | None:
    return None if step.options is None else step.options.before


# Declared types whose values need no look at run time (the type checker holds them to it).
_AS_DECLARED = {
    **dict.fromkeys(
        (f"{t}{none}" for t in ("str", "int", "float", "bool") for none in ("", " | None")),
        "{v}",
    ),
    **dict.fromkeys(
        (
            f"{s}[{t}{more}]"
            for s in ("tuple", "list")
            for t in ("str", "int")
            for more in ("", ", ...")
        ),
        "list({v})",
    ),
    "datetime": "_iso({v})",
    "datetime | None": "None if {v} is None else _iso({v})",
    "timedelta": "{v}.total_seconds()",
    "timedelta | None": "None if {v} is None else {v}.total_seconds()",
}


def _writer(cls: type) -> Callable[[Any], dict[str, Any]]:
    lines = []
    items = []
    for n, (attr, key, options, call, annotation) in enumerate(plan(cls)):
        v = f"v{n}"
        lines.append(f"    {v} = r.{attr}{'()' if call else ''}")
        if isinstance(annotation, type):
            annotation = annotation.__name__
        if options is not None and options.as_is:
            expr = v
        elif options is not None and options.sort:
            expr = f"_sorted({v})"
        elif isinstance(annotation, str) and annotation in _AS_DECLARED:
            expr = _AS_DECLARED[annotation].format(v=v)
        else:
            expr = f"{v} if type({v}) in _PLAIN else _convert({v})"
        if options is not None and options.empty_as_none:
            expr = f'None if {v} == "" else {expr}'
        items.append(f"{key!r}: {expr}")
    source = "def write(r):\n" + "\n".join(lines) + "\n    return {" + ", ".join(items) + "}\n"
    namespace: dict[str, Any] = {
        "_PLAIN": _PLAIN,
        "_convert": _convert,
        "_sorted": _sorted,
        "_iso": iso,
    }
    exec(source, namespace)  # the source is built above from member names only
    write: Callable[[Any], dict[str, Any]] = namespace["write"]
    write.__qualname__ = f"to_json<{cls.__qualname__}>"
    _writers[cls] = write
    return write


def to_json(record: Any) -> dict[str, Any]:
    """The JSON object for a dataclass instance, by the rules in this module's docstring."""
    try:
        write = _writers[type(record)]
    except KeyError:
        write = _writer(type(record))
    return write(record)


def _sorted(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return _dict({k: value[k] for k in sorted(value)})
    return _list(sorted(value))


_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def _convert(value: Any) -> Any:
    try:
        convert = _converters[type(value)]
    except KeyError:
        convert = _converter(type(value))
    return convert(value)


def _same(value: Any) -> Any:
    return value


def _enum(value: Enum) -> Any:
    inner = value.value
    return inner if type(inner) in _PLAIN else _convert(inner)


def _list(value: Any) -> list[Any]:
    return [item if type(item) in _PLAIN else _convert(item) for item in value]


def _set(value: Any) -> list[Any]:
    try:
        items = sorted(value)
    except TypeError:
        items = list(value)
    return _list(items)


def _dict(value: Mapping[Any, Any]) -> dict[Any, Any]:
    return {
        k if type(k) is str else _convert(k): v if type(v) in _PLAIN else _convert(v)
        for k, v in value.items()
    }


def _seconds(value: timedelta) -> float:
    return value.total_seconds()


def _isoformat(value: date) -> str:
    return value.isoformat()


# Per value type, how it is written: found once by the rules below, then looked up.
_converters: dict[type, Callable[[Any], Any]] = dict.fromkeys(_PLAIN, _same)


def _converter(cls: type) -> Callable[[Any], Any]:
    convert: Callable[[Any], Any]
    if issubclass(cls, datetime):
        convert = iso
    elif issubclass(cls, Enum):  # before str and int: a StrEnum is written as its value
        convert = _enum
    elif issubclass(cls, (str, int, float)):
        convert = _same
    elif issubclass(cls, date):
        convert = _isoformat
    elif issubclass(cls, timedelta):
        convert = _seconds
    elif issubclass(cls, (list, tuple)):
        convert = _list
    elif issubclass(cls, (set, frozenset)):
        convert = _set
    elif issubclass(cls, Mapping):
        convert = _dict
    elif issubclass(cls, PurePath):
        convert = str
    elif dataclasses.is_dataclass(cls):
        own = getattr(cls, "to_json", None)
        # A record that writes itself by hand is asked to; any other is walked here.
        convert = to_json if own is None or own is JsonRecord.to_json else own
    else:
        raise TypeError(f"no JSON form for {cls.__name__}")
    _converters[cls] = convert
    return convert


class JsonRecord:
    """Mixin giving a dataclass ``to_json()`` by the converter above."""

    __slots__ = ()

    # The computed members written beside the fields (see the module's docstring).
    JSON_COMPUTED: ClassVar[tuple[Computed, ...]] = ()

    def to_json(self) -> dict[str, Any]:
        try:
            write = _writers[type(self)]
        except KeyError:
            write = _writer(type(self))
        return write(self)
