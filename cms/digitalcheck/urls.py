from django.urls import path

from . import certificate_views

urlpatterns = [
    path("certificates/", certificate_views.certificates_view, name="certificates"),
    path(
        "certificates/issue/<str:kind>/<int:page_id>/",
        certificate_views.issue_view,
        name="certificate_issue",
    ),
    path(
        "certificates/<str:code>/pdf/",
        certificate_views.certificate_pdf_view,
        name="certificate_pdf",
    ),
    path(
        "certificates/verify/<str:code>/", certificate_views.verify_view, name="certificate_verify"
    ),
]
