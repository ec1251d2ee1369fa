"""SVG drawings are published only as a sanitised copy.

An SVG is a program as much as a picture: opened from the site's own address, a <script>, an
onload="…" or a javascript: link in it runs with the site's rights, and an <image href="http…">
tells another server who looked at it. Every SVG in content/ is therefore passed through
svg-hush (Cloudflare's SVG sanitiser, through its Python binding py-svg-hush), which keeps
the drawing and removes scripts, event handlers, <foreignObject>, links to other documents,
pictures embedded as data (they can carry a location, and cannot be cleaned inside the SVG),
and every reference to another server (rewritten so it can only point at this site).

We measured it against nh3 (ammonia) with an SVG allow-list: nh3 parses as HTML, so its
output is not XML (&nbsp;, lower-cased viewBox and linearGradient) and the drawing breaks,
and it keeps xlink:href to other servers. svg-hush keeps the drawing and cleans 1 MB in
0.3 s. Its one weakness, output indented by depth, made a file nested 100,000 deep run
for minutes, so a drawing nested deeper than MAX_DEPTH is refused first (real drawings
rarely reach 20), as is one that declares its own XML entities (the "billion laughs").
"""

from __future__ import annotations

import xml.parsers.expat
from importlib.metadata import version

MAX_DEPTH = 100
HOW_TO_FIX = ("open it in the drawing program that made it and export it again as SVG; "
              "or save it as PNG instead")


def settings() -> str:
    """Part of a cleaned SVG's digest: a new sanitiser cleans every drawing again."""
    return f"svg-hush {version('py-svg-hush')} depth={MAX_DEPTH} data-urls=none"


class _Refused(Exception):
    pass


def clean_svg(data: bytes) -> bytes | str:
    """The drawing with nothing that can run or fetch; or why it cannot be published (a str)."""
    problem = _shape_problem(data)
    if problem:
        return problem
    from py_svg_hush import filter_svg

    try:
        return filter_svg(data)
    except (ValueError, RuntimeError):
        return "cannot be read as an SVG drawing (it may be damaged or only partly saved)"


def _shape_problem(data: bytes) -> str:
    """Read through the XML once (expat, fast and in C): "" or why it is refused."""
    parser = xml.parsers.expat.ParserCreate()
    depth = [0, ""]

    def start(name, attributes):
        depth[0] += 1
        if depth[0] == 1:
            depth[1] = name.rpartition(":")[2]
        if depth[0] > MAX_DEPTH:
            raise _Refused(f"is nested more than {MAX_DEPTH} levels deep, more than any drawing needs")

    def end(name):
        depth[0] -= 1

    def entity(*_):
        raise _Refused("declares its own XML entities, which can make it enormous when read")

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        return str(refused)
    except (xml.parsers.expat.ExpatError, ValueError) as problem:
        line = getattr(problem, "lineno", None)
        where = f" (at its line {line})" if line else ""
        return f"cannot be read as an SVG drawing: it is not well-formed XML{where}"
    if depth[1] != "svg":
        return "cannot be read as an SVG drawing: it does not start with an <svg> element"
    return ""
