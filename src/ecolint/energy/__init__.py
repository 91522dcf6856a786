"""Energy and carbon of test runs: methods (meters), grid intensity, the report."""
