"""Pure functions over results: budgets, comparisons, scores. No I/O here."""
