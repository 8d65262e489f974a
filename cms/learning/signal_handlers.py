"""Learning signal handlers: anonymous progress kept on login; the catalogue generation moved
whenever the catalogue's lists of units and paths (``selectors.catalogue_list``) may change."""

from django.contrib.auth.signals import user_logged_in


def merge_anonymous_progress(sender, request, user, **kwargs):
    """Logging in (or signing up, which logs in) keeps what the visitor learnt anonymously."""
    from .learners import anonymous_learner_from_cookie
    from .progress import attach_to_account

    if request is None:
        return
    attach_to_account(anonymous_learner_from_cookie(request), user)
    request._learner_merged = True
    if hasattr(request, "_learner"):
        del request._learner


def move_catalogue_generation(**kwargs):
    """In the transaction that makes the change, not on commit: the new counter becomes
    visible together with the new content, so no request after the commit can read the old
    list, and a test (run inside one transaction) sees it too. It holds the counter's row
    until the commit; publishing transactions are short."""
    from cms.core.models import CacheGeneration

    CacheGeneration.bump(CacheGeneration.CATALOGUE)


def _move_if_created(created=False, **kwargs):
    if created:
        move_catalogue_generation()


def register_signal_handlers():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from cms.taxonomy.models import MaturityLevel, Topic

    from .models import LearningCatalogPage, LearningPathPage, LearningUnitPage, PathUnit

    user_logged_in.connect(merge_anonymous_progress, dispatch_uid="learning_merge_progress")
    bump = move_catalogue_generation
    for model in (LearningCatalogPage, LearningUnitPage, LearningPathPage):
        name = model.__name__
        page_published.connect(bump, sender=model, dispatch_uid=f"learning-list-pub-{name}")
        page_unpublished.connect(bump, sender=model, dispatch_uid=f"learning-list-unpub-{name}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"learning-list-del-{name}")
        # A page created live without being published (an alias, code) sends no signal of
        # its own.
        post_save.connect(_move_if_created, sender=model, dispatch_uid=f"learning-list-new-{name}")
    # A move (also a reordering among siblings) may change the catalogue and the order; the
    # signal's sender is the page's specific class, so listen for all and let it be coarse.
    post_page_move.connect(bump, dispatch_uid="learning-list-move")
    # A path's units (saved with the path), levels' order and slugs (the level filter),
    # topics' slugs (the topic filter), view restrictions (``public()``).
    for model in (PathUnit, MaturityLevel, Topic, PageViewRestriction):
        name = model.__name__
        post_save.connect(bump, sender=model, dispatch_uid=f"learning-list-save-{name}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"learning-list-del-{name}")
