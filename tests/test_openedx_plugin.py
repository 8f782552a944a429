"""The Django app plugs into the LMS and Studio through edx-django-utils' own plugin loaders.

Not a reading of entry points: these tests call the functions the platform calls, with the
values it passes (openedx/core/djangoapps/plugins/constants.py at openedx-platform commit
e57a655d: ``ProjectType.LMS = "lms.djangoapp"``, ``ProjectType.CMS = "cms.djangoapp"``,
``SettingsType.COMMON = "common"``, ``SettingsType.PRODUCTION = "production"``):
- lms/envs/common.py and cms/envs/common.py: ``INSTALLED_APPS.extend(get_plugin_apps(ProjectType.X))``
  and ``add_plugins(__name__, ProjectType.X, SettingsType.COMMON)`` (production.py: ``PRODUCTION``);
- lms/urls.py: ``urlpatterns.extend(get_plugin_url_patterns(ProjectType.LMS))``.
"""

from __future__ import annotations

import sys
import types

import pytest
from django.test import override_settings
from django.urls import resolve, reverse
from edx_django_utils.plugins import add_plugins, get_plugin_apps, get_plugin_url_patterns

from collective_coaching_xblock import views
from collective_coaching_xblock.settings import OPENEDX_HOST

LMS, CMS = "lms.djangoapp", "cms.djangoapp"
APP = "collective_coaching_xblock.apps.CollectiveCoachingConfig"
USAGE = "block-v1:Org+Coaching+2026+type@collective_coaching+block@unit1"


@pytest.mark.parametrize("project", [LMS, CMS])
def test_the_lms_and_studio_find_the_app(project):
    assert APP in get_plugin_apps(project)


@pytest.fixture
def lms_urls(monkeypatch):
    """A root URLconf built as lms/urls.py builds its plugin part."""
    module = types.ModuleType("cc_test_lms_urls")
    module.urlpatterns = list(get_plugin_url_patterns(LMS))
    monkeypatch.setitem(sys.modules, module.__name__, module)
    with override_settings(ROOT_URLCONF=module.__name__):
        yield module


def test_the_lms_mounts_the_export_url_and_it_reverses(lms_urls):
    url = reverse("collective_coaching:export_csv", kwargs={"usage_id": USAGE})
    assert url == f"/collective-coaching/export/{USAGE}.csv"
    match = resolve(url)
    assert match.func is views.export_csv and match.kwargs == {"usage_id": USAGE}


def test_the_host_gives_the_export_url_under_the_lms_urls(lms_urls):
    from collective_coaching_xblock.platform.openedx import OpenEdxHost

    block = types.SimpleNamespace(scope_ids=types.SimpleNamespace(usage_id=USAGE))
    assert OpenEdxHost().export_url(block) == f"/collective-coaching/export/{USAGE}.csv"


def test_studio_mounts_no_urls_of_the_app():
    # The export is an LMS page (it loads the block with the LMS's load_single_xblock).
    patterns = get_plugin_url_patterns(CMS)
    assert not [p for p in patterns if "collective-coaching" in str(p.pattern)]


@pytest.mark.parametrize("project", [LMS, CMS])
@pytest.mark.parametrize("settings_type", ["common", "production"])
def test_the_plugin_settings_choose_the_open_edx_host(monkeypatch, project, settings_type):
    platform_settings = types.ModuleType(f"cc_test_{project.split('.')[0]}_{settings_type}_settings")
    monkeypatch.setitem(sys.modules, platform_settings.__name__, platform_settings)
    add_plugins(platform_settings.__name__, project, settings_type)
    assert platform_settings.COLLECTIVE_COACHING_HOST == OPENEDX_HOST
    # An operator's own choice stands.
    platform_settings.COLLECTIVE_COACHING_HOST = "my.Host"
    add_plugins(platform_settings.__name__, project, settings_type)
    assert platform_settings.COLLECTIVE_COACHING_HOST == "my.Host"
