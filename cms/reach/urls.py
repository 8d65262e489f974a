from django.urls import path

from . import views

urlpatterns = [
    path("reach/beacon/", views.beacon, name="reach_beacon"),
    path("reach/follow-up/<int:unit_id>/", views.follow_up_view, name="reach_follow_up"),
    path(
        "reach/follow-up/check/<int:submission_id>/",
        views.follow_up_check_view,
        name="reach_follow_up_check",
    ),
    path("reach/follow-up/mail/", views.follow_up_mail_view, name="reach_follow_up_mail"),
]
