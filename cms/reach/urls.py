from django.urls import path

from . import views

urlpatterns = [
    path("reach/beacon/", views.beacon, name="reach_beacon"),
    path("reach/follow-up/<int:unit_id>/", views.follow_up_view, name="reach_follow_up"),
]
