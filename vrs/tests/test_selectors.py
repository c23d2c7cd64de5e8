import datetime

from core.charts import line_chart_svg
from vrs.records import match_record


def test_record_counts_and_streak():
    record = match_record([True, True, False, True])
    assert (record.wins, record.losses) == (3, 1)
    assert record.win_rate == 75
    assert record.streak == "W2"


def test_record_of_no_matches():
    record = match_record([])
    assert record.played == 0
    assert record.win_rate is None
    assert record.streak == ""


def test_record_losing_streak():
    assert match_record([False, False, False, True]).streak == "L3"


def test_chart_escapes_and_titles_points():
    svg = line_chart_svg(
        [(datetime.date(2026, 1, 5), 900), (datetime.date(2026, 2, 2), 950)],
        label="<b>Points</b>",
    )
    assert svg.startswith("<svg")
    assert "<b>" not in svg
    assert "2026-02-02: 950" in svg
    assert svg.count("<circle") == 2


def test_chart_of_nothing_is_empty():
    assert line_chart_svg([]) == ""
