"""Scores, budgets and comparisons over results: pure functions, no I/O, except in
:mod:`ecolint.scoring.measure`, which gathers the figures (lints the repository, reads the
energy and web reports) for :mod:`ecolint.scoring.repo_score` to score."""
