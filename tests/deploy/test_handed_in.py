"""What the county's apps hand in at start-up, so that the layers below them never import
them (docs/decisions/0025-layers.md): the hall's pages get the county's answers in process,
a catalogue release carries the parts other apps author."""

from county.assessment.feedback import record_case_facts
from county.catalogue import release
from county.graph.citizen_here import case_status_here
from county.readmodel.selectors import records_followed_by_number
from sites.citizen import county_client
from sites.feedback import selectors


def test_the_county_answers_the_citizen_and_the_agent_in_process():
    assert county_client._here == {
        "case_status": case_status_here,
        "followed": records_followed_by_number,
    }


def test_a_rating_of_a_case_handled_elsewhere_reads_the_county_read_model():
    assert selectors._elsewhere is record_case_facts


def test_every_release_carries_the_rules_the_calendar_and_the_keys():
    assert set(release._parts) == {"calendar", "rules", "keys"}
    # the calendar travels only when it changed since the release's base
    assert [k for k, p in release._parts.items() if p.fingerprint] == ["calendar"]
