"""The tech lead's dashboard: a static, self-contained HTML site built from the history.

``build_site(records, output, period, budgets)`` writes it; ``build_dashboard`` computes
what the pages show and ``render_site`` turns that into files, both without I/O.
"""

from __future__ import annotations

from ecolint.dashboard.model import Dashboard, build_dashboard
from ecolint.dashboard.site import SiteSummary, build_site, render_site

__all__ = ["Dashboard", "SiteSummary", "build_dashboard", "build_site", "render_site"]
