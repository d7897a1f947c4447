"""Where each figure is written: the CSV files, the journal, provenance, the workbooks
(through apportion's own SpreadsheetML writer) and the all-or-nothing folder writer."""
