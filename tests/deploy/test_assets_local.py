"""Halls run on intranets: the API docs page loads only the hall's own static files."""

import re

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_swagger_ui_references_only_local_static_files(client):
    page = client.get("/api/docs/").content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui" in url for url in urls)
    assert "cdn" not in page.lower() and "https://" not in " ".join(urls)
    for url in urls:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
