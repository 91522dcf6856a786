"""How often is a finding a real waste? The whole catalogue on large real code bases.

Lints, with every rule on (opt-in ones too, like ``--select ALL``), a copy of the standard
library and the big packages installed in the test environment (pandas, Django, DRF,
SQLAlchemy, requests, httpx, aiohttp, numpy); their test suites are left out, because the
question is what a rule says about production code. Then, per rule:

- counts the findings per corpus;
- draws a seeded sample of ``--sample`` findings (all if fewer). A finding's place in the
  sample is decided by a hash of the seed, rule, location and line alone, so a rule change
  that removes a false alarm keeps the rest of the sample and its judgments;
- merges the human judgments of every ``bench/precision/*.toml`` file, matched by rule,
  location (``corpus/relative/path.py:line``) and the flagged line's text (stripped): a
  judgment whose line has moved or changed no longer matches and the finding is unjudged;
- writes ``bench/precision.md``: findings per rule, the sample with verdict and line,
  precision per rule and overall (true / judged), the rules under 90 %, and the sampled
  findings still unjudged (listed, never counted as true).

``--todo`` prints a TOML stub for each unjudged sampled finding, ready to fill in.
Judgment files hold ``[[finding]]`` tables with ``rule``, ``location``, ``code``,
``verdict`` (``"true"`` or ``"false"``) and ``why``. Run: ``.venv/bin/python
bench/precision.py`` (a few minutes on 2 cores; results are cached per file content and
rule source, so a rerun after judging is quick).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import site
import sys
import sysconfig
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from precision_report import Judgment, RuleRow, Sampled, render, toml_stub

from ecolint.config.settings import Settings
from ecolint.lint.registry import Selection, all_rules
from ecolint.lint.runner import lint_paths

HERE = Path(__file__).resolve().parent
JUDGMENTS = HERE / "precision"
OUTPUT = HERE / "precision.md"
PACKAGES = (
    "pandas",
    "django",
    "rest_framework",
    "sqlalchemy",
    "requests",
    "httpx",
    "aiohttp",
    "numpy",
)
# Test suites, relative to the corpus folder (stdlib) or by folder name (packages).
STDLIB_TESTS = (
    "test",
    "idlelib/idle_test",
    "tkinter/test",
    "ctypes/test",
    "unittest/test",
    "distutils/tests",
    "lib2to3/tests",
)
NOT_SOURCE = ("__pycache__", "site-packages", "lib-dynload")
VERDICTS = ("true", "false")


class JudgmentError(ValueError):
    """A judgment file that cannot be read as the documented format."""


@dataclass(frozen=True)
class Corpus:
    name: str
    folder: Path  # the folder linted; locations are "<name>/<path inside it>"
    excludes: tuple[str, ...]


def stdlib_copy(target: Path) -> Path:
    """A copy of the running Python's standard library (the pyenv folder is git-ignored
    in this repository, and a copy can never be edited by accident)."""
    if not target.exists():
        source = Path(sysconfig.get_paths()["stdlib"])
        ignore = shutil.ignore_patterns(*NOT_SOURCE)
        shutil.copytree(source, target, ignore=ignore, symlinks=True)
    return target


def corpora(stdlib: Path) -> list[Corpus]:
    found = [Corpus("stdlib", stdlib, (*NOT_SOURCE, *STDLIB_TESTS))]
    for package in PACKAGES:
        folders = [Path(p) / package for p in site.getsitepackages()]
        folder = next((f for f in folders if f.is_dir()), None)
        if folder is None:
            print(f"note: {package} is not installed; skipped", file=sys.stderr)
            continue
        found.append(Corpus(package, folder, (*NOT_SOURCE, "tests")))
    return found


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


def lint(corpus: Corpus, cache: Path | None, jobs: int | None) -> tuple[list[Sampled], int, list]:
    """The corpus's findings (every rule), its file count and its internal errors."""
    settings = Settings(root=corpus.folder, exclude=corpus.excludes, respect_gitignore=False)
    report = lint_paths(
        [corpus.folder], settings, selection=Selection(select=("ALL",)), jobs=jobs, cache_dir=cache
    )
    found = []
    for finding in report.findings:
        relative = (Path.cwd() / finding.path).resolve().relative_to(corpus.folder.resolve())
        location = f"{corpus.name}/{relative.as_posix()}:{finding.line}"
        found.append(Sampled(finding.code, location, finding.line_text.strip(), finding.message))
    return found, len(report.files), report.errors


