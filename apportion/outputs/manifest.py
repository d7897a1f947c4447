"""datapackage.json: what a run wrote, and from what, as a Frictionless Data Package.

Every folder apportion writes holds one, written last. It lists each file apportion wrote
there (its path, format, size in bytes and SHA-256), with a Table Schema for each CSV, and
records the run: apportion's version, the collaboration and year, the input files and their
hashes (paths relative to the budget file, so the same inputs give the same bytes wherever
the command runs), the source of each basis, and the scenario, what-ifs and shares file the
run was asked for, written as a budget file's scenario changes are. ``verify`` reruns what
it records; ``--force`` replaces only the files it lists.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from apportion.model import (
    VERSION,
    Budget,
    Change,
    IncomeChange,
    LineChange,
    ModelChange,
    SharesChange,
    SupportMethodChange,
    Without,
)
from apportion.model.money import plain
from apportion.model.names import MANIFEST_NAME, is_output_name
from apportion.model.records import BasisKind, ChargingModel
from apportion.outputs.provenance import Provenance, relative
from apportion.outputs.read_back import Unreadable, read_package

if TYPE_CHECKING:
    from apportion.rules.compare import Comparison
    from apportion.rules.sweep import Sweep

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FileRecord(NamedTuple):
    """A file a run wrote: its name in the folder, its size and its SHA-256."""

    name: str
    size: int
    sha256: str

    @classmethod
    def of(cls, name: str, data: bytes) -> FileRecord:
        return cls(name, len(data), hashlib.sha256(data).hexdigest())


class Field(NamedTuple):
    """A column of a CSV: its name, its Table Schema type and what it holds."""

    name: str
    type: str
    description: str


class Run(NamedTuple):
    """What a run was asked for, beyond the budget file: recorded so it can be rerun."""

    journal: bool = False
    kind: str = "run"  # run, compare, sweep, monitor or report
    period: str | None = None  # the period a monitoring report is for
    ledger: str | None = None  # the layout of the members' ledger journals, where asked
    compared: dict[str, str | None] | None = None  # a comparison's scenario compared from and other budget
    swept: dict[str, Any] | None = None  # a sweep's ranges, draws and seed
    report: Mapping[str, Any] | None = None  # what the panel report was asked to show (last year, a period, a sweep)


def both_sides(comparison: Comparison, before: Provenance, after: Provenance) -> Provenance:
    """A comparison's provenance as its datapackage.json records it: the after side's, with
    every input of both sides and the shares file given, named from the first budget's folder."""
    first = comparison.before.budget.input_files
    base = Path(first[0].path).parent if first else Path()
    theirs = [(relative(f.path, base), f.sha256) for f in comparison.after.budget.input_files]
    inputs = (*before.inputs, *(entry for entry in theirs if entry not in before.inputs))
    return after._replace(inputs=inputs, shares_given=before.shares_given)


def compared(comparison: Comparison) -> dict[str, str | None]:
    """What a comparison compared from: the scenario, and the other budget file, if another
    (relative to the first budget's folder)."""
    sides = (comparison.before.budget, comparison.after.budget)
    first, other = (budget.input_files[0].path if budget.input_files else "" for budget in sides)
    named = relative(other, Path(first).parent) if other and first and Path(other).absolute() != Path(first).absolute() else None
    return {"from_scenario": comparison.before.budget.scenario_name, "other": named}


def swept(sweep: Sweep) -> dict[str, Any]:
    """What a sweep varied, as its options are typed (TARGET=FROM%:TO%:STEP%), with its draws and seed."""
    ranges = []
    for factor in sweep.factors:
        span = f"{plain(factor.start)}%:{plain(factor.stop)}%:{plain(factor.step)}%"
        ranges.append({"input": factor.input.value, "range": f"{factor.target}={span}" if factor.target else span})
    return {"ranges": ranges, "draws": sweep.draws, "seed": sweep.seed}


def write_package(folder: Path, files: Sequence[FileRecord], text: str) -> FileRecord:
    """Write datapackage.json beside the files it describes."""
    data = text.encode("utf-8")
    (folder / MANIFEST_NAME).write_bytes(data)
    return FileRecord.of(MANIFEST_NAME, data)


def package_text(
    title: str,
    files: Sequence[FileRecord],
    schemas: Mapping[str, tuple[Sequence[Field], Sequence[str]]],
    extra: Mapping[str, Any],
) -> str:
    """The Data Package as JSON text: a resource a file (CSV files with their Table Schema)."""
    resources = []
    for record in files:
        stem, _, suffix = record.name.rpartition(".")
        resource: dict[str, Any] = {"name": resource_name(stem), "path": record.name}
        if suffix == "csv":
            fields, key = schemas[record.name]
            resource |= {"type": "table", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv"}
            resource["encoding"] = "utf-8"
            resource["schema"] = {
                "fields": [{"name": f.name, "type": f.type, "description": f.description} for f in fields],
                **({"primaryKey": list(key)} if key else {}),
            }
        elif suffix == "xlsx":
            resource |= {"type": "file", "profile": "data-resource", "format": "xlsx", "mediatype": XLSX_TYPE}
        elif suffix == "html":
            resource |= {"type": "file", "profile": "data-resource", "format": "html", "mediatype": "text/html"}
            resource["encoding"] = "utf-8"
        else:
            resource |= {
                "type": "file",
                "profile": "data-resource",
                "format": suffix,
                "mediatype": "text/plain",
                "encoding": "utf-8",
            }
        resource |= {"bytes": record.size, "hash": f"sha256:{record.sha256}"}
        resources.append(resource)
    package = {"profile": "data-package", "name": resource_name(title), "title": title, "resources": resources, **extra}
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def resource_name(text: str) -> str:
    """A name a Data Package allows: lower case letters, digits, '-', '_' and '.'."""
    name = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in text.casefold())
    return "-".join(part for part in name.split("-") if part) or "outputs"


