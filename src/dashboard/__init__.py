"""Bilateral-relations news dashboard.

raw documents --ingest/--> processed tables (tables/) --analysis/--> DataFrames --figures/-->
plotly figures --app/ and pages/--> the browser. See the README's "Layout" section.
"""