def sample(findings: list[Sampled], size: int, seed: str) -> list[Sampled]:
    def rank(item: Sampled) -> str:
        return hashlib.sha256(
            f"{seed}\0{item.rule}\0{item.location}\0{item.code}".encode()
        ).hexdigest()

    return sorted(sorted(findings, key=rank)[:size], key=lambda s: s.location)


def load_judgments(folder: Path) -> dict[tuple[str, str, str], Judgment]:
    judged: dict[tuple[str, str, str], Judgment] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise JudgmentError(f"{path}: {error}") from None
        entries = data.get("finding", [])
        if set(data) - {"finding"} or not isinstance(entries, list):
            raise JudgmentError(f"{path}: only [[finding]] tables are allowed")
        for number, entry in enumerate(entries, start=1):
            where = f"{path.name}, finding #{number}"
            missing = {"rule", "location", "code", "verdict"} - set(entry)
            if missing:
                raise JudgmentError(f"{where}: missing {', '.join(sorted(missing))}")
            if entry["verdict"] not in VERDICTS:
                raise JudgmentError(f'{where}: verdict must be "true" or "false"')
            key = (entry["rule"], entry["location"], entry["code"].strip())
            judgment = Judgment(entry["verdict"], entry.get("why", ""), path.name)
            previous = judged.get(key)
            if previous is not None and previous.verdict != judgment.verdict:
                raise JudgmentError(f"{where}: contradicts {previous.source} on {key[1]}")
            judged[key] = judgment
    return judged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=5, help="findings sampled per rule")
    parser.add_argument("--seed", default="ecolint-precision-1")
    parser.add_argument("--stdlib-copy", type=Path, default=Path("/tmp/precision-corpus/stdlib"))
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--todo",
        metavar="RULES",
        nargs="?",
        const="ALL",
        help="print TOML stubs of the unjudged sampled findings (of RULES: ids, comma-separated)",
    )
    args = parser.parse_args()
    try:
        judged = load_judgments(JUDGMENTS)
    except JudgmentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    cache = None if args.no_cache else Path("/tmp/precision-cache") / source_stamp()
    found: list[Sampled] = []
    per_corpus: dict[str, Counter[str]] = defaultdict(Counter)
    files, errors, names = 0, [], []
    for corpus in corpora(stdlib_copy(args.stdlib_copy)):
        findings, count, internal = lint(corpus, cache, args.jobs)
        print(f"{corpus.name}: {count} files, {len(findings)} findings", file=sys.stderr)
        names.append(corpus.name)
        files += count
        errors += [f"{e.path}: {e.rule}: {e.message.splitlines()[-1]}" for e in internal]
        found += findings
        for item in findings:
            per_corpus[item.rule][corpus.name] += 1
    by_rule: dict[str, list[Sampled]] = defaultdict(list)
    for item in found:
        by_rule[item.rule].append(item)
    rows = []
    for rule in all_rules():
        row = RuleRow(
            rule.code,
            rule.name,
            rule.opt_in,
            per_corpus[rule.code],
            sample(by_rule[rule.code], args.sample, args.seed),
        )
        for s in row.sample:
            judgment = judged.get(s.key)
            if judgment is not None:
                row.true += judgment.verdict == "true"
                row.false += judgment.verdict == "false"
        rows.append(row)
    facts = {
        "corpora": ", ".join(names),
        "files": files,
        "size": args.sample,
        "seed": args.seed,
        "errors": errors,
    }
    args.output.write_text(render(rows, names, judged, facts), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    if args.todo:
        wanted = None if args.todo == "ALL" else set(args.todo.upper().split(","))
        for row in rows:
            if wanted is None or row.code in wanted:
                for s in row.sample:
                    if s.key not in judged:
                        print(toml_stub(s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
