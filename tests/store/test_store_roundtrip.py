"""Property: snapshots stored then read back are the same records, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import groupby

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.store.backends import clear_snapshots

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-_."
# Text as a web API could send it; NUL is covered by its own test (PostgreSQL refuses it).
API_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)

images_strategy = st.tuples(st.text(NAME_CHARS, min_size=1, max_size=30), st.text(NAME_CHARS, min_size=1, max_size=60))
moments = st.one_of(
    st.integers(min_value=0, max_value=4_102_444_800),  # up to 2100
    st.datetimes(
        min_value=datetime(1970, 1, 2),
        max_value=datetime(2099, 12, 31),
        timezones=st.just(UTC),
    ).map(lambda moment: moment.replace(microsecond=0)),
)
records_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "image": images_strategy,
            "observed_at": moments,
            "pull_count": st.integers(min_value=0, max_value=2**63 - 1),
            "star_count": st.none() | st.integers(min_value=0, max_value=2**31 - 1),
            "last_updated": st.none() | API_TEXT,
        }
    ),
    max_size=25,
    unique_by=lambda r: (r["image"], _seconds(r)),
)


def _seconds(record: dict) -> int:
    moment = record["observed_at"]
    return moment if isinstance(moment, int) else int((moment - EPOCH).total_seconds())


def _as_saved(record: dict) -> dict:
    namespace, name = record["image"]
    return {"namespace": namespace, "name": name, **{k: v for k, v in record.items() if k != "image"}}


@settings(
    max_examples=60,
    deadline=None,
    # One store per test, emptied before each example: the fixture is shared on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(records=records_strategy)
def test_stored_snapshots_read_back_unchanged(engine, records: list[dict]) -> None:
    clear_snapshots(engine)
    expected = sorted(
        (*r["image"], _seconds(r), r["pull_count"], r["star_count"], r["last_updated"], 3) for r in records
    )

    assert engine.save_snapshots([_as_saved(r) for r in records], run_id=3) == len(records)
    assert engine.save_snapshots([_as_saved(r) for r in records], run_id=3) == 0

    frame = engine.read_snapshots()
    got = [
        (
            row.namespace,
            row.name,
            int(row.observed_at.timestamp()),
            row.pull_count,
            None if pd.isna(row.star_count) else int(row.star_count),
            None if pd.isna(row.last_updated) else row.last_updated,
            int(row.run_id),
        )
        for row in frame.itertuples(index=False)
    ]
    assert sorted(got) == expected
    # Images come in the database's collation order, each in one block, oldest first within it.
    blocks = [image for image, _ in groupby(got, key=lambda row: row[:2])]
    assert len(blocks) == len(set(blocks))
    for image in blocks:
        seconds = [row[2] for row in got if row[:2] == image]
        assert seconds == sorted(seconds)
