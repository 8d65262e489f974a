def test_smoke(site, client):
    r = client.get("/de/suche/?q=Chat")
    print(r.status_code)
    print(r.content.decode()[-4000:])
    assert 0
