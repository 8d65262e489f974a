import pytest
from django.utils import translation
from wagtail.models import Page

from cms.core.models import HomePage, SiteSettings, StandardPage
from tests.cms.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_root_redirects_to_german_home(client, home_pages):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/de/"


def test_home_page_renders_in_german_with_lang_attribute(client, home_pages):
    response = client.get("/de/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de">' in html
    assert "<h1>Startseite</h1>" in html
    assert 'href="#main">Zum Inhalt springen</a>' in html


def test_english_home_page_renders_in_english(client, home_pages):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "<h1>Home</h1>" in html
    assert 'href="#main">Skip to content</a>' in html


def test_language_switcher_links_to_the_translation_of_the_page(client, home_pages):
    home, english_home = home_pages
    about = StandardPageFactory(parent=home, title="Über uns", slug="ueber-uns")
    english_about = about.copy_for_translation(english_home.locale)
    english_about.title, english_about.slug = "About us", "about-us"
    english_about.save_revision().publish()

    html = client.get("/de/ueber-uns/").content.decode()
    assert 'href="/en/about-us/" lang="en" hreflang="en"' in html
    assert 'href="/de/ueber-uns/" lang="de" hreflang="de" aria-current="true"' in html


def test_language_switcher_falls_back_to_home_when_page_is_untranslated(client, home_pages):
    home, _ = home_pages
    StandardPageFactory(parent=home, title="Nur Deutsch", slug="nur-deutsch")
    html = client.get("/de/nur-deutsch/").content.decode()
    assert 'href="/en/" lang="en" hreflang="en"' in html


def test_menu_lists_live_pages_marked_for_menus_and_marks_the_current_one(client, home_pages):
    home, _ = home_pages
    StandardPageFactory(parent=home, title="Im Menü", slug="im-menue", show_in_menus=True)
    StandardPageFactory(parent=home, title="Versteckt", slug="versteckt", show_in_menus=False)
    html = client.get("/de/im-menue/").content.decode()
    assert '<a href="/de/im-menue/" aria-current="page">Im Menü</a>' in html
    assert "Versteckt</a>" not in html


def test_footer_shows_funding_notice_in_the_page_language(
    client, home_pages, django_capture_on_commit_callbacks
):
    home, _ = home_pages
    site_settings = SiteSettings.for_site(home.get_site())
    site_settings.funder_name = "Bundesministerium für Wirtschaft und Energie"
    site_settings.imprint_page = home
    site_settings.save()

    german = client.get("/de/").content.decode()
    english = client.get("/en/").content.decode()
    assert "Gefördert durch Bundesministerium für Wirtschaft und Energie" in german
    # The name was entered in the site's language, and says so on English pages.
    assert (
        'Funded by <span lang="de">Bundesministerium für Wirtschaft und Energie</span>' in english
    )
    assert ">Impressum</a>" in german
    assert 'href="/en/">Imprint</a>' in english

    # With an English name entered, English pages show it, German pages the German one.
    with django_capture_on_commit_callbacks(execute=True):
        site_settings.funder_name_en = "Federal Ministry for Economic Affairs and Energy"
        site_settings.funding_notice = "Gefördert aufgrund eines Beschlusses des Bundestages."
        site_settings.save()
    english = client.get("/en/").content.decode()
    assert "Funded by Federal Ministry for Economic Affairs and Energy" in english
    assert '<p class="funding__detail"><span lang="de">Gefördert aufgrund' in english
    assert "Gefördert durch Bundesministerium" in client.get("/de/").content.decode()


def test_unknown_page_gives_translated_404(client, home_pages):
    response = client.get("/de/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_admin_is_available_in_german(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(user)
    with translation.override("de"):
        response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert "Dashboard" in response.content.decode() or "Übersicht" in response.content.decode()


def test_page_type_rules():
    assert HomePage.can_exist_under(Page.get_first_root_node())
    assert not StandardPage.can_exist_under(Page.get_first_root_node())
    assert StandardPage in HomePage.allowed_subpage_models()
    assert HomePage not in HomePage.allowed_subpage_models()


def test_menu_and_footer_follow_changes_at_once(
    client, home_pages, django_capture_on_commit_callbacks
):
    """Header and footer are cached; publishing a page for the menu or saving the site
    settings shows on the next request, not a day later."""
    home, _ = home_pages
    client.get("/de/")  # fills the cache
    with django_capture_on_commit_callbacks(execute=True):
        page = StandardPageFactory(
            parent=home, title="Neu im Menü", slug="neu", show_in_menus=True
        )
        page.save_revision().publish()
    assert "Neu im Menü" in client.get("/de/").content.decode()

    site_settings = SiteSettings.for_site(home.get_site())
    with django_capture_on_commit_callbacks(execute=True):
        site_settings.contact_phone = "+49 30 999999"
        site_settings.save()
    assert "+49 30 999999" in client.get("/de/").content.decode()
