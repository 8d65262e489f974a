"""Posting to the real Wagtail admin forms as a browser would."""

from wagtail.test.utils.form_data import querydict_from_html


def form_data(client, url) -> dict:
    """The POST data the admin form would send as rendered: formset templates dropped,
    the leading newline of each textarea removed as browsers do."""
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    return {
        key: [value.removeprefix("\n") for value in data.getlist(key)]
        for key in data
        if "__prefix__" not in key
    }
