from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name, find_all, simple_assignments
from ecolint_rules.web._web import last_name

_COLLECTION_VIEWS = frozenset({"ListCreateAPIView", "ModelViewSet", "ReadOnlyModelViewSet"})
# Decorators that make a function an HTTP endpoint (the last name of their dotted path).
_ROUTE_DECORATORS = frozenset({"route", "get", "api_view", "view_config", "expose"})
# Methods that cap or page a query: a chain holding one of them is bounded.
_BOUNDED = frozenset(
    {"limit", "paginate", "first", "one", "one_or_none", "get", "count", "exists", "scalar"}
)
_PAGINATORS = frozenset({"Paginator", "paginate_queryset", "paginate", "get_page", "page"})


class UnpaginatedCollectionEndpoint(Rule):
    """## What it does
    Flags collection endpoints that return a whole table:
    - a Django REST framework class deriving from `ListAPIView` (or any `*ListAPIView`),
      `ListCreateAPIView`, `ModelViewSet` or `ReadOnlyModelViewSet` that sets
      `pagination_class = None`;
    - a view function (decorated with `route`, `get`, `api_view`, … or taking a
      `request` parameter) whose `return` holds a query chain ending in `.all()` on a
      Django manager (`M.objects…all()`), a Flask-SQLAlchemy `M.query…all()` or a
      SQLAlchemy `session.query(…)…all()`, directly or through a variable assigned in
      the function, with no slice, `limit`, `paginate` or paginator in the function.

    ## Why is this wasteful?
    The endpoint reads, instantiates, serialises and transfers every row on every call,
    and the client usually shows a page of them. The cost grows with the table, for the
    database, the application server, the network and the client.

    ## Example
    ```python
    class ProductList(ListAPIView):
        queryset = Product.objects.all()
        serializer_class = ProductSerializer
        pagination_class = None
    ```

    Use instead:
    ```python
    class ProductList(ListAPIView):
        queryset = Product.objects.all()
        serializer_class = ProductSerializer
        pagination_class = LimitOffsetPagination  # or a cursor pagination
    ```

    ## Evidence
    `bench/rules/eco803_unpaginated_collection_endpoint.py` on this 2-core machine
    (CPython 3.11, Django 5.2, DRF 3.18, shared with other jobs; median of 5 paired runs):
    one GET of a `ListAPIView` over n rows of an in-memory SQLite table, in-process,
    `pagination_class = None` against `LimitOffsetPagination` (100 a page). Time: n=100:
    23 ms against 27 ms (0.83x: the whole table is one page, and paging adds a
    `COUNT(*)`); n=10⁴: 1.12 s against 24 ms (34x); n=10⁵: 11.1 s against 65 ms (213x).
    Response size: 8.2 kB against 8.2 kB, 846 kB against 8.3 kB, 8.6 MB against 8.3 kB.
    Without the network, a disk or a client parsing the JSON, this understates the cost.

    Summary: one DRF list request over n rows, unpaginated vs pages of 100: 0.83x at
    n=100, 34x at n=10⁴, 213x at n=10⁵ in time, up to 1,036x in bytes (2 cores, CPython
    3.11).

    ## References
    - creedengo GCI13 (paginate API collections)
    - Django REST framework: Pagination; Django: `Paginator`
    """

    code = "ECO803"
    name = "unpaginated-collection-endpoint"
    message = (
        "{what} returns the whole table on every request; paginate it (limit/offset or cursor)"
    )
    impact = "high"
    VALID = [
        Valid(
            "from rest_framework.generics import ListAPIView\n\nclass Products(ListAPIView):\n"
            "    queryset = Product.objects.all()\n    pagination_class = CursorPagination\n"
        ),
        Valid(
            "from rest_framework.generics import RetrieveAPIView\n\n"
            "class Product(RetrieveAPIView):\n"
            "    pagination_class = None\n"
        ),
        Valid(
            "def products(request):\n    rows = Product.objects.all()[:50]\n"
            "    return render(request, 'list.html', {'rows': rows})\n"
        ),
        Valid(
            "from django.core.paginator import Paginator\n\ndef products(request):\n"
            "    page = Paginator(Product.objects.all(), 25).get_page(request.GET.get('page'))\n"
            "    return render(request, 'list.html', {'page': page})\n"
        ),
        Valid("def count_products():\n    return len(Product.objects.all())\n"),
        Valid(
            "class ProductViewSet(ModelViewSet):\n    def get_queryset(self):\n"
            "        return Product.objects.all()\n"
        ),
    ]
    INVALID = [
        Invalid(
            "from rest_framework import generics\n\nclass Products(generics.ListCreateAPIView):\n"
            "    queryset = Product.objects.all()\n    pagination_class = None\n",
            line=5,
        ),
        Invalid(
            "from rest_framework.decorators import api_view\n\n@api_view(['GET'])\n"
            "def products(request):\n"
            "    return Response(ProductSerializer(Product.objects.all(), many=True).data)\n",
            line=5,
        ),
        Invalid(
            "from django.http import JsonResponse\n\ndef products(request):\n"
            "    rows = Product.objects.select_related('brand').all()\n"
            "    return JsonResponse([r.as_dict() for r in rows], safe=False)\n",
            line=5,
        ),
        Invalid(
            "@app.route('/users')\ndef users():\n"
            "    return jsonify([u.to_dict() for u in User.query.order_by(User.name).all()])\n",
            line=3,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._all_calls: dict[int, bool] = {}

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not any(_is_collection_view(arg.value) for arg in node.bases if arg.keyword is None):
            return
        for statement in node.body.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if (
                    isinstance(small, cst.Assign)
                    and any(_is_name(t.target, "pagination_class") for t in small.targets)
                    and _is_name(small.value, "None")
                ):
                    self.report(small, what=f"`{node.name.value}` with `pagination_class = None`")

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is None:
            return
        function = self.enclosing_function(node)
        if not isinstance(function, cst.FunctionDef) or not _is_view(function):
            return
        if not self._calls_all(function):
            return
        chain = self._whole_table_query(node.value, function)
        if chain is not None and not _paginates(function):
            self.report(node, what=f"`{function.name.value}` (`{chain}`)")

    def _calls_all(self, function: cst.FunctionDef) -> bool:
        """Whether ``function`` calls ``.all()`` anywhere: one walk per view function,
        cached, before any per-``return`` analysis."""
        key = id(function)
        found = self._all_calls.get(key)
        if found is None:
            found = any(
                isinstance(call.func, cst.Attribute) and call.func.attr.value == "all"
                for call in find_all(function, cst.Call)
                if isinstance(call, cst.Call)
            )
            self._all_calls[key] = found
        return found

    def _whole_table_query(
        self, expression: cst.BaseExpression, function: cst.FunctionDef
    ) -> str | None:
        """The whole-table query the returned ``expression`` holds, directly or through
        a name assigned in ``function``."""
        found = self._first_unbounded(expression)
        if found is not None:
            return found
        for name in find_all(expression, cst.Name):
            assert isinstance(name, cst.Name)
            for value in simple_assignments(function.body, name.value):
                found = self._first_unbounded(value)
                if found is not None:
                    return found
        return None

    def _first_unbounded(self, expression: cst.BaseExpression) -> str | None:
        for call in (expression, *find_all(expression, cst.Call)):
            if isinstance(call, cst.Call):
                found = _unbounded_all(call, self.module)
                if found is not None and not self._consumed_by_count(call, expression):
                    return found
        return None

    def _consumed_by_count(self, call: cst.Call, expression: cst.BaseExpression) -> bool:
        """``len(M.objects.all())`` returns a number, not the rows."""
        for outer in (expression, *find_all(expression, cst.Call)):
            if (
                isinstance(outer, cst.Call)
                and last_name(outer) == "len"
                and any(arg.value is call for arg in outer.args)
            ):
                return True
        return False


def _is_collection_view(base: cst.BaseExpression) -> bool:
    name = dotted_name(base)
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1]
    return last in _COLLECTION_VIEWS or last.endswith("ListAPIView")


def _is_name(node: cst.BaseExpression, value: str) -> bool:
    return isinstance(node, cst.Name) and node.value == value


def _is_view(function: cst.FunctionDef) -> bool:
    if any(last_name(d.decorator) in _ROUTE_DECORATORS for d in function.decorators):
        return True
    params = [*function.params.posonly_params, *function.params.params][:2]
    return any(p.name.value == "request" for p in params)


def _unbounded_all(call: cst.Call, module: cst.Module) -> str | None:
    """The text of ``M.objects….all()`` / ``M.query….all()`` / ``session.query(…)….all()``
    when no slice or bounding method is on the chain, else ``None``."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "all" and not call.args):
        return None
    node: cst.BaseExpression = func.value
    rooted = False
    while True:
        if isinstance(node, cst.Call):
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in _BOUNDED:
                return None
            if last_name(node) == "query":
                rooted = True
            node = node.func
        elif isinstance(node, cst.Attribute):
            if node.attr.value in ("objects", "query"):
                rooted = True
            node = node.value
        elif isinstance(node, cst.Subscript):
            return None
        else:
            break
    return module.code_for_node(call) if rooted else None


def _paginates(function: cst.FunctionDef) -> bool:
    for call in find_all(function, cst.Call):
        assert isinstance(call, cst.Call)
        if last_name(call) in _PAGINATORS:
            return True
    return any(
        isinstance(s.slice[0].slice, cst.Slice)
        for s in find_all(function, cst.Subscript)
        if isinstance(s, cst.Subscript) and s.slice
    )
