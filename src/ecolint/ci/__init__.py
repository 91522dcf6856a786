"""``ecolint ci``: the pull-request report behind the GitHub Action (``github_action/``).

Layers: :mod:`context` reads the runner, :mod:`collect` measures base and head (with
:mod:`compare`, and the optional energy A/B, web audit and score), :mod:`gates` judges,
:mod:`comment` renders through :mod:`markdown`, and :mod:`run` publishes through the
runner's files (:mod:`workflow`) and the API (:mod:`github`, :mod:`publish`). Nothing in
this package prints; ``ecolint.cli.ci`` does.
"""
