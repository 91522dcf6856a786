"""``ecolint web``: EcoIndex and Lighthouse audits of web pages, driven by Playwright.

Playwright is imported only when an audit runs, so importing this package stays cheap.
Entry points: ``run_web_audit(urls, AuditOptions)`` → ``WebReport``; the report's JSON
contract and its loader are in ``ecolint.web.model``.
"""
