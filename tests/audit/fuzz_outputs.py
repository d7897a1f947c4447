"""Feed verify's readers of outputs random and mutated files: the workbooks, the CSV files,
the journal and datapackage.json of a real run, each changed at random, byte by byte or
part by part (coordinates at the sheet's edge, styles and strings that are not there,
merged areas over the whole sheet, entities, huge numbers, deep nesting, NULs, lines
without end), and a few whole folders with links and pipes among the files.

    python -m tests.audit.fuzz_outputs --seed 1 --cases 300

Prints one JSON line: the cases run, the failures (a traceback, a case over its time, a
message too long or too many), and the largest memory the process used (MiB). The test
runs it in a process of its own, so that the memory is the fuzz's alone.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import resource
import signal
import tempfile
import traceback
import zipfile
from pathlib import Path

SECONDS_A_CASE = 20  # a case taking longer is a hang
EDGES = [b"XFD1048576", b"A1048577", b"XFE1", b"A0", b"ZZZZZZ1", b"A99999999999", b"-1", b"", b"A1:XFD1048576", b"1:1048576"]
NUMBERS = [b"1e999999", b"-1e999999", b"NaN", b"inf", b"99999999999999999999", b"0x10", b"1" * 5000, b"-0"]


class Late(Exception):
    """A case ran past its time."""


def on_alarm(_signum: int, _frame: object) -> None:
    raise Late


def flipped(rng: random.Random, data: bytes, most: int = 8) -> bytes:
    edited = bytearray(data)
    for _ in range(rng.randint(1, most)):
        if edited:
            edited[rng.randrange(len(edited))] = rng.randrange(256)
    return bytes(edited)


def xml_mutated(rng: random.Random, xml: bytes) -> bytes:
    choice = rng.randrange(12)
    if choice == 0:
        return flipped(rng, xml)
    if choice == 10:  # values changed, as a hand at the keyboard changes them
        return re.sub(rb"<v>[0-9.]+</v>", lambda m: b"<v>%d</v>" % rng.randrange(10**9) if rng.random() < 0.2 else m[0], xml)
    if choice == 11:  # a cell typed anywhere on the sheet
        column = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(1, 3)))
        cell = f'<row r="{rng.randint(1, 1_048_576)}"><c r="{column}{rng.randint(1, 1_048_576)}"><v>7</v></c></row>'
        return xml.replace(b"</sheetData>", cell.encode() + b"</sheetData>", 1)
    if choice == 1:  # a coordinate at or past the sheet's edge
        return (
            xml.replace(b' r="', b' r="' + rng.choice(EDGES) + b'" x="', 1)
            if rng.random() < 0.5
            else (xml.replace(b'r="A1"', b'r="' + rng.choice(EDGES) + b'"'))
        )
    if choice == 2:  # a style, a shared string or a number that is not there
        return xml.replace(b' s="', b' s="99999', 1).replace(b"<v>", b"<v>" + rng.choice(NUMBERS), rng.randint(1, 5))
    if choice == 3:  # merged areas and links over the whole sheet
        span = b'<mergeCells count="1"><mergeCell ref="' + rng.choice(EDGES) + b'"/></mergeCells>'
        link = b'<hyperlinks><hyperlink ref="A1:XFD1048576" display="x"/></hyperlinks>'
        return xml.replace(b"</sheetData>", b"</sheetData>" + rng.choice([span, link]), 1)
    if choice == 4:  # an entity expanding itself
        laughs = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        return laughs + xml.split(b"?>", 1)[-1].replace(b"<v>", b"<v>&b;", 1)
    if choice == 5:
        return xml[: rng.randrange(len(xml) + 1)]
    if choice == 6:  # many cells, within the size verify reads
        row = b'<row r="9"><c r="A9"><v>1</v></c></row>'
        return xml.replace(b"</sheetData>", row * rng.randint(1, 20_000) + b"</sheetData>", 1)
    if choice == 7:
        return xml.replace(b't="s"', rng.choice([b't="e"', b't="b"', b't="d"', b't="inlineStr"', b't="str"', b't="zz"']))
    if choice == 8:  # hidden rows, columns and sheets
        return xml.replace(b"<row ", b'<row hidden="1" ', 3).replace(b'state="', b'state="veryHidden" x="', 1)
    return rng.randbytes(rng.randrange(2_000))


def workbook_mutated(rng: random.Random, data: bytes) -> bytes:
    choice = rng.randrange(7)
    if choice == 0:
        return rng.randbytes(rng.randrange(50_000))
    if choice == 1:
        return flipped(rng, data, 40)
    if choice == 2:
        return data[: rng.randrange(len(data))]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    if choice == 3:  # a part dropped, and another added
        parts.pop(rng.choice(sorted(parts)))
        parts[f"xl/extra{rng.randrange(9)}.xml"] = rng.randbytes(rng.randrange(3_000))
    elif choice == 4:  # a part far larger inflated than deflated
        parts[rng.choice(sorted(parts))] = b"\0" * rng.choice([1 << 20, 8 << 20, 40 << 20])
    else:
        sheets = [part for part in sorted(parts) if part.startswith("xl/worksheets/sheet")]
        for part in rng.sample(sheets if rng.random() < 0.7 else sorted(parts), rng.randint(1, 2)):
            parts[part] = xml_mutated(rng, parts[part])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def text_mutated(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    choice = rng.randrange(8)
    if choice == 0:
        return flipped(rng, data)
    if choice == 1:  # lines swapped, dropped, repeated
        for _ in range(rng.randint(1, 10)):
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        del lines[rng.randrange(len(lines))]
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
        return b"\n".join(lines)
    if choice == 2:
        return b"\0" * rng.randrange(1 << 21)
    if choice == 3:
        return b"\n" * rng.randrange(1 << 21)
    if choice == 4:
        return b"\r\x0b\x0c\x1c\x1d\x1e\xc2\x85\xe2\x80\xa8" * rng.randrange(50_000)
    if choice == 5:
        return data + rng.randbytes(rng.randrange(5_000))
    if choice == 6:
        return b"x" * rng.randrange(1 << 21)
    return b"\n".join(rng.sample(lines, len(lines)))


def json_mutated(rng: random.Random, data: bytes) -> bytes:
    choice = rng.randrange(6)
    if choice == 0:
        return flipped(rng, data)
    if choice == 1:
        depth = rng.randrange(1, 200_000)
        return b"[" * depth + b"]" * depth
    if choice == 2:
        return data[: rng.randrange(len(data))]
    package = json.loads(data)
    targets = [package, package["resources"], package["resources"][0], package["apportion"], package["apportion"]["asked"]]
    for _ in range(rng.randint(1, 6)):
        value = rng.choice([None, True, 1e308, -(10**300), "\x00", "\u202e", "x" * 100_000, [], {}, [[[[[]]]]], {"a": {"b": {}}}])
        target = rng.choice(targets)
        if isinstance(target, list) and target:
            target[rng.randrange(len(target))] = value
        elif isinstance(target, dict) and target:
            target[rng.choice(sorted(target))] = value
    text = json.dumps(package)
    return text.encode() if choice != 5 else text.replace("1e+308", "1e999999").encode()


def mutated(rng: random.Random, name: str, data: bytes) -> bytes:
    if name.endswith(".xlsx"):
        return workbook_mutated(rng, data)
    if name.endswith(".json"):
        return json_mutated(rng, data)
    return text_mutated(rng, data)


def fuzz(seed: int, cases: int) -> dict[str, object]:
    from apportion.audit.differences import MOST, explain
    from apportion.audit.verify import remade_run, verify
    from apportion.input.budget_file import load_budget
    from apportion.input.recorded_run import recorded_run
    from apportion.outputs.manifest import Run, recorded_files
    from apportion.outputs.read_back import Unreadable, parse_json
    from apportion.rules.calculate import apportion
    from tests.conftest import EXAMPLES

    result = apportion(load_budget(EXAMPLES / "east-midlands-2013-14.yaml"))
    remade = remade_run(result, Run(journal=True), parallel=False)
    files = {record.name: data for record, data in remade.files({}, lambda _name, data: data)}
    assert all(data is not None for data in files.values())
    rng = random.Random(seed)
    failures: list[str] = []
    signal.signal(signal.SIGALRM, on_alarm)
    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    for case in range(cases):
        name = rng.choice(sorted(files))
        expected = files[name]
        found = mutated(rng, name, expected)  # type: ignore[arg-type]
        signal.alarm(SECONDS_A_CASE)
        try:
            messages = explain(name, expected, found, "Nottinghamshire")  # type: ignore[arg-type]
            too_long = [str(m) for m in messages if len(str(m)) > 2_000]
            if not messages or len(messages) > MOST + 1 or too_long:
                failures.append(f"case {case} {name}: {len(messages)} messages, {len(too_long)} too long")
            if name.endswith(".json"):
                (work / "datapackage.json").write_bytes(found)
                with contextlib.suppress(Unreadable):
                    recorded_run(parse_json(found))
                with contextlib.suppress(Unreadable):
                    recorded_files(work)
            if case % 40 == 0:  # a whole folder now and then: mutated files, a link, a pipe
                failures += folder_case(case, rng, files, remade, verify)
        except Late:
            failures.append(f"case {case} {name}: over {SECONDS_A_CASE} s")
        except Exception:  # noqa: BLE001 - every traceback is a failure to report
            failures.append(f"case {case} {name}: {traceback.format_exc(limit=-3)}")
        finally:
            signal.alarm(0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"cases": cases, "failures": failures, "peak_mib": round(peak, 1)}


def folder_case(case: int, rng: random.Random, files: dict, remade: object, verify: object) -> list[str]:
    folder = Path(tempfile.mkdtemp(prefix=f"fuzz-folder-{case}-"))
    for name, data in files.items():
        (folder / name).write_bytes(mutated(rng, name, data) if rng.random() < 0.4 else data)
    odd = rng.choice(sorted(files))
    (folder / odd).unlink()
    kind = rng.randrange(3)
    if kind == 0:
        (folder / odd).symlink_to("/dev/zero")
    elif kind == 1:
        os.mkfifo(folder / odd)
    else:
        (folder / ".apportion-staging-x").mkdir()
    report = verify(folder, remade)  # type: ignore[operator]
    return [] if odd in report.files or report.stopped else [f"case {case}: {odd} ({kind}) not named"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=300)
    options = parser.parse_args()
    print(json.dumps(fuzz(options.seed, options.cases)))  # noqa: T201 - the report, read by the test


if __name__ == "__main__":
    main()
