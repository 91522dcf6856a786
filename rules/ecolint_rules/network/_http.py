"""Names shared by the ECO3xx rules: HTTP client functions, clients and their methods."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ecolint import attribute_assignments, dotted_name
from ecolint.lint.analysis import rebinds_locally, visible_assignments

if TYPE_CHECKING:
    from ecolint import Rule

VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")

# Module-level functions that open (and close) a connection of their own on every call.
REQUESTS_FUNCTIONS = frozenset(f"requests.{verb}" for verb in VERBS)
HTTPX_FUNCTIONS = frozenset(f"httpx.{verb}" for verb in (*VERBS, "stream"))
URLOPEN = "urllib.request.urlopen"
ONE_SHOT_FUNCTIONS = REQUESTS_FUNCTIONS | HTTPX_FUNCTIONS | {URLOPEN}

# Pooled clients (keep-alive), and the methods that send a request through them.
CLIENT_CLASSES = frozenset(
    {
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "httpx.Client",
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
    }
)
CLIENT_METHODS = frozenset({*VERBS, "stream", "send", "ws_connect"})


_HTTP_PREFIXES = ("requests.", "httpx.", "urllib.request.", "urllib3.", "aiohttp.")


class Aliases:
    """Local aliases of HTTP functions in one file: ``post = requests.post`` (in a
    function or the module) then ``post(url)``. The rule feeds it every assignment it
    walks past (``record``), so ``called_function`` looks up a name only when the file
    binds that name to an HTTP function somewhere: the other calls cost a set lookup."""

    def __init__(self) -> None:
        self.candidates: set[str] = set()
        self.resolved: dict[tuple[int, str], str | None] = {}

    def record(self, rule: Rule, node: cst.Assign) -> None:
        if not isinstance(node.value, (cst.Name, cst.Attribute)):
            return
        target = rule.qualified_name(node.value)
        if target is not None and target.startswith(_HTTP_PREFIXES):
            for assigned in node.targets:
                if isinstance(assigned.target, cst.Name):
                    self.candidates.add(assigned.target.value)

    def called_function(self, rule: Rule, call: cst.Call) -> str | None:
        """The qualified name of the function ``call`` calls, seen through an alias
        bound to one name everywhere it is assigned in the call's scope (else the
        module)."""
        name = rule.qualified_name(call)
        if name is not None and name.startswith(_HTTP_PREFIXES):
            root = (dotted_name(call.func) or "").partition(".")[0]
            if rebinds_locally(rule, call, root):
                return None  # `requests = RequestSession()`: another object of that name
        if not isinstance(call.func, cst.Name) or call.func.value not in self.candidates:
            return name
        scope = rule.enclosing_scope(call)
        key = (id(scope), call.func.value)
        if key not in self.resolved:
            self.resolved[key] = _alias_target(rule, scope, call.func.value)
        return self.resolved[key] or name


def _alias_target(rule: Rule, scope: cst.CSTNode, local: str) -> str | None:
    values = visible_assignments(rule, scope, local)
    targets = {
        rule.qualified_name(v) if isinstance(v, (cst.Name, cst.Attribute)) else None for v in values
    }
    return targets.pop() if len(targets) == 1 and None not in targets else None


def is_client(rule: Rule, node: cst.CSTNode, value: cst.BaseExpression) -> bool:
    """Whether ``value`` (seen from ``node``) is a client built by a ``CLIENT_CLASSES``
    call: the call itself, a ``with … as name`` around ``node``, a name assigned such
    calls in its scope or the module, or ``self.<attr>`` assigned one in the class."""
    if isinstance(value, cst.Call):
        return rule.qualified_name(value) in CLIENT_CLASSES
    if isinstance(value, cst.Name):
        return _is_client_name(rule, node, value.value)
    if isinstance(value, cst.Attribute) and dotted_name(value.value) == "self":
        cls = rule.enclosing_class(node)
        return cls is not None and _all_clients(rule, attribute_assignments(cls, value.attr.value))
    return False


def _is_client_name(rule: Rule, node: cst.CSTNode, name: str) -> bool:
    for ancestor in rule.ancestors(node):
        if isinstance(ancestor, cst.With):
            for item in ancestor.items:
                target = item.asname.name if item.asname else None
                if isinstance(target, cst.Name) and target.value == name:
                    return is_client(rule, ancestor, item.item)
    return _all_clients(rule, visible_assignments(rule, rule.enclosing_scope(node), name))


def _all_clients(rule: Rule, values: list[cst.BaseExpression]) -> bool:
    return bool(values) and all(
        isinstance(v, cst.Call) and rule.qualified_name(v) in CLIENT_CLASSES for v in values
    )
