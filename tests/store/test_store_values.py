"""SQLite and PostgreSQL accept and refuse the same snapshot values (issue 14, item 9).

SQLite alone would keep a 300-character name or a 3e9 star count; PostgreSQL refuses them midway
through a transaction. store.values checks every record before any SQL, on both stores alike.
"""

from __future__ import annotations

import numpy as np
import pytest

from store.values import INT32_MAX, INT64_MAX, StoreValueError


def _record(**fields: object) -> dict:
    return {"namespace": "library", "name": "nginx", "observed_at": 1_700_000_000, "pull_count": 5, **fields}


REFUSED = [
    ({"name": "n" * 256}, "name is 256 characters long, more than the 255 the store keeps"),
    ({"namespace": "s" * 300}, "namespace is 300 characters long"),
    ({"name": ""}, "name is empty"),
    ({"name": None}, "name must be text, not None"),
    ({"pull_count": INT64_MAX + 1}, "pull_count 9223372036854775808 is outside 0..9223372036854775807"),
    ({"pull_count": -1}, "pull_count -1 is outside"),
    ({"pull_count": 10**5000}, "pull_count a 16610-bit number is outside"),
    ({"pull_count": 1e20}, "pull_count must be a whole number, not 1e+20"),
    ({"pull_count": "12"}, "pull_count must be a whole number, not '12'"),
    ({"pull_count": True}, "pull_count must be a whole number, not True"),
    ({"star_count": 3_000_000_000}, "star_count 3000000000 is outside 0..2147483647"),
    ({"last_updated": "x" * 41}, "last_updated is 41 characters long"),
    ({"last_updated": ["2024"]}, "last_updated must be text"),
    ({"description": {"a": 1}}, "description must be text"),
    ({"is_private": "yes"}, "is_private must be true or false, not 'yes'"),
    ({"repository_type": "t" * 65}, "repository_type is 65 characters long"),
    ({"observed_at": "2024-01-01"}, "observed_at must be a whole number"),
]


@pytest.mark.parametrize(("fields", "message"), REFUSED)
def test_a_value_the_columns_cannot_keep_alike_is_refused_before_any_sql(
    engine, snapshot_rows, image_rows, fields, message
):
    good = _record(name="redis")
    with pytest.raises(StoreValueError, match=message.replace("(", r"\(").replace("+", r"\+")):
        engine.save_snapshots([good, _record(**fields)])
    assert snapshot_rows() == []
    assert image_rows() == []


def test_values_at_the_column_limits_are_kept_exactly_on_both_stores(engine, snapshot_rows, image_rows):
    edge = _record(
        namespace="n" * 255,
        name="m" * 255,
        pull_count=np.int64(INT64_MAX),
        star_count=INT32_MAX,
        last_updated="2" * 40,
        description="d" * 4000,
        repository_type="t" * 64,
        is_private=True,
    )
    assert engine.save_snapshots([edge]) == 1
    assert snapshot_rows() == [("n" * 255, "m" * 255, 1_700_000_000, INT64_MAX, INT32_MAX, "2" * 40, None)]
    assert image_rows() == [("n" * 255, "m" * 255, "t" * 64, True, "d" * 4000, None)]
