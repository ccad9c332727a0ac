"""Each hall's front page: its identity, its delegated items by name, its sync state for staff."""

import pytest
from django.contrib.auth import get_user_model

from county.catalogue.sample import catalogue_load_sample


@pytest.fixture
def township(tree, settings):
    catalogue_load_sample()
    settings.HALL_SITE, settings.HALL_TIER = "t-maan", "township"
    return tree["t-maan"]


def test_a_township_lists_its_delegated_items_by_name(township, client):
    page = client.get("/").content.decode()
    assert "马鞍镇便民服务中心" in page
    assert "最低生活保障申请" in page and "承诺件" in page and "受理并办结" in page
    assert "同步状态" not in page  # not for anonymous visitors


def test_staff_see_the_sync_state(township, client):
    client.force_login(get_user_model().objects.create_user("clerk-home"))
    page = client.get("/").content.decode()
    assert "同步状态" in page and "待发送消息" in page and "隔离的消息" in page


def test_the_front_page_costs_a_few_queries(township, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/")
