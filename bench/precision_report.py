"""The records of ``bench/precision.py`` and the Markdown report it writes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ecolint.lint.themes import theme_of

RULE_BAR = 0.50  # every default rule: at least this, or opt-in (issue 16)
TARGET = 0.70  # overall and in application code
TESTS_AND_MIGRATIONS_MAX = 0.15  # share of the default findings
KINDS = ("app", "test", "migration", "script", "generated")
# Why a finding is not worth acting on: one tag per false judgment.
CAUSES = {
    "bounded-size": "the data is small by construction or by nature (constants, a guard, a cap)",
    "rarely-runs": "start-up, a hand-run command, an error path: the code runs once or seldom",
    "test-code": "a test or a test fixture",
    "migration": "a schema or data migration",
    "framework-semantics": "the framework needs the flagged form (save() one by one, signals)",
    "library-default": "the library already does it (httpx times out by default...)",
    "project-context": "the project's set-up voids the saving (it logs at that level...)",
    "wrong-advice": "the suggested change would break behaviour or would not save anything",
    "misdetected": "the pattern the rule describes is not there",
    "duplicate": "another finding reports the same problem at the same place",
    "negligible": "real and data-dependent, but the saving is tiny next to the work around it",
}


@dataclass(frozen=True)
class Sampled:
    """A finding of the corpus, identified as the judgment files name it."""

    rule: str
    location: str
    code: str
    message: str
    kind: str = "app"
    confidence: str = "high"
    shown: bool = True  # meets the bar of the default output

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.location, self.code)

    @property
    def app(self) -> str:
        return self.location.split("/", 1)[0]


@dataclass(frozen=True)
class Judgment:
    verdict: str
    why: str
    source: str
    cause: str = ""


@dataclass
class AppRow:
    name: str
    kind: str
    commit: str
    paths: tuple[str, ...]
    files: int
    lines: int
    findings: int = 0
    shown: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


@dataclass
class RuleRow:
    code: str
    name: str
    opt_in: bool
    per_app: Counter[str]  # findings shown by default, per application
    all_findings: int  # shown or not
    sample: list[Sampled]
    true: int = 0
    false: int = 0

    @property
    def shown(self) -> int:
        return sum(self.per_app.values())

    @property
    def judged(self) -> int:
        return self.true + self.false

    @property
    def precision(self) -> float | None:
        return self.true / self.judged if self.judged else None


def table_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


def _tally(items: list[tuple[Sampled, Judgment]]) -> tuple[int, int]:
    true = sum(j.verdict == "true" for _, j in items)
    return true, len(items)


def _judged_sample(rows: list[RuleRow], judged: dict) -> list[tuple[Sampled, Judgment]]:
    return [(s, judged[s.key]) for r in rows for s in r.sample if s.key in judged]


def _weighted(rows: list[RuleRow]) -> str:
    """Precision weighted by each rule's share of the default findings: what a user of the
    default output sees (the sample itself over-represents rare rules)."""
    weighted = [(r.precision, r.shown) for r in rows if r.precision is not None]
    volume = sum(v for _, v in weighted)
    return f"{sum(p * v for p, v in weighted) / volume:.1%}" if volume else "n/a"


def _summary(rows, apps, found, pairs) -> list[str]:
    shown = [s for s in found if s.shown]
    true, judged = _tally(pairs)
    app_true, app_judged = _tally([(s, j) for s, j in pairs if s.kind == "app"])
    tests_migrations = sum(s.kind in ("test", "migration") for s in shown)
    lines = sum(a.lines for a in apps)
    return [
        "## Summary",
        "",
        f"- Corpus: {len(apps)} applications, {sum(a.files for a in apps)} files, "
        f"{lines:,} lines; {len(found)} findings, {len(shown)} shown by default "
        f"({len(shown) * 1000 / lines if lines else 0:.2f} per 1,000 lines).",
        f"- **Precision of the judged sample: {ratio(true, judged)}** ({true} true of "
        f"{judged} judged; target {TARGET:.0%}); in application code: "
        f"{ratio(app_true, app_judged)} ({app_true}/{app_judged}).",
        f"- Weighted by each rule's volume of default findings: {_weighted(rows)}.",
        f"- Tests and migrations: {ratio(tests_migrations, len(shown))} of the default "
        f"findings ({tests_migrations} of {len(shown)}; target at most "
        f"{TESTS_AND_MIGRATIONS_MAX:.0%}).",
        f"- Default rules under {RULE_BAR:.0%}: "
        + (
            ", ".join(
                r.code
                for r in rows
                if not r.opt_in and r.precision is not None and r.precision < RULE_BAR
            )
            or "none"
        )
        + ".",
        "",
    ]


def _corpus(apps: list[AppRow]) -> list[str]:
    out = [
        "## The corpus",
        "",
        "Pinned in `bench/precision/corpus.toml`; each application is linted from its root with",
        "the default configuration, on the paths listed.",
        "",
        "| Application | Kind | Commit | Paths linted | Files | Lines | Findings | Shown |",
        "|---|---|---|---|---:|---:|---:|---:|",
    ]
    for a in apps:
        paths = ", ".join(f"`{p}`" for p in a.paths)
        out.append(
            f"| {a.name} | {a.kind} | `{a.commit[:12]}` | {paths} | {a.files} | "
            f"{a.lines:,} | {a.findings} | {a.shown} |"
        )
    total = (sum(a.files for a in apps), sum(a.lines for a in apps))
    out.append(
        f"| **total** | | | | {total[0]} | {total[1]:,} | {sum(a.findings for a in apps)} | "
        f"{sum(a.shown for a in apps)} |"
    )
    return [*out, ""]


def _kinds(found: list[Sampled], pairs) -> list[str]:
    every = Counter(s.kind for s in found)
    shown = Counter(s.kind for s in found if s.shown)
    out = [
        "## Findings and precision per file kind",
        "",
        "*All* counts every finding the engine reports (low-confidence ones too); *shown* is",
        "what the default output shows (`meets_bar`). Precision is over the judged sample",
        "(drawn per rule, so it leans towards the rarer rules).",
        "",
        "| Kind | All findings | Shown by default | Share of shown | Judged | True | Precision |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    total_shown = sum(shown.values())
    for kind in KINDS:
        true, judged = _tally([(s, j) for s, j in pairs if s.kind == kind])
        out.append(
            f"| {kind} | {every[kind]} | {shown[kind]} | {ratio(shown[kind], total_shown)} | "
            f"{judged} | {true} | {ratio(true, judged)} |"
        )
    return [*out, ""]


def _main_cause(row: RuleRow, judged: dict) -> str:
    causes = Counter(
        judged[s.key].cause for s in row.sample if s.key in judged and judged[s.key].cause
    )
    return ", ".join(f"{c} ({n})" for c, n in causes.most_common(2))


def _rules(rows: list[RuleRow], names: list[str], judged: dict) -> list[str]:
    out = [
        "## Findings and precision per rule",
        "",
        "Per application: findings shown by default. *All*: shown or hidden (low confidence).",
        "",
        "| Rule | Theme | "
        + " | ".join(names)
        + " | Shown | All | Sampled | True | False | Unjudged | Precision | Main causes |",
        "|---|---|" + "---:|" * (len(names) + 7) + "---|",
    ]
    for row in rows:
        if not row.all_findings and not row.opt_in:
            continue
        counts = " | ".join(str(row.per_app.get(n, 0)) for n in names)
        precision = f"{row.precision:.0%}" if row.precision is not None else "n/a"
        unjudged = len(row.sample) - row.judged
        opt = " (opt-in)" if row.opt_in else ""
        theme = theme_of(row.code) if row.name != "diagnostic" else "engine"
        out.append(
            f"| {row.code} `{row.name}`{opt} | {theme} | {counts} | {row.shown} | "
            f"{row.all_findings} | {len(row.sample)} | {row.true} | {row.false} | {unjudged} | "
            f"{precision} | {_main_cause(row, judged)} |"
        )
    silent = [r.code for r in rows if not r.all_findings and not r.opt_in]
    out += [
        "",
        f"Default rules without any finding on the corpus: {', '.join(silent) or 'none'}.",
        "",
    ]
    return out


def _causes(pairs) -> list[str]:
    false = [(s, j) for s, j in pairs if j.verdict == "false"]
    by_cause: dict[str, Counter[str]] = {}
    for s, j in false:
        by_cause.setdefault(j.cause, Counter())[s.rule] += 1
    out = [
        "## Causes of false alarms",
        "",
        "| Cause | Meaning | False alarms | Share | Rules |",
        "|---|---|---:|---:|---|",
    ]
    for cause, rules in sorted(by_cause.items(), key=lambda kv: -sum(kv[1].values())):
        count = sum(rules.values())
        listed = ", ".join(f"{r} ({n})" for r, n in rules.most_common())
        out.append(
            f"| {cause} | {CAUSES[cause]} | {count} | {ratio(count, len(false))} | {listed} |"
        )
    return [*out, ""]


def _under(rows: list[RuleRow], judged: dict) -> list[str]:
    out = [f"## Rules under {RULE_BAR:.0%}", ""]
    under = [r for r in rows if r.precision is not None and r.precision < RULE_BAR]
    out += [
        f"- {r.code} `{r.name}`{' (opt-in)' if r.opt_in else ''}: {r.precision:.0%} "
        f"({r.true}/{r.judged}); causes: {_main_cause(r, judged)}"
        for r in under
    ] or ["None."]
    return [*out, ""]


def _samples(rows: list[RuleRow], judged: dict) -> list[str]:
    pending = [s for r in rows for s in r.sample if s.key not in judged]
    out = ["## Sampled findings still unjudged", ""]
    out += [f"- {s.rule} `{s.location}`: `{table_cell(s.code)}`" for s in pending] or ["None."]
    out += ["", "## The samples", ""]
    for row in rows:
        if not row.sample:
            continue
        out += [
            f"### {row.code} `{row.name}`",
            "",
            "| Location | Kind | Verdict | Cause | Line | Why |",
            "|---|---|---|---|---|---|",
        ]
        for s in row.sample:
            j = judged.get(s.key)
            verdict = j.verdict if j else "**unjudged**"
            out.append(
                f"| `{s.location}` | {s.kind} | {verdict} | {j.cause if j else ''} | "
                f"`{table_cell(s.code)}` | {table_cell(j.why) if j else ''} |"
            )
        out.append("")
    return out


def render(
    rows: list[RuleRow], apps: list[AppRow], found: list[Sampled], judged: dict, facts: dict
) -> str:
    pairs = _judged_sample(rows, judged)
    names = [a.name for a in apps]
    out = [
        "# Precision of the rules on real applications",
        "",
        "Generated by `.venv/bin/python bench/precision.py` (do not edit; judge findings in",
        "`bench/precision/apps-*.toml`). Default configuration (`Settings(root=app_root)`, the",
        "default rules, the engine's file-kind policy), test suites, migrations and scripts",
        "left in the linted tree. Sample: up to "
        f"{facts['size']} findings per rule, drawn only from the findings the default output",
        f"shows, seed `{facts['seed']}`; precision = true / judged sampled findings (unjudged",
        f"findings are never counted). Engine and rules: source stamp `{facts['stamp']}`.",
        "",
        "A finding is **true** only when the pattern is there *and* the suggested change saves",
        "work, memory or energy in a realistic run: the size is data-dependent (not a loop over",
        "3 constants), the code is on a path that runs (not a hand-run script or a 3-row test",
        "fixture), and the advice is right for that framework. Every false judgment carries a",
        "cause (see *Causes of false alarms*).",
        "",
        *_summary(rows, apps, found, pairs),
        *_corpus(apps),
        *_kinds(found, pairs),
        *_rules(rows, names, judged),
        *_causes(pairs),
        *_under(rows, judged),
        *_samples(rows, judged),
    ]
    errors = [e for a in apps for e in a.errors]
    if errors:
        out += ["## Internal errors", ""] + [f"- {e}" for e in errors] + [""]
    return "\n".join(out).rstrip() + "\n"


def toml_stub(s: Sampled) -> str:
    code = s.code.replace("\\", "\\\\").replace('"', '\\"')
    message = s.message.replace("\n", " ")[:100]
    return (
        f'[[finding]]\nrule = "{s.rule}"\nlocation = "{s.location}"\ncode = "{code}"\n'
        f'verdict = ""   # {s.kind}; {message}\ncause = ""\nwhy = ""\n'
    )
