"""URLs of the coaching app; the LMS mounts them under ``collective-coaching/`` (see ``apps.py``)."""

from django.urls import re_path

from . import views

app_name = "collective_coaching"

urlpatterns = [
    re_path(r"^export/(?P<usage_id>[^/]+)\.csv$", views.export_csv, name="export_csv"),
]
