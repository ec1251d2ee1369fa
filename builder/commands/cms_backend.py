"""The browser editor's local backend: Decap CMS's proxy protocol, answered from the site folder.

`localoffer serve` mounts this at /api/v1 so the editor at /admin/ reads and saves the files
in content/ directly, with no Git hosting and no Node. The protocol is Decap's own (its
decap-server package, middlewares/localFs): the editor POSTs JSON `{action, params}` and gets
JSON back. `handle` is a pure function of the site folder and one request.

Every path is confined to the site's content/ folder: absolute paths, `..`, backslashes,
hidden names and symlinks that lead out of content/ are refused, because a web page in the
officer's browser must never be able to write anywhere else.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import stat
from pathlib import Path, PurePosixPath

import yaml

from builder.content.discover import GLOSSARY_NAME
from builder.content.glossary import LIST_KEY, parse_glossary
from builder.errors import ContentError

CONTENT = "content"
GLOSSARY = f"{CONTENT}/{GLOSSARY_NAME}"


MAX_DEPTH = 20  # folders deep a listing goes at most: far more than content/ has


class Refused(Exception):
    """A request the backend will not carry out (answered with HTTP 422 and the reason)."""


class Conflict(Refused):
    """A request that would overwrite another entry (answered with HTTP 409 and the reason)."""


def handle(site_dir: Path, request: object, site_url: str | None = None) -> tuple[int, object]:
    """(HTTP status, JSON body) for one request of Decap's proxy protocol.

    Every request the backend cannot carry out is answered 4xx with a reason in plain words:
    the editor shows it, and nothing reaches the terminal as a traceback."""
    if not isinstance(request, dict) or not isinstance(request.get("action"), str):
        return 422, {"error": "expected a JSON object with an action"}
    params = request.get("params")
    params = {} if params is None else params
    action = ACTIONS.get(request["action"])
    if action is None:
        return 422, {"error": f"Unknown action {request['action'][:100]!r}"}
    if not isinstance(params, dict):
        return 422, {"error": "the request's params must be a JSON object"}
    try:
        return 200, action(Path(site_dir), params, site_url)
    except Conflict as problem:
        return 409, {"error": str(problem)}
    except Refused as problem:
        return 422, {"error": str(problem)}
    except KeyError as problem:
        return 422, {"error": f"malformed request: {request['action']} needs {problem}"}
    except (TypeError, ValueError, AttributeError, RecursionError) as problem:
        return 422, {"error": f"malformed request: {str(problem)[:200]}"}
    except OSError as problem:
        return 500, {"error": f"could not {request['action']}: {problem.strerror or problem}"}


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise Refused(f"{what} must be text, not {type(value).__name__}")
    return value


def _objects(value: object, what: str) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise Refused(f"{what} must be a list of JSON objects")
    return value


def confine(site_dir: Path, rel: object) -> Path:
    """The file `rel` (relative to the site, like content/letters/x.md), or Refused."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel:
        raise Refused(f"not a file path: {rel!r}")
    path = PurePosixPath(rel)
    if path.is_absolute() or rel.startswith("/"):
        raise Refused(f"absolute paths are refused: {rel}")
    if any(part in ("..", ".") or part.startswith(".") for part in path.parts):
        raise Refused(f"paths may not use '..' or hidden names: {rel}")
    if path.parts[0] != CONTENT:
        raise Refused(f"only files in the content folder can be edited: {rel}")
    content = (site_dir / CONTENT).resolve()
    full = site_dir.joinpath(*path.parts)
    try:
        real = full.resolve()  # follows symlinks, so a link out of content/ is caught here
    except (RuntimeError, OSError):  # a link that leads round in a loop (RuntimeError before Python 3.13)
        raise Refused(f"{rel} is a link that leads round in a loop") from None
    if real != content and content not in real.parents:
        raise Refused(f"{rel} leads outside the content folder")
    return full


