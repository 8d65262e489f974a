"""Signals other apps use to keep their learner-linked data with the learner.

``learner_merged`` is sent inside the merge transaction, before the anonymous ``source`` is
deleted, so data that points at it can follow it into ``target`` (the account's learner).
"""

from django.dispatch import Signal

learner_merged = Signal()  # kwargs: source, target
