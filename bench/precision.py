"""Which findings are worth acting on? The default configuration on real applications.

Lints each application of ``bench/precision/corpus*.toml`` (Django, FastAPI, Celery, PyTorch
training, asyncio code bases, pinned by commit) the way a new user would: ``Settings(root=
app_root)`` and the default rule selection, with the test suites, migrations and scripts
left in the linted tree; the engine's file-kind policy decides which rules apply where, and
``ecolint.lint.visibility.meets_bar`` which findings the default output shows. Then:

- counts the findings per rule, per application and per file kind: shown by default,
  hidden as low confidence (same file-kind policy), and what ``--show-all`` reports (the
  default rules on every file kind, every confidence: the effect of the file-kind policy). The
  ``--show-all`` pass is a second lint of the corpus, cached like the first;
- draws a seeded sample of up to ``--sample`` findings per rule, ONLY from the findings
  shown by default. A finding's place in the sample is decided by a hash of the seed, rule,
  location and flagged line alone, so a rule change that removes a false alarm keeps the
  rest of the sample and its judgments;
- merges the judgments of ``bench/precision/apps-*.toml``, matched by rule, location
  (``app/relative/path.py:line``) and the flagged line's text (stripped): a judgment whose
  line has moved or changed no longer matches and the finding is unjudged;
- writes ``bench/precision.md``: the corpus, findings per rule and per kind, precision per
  rule, per kind and overall (true / judged), the top causes of false alarms, the rules
  under the 50 % bar, the unjudged sampled findings (never counted as true) and the sample,
  next to the figures of the baseline measurement (``bench/precision/baseline.toml``).

A finding is **true** only when the pattern is there AND the suggested change saves work,
memory or energy in a realistic run: the size is data-dependent, the code is on a path that
runs, and the advice is right for that framework. Judgment files hold ``[[finding]]`` tables
with ``rule``, ``location``, ``code``, ``verdict`` (``"true"`` or ``"false"``), ``cause``
(for a false one, a tag of ``CAUSES``) and ``why`` (one line).

``--extract`` brings the corpus into ``--corpus`` (default ``../corpus/apps``, beside the
checkout): from the bare git directories under ``--mirrors`` (``<owner>+<name>/repo``, as
the fetch tool leaves them) when there, else by ``git fetch --depth 1`` of the pinned
commit. ``--todo`` prints a TOML stub per unjudged sampled finding. Run: ``.venv/bin/python
bench/precision.py`` (lint results are cached per file content and engine+rules source, so a
rerun after judging takes seconds; a cold run, both passes, took 7 minutes on 2 shared
cores).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from precision_report import CAUSES, AppRow, Judgment, RuleRow, Sampled, render, toml_stub

from ecolint.config.settings import Settings
from ecolint.lint.registry import Selection, all_rules
from ecolint.lint.runner import kind_policy, lint_paths
from ecolint.lint.visibility import meets_bar
from ecolint.results import Finding

HERE = Path(__file__).resolve().parent
JUDGMENTS = HERE / "precision"
CORPUS_LISTS = "corpus*.toml"  # corpus.toml and one corpus-<batch>.toml per later batch
BASELINE = JUDGMENTS / "baseline.toml"  # the figures before the issue-16 rule work
OUTPUT = HERE / "precision.md"
# Real code is measured, never committed: it lives beside the checkout, not inside it.
CORPUS = HERE.parents[1] / "corpus" / "apps"
MIRRORS = HERE.parents[1] / ".mirror"  # bare git directories <owner>+<name>/repo
VERDICTS = ("true", "false")
# What an extraction keeps: Python sources, and what tells a project's layout.
KEPT_SUFFIXES = (".py", ".pyi")
KEPT_NAMES = ("pyproject.toml", "setup.cfg", ".gitignore")
STAMP = ".precision-commit"


class JudgmentError(ValueError):
    """A judgment or corpus file that cannot be read as the documented format."""


@dataclass(frozen=True)
class App:
    name: str
    repo: str
    commit: str
    kind: str
    paths: tuple[str, ...]

    @property
    def mirror_name(self) -> str:
        owner, name = self.repo.rstrip("/").removesuffix(".git").split("/")[-2:]
        return f"{owner}+{name}"


def load_corpus(folder: Path) -> list[App]:
    """Every application of ``corpus.toml`` and of the ``corpus-<batch>.toml`` files."""
    apps = []
    for path in sorted(folder.glob(CORPUS_LISTS)):
        apps += _corpus_file(path)
    names = [app.name for app in apps]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise JudgmentError(f"applications listed twice: {', '.join(repeated)}")
    return apps


def _corpus_file(path: Path) -> list[App]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    apps = []
    for entry in data.get("app", []):
        missing = {"name", "repo", "commit", "kind", "paths"} - set(entry)
        if missing:
            raise JudgmentError(f"{path.name}: {entry.get('name')}: missing {sorted(missing)}")
        apps.append(
            App(entry["name"], entry["repo"], entry["commit"], entry["kind"], tuple(entry["paths"]))
        )
    return apps


# -- extraction ---------------------------------------------------------------------------


def _git(git_dir: Path, *args: str, stdin: str | None = None) -> str:
    command = ["git", f"--git-dir={git_dir}", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, check=True).stdout


def _git_dir(app: App, mirrors: Path, scratch: Path) -> Path:
    """A git directory that has ``app.commit``: the mirror if there, else a shallow fetch."""
    mirror = mirrors / app.mirror_name / "repo"
    if mirror.is_dir():
        return mirror
    git_dir = scratch / app.name
    if not git_dir.is_dir():
        subprocess.run(["git", "init", "--bare", "--quiet", str(git_dir)], check=True)
    _git(git_dir, "fetch", "--depth", "1", "--quiet", app.repo, app.commit)
    return git_dir


def _kept_files(git_dir: Path, app: App) -> list[str]:
    """The files of ``app.paths`` to extract, with root config files; blobs missing from
    the snapshot (the fetch tool leaves out files of 4 MiB and more) are skipped."""
    listed = _git(git_dir, "ls-tree", "-r", "--name-only", app.commit).splitlines()
    roots = tuple(p.rstrip("/") for p in app.paths)

    def wanted(name: str) -> bool:
        inside = "." in roots or any(name == r or name.startswith(r + "/") for r in roots)
        kept = name.endswith(KEPT_SUFFIXES) or name.rsplit("/", 1)[-1] in KEPT_NAMES
        return kept and (inside or name in KEPT_NAMES)

    names = [n for n in listed if wanted(n)]
    checks = _git(
        git_dir, "cat-file", "--batch-check", stdin="".join(f"{app.commit}:{n}\n" for n in names)
    ).splitlines()
    return [n for n, check in zip(names, checks, strict=True) if not check.endswith("missing")]


def extract(app: App, target: Path, mirrors: Path, scratch: Path) -> None:
    if (target / STAMP).is_file() and (target / STAMP).read_text().strip() == app.commit:
        return
    git_dir = _git_dir(app, mirrors, scratch)
    files = _kept_files(git_dir, app)
    if target.exists():  # another commit, or a partial extraction: start clean
        shutil.rmtree(target)
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", f"--git-dir={git_dir}", "archive", app.commit, "--", *files],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    (target / STAMP).write_text(app.commit + "\n")
    print(f"extracted {app.name} @ {app.commit[:12]}: {len(files)} files", file=sys.stderr)


# -- linting and sampling -----------------------------------------------------------------


def source_stamp() -> str:
    """A hash of the engine's and rules' sources: the lint cache's own key also covers
    helper modules this way (its key only stats each rule's own file)."""
    import ecolint
    import ecolint_rules

    digest = hashlib.sha256()
    for package in (ecolint, ecolint_rules):
        for path in sorted(Path(next(iter(package.__path__))).rglob("*.py")):
            digest.update(path.as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _sampled(finding: Finding, app: App, base: Path, shown: bool) -> Sampled:
    relative = (Path.cwd() / finding.path).resolve().relative_to(base)
    return Sampled(
        finding.code,
        f"{app.name}/{relative.as_posix()}:{finding.line}",
        finding.line_text.strip(),
        finding.message,
        finding.kind,
        finding.confidence,
        shown,
    )


def lint(
    app: App, root: Path, cache: Path | None, jobs: int | None
) -> tuple[list[Sampled], list[Sampled], AppRow]:
    """The application's findings under the default configuration (shown, and hidden as
    low confidence), those of ``--show-all`` (every rule on every kind), and its row.

    The default output drops low-confidence findings and keeps only their count, so the
    hidden ones are read from the ``--show-all`` pass: low-confidence findings of rules the
    default file-kind policy applies to their file's kind. Their number is checked against
    the engine's own count (``LintReport.hidden``)."""
    started = time.perf_counter()
    settings = Settings(root=root)
    paths = [root / p for p in app.paths]
    report = lint_paths(paths, settings, jobs=jobs, cache_dir=cache)
    middle = time.perf_counter()
    every = lint_paths(paths, settings, jobs=jobs, cache_dir=cache, show_all=True)
    base = root.resolve()
    shown = [_sampled(f, app, base, meets_bar(f)) for f in report.findings]
    shown_keys = {s.key for s in shown}
    rules = Selection(settings.select, settings.extend_select, settings.ignore).resolve()
    policy = kind_policy(settings, rules, show_all=False)
    everywhere, hidden = [], []
    for finding in every.findings:
        item = _sampled(finding, app, base, False)
        item = replace(item, shown=item.key in shown_keys)
        everywhere.append(item)
        if not meets_bar(finding) and item.rule not in policy.ignored_for(finding.kind):
            hidden.append(item)
    lines = 0
    for result in report.files:
        path = Path(result.path) if Path(result.path).is_absolute() else Path.cwd() / result.path
        with contextlib.suppress(OSError):
            lines += path.read_bytes().count(b"\n")
    errors = [f"{e.path}: {e.rule}: {e.message.splitlines()[-1]}" for e in report.errors]
    notes = []
    if len(hidden) != report.hidden:
        notes.append(
            f"{app.name}: {report.hidden} low-confidence findings hidden by the engine, "
            f"{len(hidden)} read from the --show-all pass (merged findings differ)"
        )
    row = AppRow(app.name, app.kind, app.commit, app.paths, len(report.files), lines)
    row.findings = len(shown) + len(hidden)
    row.shown = sum(s.shown for s in shown)
    row.hidden = report.hidden
    row.everywhere = len(everywhere)
    row.seconds = middle - started
    row.seconds_all = time.perf_counter() - middle
    row.errors = errors
    row.notes = notes
    return shown + hidden, everywhere, row


def sample(findings: list[Sampled], size: int, seed: str) -> list[Sampled]:
    def rank(item: Sampled) -> str:
        return hashlib.sha256(
            f"{seed}\0{item.rule}\0{item.location}\0{item.code}".encode()
        ).hexdigest()

    return sorted(sorted(findings, key=rank)[:size], key=lambda s: s.location)


def load_judgments(folder: Path) -> dict[tuple[str, str, str], Judgment]:
    judged: dict[tuple[str, str, str], Judgment] = {}
    for path in sorted(folder.glob("apps-*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise JudgmentError(f"{path}: {error}") from None
        entries = data.get("finding", [])
        if set(data) - {"finding"} or not isinstance(entries, list):
            raise JudgmentError(f"{path}: only [[finding]] tables are allowed")
        for number, entry in enumerate(entries, start=1):
            judgment = _judgment(entry, f"{path.name}, finding #{number}", path.name)
            key = (entry["rule"], entry["location"], entry["code"].strip())
            previous = judged.get(key)
            if previous is not None and previous.verdict != judgment.verdict:
                raise JudgmentError(f"{path.name}: contradicts {previous.source} on {key[1]}")
            judged[key] = judgment
    return judged


def _judgment(entry: dict, where: str, source: str) -> Judgment:
    missing = {"rule", "location", "code", "verdict", "why"} - set(entry)
    if missing:
        raise JudgmentError(f"{where}: missing {', '.join(sorted(missing))}")
    verdict, cause = entry["verdict"], entry.get("cause", "")
    if verdict not in VERDICTS:
        raise JudgmentError(f'{where}: verdict must be "true" or "false"')
    if verdict == "false" and cause not in CAUSES:
        raise JudgmentError(f"{where}: a false verdict needs a cause among {', '.join(CAUSES)}")
    if verdict == "true" and cause:
        raise JudgmentError(f"{where}: a true verdict has no cause")
    return Judgment(verdict, entry["why"], source, cause)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=10, help="findings sampled per rule")
    parser.add_argument("--seed", default="ecolint-apps-1")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--extract", action="store_true", help="bring the pinned corpus in")
    parser.add_argument("--mirrors", type=Path, default=MIRRORS)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--only",
        metavar="APPS",
        help="lint only these applications (comma-separated names); the report covers them alone",
    )
    parser.add_argument(
        "--todo",
        metavar="RULES",
        nargs="?",
        const="ALL",
        help="print TOML stubs of the unjudged sampled findings (of RULES: ids, comma-separated)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        apps = load_corpus(JUDGMENTS)
        judged = load_judgments(JUDGMENTS)
    except JudgmentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {app.name for app in apps}
        if unknown:
            print(f"error: not in the corpus lists: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        apps = [app for app in apps if app.name in wanted]
    if args.extract:
        for app in apps:
            extract(app, args.corpus / app.name, args.mirrors, Path("/tmp/precision-git"))
    absent = [a.name for a in apps if not (args.corpus / a.name).is_dir()]
    if absent:
        print(
            f"error: not in {args.corpus}: {', '.join(absent)} (run with --extract)",
            file=sys.stderr,
        )
        return 2
    stamp = source_stamp()
    cache = None if args.no_cache else Path("/tmp/precision-cache") / stamp
    found: list[Sampled] = []
    everywhere: list[Sampled] = []
    app_rows = []
    for app in apps:
        findings, every, row = lint(app, args.corpus / app.name, cache, args.jobs)
        print(
            f"{app.name}: {row.files} files, {row.lines} lines, {row.shown} findings shown, "
            f"{row.hidden} hidden (low confidence), {row.everywhere} with --show-all; "
            f"{row.seconds:.1f} s + {row.seconds_all:.1f} s",
            *row.notes,
            file=sys.stderr,
            sep="\n  ",
        )
        found += findings
        everywhere += every
        app_rows.append(row)
    rows = rule_rows(found, everywhere, judged, args.sample, args.seed)
    facts = {
        "size": args.sample,
        "seed": args.seed,
        "stamp": stamp,
        "everywhere": everywhere,
        "judged": judged,
        "baseline": tomllib.loads(BASELINE.read_text()) if BASELINE.is_file() else None,
    }
    args.output.write_text(render(rows, app_rows, found, judged, facts), encoding="utf-8")
    print(f"wrote {args.output} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if args.todo:
        wanted = None if args.todo == "ALL" else set(args.todo.upper().split(","))
        for row in rows:
            if wanted is None or row.code in wanted:
                for s in row.sample:
                    if s.key not in judged:
                        print(toml_stub(s))
    return 0


def rule_rows(
    found: list[Sampled],
    everywhere: list[Sampled],
    judged: dict[tuple[str, str, str], Judgment],
    size: int,
    seed: str,
) -> list[RuleRow]:
    by_rule: dict[str, list[Sampled]] = defaultdict(list)
    for item in found:
        by_rule[item.rule].append(item)
    every = Counter(item.rule for item in everywhere)
    rows = []
    for rule in all_rules():
        findings = by_rule.pop(rule.code, [])
        shown = [s for s in findings if s.shown]
        row = RuleRow(
            rule.code,
            rule.name,
            rule.opt_in,
            Counter(s.location.split("/", 1)[0] for s in shown),
            len(findings),
            sample(shown, size, seed),
            everywhere=every[rule.code],
        )
        for s in row.sample:
            judgment = judged.get(s.key)
            if judgment is not None:
                row.true += judgment.verdict == "true"
                row.false += judgment.verdict == "false"
        rows.append(row)
    for code, findings in sorted(by_rule.items()):  # engine diagnostics (ECO0xx)
        shown = [s for s in findings if s.shown]
        per_app = Counter(s.location.split("/", 1)[0] for s in shown)
        row = RuleRow(code, "diagnostic", False, per_app, len(findings), [], every[code])
        rows.append(row)
    return rows


if __name__ == "__main__":
    sys.exit(main())
