"""Energy and carbon of test runs: methods (meters), grid intensity, the report."""

# Set in the callgrind child of precise mode: the path of its status file. Here, not in
# ``precise``, so that pytest's start-up (the plugin reads it) does not import that module.
CHILD_ENV = "ECOLINT_PRECISE_CHILD"
