"""Put each profile's measured cost on the findings of the files it covers.

A finding is charged with every sample whose stack was running one of its lines (see
``ecolint.profiles.ranges``) at any depth: the line's own time and that of everything it
called. A stack that passes through those lines twice (recursion, two frames in one
loop) counts once. Among several profiles, a finding keeps the one where it is hottest;
in a file some profile covers, a finding no sample reached is measured at zero: "not hot
in this profile", shown rather than hidden.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ecolint.energy.meters import Method
from ecolint.profiles.model import Profile
from ecolint.profiles.paths import PathMap
from ecolint.profiles.ranges import Lines, cost_lines
from ecolint.results import FileResult, Finding, LintReport, Measured, ProfileInfo


@dataclass
class _Charges:
    """One profile, reduced to the linted files: per file, the distinct sets of its
    lines that stacks were on, with their samples and CPU seconds."""

    profile: Profile
    samples: int = 0
    mapped_samples: int = 0
    # file → (its lines a stack was on, sorted) → (samples, CPU seconds)
    per_file: dict[str, dict[tuple[int, ...], tuple[int, float]]] = field(default_factory=dict)

    def cost(self, file: str, lines: Lines) -> tuple[int, float]:
        """Samples and CPU seconds of the stacks on ``lines`` of ``file``."""
        first, last = lines
        samples, cpu_s = 0, 0.0
        for on, (count, seconds) in self.per_file.get(file, {}).items():
            at = bisect.bisect_left(on, first)
            if at < len(on) and on[at] <= last:
                samples += count
                cpu_s += seconds
        return samples, cpu_s


def charges(profile: Profile, paths: PathMap) -> _Charges:
    """Map each distinct frame once, then fold every stack onto the linted files."""
    where: dict[int, tuple[str, int]] = {}
    for index, frame in enumerate(profile.frames):
        file = paths.lookup(frame.file)
        if file is not None:
            where[index] = (file, -1 if frame.line is None else frame.line)
    mapped = set(where)
    folded: dict[str, dict[tuple[int, ...], tuple[int, float]]] = defaultdict(dict)
    result = _Charges(profile, samples=profile.samples)
    for stack in profile.stacks:
        hits = mapped.intersection(stack.frames)
        if not hits:
            continue
        result.mapped_samples += stack.samples
        lines: dict[str, set[int]] = defaultdict(set)
        for index in hits:
            file, line = where[index]
            lines[file].add(line)
        for file, on in lines.items():
            key = tuple(sorted(on))
            samples, cpu_s = folded[file].get(key, (0, 0.0))
            folded[file][key] = (samples + stack.samples, cpu_s + stack.cpu_s)
    result.per_file = dict(folded)
    return result


def measure(
    report: LintReport, profiles: Sequence[Profile], paths: PathMap, model: Method
) -> LintReport:
    """``report`` with ``measured`` on the findings of every profiled file, and the
    profiles' summaries; ``model`` turns CPU seconds into joules (``pytest --eco``'s)."""
    reduced = [charges(profile, paths) for profile in profiles]
    files = tuple(_measure_file(result, reduced, model) for result in report.files)
    infos = tuple(
        ProfileInfo(
            path=charge.profile.path,
            format=charge.profile.format,
            samples=charge.samples,
            cpu_s=charge.profile.cpu_s,
            mapped_samples=charge.mapped_samples,
            rate_hz=charge.profile.rate_hz,
            energy_model=model.source,
            clock=charge.profile.clock,
        )
        for charge in reduced
    )
    return replace(report, files=files, profiles=infos)


def _measure_file(result: FileResult, reduced: list[_Charges], model: Method) -> FileResult:
    covering = [charge for charge in reduced if result.path in charge.per_file]
    if not covering or not result.findings:
        return result
    spans = [(f.line, f.column, f.end_line, f.end_column) for f in result.findings]
    try:
        ranges = cost_lines(Path(result.path).read_bytes(), spans)
    except OSError:
        ranges = [(line, end_line) for line, _, end_line, _ in spans]
    findings = tuple(
        replace(finding, measured=_measured(result.path, lines, covering, model))
        for finding, lines in zip(result.findings, ranges, strict=True)
    )
    return replace(result, findings=findings)


def _measured(file: str, lines: Lines, covering: list[_Charges], model: Method) -> Measured:
    best: Measured | None = None
    for charge in covering:
        samples, cpu_s = charge.cost(file, lines)
        share = samples / charge.samples if charge.samples else 0.0
        if best is None or share > best.share:
            profile = charge.profile
            best = Measured(share, samples, cpu_s, model.joules(cpu_s), profile.path, profile.clock)
    assert best is not None  # covering is never empty
    return best


def keep_costly(report: LintReport, min_share: float) -> LintReport:
    """Leave out findings measured below ``min_share`` of their profile's samples, and
    those no profile measured (their cost there is nil too), counting them."""
    dropped = 0
    files = []
    for result in report.files:
        kept = tuple(f for f in result.findings if _share(f) >= min_share)
        if len(kept) < len(result.findings):
            dropped += len(result.findings) - len(kept)
            result = replace(result, findings=kept)
        files.append(result)
    return replace(report, files=tuple(files), below_cost=report.below_cost + dropped)


def _share(finding: Finding) -> float:
    return finding.measured.share if finding.measured is not None else 0.0
