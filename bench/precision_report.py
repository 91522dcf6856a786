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
    findings: int = 0  # under the default file-kind policy, every confidence
    shown: int = 0  # what the default output shows
    hidden: int = 0  # left out as low confidence (the engine's count)
    everywhere: int = 0  # --show-all: every rule on every file kind, every confidence
    seconds: float = 0.0  # the default pass
    seconds_all: float = 0.0  # the --show-all pass
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class RuleRow:
    code: str
    name: str
    opt_in: bool
    per_app: Counter[str]  # findings shown by default, per application
    all_findings: int  # shown or hidden as low confidence (default file-kind policy)
    sample: list[Sampled]
    everywhere: int = 0  # --show-all: every file kind, every confidence
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


def _baseline_summary(
    rows: list[RuleRow], found: list[Sampled], base: dict | None, judged_keys: dict
) -> list[str]:
    """The same figures before the rule work, from ``bench/precision/baseline.toml``."""
    if not base:
        return []
    b = base["summary"]
    judged = [v for v in base["rule"].values() if v["judged"]]
    volume = sum(v["shown"] for v in judged)
    weighted = sum(v["true"] / v["judged"] * v["shown"] for v in judged) / volume if volume else 0
    apps = set(b["apps"])
    now = [s for s in found if s.shown and s.location.split("/", 1)[0] in apps]
    now_judged = [s for s in now if s.key in judged_keys]
    now_true = sum(judged_keys[s.key].verdict == "true" for s in now_judged)
    return [
        f"- Baseline (rules of `{b['commit']}`, on the first {len(apps)} applications of the "
        f"corpus, same sample seed and yardstick): {b['shown']} findings shown, precision "
        f"{ratio(b['true'], b['judged'])} ({b['true']}/{b['judged']}), in application code "
        f"{ratio(b['app_true'], b['app_judged'])} ({b['app_true']}/{b['app_judged']}), "
        f"weighted {weighted:.1%}, tests and migrations {ratio(b['tests_migrations'], b['shown'])}"
        f" of the shown findings; now {len(now)} shown on those applications, "
        f"{now_true} of the {len(now_judged)} judged worth acting on "
        f"({ratio(now_true, len(now_judged))}).",
    ]


def _census(shown: list[Sampled], judged: dict) -> str:
    """Precision over every shown finding that has a verdict, sampled or not: once every
    shown finding is judged, this is what a user of the default output gets."""
    verdicts = [(s.kind, judged[s.key].verdict) for s in shown if s.key in judged]
    true = sum(v == "true" for _, v in verdicts)
    app = [v for kind, v in verdicts if kind == "app"]
    app_true = app.count("true")
    return (
        f"- Every shown finding with a verdict, sampled or not: {len(verdicts)} of "
        f"{len(shown)} judged, {true} true ({ratio(true, len(verdicts))}); in application "
        f"code: {app_true}/{len(app)} ({ratio(app_true, len(app))})."
    )


def _summary(rows, apps, found, everywhere, pairs, facts) -> list[str]:
    shown = [s for s in found if s.shown]
    judged_all = facts["judged"]
    hidden = sum(a.hidden for a in apps)
    true, judged = _tally(pairs)
    app_true, app_judged = _tally([(s, j) for s, j in pairs if s.kind == "app"])
    tests_migrations = sum(s.kind in ("test", "migration") for s in shown)
    every_tm = sum(s.kind in ("test", "migration") for s in everywhere)
    removed = len(everywhere) - len(found)
    lines = sum(a.lines for a in apps)
    return [
        "## Summary",
        "",
        f"- Corpus: {len(apps)} applications, {sum(a.files for a in apps)} files, "
        f"{lines:,} lines; {len(shown)} findings shown by default "
        f"({len(shown) * 1000 / lines if lines else 0:.2f} per 1,000 lines).",
        f"- Hidden as low confidence: {hidden} more findings of the same rules on the same "
        f"files ({ratio(hidden, hidden + len(shown))} of what the default file-kind policy "
        "finds; the saving depends on a size or a setting the rule cannot see).",
        f"- Every default rule on every file kind, every confidence (`--show-all`): "
        f"{len(everywhere)} findings, {every_tm} of them ({ratio(every_tm, len(everywhere))}) "
        f"in tests and migrations; the file-kind policy removes {removed} "
        f"({ratio(removed, len(everywhere))}).",
        f"- **Precision of the judged sample: {ratio(true, judged)}** ({true} true of "
        f"{judged} judged; target {TARGET:.0%}); in application code: "
        f"{ratio(app_true, app_judged)} ({app_true}/{app_judged}).",
        f"- Weighted by each rule's volume of default findings: {_weighted(rows)}.",
        _census(shown, judged_all),
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
        *_baseline_summary(rows, found, facts.get("baseline"), judged_all),
        f"- Lint time on this machine: {sum(a.seconds for a in apps):.0f} s for the default "
        f"pass, {sum(a.seconds_all for a in apps):.0f} s for the `--show-all` pass (a file "
        "whose content, engine and rules are unchanged is read from the cache).",
        "",
    ]


