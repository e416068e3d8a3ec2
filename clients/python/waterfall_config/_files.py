"""The lock protocol and durable file writes, exactly as Waterfall's Java file kernel does them:
an exclusive POSIX record lock on ``<file>.lock`` (never ``flock``, which Linux keeps apart from
POSIX locks), a temp file in the same folder, ``fsync``, ``rename``, ``fsync`` of the folder."""

import contextlib
import errno
import fcntl
import os
import secrets
import signal
import threading

from .errors import StoreUnavailableError

LOCK_TIMEOUT = 30.0


def ensure_folder(folder):
    """Creates missing folders 0700, as the first write does in Java."""
    if not os.path.isdir(folder):
        os.makedirs(folder, mode=0o700, exist_ok=True)


def data_path(path):
    """Where a store's data lives: a symbolic link is followed to its target, the lock beside it."""
    if os.path.islink(path):
        target = os.readlink(path)
        return os.path.normpath(os.path.join(os.path.dirname(path), target))
    return path


_THREAD_LOCKS = {}
_THREAD_LOCKS_GUARD = threading.Lock()


def _thread_lock(path):
    """The lock that keeps this process's threads apart: a POSIX record lock belongs to the process,
    so two threads would both hold it at once."""
    key = os.path.realpath(path)
    with _THREAD_LOCKS_GUARD:
        lock = _THREAD_LOCKS.get(key)
        if lock is None:
            lock = _THREAD_LOCKS[key] = threading.Lock()
        return lock


@contextlib.contextmanager
def locked(path, timeout=LOCK_TIMEOUT):
    """Holds the exclusive record lock of the store ``path`` (``<path>.lock``) for the block, and
    this process's lock of it, so threads of one program exclude each other too."""
    thread_lock = _thread_lock(path)
    if not thread_lock.acquire(timeout=timeout):
        raise StoreUnavailableError(f"{path} is locked by another thread for more than {timeout:.0f} s; try again later")
    try:
        with _locked(path, timeout):
            yield
    finally:
        thread_lock.release()


@contextlib.contextmanager
def _locked(path, timeout):
    ensure_folder(os.path.dirname(os.path.abspath(path)))
    lock_path = path + ".lock"
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as e:
        raise StoreUnavailableError(f"cannot open the lock file {lock_path}: {e.strerror}; check the folder's permissions") from None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.EACCES):
                raise StoreUnavailableError(f"cannot lock {lock_path}: {e.strerror}") from None
            _wait_for_lock(fd, path, lock_path, timeout)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class _LockTimeout(Exception):
    pass


def _wait_for_lock(fd, path, lock_path, timeout):
    """Waits in the kernel's queue (F_SETLKW), as Java's writers do, so no writer starves; in the main
    thread an interval timer ends the wait after ``timeout`` seconds."""
    use_timer = threading.current_thread() is threading.main_thread()
    previous = None
    if use_timer:
        def expired(signum, frame):
            raise _LockTimeout()
        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX)
    except _LockTimeout:
        raise StoreUnavailableError(f"{path} is locked by another writer for more than {timeout:.0f} s "
                                    f"(the lock file {lock_path}); try again later") from None
    finally:
        if use_timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def fsync_folder(folder):
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(path, content):
    """Replaces ``path`` with ``content`` atomically and durably: a reader sees the old file or the
    new one, never a mix, and the new one survives a power cut once this returns."""
    folder = os.path.dirname(os.path.abspath(path))
    ensure_folder(folder)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o600
    tmp = os.path.join(folder, "." + os.path.basename(path) + "." + secrets.token_hex(6) + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        try:
            view = memoryview(content)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_folder(folder)


def read_bytes(path):
    """The file's bytes, or None when it does not exist."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def append(path, content, sync=False):
    """Appends ``content`` with one write to a file opened O_APPEND (created 0600)."""
    created = not os.path.exists(path)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        view = memoryview(content)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)
    if created and sync:
        fsync_folder(os.path.dirname(os.path.abspath(path)))


def drop_torn_tail(path):
    """Cuts off a last line without its newline (a writer died mid-append), as Java does before appending."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW)
    except FileNotFoundError:
        return
    try:
        size = os.fstat(fd).st_size
        if size == 0:
            return
        if os.pread(fd, 1, size - 1) == b"\n":
            return
        data = os.pread(fd, size, 0)
        os.ftruncate(fd, data.rfind(b"\n") + 1)
    finally:
        os.close(fd)
