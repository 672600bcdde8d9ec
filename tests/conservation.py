"""The conservation check: every character printed inside a plan's table is placed or reviewed.

`Plan.characters` counts the non-whitespace characters extract saw inside the tables' areas
(`printed`), those normalize put into a value (`placed`) and those it put into review items
instead (`in_review`). The round-trip tests run every plan they build through `checked`
(tests/conftest.py), and tests/test_conservation.py checks the shipped plan, reordered pages and
generated plans, and that a dropped line or cell does break the count.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from schema.models import Plan


def problem(plan: Plan) -> str | None:
    """What does not add up in the plan's character count; None when everything does."""
    count = plan.characters
    if count is None:
        return "the plan has no character count"
    if count.printed != count.placed + count.in_review:
        lost = count.printed - count.placed - count.in_review
        return f"{plan.source.name}: {count!r} ({lost} characters printed in the table went nowhere)"
    return None


def checked(build: Callable[..., Plan]) -> Callable[..., Plan]:
    """`build` (normalize.plan.build_plan), asserting conservation on every plan it returns."""

    @wraps(build)
    def build_checked(*args, **kwargs) -> Plan:
        plan = build(*args, **kwargs)
        found = problem(plan)
        assert found is None, found
        return plan

    return build_checked
