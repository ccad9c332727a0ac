"""The working-day calendar: holidays, make-up days (调休) and years not yet announced."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from county.workdays.clock import WorkCalendar
from county.workdays.models import CalendarSource, CalendarYear
from county.workdays.selectors import add_working_days, calendar_current, working_days_between
from county.workdays.services import calendar_seed_from_library, calendar_year_set


@pytest.fixture
def seeded(db):
    calendar_seed_from_library(years=[2025, 2026])


class TestNationalDay2026:
    def test_the_golden_week_is_skipped(self, seeded):
        # Wednesday 30 Sept + 1 working day: 1–7 October are off, Thursday 8 October is next.
        result = add_working_days(date(2026, 9, 30), 1)
        assert result.date == date(2026, 10, 8)
        assert result.provisional is False

    def test_sunday_20_september_is_a_make_up_working_day(self, seeded):
        assert add_working_days(date(2026, 9, 18), 1).date == date(2026, 9, 20)

    def test_saturday_10_october_is_a_make_up_working_day(self, seeded):
        assert add_working_days(date(2026, 10, 9), 1).date == date(2026, 10, 10)

    def test_every_golden_week_day_is_off(self, seeded):
        calendar = calendar_current()
        off = [date(2026, 10, d) for d in range(1, 8)]
        assert [calendar.is_working_day(d) for d in off] == [False] * 7

    def test_counting_across_the_holiday(self, seeded):
        # 28 Sept (Mon) to 12 Oct (Mon): 29, 30 Sept, 8, 9, 10 (make-up), 12 Oct.
        count = working_days_between(date(2026, 9, 28), date(2026, 10, 12))
        assert count.days == 6
        assert count.provisional is False


class TestUnknownYear:
    def test_2027_falls_back_to_monday_to_friday_and_says_so(self, seeded):
        result = add_working_days(date(2027, 3, 5), 1)  # a Friday
        assert result.date == date(2027, 3, 8)
        assert result.provisional is True

    def test_a_deadline_crossing_into_an_unknown_year_is_provisional(self, seeded):
        result = add_working_days(date(2026, 12, 30), 3)
        assert result.date == date(2027, 1, 4)
        assert result.provisional is True

    def test_never_raises_far_in_the_future(self, seeded):
        assert add_working_days(date(2099, 1, 1), 20).provisional is True

    def test_announcing_the_year_makes_it_definite(self, seeded):
        calendar_year_set(
            year=2027,
            off_days={date(2027, 1, 1): "元旦", date(2027, 1, 4): "元旦"},
            work_days={date(2027, 1, 9): "元旦"},
            notice="国办发明电〔2026〕7号",
        )
        result = add_working_days(date(2026, 12, 31), 1)  # Thursday
        # 1 Jan (Fri) off, 2-3 weekend, 4 Jan (Mon) off, 5 Jan working.
        assert result == type(result)(date(2027, 1, 5), False)
        assert add_working_days(date(2027, 1, 8), 1).date == date(2027, 1, 9)

    def test_a_day_of_another_year_is_refused_with_the_field(self, seeded):
        with pytest.raises(ValidationError) as exc:
            calendar_year_set(year=2027, off_days={date(2026, 5, 1): "x"}, work_days={}, notice="")
        assert "off_days" in exc.value.message_dict

    def test_a_day_both_off_and_working_is_refused(self, seeded):
        day = date(2027, 2, 6)
        with pytest.raises(ValidationError) as exc:
            calendar_year_set(year=2027, off_days={day: "a"}, work_days={day: "b"}, notice="")
        assert "work_days" in exc.value.message_dict


class TestSeeding:
    def test_seeding_knows_the_library_years_only(self, db):
        seeded = calendar_seed_from_library(years=[2026, 2027])
        assert seeded == [2026]
        assert set(CalendarYear.objects.values_list("year", flat=True)) == {2026}

    def test_a_year_entered_by_hand_is_not_overwritten(self, db):
        calendar_year_set(year=2026, off_days={}, work_days={}, notice="手工录入")
        assert calendar_seed_from_library(years=[2026]) == []
        assert CalendarYear.objects.get(year=2026).source == CalendarSource.MANUAL

    def test_holiday_names_are_chinese(self, seeded):
        names = set(CalendarYear.objects.get(year=2026).days.values_list("name", flat=True))
        assert "国庆节" in names and "春节" in names


class TestArithmetic:
    calendar = WorkCalendar(years=frozenset({2026}))

    def test_zero_days_is_the_same_day(self):
        assert self.calendar.add_working_days(date(2026, 5, 6), 0).date == date(2026, 5, 6)

    def test_negative_days_are_refused(self):
        with pytest.raises(ValueError):
            self.calendar.add_working_days(date(2026, 5, 6), -1)

    def test_between_is_signed(self):
        forward = self.calendar.working_days_between(date(2026, 5, 4), date(2026, 5, 8))
        backward = self.calendar.working_days_between(date(2026, 5, 8), date(2026, 5, 4))
        assert (forward.days, backward.days) == (4, -4)


class TestApi:
    def test_add_working_days_endpoint(self, seeded, client):
        response = client.get("/api/calendar/add-working-days/?start=2026-09-30&days=1")
        assert response.status_code == 200
        assert response.json() == {
            "start": "2026-09-30",
            "days": 1,
            "date": "2026-10-08",
            "provisional": False,
        }

    def test_bad_input_names_the_field(self, seeded, client):
        response = client.get("/api/calendar/add-working-days/?start=yesterday&days=-2")
        assert response.status_code == 400
        assert set(response.json()) == {"start", "days"}

    def test_years_are_listed_with_their_days(self, seeded, client):
        years = client.get("/api/calendar/years/").json()
        assert [y["year"] for y in years] == [2025, 2026]
        assert {"date": "2026-09-20", "kind": "work", "name": "国庆节"} in years[1]["days"]
