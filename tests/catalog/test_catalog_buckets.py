"""The pull-count parser on every string shape recorded in the bundled catalog, and on what it must refuse."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from collectors.catalog.buckets import PullCount, PullCountError, parse_pull_count
from tests.catalog.catalog_hub import BUNDLED


def _recorded_texts() -> Counter[str]:
    images = json.loads(BUNDLED.read_text(encoding="utf-8"))["images"]
    return Counter(item["rate_plans"][0]["repositories"][0]["pull_count"] for item in images.values())


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("1B+", 1_000_000_000, None),
        ("500M+", 500_000_000, 999_999_999),
        ("100M+", 100_000_000, 499_999_999),
        ("50M+", 50_000_000, 99_999_999),
        ("10M+", 10_000_000, 49_999_999),
        ("5M+", 5_000_000, 9_999_999),
        ("1M+", 1_000_000, 4_999_999),
        ("500K+", 500_000, 999_999),
        ("100K+", 100_000, 499_999),
        ("50K+", 50_000, 99_999),
        ("10K+", 10_000, 49_999),
        ("10.0K", 9_950, 9_999),
        ("7.9K", 7_850, 7_950),
        ("5.8K", 5_750, 5_850),
    ],
)
def test_buckets_and_rounded_counts_are_ranges(text: str, low: int, high: int | None) -> None:
    assert parse_pull_count(text) == PullCount(low, high, False, text)


def test_every_shape_in_the_bundled_file_is_read_and_each_range_holds_its_figure() -> None:
    texts = _recorded_texts()
    assert sum(texts.values()) == 2251
    for text in texts:
        count = parse_pull_count(text)
        assert not count.exact
        shown = float(re.match(r"[0-9.]+", text)[0]) * {"K": 1e3, "M": 1e6, "B": 1e9}[re.search("[KMB]", text)[0]]
        assert count.low <= shown and (count.high is None or shown <= count.high + 50), text


@pytest.mark.parametrize(
    ("value", "count"), [(0, 0), (398, 398), (37_627_788, 37_627_788), ("12981954060", 12_981_954_060)]
)
def test_whole_numbers_are_exact(value, count: int) -> None:
    assert parse_pull_count(value) == PullCount(count, count, True, str(count))


@pytest.mark.parametrize(
    "value", [True, None, 1.5, -3, "", "ten", "1.5Q", "10M-", "0.0005K", "1e9", "١٢٣", "9" * 40, 10**16]
)
def test_anything_else_is_refused_in_one_line(value) -> None:
    with pytest.raises(PullCountError) as caught:
        parse_pull_count(value)
    assert "\n" not in str(caught.value)


def test_at_least_says_when_a_range_straddles_a_threshold() -> None:
    assert parse_pull_count("10M+").at_least(10_000_000) is True
    assert parse_pull_count("5M+").at_least(10_000_000) is False
    assert parse_pull_count("1B+").at_least(5_000_000_000) is None
