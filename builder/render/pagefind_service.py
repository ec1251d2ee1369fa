"""Talk to Pagefind's service mode (`pagefind --service`): pages go in over a pipe, the index
files come out in the given folders. No page is written to disk for Pagefind to read back.

The pagefind package ships the binary and documents this protocol (its `pagefind.service`
module): each message is base64-encoded JSON followed by a comma, in both directions, and
every answer carries the number of the message it answers. We speak it directly because
the package's asyncio client waits 0.1 s before reading each answer, which for thousands of
pages costs minutes; here a thread reads the answers as fast as they come.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from pathlib import Path, PurePosixPath

from builder.errors import ContentError

_HINT = "reinstall with `pip install .` so the pagefind package is present"


class PagefindService:
    """One `pagefind --service` process. ask() sends a message, wait() its answer."""

    def __init__(self):
        try:
            from pagefind.service import get_executable
        except ImportError:
            raise ContentError("pagefind", "the search index could not be built (pagefind is not installed)",
                               None, _HINT) from None
        executable = get_executable()
        if executable is None:
            raise ContentError("pagefind", "the search index could not be built (no pagefind program found)",
                               None, _HINT)
        self._process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._answers: dict[int, dict] = {}
        self._arrived = threading.Condition()
        self._ended = False
        self._number = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def ask(self, payload: dict) -> int:
        self._number += 1
        message = json.dumps({"message_id": self._number, "payload": payload}).encode()
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")
        except (BrokenPipeError, ValueError):
            self._failed("Pagefind stopped unexpectedly")
        return self._number

    def wait(self, number: int, timeout: float = 1800) -> dict:
        """The answer to message `number` (a ContentError if Pagefind reports a problem)."""
        self._process.stdin.flush()
        with self._arrived:
            if not self._arrived.wait_for(lambda: number in self._answers or self._ended, timeout):
                self._failed("Pagefind did not answer in time")
            answer = self._answers.pop(number, None)
        if answer is None:
            self._failed("Pagefind stopped unexpectedly")
        if answer.get("type") == "Error":
            self._failed(answer.get("message") or "no message")
        return answer

    def close(self) -> None:
        """End the input and let Pagefind exit by itself."""
        try:
            self._process.stdin.close()
        except OSError:
            pass
        try:
            self._process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=5)

    def _read(self) -> None:
        pending = bytearray()  # an answer can be megabytes (the files of an index), read in pieces
        stream = self._process.stdout
        try:
            while chunk := stream.read1(1 << 16):
                looked = len(pending)
                pending += chunk
                while (end := pending.find(b",", looked)) != -1:
                    message = bytes(pending[:end])
                    del pending[:end + 1]
                    looked = 0
                    self._answer(message)
        finally:
            with self._arrived:
                self._ended = True
                self._arrived.notify_all()

    def _answer(self, message: bytes) -> None:
        try:
            answer = json.loads(base64.b64decode(message))
        except ValueError:
            return  # a log line, not an answer
        number = answer.get("message_id") if isinstance(answer, dict) else None
        if number is not None:
            with self._arrived:
                self._answers[number] = answer.get("payload") or {}
                self._arrived.notify_all()

    def _failed(self, detail: str):
        raise ContentError("pagefind", f"the search index could not be built: {detail}", None,
                           "reinstall with `pip install .`, or report this with the message above")


def index_shards(shards: list[tuple[str, list[tuple[str, str]]]], language: str) -> list[list[str]]:
    """Index each (output folder, [(url, html document)…]) into its folder, one Pagefind
    index per shard; return each shard's files, as paths inside its folder.

    The index files come back over the pipe and are written here: Pagefind's own WriteFiles
    answers before its last writes reach the disk, so an index written by it can have empty
    files. Each shard gets a fresh Pagefind process (it starts in about 30 ms): one process
    kept for many shards grows by tens of megabytes a shard."""
    written = []
    for folder, documents in shards:
        service = PagefindService()
        try:
            index_id = service.wait(service.ask({"type": "NewIndex", "config": {"force_language": language}}))["index_id"]
            added = [service.ask({"type": "AddFile", "index_id": index_id, "url": url, "file_path": None,
                                  "file_contents": document}) for url, document in documents]
            for number in added:
                service.wait(number)
            files = service.wait(service.ask({"type": "GetFiles", "index_id": index_id})).get("files") or []
        finally:
            service.close()
        written.append(_write_files(Path(folder), files))
    return written


def _write_files(folder: Path, files: list[dict]) -> list[str]:
    for file in files:
        relative = PurePosixPath(file["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise ContentError("pagefind", f"the search index named an unexpected file ({file['path']})", None,
                               "reinstall with `pip install .`, or report this with the message above")
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"]))
    return [file["path"] for file in files]
