"""The panel report written on its own (``apportion report``): report.html and its
datapackage.json, all or nothing; and the same files made in memory, for ``verify``."""

from __future__ import annotations

from pathlib import Path

from apportion.model import Apportionment
from apportion.model.names import MANIFEST_NAME, REPORT_NAME
from apportion.outputs.folder import put, write_atomically
from apportion.outputs.manifest import FileRecord, Run, package_text, run_record
from apportion.outputs.provenance import Provenance, provenance_of
from apportion.rules.report_figures import PanelReport


def report_of(report: PanelReport, result: Apportionment) -> tuple[Provenance, bytes]:
    """The report's bytes, and the provenance it records: the run's, with the report's own
    inputs (last year's files, the actuals) beside the budget's."""
    from apportion.outputs.report.html import report_html  # jinja2: only a run with a report pays for importing it

    provenance = provenance_of(result, also=report.inputs)
    return provenance, report_html(report, provenance)


def report_files(report: PanelReport, result: Apportionment) -> list[tuple[str, bytes]]:
    """report.html and its datapackage.json (which records what the report was asked to show), by name, with their bytes."""
    budget = result.budget
    provenance, data = report_of(report, result)
    title = f"{budget.collaboration}, {budget.year}: panel report"
    extra = run_record(budget, provenance, Run(kind="report", report=report.asked))
    text = package_text(title, [FileRecord.of(REPORT_NAME, data)], {}, extra)
    return [(REPORT_NAME, data), (MANIFEST_NAME, text.encode("utf-8"))]


def write_report(report: PanelReport, result: Apportionment, out_dir: Path, *, force: bool = False) -> list[Path]:
    """report.html and its datapackage.json, all or nothing."""
    files = report_files(report, result)
    inputs = [f.path for f in (*result.budget.input_files, *report.inputs)]
    return write_atomically(out_dir, lambda folder: [put(folder, name, data) for name, data in files], force=force, inputs=inputs)
