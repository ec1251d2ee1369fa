"""The limits every page is held to, so that no content, however odd, crashes or stalls a build.

Each check turns a shape of text that would otherwise end in a crash deep inside a library
(a RecursionError, a calendar overflow, a name the file system refuses) or in a build that
never finishes, into a ContentError with the file and line. The limits are far beyond what
any real page needs; docs/content-limits.md explains them for the people who write pages.
"""

from __future__ import annotations

import html
import re
import signal
import threading

from builder.errors import ContentError

# Dates: a SEND progress site reports on the recent past and the next few years. Outside this
# range a date is a typing slip (0202-05-01, 9999-12-31), and the calendar arithmetic of the
# timeline and the calendar feed would overflow at year 9999.
FIRST_YEAR, LAST_YEAR = 1900, 2200
# Lists and quotes inside each other. Python-Markdown recurses once per level and slows down
# with the cube of the depth: 300 levels ran out of stack after seconds of work.
MAX_NESTING = 20
# File and folder names in content/, in bytes of UTF-8. Most file systems allow 255; a
# published image adds "-1600.0123456789.webp" (22 characters) to its name.
MAX_NAME_BYTES = 200
MAX_FOLDER_DEPTH = 20  # folders inside content/ (content/updates/2024/ is 2)
# Processor time for reading and converting one page. The largest real page we measured
# (a 670 KB table of 20,000 rows) took 7 s; ordinary pages take a few hundredths.
PAGE_SECONDS = 10

# Characters that no XML parser accepts (feeds, sitemap), or that are invisible noise
# pasted from other programs: C0 controls but tab and newline, DEL, C1 controls,
# lone surrogates (from YAML escapes like "\ud800") and the two non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAMES = {"\x00": "a NUL character", "\x0c": "a form feed (page break)", "\x1b": "an escape character",
          "\x0b": "a vertical tab", "\x08": "a backspace", "\x7f": "a delete character"}
_CONTROL_HINT = ("delete it: it is invisible in most editors, so retype the text around the place named, "
                 "or paste it again as plain text (it often comes from copying from a PDF or a word processor)")


def describe_control(char: str) -> str:
    return _NAMES.get(char, f"an invisible control character (U+{ord(char):04X})")


def control_characters(path: str, text: str, first_line: int = 1) -> list[ContentError]:
    """An error for the first control character on each line of text (at most five)."""
    found: list[ContentError] = []
    for match in _CONTROL.finditer(text):
        line = text.count("\n", 0, match.start()) + first_line
        if found and found[-1].line == line:
            continue
        found.append(ContentError(path, f"contains {describe_control(match.group())}", line, _CONTROL_HINT))
        if len(found) == 5:
            break
    return found


def control_in_values(path: str, meta: dict, line_of) -> list[ContentError]:
    """Control characters in front-matter values (YAML escapes such as "\\e" or "\\f" make them)."""
    found = []
    seen: set[int] = set()  # YAML aliases share lists: each is looked at once (an "alias bomb" holds millions)
    for field, value in meta.items():
        char = _first_control(value, seen)
        if char:
            found.append(ContentError(path, f'"{field}" contains {describe_control(char)}', line_of(field),
                                      "remove it from the value; in quotes, a backslash starts an escape such as \\f"))
    return found


def _first_control(value, seen: set[int]) -> str:
    pending = [value]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if match := _CONTROL.search(value):
                return match.group()
        elif isinstance(value, (dict, list)) and id(value) not in seen:
            seen.add(id(value))
            pending.extend(value if isinstance(value, list) else (item for pair in value.items() for item in pair))
    return ""


_DEEP_START = re.compile(r"^[ \t>]{%d}" % (MAX_NESTING + 1), re.MULTILINE)
_QUOTE_MARKS = re.compile(r"[ \t]{0,3}>")
_BRACKETS = re.compile(r"[\[\]]|\n[ \t]*(?=\n)")  # a bracket, or the end of a paragraph
MAX_BRACKETS = 20  # [ inside [ inside [ … : Python-Markdown looks for each one's partner again


def nesting(path: str, body: str, body_line: int) -> list[ContentError]:
    """Lists, quotes and square brackets nested deeper than MAX_NESTING, by their indentation and marks."""
    # Each level takes at least one character (a tab or a >), so only a line starting with more
    # than MAX_NESTING of them can be too deep: most pages have none, and skip the loop.
    lines = body.split("\n") if _DEEP_START.search(body) else ()
    for number, line in enumerate(lines):
        text = line.expandtabs(4)
        indent = len(text) - len(text.lstrip(" "))
        quotes, rest = 0, text
        while (mark := _QUOTE_MARKS.match(rest)) and quotes <= MAX_NESTING:
            quotes, rest = quotes + 1, rest[mark.end():]
        if indent // 4 + quotes > MAX_NESTING:
            return [ContentError(path, f"lists or quotes are nested more than {MAX_NESTING} levels deep", body_line + number,
                                 f"use at most {MAX_NESTING} levels: indent this line less (each level is 4 spaces "
                                 "or a tab) or use fewer > marks")]
    depth, line = 0, 0
    for match in _BRACKETS.finditer(body):
        mark = match.group()
        depth = depth + 1 if mark == "[" else 0 if mark[0] == "\n" else max(0, depth - 1)
        if depth > MAX_BRACKETS:
            line = body_line + body.count("\n", 0, match.start())
            return [ContentError(path, f"square brackets are nested more than {MAX_BRACKETS} deep", line,
                                 "remove the extra [ ] brackets; link text is written [like this](page.md)")]
    return []


