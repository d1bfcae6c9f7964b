"""Incident reports: one data model (``model``) rendered as Markdown, HTML, ICS-214 and JSON.

Pure renderers: they format a ``ReportData`` the report service gathered and never read the
workspace. The PDF is drawn by Qt from the HTML, so it lives in
``commander.ui.features.reports.report_pdf``.
"""
