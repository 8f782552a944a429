"""The demo's URLs: the workbench's, plus the coaching app's (as the LMS plugin mounts them)."""

from django.urls import include, re_path
from workbench.urls import urlpatterns as workbench_urlpatterns

urlpatterns = [
    re_path(r"^collective-coaching/", include("collective_coaching_xblock.urls")),
    *workbench_urlpatterns,
]
