"""Settings for the test suite: the demo's settings with a throw-away folder for workbench files.

The folder is removed when the test run ends (``make test`` also points TMPDIR inside the tree).
"""

import atexit
import os
import shutil
import tempfile

if "COLLECTIVE_COACHING_VAR" not in os.environ:
    _var = tempfile.mkdtemp(prefix="cc-test-var-")
    atexit.register(shutil.rmtree, _var, ignore_errors=True)
    os.environ["COLLECTIVE_COACHING_VAR"] = _var

from collective_coaching_xblock.demo.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# One process: the cache lives in it, and each test starts with it empty (conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Doubles of the platform's models the Open edX adapter queries (tests/openedx_platform/models.py).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.openedx_platform.apps.OpenedxPlatformDoublesConfig"]  # noqa: F405
