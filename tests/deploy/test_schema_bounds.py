"""The committed OpenAPI schema is the one PostgreSQL serves: no integer bound in it is
beyond what the PostgreSQL column behind it holds (int32 unless the schema says int64)."""

import yaml

from deploy.schemas import SCHEMAS

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


def _integer_properties(node, path=""):
    if isinstance(node, dict):
        if node.get("type") == "integer":
            yield path, node
        for key, value in node.items():
            yield from _integer_properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _integer_properties(value, f"{path}/{i}")


def test_no_integer_bound_exceeds_its_postgresql_column():
    schema = yaml.safe_load(SCHEMAS["openapi"].read_text(encoding="utf-8"))
    bounded = [(p, n) for p, n in _integer_properties(schema) if "maximum" in n or "minimum" in n]
    assert bounded, "the schema has no bounded integers: the test would check nothing"
    for path, node in bounded:
        low, high = INT64 if node.get("format") == "int64" else INT32
        assert low <= node.get("minimum", low) and node.get("maximum", high) <= high, path


def test_small_and_positive_integer_columns_keep_their_postgresql_range():
    text = SCHEMAS["openapi"].read_text(encoding="utf-8")
    assert "maximum: 9223372036854775807" not in text  # SQLite's range, not a PG column's
    assert "maximum: 32767" in text  # PositiveSmallIntegerField, e.g. 工作日 days
