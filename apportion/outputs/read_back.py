"""Reading back a folder apportion writes, trusting nothing in it.

By the time apportion reads a folder of outputs again (to replace it with ``--force``, or to
``verify`` it), the folder may hold anything: a file changed by hand, a symbolic link to a
secret, a device that never ends, a file far larger than any apportion writes, a
datapackage.json edited to claim files apportion never wrote. So it reads only regular
files directly in the folder, opened without following a link, each no larger than the
caller allows and read no further; and datapackage.json only once its size and how deeply
it nests are known to be within bounds.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from apportion.model import OutputError
from apportion.model.names import LEDGER_FOLDER, MANIFEST_NAME, is_ledger_name

PACKAGE_MOST = 4 << 20  # bytes of a datapackage.json read; the largest run's is a small fraction of this
DEPTH_MOST = 32  # how deeply a datapackage.json may nest; apportion's own nest 6 deep
BLOCK = 1 << 20


class Kind(StrEnum):
    """What an entry of a folder is, as its own entry says (a link is not followed)."""

    FILE = "a file"
    LINK = "a symbolic link"
    FOLDER = "a folder"
    OTHER = "a device, pipe or socket"


class Entry(NamedTuple):
    """An entry directly in a folder: its name, what it is, and its size in bytes."""

    name: str
    kind: Kind
    size: int


class Unreadable(OutputError):
    """A file of the folder that apportion will not read: not a regular file, too large, or
    not what it writes. The message says what it is, to follow the file's name."""


def entries(folder: Path) -> list[Entry]:
    """Everything directly in ``folder``, by name, links not followed."""
    found = []
    with os.scandir(folder) as listing:
        for entry in listing:
            mode = entry.stat(follow_symlinks=False)
            found.append(Entry(entry.name, kind_of(mode.st_mode), mode.st_size))
    return sorted(found)


def kind_of(mode: int) -> Kind:
    if stat.S_ISLNK(mode):
        return Kind.LINK
    if stat.S_ISREG(mode):
        return Kind.FILE
    return Kind.FOLDER if stat.S_ISDIR(mode) else Kind.OTHER


def plain_name(name: str) -> bool:
    """A name directly in the folder: not empty, '.' or '..', with no separator or NUL."""
    return bool(name) and name not in (".", "..") and not any(c in name for c in "/\\\x00")


def ledger_entries(folder: Path) -> list[Entry]:
    """Everything in ``folder``'s ledger/ (which must be a folder, not a link), named as
    datapackage.json names a member's ledger (ledger/thames-valley.csv)."""
    return [entry._replace(name=f"{LEDGER_FOLDER}/{entry.name}") for entry in entries(folder / LEDGER_FOLDER)]


def opened(folder: Path, name: str) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file ``name`` in ``folder`` (or a member's ledger in its
    ledger/), opened without following a link or waiting on a pipe, and its status;
    Unreadable if it is anything else."""
    within = None
    if is_ledger_name(name):
        within, name = LEDGER_FOLDER, name.split("/", 1)[1]
    if not plain_name(name):
        raise Unreadable("is not the name of a file in the folder")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        if within is None:
            descriptor = os.open(folder / name, flags | os.O_CLOEXEC)
        else:  # the file in ledger/, itself opened as a folder that is not a link
            parent = os.open(folder / within, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC)
            try:
                descriptor = os.open(name, flags | os.O_CLOEXEC, dir_fd=parent)
            finally:
                os.close(parent)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            raise Unreadable(f"is {Kind.LINK}" if error.errno == errno.ELOOP else "is not in a folder") from None
        raise Unreadable(f"cannot be read: {error.strerror or error}") from None
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        os.close(descriptor)
        raise Unreadable(f"is {kind_of(status.st_mode)}")
    return descriptor, status


def read_file(folder: Path, name: str, most: int) -> bytes:
    """The bytes of the regular file ``name`` directly in ``folder``; Unreadable if it is not
    one, or holds more than ``most`` bytes (then not read at all)."""
    descriptor, status = opened(folder, name)
    with os.fdopen(descriptor, "rb") as stream:
        if status.st_size > most:
            raise Unreadable(f"is {status.st_size:,} bytes, more than apportion reads here ({most:,})")
        data = stream.read(most + 1)
    if len(data) != status.st_size:
        raise Unreadable("changed while it was read")
    return data


def digest_of(folder: Path, name: str) -> str:
    """The SHA-256 of the regular file ``name`` directly in ``folder``, read a block at a time."""
    descriptor, _status = opened(folder, name)
    digest = hashlib.sha256()
    with os.fdopen(descriptor, "rb") as stream:
        for block in iter(lambda: stream.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def read_package(folder: Path) -> dict[str, Any]:
    """The folder's datapackage.json, parsed once its size and nesting are within bounds."""
    return parse_json(read_file(folder, MANIFEST_NAME, PACKAGE_MOST))


SPECIAL = re.compile(r'[\[\]{}"\\]')


def parse_json(data: bytes) -> dict[str, Any]:
    """A JSON object from bytes nesting no more than DEPTH_MOST deep (numbers with a point
    read exactly, as Decimal); Unreadable naming what is wrong otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Unreadable(f"is not UTF-8 text (byte {error.start})") from None
    if nesting(text) > DEPTH_MOST:
        raise Unreadable(f"nests more than {DEPTH_MOST} levels deep, as no file apportion writes does")
    try:
        value = json.loads(text, parse_float=Decimal)
    except ValueError as error:
        raise Unreadable(f"is not JSON ({error})") from None
    if not isinstance(value, dict):
        raise Unreadable("is not a JSON object")
    return value


def nesting(text: str) -> int:
    """How deeply the arrays and objects of JSON text nest, at most DEPTH_MOST + 1 (then it
    stops looking): one pass over the brackets and quotes, strings skipped."""
    depth = deepest = 0
    in_string = False
    skip = -1  # the character after a backslash in a string is escaped
    for match in SPECIAL.finditer(text):
        at, char = match.start(), match.group()
        if at < skip:
            continue
        if in_string:
            if char == "\\":
                skip = at + 2
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > DEPTH_MOST:
                break
        elif char in "]}":
            depth -= 1
    return deepest
