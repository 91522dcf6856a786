from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, children, dotted_name, find_all, simple_assignments
from ecolint_rules.web._web import last_name

_COLLECTION_VIEWS = frozenset({"ListCreateAPIView", "ModelViewSet", "ReadOnlyModelViewSet"})
# Decorators that make a function an HTTP endpoint (the last name of their dotted path).
_ROUTE_DECORATORS = frozenset({"route", "get", "api_view", "view_config", "expose"})
# Methods that cap or page a query: a chain holding one of them is bounded.
_BOUNDED = frozenset(
    {"limit", "paginate", "first", "one", "one_or_none", "get", "count", "exists", "scalar"}
)
_PAGINATORS = frozenset({"Paginator", "paginate_queryset", "paginate", "get_page", "page"})
# What turns rows into one value: a count, a test, an aggregate, one row.
_NUMBERS_OF_ROWS = frozenset({"len", "sum", "min", "max", "any", "all", "bool"})
_ONE_VALUE = frozenset(
    {"count", "exists", "aggregate", "first", "last", "get", "latest", "earliest", "scalar"}
)


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
      The finding points at that query.

    An endpoint that returns only numbers or single values computed from the rows is not
    a collection endpoint: a query reached only through `len(…)`, `sum(…)`, `.count()`,
    `.exists()`, `.aggregate(…)`, `.first()`, an index (`rows[-1]`), a membership test
    or the test of a conditional expression is not reported.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 13 findings in the
    Django/Flask batch were worth a change. The endpoints returned one parent's children
    (`filter_by(challenge_id=...)`), tables an administrator fills by hand (pages, flags),
    or sat behind an admin-only decorator; a class view whose `get()` paginates was taken
    for an unpaginated one. The size of a table is what decides, and the rule cannot see
    it. Enable it (`extend-select = ["ECO803"]`) to review public list endpoints.

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
    `bench/rules/eco803_unpaginated_collection_endpoint.py` on a 2-core x86-64 VM
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
    opt_in = True
    VALID = [
        Valid(
            """
            from rest_framework.generics import ListAPIView

            class Products(ListAPIView):
                queryset = Product.objects.all()
                pagination_class = CursorPagination
            """
        ),
        Valid(
            """
            from rest_framework.generics import RetrieveAPIView

            class Product(RetrieveAPIView):
                pagination_class = None
            """
        ),
        Valid(
            """
            def products(request):
                rows = Product.objects.all()[:50]
                return render(request, 'list.html', {'rows': rows})
            """
        ),
        Valid(
            """
            from django.core.paginator import Paginator

            def products(request):
                page = Paginator(Product.objects.all(), 25).get_page(request.GET.get('page'))
                return render(request, 'list.html', {'page': page})
            """
        ),
        Valid("""
            def count_products():
                return len(Product.objects.all())
            """),
        Valid(
            """
            class ProductViewSet(ModelViewSet):
                def get_queryset(self):
                    return Product.objects.all()
            """
        ),
        Valid(
            """
            from rest_framework.views import APIView

            class Statistics(APIView):
                def get(self, request):
                    tags = Tag.objects.all().only("id", "is_inbox")
                    size = Document.objects.all().aggregate(Sum("size"))
                    return Response(
                        {
                            "tag_count": len(tags),
                            "inbox_tags": tags.filter(is_inbox=True).count(),
                            "size": size,
                        }
                    )
            """
        ),
        Valid(
            """
            from django.http import JsonResponse

            def status(request):
                applied = [m.name for m in Migration.objects.all().order_by("id")]
                return JsonResponse(
                    {"latest": applied[-1], "missing": [m for m in KNOWN if m not in applied]}
                )
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from rest_framework import generics

            class Products(generics.ListCreateAPIView):
                queryset = Product.objects.all()
                pagination_class = None
            """,
            line=5,
        ),
        Invalid(
            """
            from rest_framework.decorators import api_view

            @api_view(['GET'])
            def products(request):
                return Response(ProductSerializer(Product.objects.all(), many=True).data)
            """,
            line=5,
        ),
        Invalid(
            """
            from django.http import JsonResponse

            def products(request):
                rows = Product.objects.select_related('brand').all()
                return JsonResponse([r.as_dict() for r in rows], safe=False)
            """,
            line=4,
        ),
        Invalid(
            """
            @app.route('/users')
            def users():
                return jsonify([u.to_dict() for u in User.query.order_by(User.name).all()])
            """,
            line=3,
        ),
        Invalid(
            """
            from rest_framework.decorators import api_view

            @api_view(["GET"])
            def catalogue(request):
                products = Product.objects.select_related("brand").all()
                currency = request.GET.get("currency", "EUR")
                rates = load_rates(currency)
                return Response(
                    {
                        "count": len(products),
                        "products": ProductSerializer(
                            products, many=True, context={"rates": rates}
                        ).data,
                    }
                )
            """,
            line=5,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._all_calls: dict[int, bool] = {}
        self._reported: set[int] = set()  # queries already reported (several returns)

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
        query = self._whole_table_query(node.value, function)
        if query is None or _paginates(function) or id(query) in self._reported:
            return
        self._reported.add(id(query))
        chain = self.module.code_for_node(query)
        self.report(query, what=f"`{function.name.value}` (`{chain}`)")

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
    ) -> cst.Call | None:
        """The whole-table query (the ``….all()`` call) whose rows the returned
        ``expression`` carries, directly or through a name assigned in ``function``."""
        parts = _row_parts(expression)
        names = [part.value for part in parts if isinstance(part, cst.Name)]
        for name in dict.fromkeys(names):
            for value in simple_assignments(function.body, name):
                parts.extend(_row_parts(value))
        for part in parts:
            if isinstance(part, cst.Call) and _unbounded_all(part):
                return part
        return None


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


def _row_parts(expression: cst.BaseExpression) -> list[cst.CSTNode]:
    """The names and calls of ``expression`` whose rows it returns: not those it only
    counts or tests (``len(x)``, ``x.count()``, ``x.exists()``, ``x.aggregate(…)``,
    ``sum(…)``, ``a in x``, the test of ``… if x else …``), nor one item of (``x[0]``,
    ``x.first()``) or a slice of (a page)."""
    found: list[cst.CSTNode] = []
    pending: list[cst.CSTNode] = [expression]
    while pending:
        node = pending.pop()
        if isinstance(node, (cst.Comparison, cst.Subscript)):
            continue
        if isinstance(node, cst.Name):
            found.append(node)
            continue
        if isinstance(node, cst.IfExp):
            pending.extend((node.body, node.orelse))
            continue
        if isinstance(node, (cst.Attribute, cst.Arg)):
            pending.append(node.value)  # not the attribute's or the keyword's own name
            continue
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Name) and func.value in _NUMBERS_OF_ROWS:
                continue
            found.append(node)
            if isinstance(func, cst.Attribute) and func.attr.value in _ONE_VALUE:
                pending.extend(arg.value for arg in node.args)
                continue
        pending.extend(children(node))
    return found


def _unbounded_all(call: cst.Call) -> bool:
    """Whether ``call`` is ``M.objects….all()`` / ``M.query….all()`` /
    ``session.query(…)….all()`` with no slice or bounding method on the chain."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "all" and not call.args):
        return False
    node: cst.BaseExpression = func.value
    rooted = False
    while True:
        if isinstance(node, cst.Call):
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in _BOUNDED:
                return False
            if last_name(node) == "query":
                rooted = True
            node = node.func
        elif isinstance(node, cst.Attribute):
            if node.attr.value in ("objects", "query"):
                rooted = True
            node = node.value
        elif isinstance(node, cst.Subscript):
            return False
        else:
            break
    return rooted


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