def _id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry(site_dir: Path, rel: str, label: str | None = None) -> dict:
    path = confine(site_dir, rel)
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return {"data": None, "file": {"path": rel, "label": label, "id": None}}
    text = data.decode("utf-8-sig", errors="replace")
    if rel == GLOSSARY:
        text = _glossary_as_list(text, data)
    return {"data": text, "file": {"path": rel, "label": label, "id": _id(data)}}


def _glossary_as_list(text: str, data: bytes) -> str:
    """Show a TERM: meaning glossary to the editor in the terms: list form it can edit; the
    first save then writes that form. A glossary with mistakes is shown as it is."""
    try:
        loaded = yaml.safe_load(text)
        terms = parse_glossary(GLOSSARY, data)
    except (yaml.YAMLError, ContentError):
        return text
    if isinstance(loaded, dict) and set(loaded) <= {LIST_KEY}:
        return text  # already in the list form
    items = [{"term": term, "meaning": meaning} for term, meaning in terms.items()]
    return yaml.safe_dump({LIST_KEY: items}, sort_keys=False, allow_unicode=True)


def _listing(site_dir: Path, folder: str, extension: str, depth: int) -> list[str]:
    """Files under folder (site-relative), to the given depth, skipping hidden names and links out."""
    folder = _text(folder, "the folder").rstrip("/")
    extension = _text(extension, "the extension")
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
        raise Refused("the depth must be a whole number, 1 or more")
    depth = min(depth, MAX_DEPTH)
    root = confine(site_dir, folder)
    found: list[str] = []

    def walk(here: Path, rel: str, left: int) -> None:
        if left <= 0 or not here.is_dir() or here.is_symlink():  # a linked folder is never entered (as in builds)
            return
        with os.scandir(here) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            child = f"{rel}/{entry.name}"
            if entry.name.startswith("."):
                continue
            try:
                confine(site_dir, child)
            except Refused:
                continue  # a link out of content/, or round in a loop: not offered
            if entry.is_dir(follow_symlinks=False):
                walk(Path(entry.path), child, left - 1)
            elif entry.is_file() and entry.name.endswith(extension):
                found.append(child)

    walk(root, folder, depth)
    return found


