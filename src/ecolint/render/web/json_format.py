"""The versioned JSON report (shape documented in ``ecolint.web.model``)."""

from __future__ import annotations

import json

from ecolint.web.model import WebReport, report_to_dict


def render_json(report: WebReport) -> str:
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
