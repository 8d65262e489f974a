"""Posting to the real Wagtail admin forms as a browser would."""

import re

from wagtail.test.utils.form_data import querydict_from_html

# StreamField inputs are drawn by the admin's JavaScript; the page names them in its JSON.
STREAM_FIELD = re.compile(
    r'"fieldName": "(\w+)", "widget": \{"_type": "wagtail\.widgets\.BlockWidget"'
)


def form_data(client, url) -> dict:
    """The POST data the admin form would send as rendered: formset templates dropped,
    the leading newline of each textarea removed as browsers do."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    values = {
        key: [value.removeprefix("\n") for value in data.getlist(key)]
        for key in data
        if "__prefix__" not in key
    }
    # An empty stream, as the browser posts it (tests that need blocks add their own).
    for name in STREAM_FIELD.findall(html):
        values.setdefault(f"{name}-count", ["0"])
    return values
