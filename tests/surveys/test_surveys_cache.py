"""Parsed surveys are cached (Arrow IPC) by sha256: a second load does not parse, and no half file exists."""

from __future__ import annotations

import pytest

from collectors.file_hash import file_sha256
from collectors.surveys import SurveyError, load_survey, loader, sniff
from collectors.surveys.sniff import scan
from tests.surveys.survey_helpers import CNCF, FIXTURES


def test_second_load_comes_from_the_cache(parse_calls, private_cache):
    first = load_survey(CNCF / "CNCF_WASM_Micro-Survey.csv")
    second = load_survey(CNCF / "CNCF_WASM_Micro-Survey.csv")
    assert len(parse_calls) == 1
    assert len(list(private_cache.glob("*.arrow"))) == 1
    assert not list(private_cache.glob(".*"))  # no temporary file left behind
    assert second.meta == first.meta
    assert second.questions == first.questions
    assert second.report == first.report
    assert second.responses.astype(str).equals(first.responses.astype(str))
    assert second.write_ins.astype(str).equals(first.write_ins.astype(str))


def test_a_copy_with_the_same_bytes_hits_the_cache(parse_calls, tmp_path):
    copy = tmp_path / "renamed.csv"
    copy.write_bytes((FIXTURES / "wide_platform_poll.csv").read_bytes())
    load_survey(FIXTURES / "wide_platform_poll.csv")
    load_survey(copy)
    assert len(parse_calls) == 1


def test_forced_layout_and_changed_bytes_parse_again(parse_calls, tmp_path):
    path = tmp_path / "poll.csv"
    path.write_bytes((FIXTURES / "wide_platform_poll.csv").read_bytes())
    load_survey(path)
    load_survey(path, layout="wide")
    assert len(parse_calls) == 2  # "wide" forced is a different key from detection
    path.write_bytes(path.read_bytes() + b"1009,Europe,1-9,Yes,Kubernetes,1.0\n")
    assert load_survey(path).meta.respondents == 9
    assert len(parse_calls) == 3


def test_a_corrupt_cache_entry_is_parsed_again(parse_calls, private_cache):
    load_survey(FIXTURES / "long_devex.csv")
    (entry,) = private_cache.glob("*.arrow")
    entry.write_bytes(b"not an arrow file")
    survey = load_survey(FIXTURES / "long_devex.csv")
    assert survey.meta.respondents == 5
    assert len(parse_calls) == 2


def test_cache_dir_argument_wins_over_environment(tmp_path, private_cache):
    folder = tmp_path / "elsewhere"
    load_survey(FIXTURES / "long_devex.csv", cache_dir=folder)
    assert len(list(folder.glob("*.arrow"))) == 1
    assert not private_cache.exists()


def test_a_file_never_cached_is_not_hashed_before_its_parse(parse_calls, private_cache, monkeypatch):
    hashed_before_parse = []
    original = loader.parse_survey

    def watching(path, facts, *args, **kwargs):
        digest = args[-1]
        hashed_before_parse.append(digest._thread is not None)
        return original(path, facts, *args, **kwargs)

    monkeypatch.setattr(loader, "parse_survey", watching)
    first = load_survey(FIXTURES / "long_devex.csv")
    load_survey(FIXTURES / "wide_platform_poll.csv")
    assert hashed_before_parse == [False, False]  # no entry of theirs: hashed while parsing
    assert first.meta.sha256 == file_sha256(FIXTURES / "long_devex.csv")
    fingerprints = {scan(FIXTURES / name).fingerprint for name in ("long_devex.csv", "wide_platform_poll.csv")}
    assert {entry.name.split("-")[0] for entry in private_cache.glob("*.arrow")} == fingerprints


def test_same_size_and_ends_but_other_bytes_are_parsed_again(parse_calls, tmp_path):
    middle = "x" * (200 * 1024)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(f"id,Q1,Q2\n1,a,{middle}\n2,b,c\n" + "3,b,c\n" * 20_000)
    second.write_text(f"id,Q1,Q2\n1,a,{middle[:-1]}y\n2,b,c\n" + "3,b,c\n" * 20_000)
    assert scan(first).fingerprint == scan(second).fingerprint  # the ends agree: only the sha256 tells
    one, other = load_survey(first, layout="wide"), load_survey(second, layout="wide")
    assert len(parse_calls) == 2
    assert one.meta.sha256 != other.meta.sha256
    assert load_survey(second, layout="wide").meta.sha256 == other.meta.sha256
    assert len(parse_calls) == 2  # the second file's own entry, found by its sha256


def test_a_file_that_vanishes_while_hashed_is_one_error(tmp_path, monkeypatch):
    path = tmp_path / "poll.csv"
    path.write_bytes((FIXTURES / "wide_platform_poll.csv").read_bytes())

    def vanished(_path):
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(sniff, "file_sha256", vanished)
    with pytest.raises(SurveyError, match=r"cannot be read \(No such file or directory\)"):
        load_survey(path)


def test_one_file_cached_two_ways_finds_each_entry(parse_calls, tmp_path, private_cache):
    path = tmp_path / "poll.csv"
    path.write_bytes((FIXTURES / "wide_platform_poll.csv").read_bytes())
    detected = load_survey(path)
    forced = load_survey(path, layout="stackoverflow")
    assert len(list(private_cache.glob("*.arrow"))) == 2  # one fingerprint, two entries
    again_forced, again_detected = load_survey(path, layout="stackoverflow"), load_survey(path)
    assert len(parse_calls) == 2
    assert (again_detected.meta.layout, again_forced.meta.layout) == (detected.meta.layout, forced.meta.layout)
    assert again_detected.meta.layout != again_forced.meta.layout


def test_a_cached_file_is_not_read_through_for_parsing(monkeypatch, private_cache):
    passes = []
    original = loader.marks

    def counting(path):
        passes.append(path)
        return original(path)

    monkeypatch.setattr(loader, "marks", counting)
    load_survey(FIXTURES / "long_devex.csv")
    load_survey(FIXTURES / "long_devex.csv")
    assert len(passes) == 1  # the NUL and quote count is the parse's; a cache hit needs only the sha256
