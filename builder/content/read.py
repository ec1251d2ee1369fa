"""Read one source file: bytes -> text -> (front matter, Markdown body).

Pure apart from the one read of the file, so parsing can be tested on strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import frontmatter
import yaml

from builder.content import limits
from builder.errors import ContentError

_FIELD = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10x faster when present


class _TextDatesLoader(_BaseLoader):
    """SafeLoader that leaves dates as text.

    PyYAML turns 2022-02-31 into a crash inside the parser; keeping dates as strings lets
    the validator say exactly what is wrong with them and accept YYYY-MM too.
    """


class _DuplicateKey(yaml.MarkedYAMLError):
    """The same field twice in one set of fields: YAML keeps the last silently, so a
    `draft: true` above a `draft: false` would publish the draft."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            key = (key_node.tag, key_node.value)
            if key in seen:
                raise _DuplicateKey(None, None, f'the field "{key_node.value}" is written twice', key_node.start_mark)
            seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_TextDatesLoader.construct_mapping = _construct_mapping
# An explicit `!!timestamp 2023-02-30` is checked by the validator like any other date,
# instead of failing inside the YAML parser.
_TextDatesLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)

_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_HANDLER = frontmatter.YAMLHandler()


@dataclass(frozen=True)
class RawSource:
    path: str
    meta: dict
    body: str
    body_line: int  # file line number of the body's first line
    field_lines: tuple[tuple[str, int], ...]

    def line_of(self, field: str) -> int | None:
        return dict(self.field_lines).get(field)


def decode(path: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), any line endings -> text with \\n."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = data[: problem.start].count(b"\n") + 1
        raise ContentError(path, "is not saved as UTF-8 text", line,
                           "open it in your editor and save it again with the encoding UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_source(path: str, text: str) -> RawSource:
    """Split front matter from the body. Raises ContentError for unreadable front matter."""
    lines = text.split("\n")
    if not text.strip():
        raise ContentError(path, "the file is empty", 1,
                           "add front matter between two lines of ---, with at least a title, then the text")
    problems = limits.control_characters(path, text)
    if problems:
        raise problems[0]  # before YAML, whose own message for them is less clear
    if lines[0].strip() != "---":
        raise ContentError(path, "the file does not start with front matter", 1,
                           'the first line must be --- , then fields like title: "…", then another ---')
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        raise ContentError(path, "the front matter is not closed", 1,
                           "add a line with just --- after the last field, before the text")
    block = "\n".join(lines[1:end])
    try:
        meta = _HANDLER.load(block, Loader=_TextDatesLoader)
    except _DuplicateKey as problem:
        raise ContentError(path, problem.problem, problem.problem_mark.line + 2,
                           "keep one of the two lines and delete the other") from None
    except yaml.YAMLError as problem:
        raise _yaml_error(path, problem, lines[1:end]) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as problem:
        # Raised by a value's explicit tag, like `!!int abc` or `!!float x`
        raise ContentError(path, f"the front matter cannot be read ({problem})", None,
                           'remove any "!!" in front of a value, and put the value in quotes if it is text') from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(path, "the front matter must be a set of fields (name: value), not "
                           + ("a list" if isinstance(meta, list) else "plain text"), 2,
                           'write one field per line, like title: "Our progress in May" (no "-" in front)')
    field_lines = tuple((m.group(1), n + 2) for n, raw in enumerate(lines[1:end])
                        if (m := _FIELD.match(raw)))
    meta = {str(key): value for key, value in meta.items()}
    problems = limits.control_in_values(path, meta, dict(field_lines).get)
    if problems:
        raise problems[0]
    return RawSource(path, meta, "\n".join(lines[end + 1:]), end + 2, field_lines)


def yaml_line(problem: yaml.YAMLError) -> int | None:
    """0-based line of a YAML error: where the quote or bracket opened when the text simply
    ran out, which is where the comms officer needs to look."""
    mark = getattr(problem, "problem_mark", None)
    context = getattr(problem, "context_mark", None)
    if context is not None and (mark is None or "end of stream" in str(getattr(problem, "problem", ""))):
        mark = context
    return mark.line if mark is not None else None


def _yaml_error(path: str, problem: yaml.YAMLError, block: list[str] = ()) -> ContentError:
    line = yaml_line(problem)
    if line is not None and 0 <= line < len(block) and "\t" in block[line]:
        # PyYAML's words for a tab ("found character that cannot start any token") never say
        # "tab", and a tab is invisible in most editors: name it and say how to fix it.
        return ContentError(path, "the front matter cannot be read: this line has a tab character, and front matter can only "
                            "be indented with spaces", line + 2,
                            "delete the tab and type spaces instead (two spaces for each step of indenting)")
    line = line + 2 if line is not None else None  # +1 for 1-based, +1 for the opening ---
    what = getattr(problem, "problem", None) or str(problem)
    return ContentError(
        path, f"the front matter cannot be read ({what})", line,
        'check this line: each field is "name: value"; put text containing ":" or "#" in quotes, '
        "and indent list items the same way",
    )


def read_source(site_dir, rel: str) -> RawSource:
    with open(site_dir / rel, "rb") as handle:
        data = handle.read()
    return parse_source(rel, decode(rel, data))