def run_record(budget: Budget, provenance: Provenance, run: Run) -> dict[str, Any]:
    """The run's provenance, as the package's own 'apportion' property."""
    return {
        "apportion": {
            "version": VERSION,
            "kind": run.kind,
            "collaboration": budget.collaboration,
            "year": budget.year,
            "scenario": provenance.scenario,
            **({"revisions": provenance.revisions} if provenance.revisions else {}),
            "asked": {
                "scenario": budget.scenario_name,
                "what_ifs": [change_entry(change, budget) for change in budget.what_ifs],
                **({"what_ifs_from": budget.what_ifs_from} if budget.what_ifs_from else {}),
                **({"revised_from": budget.revised_from.isoformat()} if budget.revised_from else {}),
                "shares": provenance.shares_given,
                "journal": run.journal,
                **({"ledger": run.ledger} if run.ledger else {}),
                **({"period": run.period} if run.period else {}),
                **({"report": dict(run.report)} if run.report is not None else {}),
                **({"compared": run.compared} if run.compared else {}),
                **({"sweep": run.swept} if run.swept else {}),
            },
            "inputs": [{"path": path, "hash": f"sha256:{digest}"} for path, digest in provenance.inputs],
            "sources": [{"basis": name, "source": text} for name, text in provenance.sources],
        }
    }


def change_entry(change: Change, budget: Budget) -> dict[str, Any]:
    """A change as a budget file's scenario writes it, so that it can be read back."""
    if isinstance(change, Without):
        return {"without": change.member}
    if isinstance(change, IncomeChange):
        if change.to is not None:
            return {"income": {"unit": change.unit, "to": str(change.to)}}
        by = f"{plain(change.percent)}%" if change.percent is not None else plain(change.amount or 0)
        return {"income": {"unit": change.unit, "change": by}}
    if isinstance(change, LineChange):
        return {"line": {"unit": change.unit, "line": change.line, "amount": str(change.amount)}}
    if isinstance(change, ModelChange):
        entry: dict[str, Any] = {"unit": change.unit, "model": change.model.value}
        if change.member is not None:
            entry["lead" if change.model is ChargingModel.LEAD_FORCE else "host"] = change.member
        if change.business_support is not None:
            entry["business_support"] = str(change.business_support)
        if change.levy_rate is not None:
            entry["levy_rate"] = f"{plain(change.levy_rate)}%"
        return {"model": entry}
    if isinstance(change, SupportMethodChange):
        return {"support_method": change.method.value}
    assert isinstance(change, SharesChange)  # noqa: S101 - every kind of change is above
    kind = budget.bases[change.basis].kind if change.basis in budget.bases else BasisKind.DRIVERS
    values = {m: f"{plain(w)}%" if kind is BasisKind.SHARES else plain(w) for m, w in change.weights.items()}
    return {"shares": {"basis": change.basis, "shares" if kind is BasisKind.SHARES else "drivers": values}}


def recorded_files(folder: Path) -> dict[str, str]:
    """The files datapackage.json in ``folder`` lists, by name, with their SHA-256.

    A claim, not a fact: Unreadable if it is not a manifest apportion could have written
    (not a regular file, too large or too deep, not JSON), or lists a path apportion never
    writes (empty, hidden, with a separator, a NUL or '..', but a member's ledger in ledger/),
    a name twice, or no SHA-256."""
    resources = read_package(folder).get("resources")
    if not isinstance(resources, list):
        raise Unreadable("lists no resources")
    files: dict[str, str] = {}
    for resource in resources:
        path = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(path, str) or not is_output_name(path) or path.startswith(".") or path == MANIFEST_NAME:
            raise Unreadable(f"lists {path!r}, which is not the name of a file apportion writes")
        if path in files:
            raise Unreadable(f"lists {path!r} twice")
        digest = str(resource.get("hash", "")).removeprefix("sha256:")
        if not SHA256.fullmatch(digest):
            raise Unreadable(f"gives {path!r} no SHA-256")
        files[path] = digest
    return files


SHA256 = re.compile("[0-9a-f]{64}")


def names_of(paths: Iterable[Path | str], most: int = 5) -> str:
    """'a.txt, b.txt and 3 more', for messages."""
    names = sorted(p.name if isinstance(p, Path) else p for p in paths)
    shown = ", ".join(names[:most])
    return f"{shown} and {len(names) - most} more" if len(names) > most else shown
