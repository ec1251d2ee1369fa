"""Run a function over many items in forked worker processes.

The function is usually a closure over large, costly values (the Markdown instance, the
Jinja environment, the site index). A forked process inherits the closure as it is, so
nothing but the item numbers and the results crosses a pipe, and nothing has to be kept in
module-level state for the workers to find (multiprocessing.Pool would pickle the function).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import traceback
from multiprocessing.connection import wait
from typing import Callable

# Below this many items the cost of forking is more than the work saved.
SERIAL_BELOW = 64


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
    for _ in range(min(jobs, (count + chunk - 1) // chunk)):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(function, count, chunk, counter, send), daemon=True)
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
                    failure = failure or message[1]
                else:
                    start, values = message[1], message[2]
                    results[start:start + len(values)] = values
    finally:
        for process in workers:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
    if failure is not None:
        raise RuntimeError(f"a worker process failed:\n{failure}")
    if any(process.exitcode not in (0, None) for process in workers):
        raise RuntimeError("a worker process stopped unexpectedly (out of memory?)")
    return results


def _work(function, count: int, chunk: int, counter, send) -> None:
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
    except BaseException:  # reported to the parent, which raises it there
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()
        os._exit(0)  # skip the parent's atexit handlers and buffers inherited by the fork
