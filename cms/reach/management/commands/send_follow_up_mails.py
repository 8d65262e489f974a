from django.core.management.base import BaseCommand

from cms.reach.follow_up import send_follow_up_mails


class Command(BaseCommand):
    help = (
        "E-mail the follow-up question to account holders who opted in and completed a unit or "
        "a Digital-Check REACH_FOLLOW_UP_DAYS ago (once per item; the daily beat task does "
        "the same)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_follow_up_mails()} e-mail(s) sent")
