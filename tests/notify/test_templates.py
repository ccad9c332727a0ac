"""The texts: every default fits one SMS segment (70 characters) with realistic values, a
county may set its own (county-wide or per item), and the rule refuses a text that is too
long or broken. Seed 001 第十条(五) (一次性告知; 补办件 time counted from the day the
materials are complete) is in the supplement texts."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from county.rules.models import Rule
from county.rules.services import rule_clean
from sites.notify.kinds import KINDS, SAMPLE, SEGMENT, render
from sites.notify.rules import TEXTS_KEY
from sites.notify.services import notify
from tests.cases.factories import PHONE, case_make, clerk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_default_text_renders_within_one_segment(kind):
    text = render(KINDS[kind].default, SAMPLE)
    assert "{" not in text and "}" not in text
    assert len(text) <= SEGMENT, (kind, len(text), text)
    for field in KINDS[kind].fields:  # every field it documents is used and shown
        if SAMPLE[field]:
            assert SAMPLE[field] in text, (kind, field)


def test_the_supplement_text_says_once_and_from_when_seed_001_art_10():
    """seed 001 第十条(五): 一次性告知; the limit runs from the day the materials are complete."""
    text = render(KINDS["supplement_requested"].default, SAMPLE)
    assert "一次补齐" in text and "自补齐之日起计算" in text


def test_a_county_text_per_item_wins_over_the_county_wide_one(township):
    now = timezone.now()
    Rule.objects.create(
        key=TEXTS_KEY, value={"receipt": "县里的收件短信{number}。"}, changed_at=now
    )
    Rule.objects.create(
        key=TEXTS_KEY,
        scope="item:mzj-002",
        value={"receipt": "临时救助收件{number}，请保持电话畅通。"},
        changed_at=now,
    )
    case = case_make(by=clerk(township))
    receipt = case.notifications.get(kind="receipt")
    assert receipt.text == f"临时救助收件{case.number}，请保持电话畅通。"
    queue = notify(None, "queue_near", phone=PHONE, ticket="A1", ahead=3, window="1号窗口")
    assert queue.text.startswith("您的A1号")  # the default where nothing is set


def test_the_rule_refuses_a_long_or_broken_text(halls):
    with pytest.raises(ValidationError) as info:
        rule_clean(key=TEXTS_KEY, value={"receipt": "很长" * 40})
    assert "70" in str(info.value)
    with pytest.raises(ValidationError) as info:
        rule_clean(key=TEXTS_KEY, value={"accepted": "受理{number"})
    assert "花括号" in str(info.value)
    clean = rule_clean(key=TEXTS_KEY, value={"accepted": "受理了{number}，{date}前办结。"})
    assert clean["accepted"] == "受理了{number}，{date}前办结。"
