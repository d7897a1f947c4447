"""The panel report: one self-contained HTML file for the screen and for A4 paper
(:mod:`apportion.outputs.report.html`), with its charts written as SVG here
(:mod:`apportion.outputs.report.svg`)."""
