"""People's times are Beijing time in Chinese form, wherever the value comes from."""

import datetime as dt
from pathlib import Path

from django.template import Context, Template

from sites.registry.timefmt import people_date, people_time


def test_a_utc_moment_is_shown_in_beijing_time():
    moment = dt.datetime(2026, 12, 2, 7, 58, tzinfo=dt.UTC)
    assert people_time(moment) == "2026年12月2日 15:58"
    assert people_date(dt.datetime(2026, 12, 2, 17, 0, tzinfo=dt.UTC)) == "2026年12月3日"


def test_iso_strings_from_the_county_are_shown_the_same_way():
    assert people_time("2026-12-02T07:58:00+00:00") == "2026年12月2日 15:58"
    assert people_date("2026-12-09") == "2026年12月9日"
    assert people_time("2026-12-09") == "2026年12月9日"
    assert people_date("") == "" and people_date(None) == ""


def test_every_template_has_the_filters():
    page = Template("{{ d|people_date }}").render(Context({"d": dt.date(2027, 1, 5)}))
    assert page == "2027年1月5日"


def test_the_citizen_page_shows_steps_in_chinese_time():
    source = Path("sites/citizen/templates/citizen/case_status.html").read_text(encoding="utf-8")
    assert "{{ step.at|people_time }}" in source and "{{ answer.acceptedOn|people_date }}" in source


def test_the_acceptance_notice_prints_no_dash_date():
    source = Path("sites/cases/templates/cases/notice.html").read_text(encoding="utf-8")
    assert "{{ m.due|people_date }}" in source and 'date:"Y' not in source