def _corpus(apps: list[AppRow]) -> list[str]:
    out = [
        "## The corpus",
        "",
        "Pinned in `bench/precision/corpus*.toml`; each application is linted from its root with",
        "the default configuration, on the paths listed.",
        "",
        "| Application | Kind | Commit | Paths linted | Files | Lines | Shown | Hidden (low) "
        "| `--show-all` |",
        "|---|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for a in apps:
        paths = ", ".join(f"`{p}`" for p in a.paths)
        out.append(
            f"| {a.name} | {a.kind} | `{a.commit[:12]}` | {paths} | {a.files} | "
            f"{a.lines:,} | {a.shown} | {a.hidden} | {a.everywhere} |"
        )
    total = (sum(a.files for a in apps), sum(a.lines for a in apps))
    out.append(
        f"| **total** | | | | {total[0]} | {total[1]:,} | {sum(a.shown for a in apps)} | "
        f"{sum(a.hidden for a in apps)} | {sum(a.everywhere for a in apps)} |"
    )
    return [*out, ""]


def _kinds(found: list[Sampled], everywhere: list[Sampled], pairs) -> list[str]:
    every = Counter(s.kind for s in everywhere)
    hidden = Counter(s.kind for s in found if not s.shown)
    shown = Counter(s.kind for s in found if s.shown)
    out = [
        "## Findings and precision per file kind",
        "",
        "*`--show-all`* is what the engine reports with every default rule on every file kind, low",
        "confidence included (the file-kind policy off); *hidden* are the low-confidence",
        "findings of the default policy; *shown* is what the default output shows",
        "(`meets_bar`). Precision is over the judged sample (drawn per rule, so it leans",
        "towards the rarer rules).",
        "",
        "| Kind | `--show-all` | Hidden (low) | Shown by default | Share of shown | Judged "
        "| True | Precision |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total_shown = sum(shown.values())
    for kind in KINDS:
        true, judged = _tally([(s, j) for s, j in pairs if s.kind == kind])
        out.append(
            f"| {kind} | {every[kind]} | {hidden[kind]} | {shown[kind]} | "
            f"{ratio(shown[kind], total_shown)} | {judged} | {true} | {ratio(true, judged)} |"
        )
    return [*out, ""]


def _main_cause(row: RuleRow, judged: dict) -> str:
    causes = Counter(
        judged[s.key].cause for s in row.sample if s.key in judged and judged[s.key].cause
    )
    return ", ".join(f"{c} ({n})" for c, n in causes.most_common(2))


def _baseline_cell(baseline: dict | None, code: str) -> str:
    entry = (baseline or {}).get("rule", {}).get(code)
    if not entry:
        return ""
    shown, judged, true = entry["shown"], entry["judged"], entry["true"]
    return f"{shown}, {true / judged:.0%}" if judged else f"{shown}, n/a"


def _rules(rows: list[RuleRow], names: list[str], judged: dict, baseline: dict | None) -> list[str]:
    out = [
        "## Findings and precision per rule",
        "",
        "Per application: findings shown by default. *Hidden*: low-confidence findings of the",
        "default policy. *`--show-all`*: every file kind, every confidence. *Baseline*: findings",
        "shown and precision before the rule work (`bench/precision/baseline.toml`).",
        "",
        "| Rule | Theme | "
        + " | ".join(names)
        + " | Shown | Hidden | `--show-all` | Sampled | True | False | Unjudged | Precision "
        "| Baseline | Main causes |",
        "|---|---|" + "---:|" * (len(names) + 9) + "---|",
    ]
    for row in rows:
        if not row.everywhere and not row.all_findings and not row.opt_in:
            continue
        counts = " | ".join(str(row.per_app.get(n, 0)) for n in names)
        precision = f"{row.precision:.0%}" if row.precision is not None else "n/a"
        unjudged = len(row.sample) - row.judged
        opt = " (opt-in)" if row.opt_in else ""
        theme = theme_of(row.code) if row.name != "diagnostic" else "engine"
        out.append(
            f"| {row.code} `{row.name}`{opt} | {theme} | {counts} | {row.shown} | "
            f"{row.all_findings - row.shown} | {row.everywhere} | {len(row.sample)} | "
            f"{row.true} | {row.false} | {unjudged} | "
            f"{precision} | {_baseline_cell(baseline, row.code)} | {_main_cause(row, judged)} |"
        )
    silent = [r.code for r in rows if not r.everywhere and not r.all_findings and not r.opt_in]
    out += [
        "",
        "Default rules without any finding on the corpus, even with `--show-all`: "
        f"{', '.join(silent) or 'none'}.",
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
    everywhere = facts["everywhere"]
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
        *_summary(rows, apps, found, everywhere, pairs, facts),
        *_corpus(apps),
        *_kinds(found, everywhere, pairs),
        *_rules(rows, names, judged, facts.get("baseline")),
        *_causes(pairs),
        *_under(rows, judged),
        *_samples(rows, judged),
    ]
    errors = [e for a in apps for e in a.errors]
    if errors:
        out += ["## Internal errors", ""] + [f"- {e}" for e in errors] + [""]
    notes = [n for a in apps for n in a.notes]
    if notes:
        out += ["## Checks that failed", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(out).rstrip() + "\n"


def toml_stub(s: Sampled) -> str:
    code = s.code.replace("\\", "\\\\").replace('"', '\\"')
    message = s.message.replace("\n", " ")[:100]
    return (
        f'[[finding]]\nrule = "{s.rule}"\nlocation = "{s.location}"\ncode = "{code}"\n'
        f'verdict = ""   # {s.kind}; {message}\ncause = ""\nwhy = ""\n'
    )
