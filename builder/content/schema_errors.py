"""Turn pydantic validation errors into ContentErrors a comms officer can act on."""

from __future__ import annotations

from typing import Callable

from pydantic import ValidationError

from builder.errors import ContentError, did_you_mean

_TYPE_WORDS = {
    "string_type": "text",
    "list_type": "a list",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "a set of fields",
    "model_type": "a set of fields",
    "int_type": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
}


def translate(
    error: ValidationError,
    path: str,
    line_of: Callable[[str], int | None],
    known_fields: list[str],
    examples: dict[str, str],
) -> list[ContentError]:
    found = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        field = loc[0] if loc else ""
        # ("status", 0, "status") -> "status" (item 1): "status"
        where = " ".join(f"(item {int(p) + 1})" if p.isdigit() else (p if i == 0 else f"→ {p}")
                         for i, p in enumerate(loc))
        line = line_of(field)
        kind = item["type"]
        example = examples.get(field, "")
        if kind == "missing":
            message = f'"{where}" is missing' if len(loc) > 1 else f'the required field "{field}" is missing'
            hint = f"add a line like {example}" if example else f'add "{loc[-1]}:" with a value'
            line = line if len(loc) > 1 else None
        elif kind == "extra_forbidden":
            message = f'unknown field "{where}".' + did_you_mean(loc[-1], known_fields)
            hint = "remove it, or correct the spelling; the guide for comms officers (docs/comms-officers.md) lists every field"
        elif kind in ("literal_error", "enum"):
            allowed = item.get("ctx", {}).get("expected", "")
            message = f'"{where}" cannot be "{item.get("input")}".' + did_you_mean(item.get("input"), _choices(allowed))
            hint = f"use one of: {allowed}"
        elif kind == "value_error":
            cause = item.get("ctx", {}).get("error")
            text = item["msg"].removeprefix("Value error, ")
            message = text if hasattr(cause, "hint") or field in text else f'"{where}": {text}'
            hint = getattr(cause, "hint", "") or (f"write it like {example}" if example else "")
        elif kind in _TYPE_WORDS:
            message = f'"{where}" must be {_TYPE_WORDS[kind]}, not {_describe(item.get("input"))}'
            hint = f"write it like {example}" if example else "check the value's format"
            if kind == "string_type" and isinstance(item.get("input"), (int, float)):
                hint = f'put the value in quotes, like {field}: "{item.get("input")}"'
        else:
            message = f'"{where}": {item["msg"]}'
            hint = f"write it like {example}" if example else ""
        found.append(ContentError(path, message, line, hint))
    return found


def _describe(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "empty"
    return f'"{value}"'


def _choices(expected: str) -> list[str]:
    return [part.strip().strip("'\"") for part in expected.replace(" or ", ",").split(",") if part.strip()]
