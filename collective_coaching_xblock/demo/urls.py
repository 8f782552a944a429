"""The demo's URLs: the workbench's, plus the coaching app's (as the LMS plugin mounts them)."""

from django.urls import include, re_path
from workbench.urls import urlpatterns as workbench_urlpatterns

urlpatterns = [
    re_path(r"^collective-coaching/", include("collective_coaching_xblock.urls")),
    # The language switch of the front page: Django's set_language, which sets the language cookie
    # as the LMS does from a learner's language preference.
    re_path(r"^i18n/", include("django.conf.urls.i18n")),
    *workbench_urlpatterns,
]
