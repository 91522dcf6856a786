"""pytest entry point of ecolint.

Registered through ``pytest11`` so that installing ecolint is enough. It adds no option
and no hook yet: the energy measurement (``pytest --eco``) is built in its own issue.
"""
