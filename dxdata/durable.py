"""How the release code writes to disk so that a crash, a power loss or a second run cannot leave
a half-written or wrongly-numbered release: atomic replacement, fsync of files and their
directories, one writer at a time, and the named crash points the kill campaign uses.

See docs/reliability.md for what is guaranteed and which test shows it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

TMP_PREFIX = ".tmp-"
# Seconds a run waits for another run's lock before giving up (0: refuse at once).
LOCK_TIMEOUT_ENV = "DXDATA_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 600.0
# Test hook: SIGKILL this process at the Nth crash point it passes (see crash_point).
KILL_AT_ENV = "DXDATA_TEST_KILL_AT"
KILL_LOG_ENV = "DXDATA_TEST_KILL_LOG"

_passed = 0


def crash_point(name: str) -> None:
    """A place where a real crash could happen. With DXDATA_TEST_KILL_AT=N the process kills
    itself (SIGKILL, no cleanup, like a power cut of the process) at the Nth point it passes;
    with DXDATA_TEST_KILL_LOG=FILE it appends each point's name to FILE. Unset, this does nothing."""
    global _passed
    log = os.environ.get(KILL_LOG_ENV)
    at = os.environ.get(KILL_AT_ENV)
    if not (log or at):
        return
    _passed += 1
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{_passed}\t{name}\n")
    if at and int(at) == _passed:
        os.kill(os.getpid(), signal.SIGKILL)


def fsync_dir(folder: Path) -> None:
    """Make the folder's entries (a created, renamed or removed name) durable."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """fsync every file of a folder, then the folder itself."""
    for p in sorted(folder.iterdir()):
        if p.is_file():
            with p.open("rb") as fh:
                os.fsync(fh.fileno())
    fsync_dir(folder)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename: a reader sees the old or the new content, never
    a mix; after a power loss the file holds one of the two (file and folder are fsynced)."""
    tmp = path.with_name(f"{TMP_PREFIX}{path.name}.{uuid.uuid4().hex}")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        crash_point(f"{path.name}: written beside")
        os.replace(tmp, path)
        fsync_dir(path.parent)
        crash_point(f"{path.name}: replaced")
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


class LockBusy(RuntimeError):
    """Another run holds the lock and did not let go within the timeout."""


def lock_timeout(default: float = DEFAULT_LOCK_TIMEOUT) -> float:
    value = os.environ.get(LOCK_TIMEOUT_ENV)
    if value is None or not value.strip():
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        raise LockBusy(f"{LOCK_TIMEOUT_ENV}={value!r}: not a number of seconds") from None


def _holder(owner_file: Path) -> str:
    try:
        info = json.loads(owner_file.read_text(encoding="utf-8"))
        return f"pid {info['pid']} on {info['host']}, {info['what']}, since {info['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "a process that did not say who it is"


@contextmanager
def exclusive(lock_path: Path, what: str, *, timeout: float | None = None,
              on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold `lock_path` (an OS file lock, released by the kernel if the holder dies) while the
    block runs. If another process holds it, say who through `on_wait` (default: stderr) and
    wait up to `timeout` seconds (0: refuse at once), then raise LockBusy naming the holder."""
    timeout = lock_timeout() if timeout is None else timeout
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    owner = lock_path.with_name(lock_path.name + ".owner")
    lock = FileLock(str(lock_path), timeout=timeout)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = _holder(owner)
        if timeout > 0:
            say = on_wait or (lambda text: print(text, file=sys.stderr, flush=True))
            say(f"waiting up to {timeout:.0f} s for {lock_path}: held by {holder}")
            started = time.monotonic()
            try:
                lock.acquire(timeout=timeout)
            except Timeout:
                raise LockBusy(
                    f"{lock_path} is still held by {_holder(owner)} after {time.monotonic() - started:.0f} s; "
                    f"not starting {what}. Try again when that run has finished "
                    f"(or set {LOCK_TIMEOUT_ENV} to wait longer)."
                ) from None
        else:
            raise LockBusy(f"{lock_path} is held by {holder}; not starting {what} (another run is using this warehouse).") from None
    try:
        since = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        owner.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "what": what, "since": since}),
                         encoding="utf-8")
        yield
    finally:
        owner.unlink(missing_ok=True)
        lock.release()
