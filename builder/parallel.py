"""Run a function over many items in forked worker processes.

The function is usually a closure over large, costly values (the Markdown instance, the
Jinja environment, the site index). A forked process inherits the closure as it is, so
nothing but the item numbers and the results crosses a pipe, and nothing has to be kept in
module-level state for the workers to find (multiprocessing.Pool would pickle the function).

A worker never outlives the build that started it: if the build is killed, its workers end
too (see _die_with), so nothing is left running that holds files open or writes into the
staging folder while the next build starts.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import threading
import time
import traceback
from multiprocessing.connection import wait
from typing import Callable

from builder.portable import linux_extras

# Below this many items the cost of forking is more than the work saved.
SERIAL_BELOW = 64
_PR_SET_PDEATHSIG = 1
# How often a worker without Linux's parent-death signal checks that its build is still alive.
WATCH_SECONDS = 0.2


class WorkerTraceback(Exception):
    """Where in a worker an error was raised (shown with --debug, below the error itself)."""


def fork_map(function: Callable[[int], object], count: int, jobs: int) -> list:
    """[function(0), …, function(count - 1)], in up to `jobs` forked workers."""
    if jobs <= 1 or count < SERIAL_BELOW or "fork" not in multiprocessing.get_all_start_methods():
        return [function(position) for position in range(count)]
    context = multiprocessing.get_context("fork")
    chunk = max(8, count // (jobs * 8))
    # Workers take the next chunk from a shared counter, so a slow chunk (a very long page)
    # does not leave the other core idle.
    counter = context.Value("i", 0)
    workers, pipes = [], []
    parent = os.getpid()
    for _ in range(min(jobs, (count + chunk - 1) // chunk)):
        receive, send = context.Pipe(duplex=False)
        # The worker closes every receiving end it inherited, its own included: were it to keep
        # one, a worker whose build was killed would block for ever writing to a pipe it holds itself.
        process = context.Process(target=_work, args=(function, count, chunk, counter, send, parent, [*pipes, receive]),
                                  daemon=True)
        process.start()
        send.close()  # the parent keeps only the receiving end, so EOF means the worker is gone
        workers.append(process)
        pipes.append(receive)
    results: list = [None] * count
    failure = None
    try:
        open_pipes = list(pipes)
        while open_pipes:
            for pipe in wait(open_pipes):
                try:
                    message = pipe.recv()
                except EOFError:
                    open_pipes.remove(pipe)
                    continue
                if message[0] == "done":
                    open_pipes.remove(pipe)
                elif message[0] == "error":
                    failure = failure or message
                else:
                    start, values = message[1], message[2]
                    results[start:start + len(values)] = values
    finally:
        for process in workers:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
    if failure is not None:
        _, problem, where = failure
        # The worker's own exception, so a full disk or a content error reads as it would with -j 1.
        if problem is not None:
            raise problem from WorkerTraceback(where)
        raise RuntimeError(f"a worker process failed:\n{where}")
    if any(process.exitcode not in (0, None) for process in workers):
        raise RuntimeError("a worker process stopped unexpectedly (out of memory?)")
    return results


def _work(function, count: int, chunk: int, counter, send, parent: int, receivers: list) -> None:
    for pipe in receivers:
        pipe.close()
    _die_with(parent)
    # The build pauses the cycle collector (builder.build), but Markdown and Jinja leave
    # cycles behind for every page: a worker that converts thousands would keep them all.
    gc.enable()
    try:
        while True:
            with counter.get_lock():
                start = counter.value
                counter.value = start + chunk
            if start >= count:
                break
            send.send(("chunk", start, [function(position) for position in range(start, min(start + chunk, count))]))
        send.send(("done",))
    except BaseException as problem:  # reported to the parent, which raises it there
        try:
            send.send(("error", _transportable(problem), traceback.format_exc()))
        except OSError:
            pass  # the parent is gone
    finally:
        try:
            send.close()
        finally:
            os._exit(0)  # skip the parent's atexit handlers and buffers inherited by the fork


def _transportable(problem: BaseException) -> BaseException | None:
    """problem, if it survives the pipe (a pickle) intact; else None and just its traceback."""
    try:
        copy = pickle.loads(pickle.dumps(problem))
    except Exception:
        return None
    return copy if type(copy) is type(problem) and str(copy) == str(problem) else None


def _die_with(parent: int) -> None:
    """End this worker as soon as the build process that forked it ends, however it ends.

    On Linux the kernel does it (PR_SET_PDEATHSIG); elsewhere, or with LOCALOFFER_PORTABLE=1,
    a thread notices the worker has a new parent (the build died and it was adopted)."""
    signalled = False
    if linux_extras():
        try:
            signalled = ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0
        except (OSError, AttributeError):
            signalled = False
    if os.getppid() != parent:  # the build died before the watch began
        os._exit(1)
    if not signalled:
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