def name_problems(rel: str, depth: int) -> list[ContentError]:
    """A file or folder name too long for the published copies, or folders nested too deeply."""
    name = rel.rsplit("/", 1)[-1]
    size = len(name.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        length = f"{len(name)} characters" + (f", which take {size} bytes" if size != len(name) else "")
        return [ContentError(rel, f"the name is too long to publish ({length})", None,
                             f"rename it to something shorter: a name can be at most {MAX_NAME_BYTES} plain letters "
                             "long, and fewer accented letters or letters of other scripts, which take 2 to 4 bytes each")]
    if depth > MAX_FOLDER_DEPTH:
        return [ContentError(rel, f"is inside more than {MAX_FOLDER_DEPTH} folders within content/", None,
                             "move it into a folder nearer the top of content/")]
    return []


class _OutOfTime(BaseException):
    """Raised by the timer inside whatever the page was doing. A BaseException, so no library's
    `except Exception` can swallow it on the way out."""


class page_time_limit:  # noqa: N801 - used as `with page_time_limit(path):`
    """Raise a ContentError for path if the block uses more than `seconds` of processor time.

    Processor time, not the clock, so a busy machine does not fail a page that is fine.
    The timer is a signal, so it works where signals can be handled: the main thread, and
    every build worker (the forked process's only thread). Elsewhere (the preview server's
    build thread) the block runs unbounded; the nesting checks still apply there.
    A class, not @contextmanager, which would set __traceback__ on the frozen ContentErrors
    passing through."""

    def __init__(self, path: str, seconds: float | None = None):
        self.path = path
        self.seconds = PAGE_SECONDS if seconds is None else seconds
        self.armed = False
        self.previous = None

    def _out_of_time(self, signum, frame):
        if self.armed:  # a signal already on its way when the block ended is ignored
            raise _OutOfTime()

    def __enter__(self):
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            self.previous = signal.signal(signal.SIGPROF, self._out_of_time)
            self.armed = True
            signal.setitimer(signal.ITIMER_PROF, self.seconds)
        return self

    def __exit__(self, kind, value, traceback):
        if self.previous is None:
            return False
        try:
            signal.setitimer(signal.ITIMER_PROF, 0)
            self.armed = False
        except _OutOfTime:  # arrived just as the block ended
            kind = _OutOfTime
        signal.signal(signal.SIGPROF, self.previous)
        if kind is _OutOfTime:
            raise ContentError(self.path, f"took more than {self.seconds:g} seconds to convert, so it was stopped", None,
                               "look for something repeated thousands of times in one paragraph, such as [ brackets, "
                               "* or _ marks, or a very long table, and remove it or split the page") from None
        return False


# href and src values in the HTML Markdown made (raw HTML included), quoted either way or not.
_LINK_VALUE = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # as builder.content.markdown_render keeps


def _plain(text: str) -> str:
    """As a browser reads a link: entities decoded, and tabs, newlines and spaces inside ignored."""
    return re.sub(r"[\x00-\x20]", "", html.unescape(text)).lower()


def unsafe_links(html_text: str) -> tuple[str, ...]:
    """Link targets whose scheme the cleaner removes (javascript:, data:, vbscript:…), as written."""
    found = []
    for match in _LINK_VALUE.finditer(html_text):
        value = next(group for group in match.groups() if group is not None)
        scheme = _SCHEME.match(_plain(value))
        if scheme and scheme.group(1) not in SAFE_SCHEMES:
            found.append(html.unescape(value))
    return tuple(dict.fromkeys(found))


def unsafe_link_errors(path: str, body: str, body_line: int, links: tuple[str, ...]) -> list[ContentError]:
    lines = body.split("\n")
    found = []
    for value in links:
        scheme = _SCHEME.match(_plain(value))
        name = f"{scheme.group(1)}:" if scheme else value
        # Compared as a browser reads them, so "java&#09;script:" is found too.
        needle = _plain(value)[:40]
        number = next((n for n, line in enumerate(lines) if needle in _plain(line)), None)
        found.append(ContentError(
            path, f'the link "{value[:80]}" starts with {name}, which the site does not allow, so it would not work',
            None if number is None else body_line + number,
            "link to a web address starting https://, to a page or file of the site, or use mailto: or tel:"))
    return found