def _write(site_dir: Path, rel: str, data: bytes) -> None:
    """Write through a hidden temporary file and rename, so the rebuild never reads half a file.

    The file gets the mode any other program would give it: a file saved again keeps its own,
    and a new one gets 0666 less the umask (os.open applies it), like the other files in its
    folder; tempfile's private 0600 would hide it from the web server or a colleague."""
    path = confine(site_dir, rel)
    if path.is_dir():
        raise Refused(f"{rel} is a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    confine(site_dir, rel)  # the folders just made are inside content/; check nothing raced in
    temp = path.with_name(f".saving-{secrets.token_hex(8)}")
    handle_ = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(handle_, "wb") as out:
            out.write(data)
        try:
            os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
        except FileNotFoundError:
            pass  # a new file: the umask has given it its mode
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _decode(asset: object) -> bytes:
    if not isinstance(asset, dict):
        raise Refused("each file sent must be a JSON object")
    if asset.get("encoding") != "base64":
        raise Refused(f"unsupported encoding {str(asset.get('encoding'))[:40]!r}")
    try:
        return base64.b64decode(_text(asset["content"], "the file's content"), validate=True)
    except (binascii.Error, TypeError) as problem:
        raise Refused(f"the file's content is not valid base64: {problem}") from None


def _media_file(site_dir: Path, rel: str) -> dict:
    data = confine(site_dir, rel).read_bytes()
    return {"id": _id(data), "content": base64.b64encode(data).decode("ascii"), "encoding": "base64",
            "path": rel, "name": PurePosixPath(rel).name}


# --- the actions ---------------------------------------------------------------------------

def _info(site_dir: Path, params: dict, site_url) -> dict:
    return {"repo": site_dir.resolve().name, "publish_modes": ["simple"], "type": "local_fs"}


def _entries_by_folder(site_dir: Path, params: dict, site_url) -> list:
    files = _listing(site_dir, params["folder"], params.get("extension") or "", params.get("depth") or 1)
    return [_entry(site_dir, rel) for rel in files]


def _entries_by_files(site_dir: Path, params: dict, site_url) -> list:
    return [_entry(site_dir, item["path"], item.get("label") if isinstance(item.get("label"), str) else None)
            for item in _objects(params["files"], "files")]


def _get_entry(site_dir: Path, params: dict, site_url) -> dict:
    return _entry(site_dir, params["path"])


def _persist_entry(site_dir: Path, params: dict, site_url) -> dict:
    data_files = _objects(params.get("dataFiles") or [params["entry"]], "dataFiles")
    # Check every path before writing anything, so a refused request changes nothing.
    for item in data_files:
        confine(site_dir, item["path"])
        _text(item["raw"], "an entry's raw text")
        if item.get("newPath"):
            _check_rename(site_dir, item["path"], item["newPath"])
    assets = [(_text(asset["path"], "a file's path"), _decode(asset))
              for asset in _objects(params.get("assets") or [], "assets")]
    for rel, _ in assets:
        confine(site_dir, rel)
    for item in data_files:
        _write(site_dir, item["path"], item["raw"].encode("utf-8", errors="surrogatepass"))
    for rel, data in assets:
        _write(site_dir, rel, data)
    for item in data_files:
        if item.get("newPath"):  # a renamed entry moves alone, never its neighbours
            target = confine(site_dir, item["newPath"])
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(confine(site_dir, item["path"]), target)
    return {"message": "entry persisted"}


def _check_rename(site_dir: Path, rel: str, new_rel: object) -> None:
    """A rename may not land on another entry: it would replace that page without a word."""
    old, new = confine(site_dir, rel), confine(site_dir, new_rel)
    if new.exists() or new.is_symlink():
        same = old.exists() and os.path.samefile(old, new)
        if not same:
            raise Conflict(f"cannot rename {rel} to {new_rel}: {new_rel} already exists. "
                           "Choose another title or date, or delete the other entry first")


def _get_media(site_dir: Path, params: dict, site_url) -> list:
    return [_media_file(site_dir, rel) for rel in _listing(site_dir, params["mediaFolder"], "", 1)]


def _get_media_file(site_dir: Path, params: dict, site_url) -> dict:
    return _media_file(site_dir, params["path"])


def _persist_media(site_dir: Path, params: dict, site_url) -> dict:
    asset = params["asset"]
    data = _decode(asset)
    _write(site_dir, asset["path"], data)
    return _media_file(site_dir, asset["path"])


def _delete(site_dir: Path, rel: str) -> None:
    path = confine(site_dir, rel)
    if path.is_dir() and not path.is_symlink():
        raise Refused(f"{rel} is a folder; only files can be deleted")
    path.unlink(missing_ok=True)


def _delete_file(site_dir: Path, params: dict, site_url) -> dict:
    _delete(site_dir, params["path"])
    return {"message": f"deleted file {params['path']}"}


def _delete_files(site_dir: Path, params: dict, site_url) -> dict:
    if not isinstance(params["paths"], list):
        raise Refused("paths must be a list of file paths")
    for rel in params["paths"]:
        confine(site_dir, rel)
    for rel in params["paths"]:
        _delete(site_dir, rel)
    return {"message": f"deleted files {', '.join(params['paths'])}"}


def _deploy_preview(site_dir: Path, params: dict, site_url) -> dict | None:
    # The editor adds the collection's preview_path: its "View preview" link opens the page
    # on the local server, rebuilt from the file just saved.
    return {"url": site_url, "status": "SUCCESS"} if site_url else None


ACTIONS = {
    "info": _info, "entriesByFolder": _entries_by_folder, "entriesByFiles": _entries_by_files,
    "getEntry": _get_entry, "persistEntry": _persist_entry, "getMedia": _get_media,
    "getMediaFile": _get_media_file, "persistMedia": _persist_media, "deleteFile": _delete_file,
    "deleteFiles": _delete_files, "getDeployPreview": _deploy_preview,
}
