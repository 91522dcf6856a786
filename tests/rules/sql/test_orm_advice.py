"""What the ORM rules advise, beyond where they report: advice that is wrong for the
framework breaks working code (``select_related`` on a to-many relation raises
``FieldError``; a prefetch is ignored by ``.filter()``; ``bulk_create`` skips ``save()``)."""

from __future__ import annotations

import textwrap

import pytest

from ecolint.lint.rule import Invalid
from ecolint.testing import lint_example
from ecolint_rules.sql.orm_n_plus_one import OrmNPlusOne
from ecolint_rules.sql.orm_write_in_loop import OrmWriteInLoop


def messages(rule, code: str) -> list[str]:
    result = lint_example(rule, Invalid(textwrap.dedent(code), line=1))
    return [finding.message for finding in result.findings if finding.code == rule.code]


@pytest.mark.parametrize(
    "access",
    [
        "book.tags.all()",
        "book.review_set.all()",
        "book.tags.values_list('id', flat=True)",
        "book.tags.filter(active=True)",
        "book.review_set.count()",
        "book.tags.exists()",
        "book.tags.order_by('name')",
        "book.tags.first()",
    ],
)
def test_a_related_manager_is_never_advised_select_related(access):
    code = f"""
    def report():
        for book in Book.objects.filter(published=True):
            print({access})
    """
    (message,) = messages(OrmNPlusOne, code)
    assert "select_related" not in message


@pytest.mark.parametrize("method", ["filter(active=True)", "values_list('id')", "order_by('x')"])
def test_a_query_that_ignores_the_prefetch_is_not_advised_a_prefetch(method):
    code = f"""
    def report():
        for book in Book.objects.all():
            print(book.tags.{method})
    """
    (message,) = messages(OrmNPlusOne, code)
    assert "prefetch_related(" not in message
    assert "a prefetch would not serve it" in message


def test_iterating_a_to_many_relation_is_advised_prefetch_related():
    code = """
    def report():
        for book in Book.objects.all():
            print([tag.name for tag in book.tags.all()])
    """
    (message,) = messages(OrmNPlusOne, code)
    assert "`prefetch_related('tags')`" in message


def test_a_count_per_row_is_advised_an_annotation():
    code = """
    def report():
        for book in Book.objects.all():
            print(book.review_set.count())
    """
    (message,) = messages(OrmNPlusOne, code)
    assert "annotate(Count('review_set'))" in message


def test_an_attribute_read_through_an_unknown_relation_is_a_foreign_key():
    code = """
    def report():
        for book in Book.objects.all():
            print(book.author.name)
    """
    (message,) = messages(OrmNPlusOne, code)
    assert "`select_related('author')`" in message
    assert "prefetch_related" not in message


def test_a_per_row_lookup_is_advised_one_in_query_and_a_dict():
    code = """
    def attach(rows):
        for row in rows:
            row.customer = Customer.objects.filter(pk=row.customer_id).first()
    """
    (message,) = messages(OrmNPlusOne, code)
    assert "`Customer.objects.filter().first()`" in message
    assert "`__in`" in message and "dict" in message


def test_a_save_on_an_unknown_model_says_the_bulk_methods_skip_save_and_signals():
    code = """
    from django.db import models

    def touch(objs):
        for obj in objs:
            obj.save()
    """
    (message,) = messages(OrmWriteInLoop, code)
    assert "`save()`" in message and "signals" in message
