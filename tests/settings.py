"""Settings for the test suite: the demo's settings with a throw-away folder for workbench files."""

import os
import tempfile

os.environ.setdefault("COLLECTIVE_COACHING_VAR", tempfile.mkdtemp(prefix="cc-test-var-"))

from collective_coaching_xblock.demo.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
