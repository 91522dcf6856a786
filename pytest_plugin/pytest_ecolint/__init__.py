"""pytest plugin of ecolint (energy and carbon of test runs)."""
