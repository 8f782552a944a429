"""What an operator installs: the wheel carries code, migrations, templates, static files and catalogs."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _build(command: list[str], out: Path, cwd: Path) -> zipfile.ZipFile:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # setuptools warns when project.license is a table (deprecated); the SPDX string is current.
    assert "project.license" not in result.stdout + result.stderr, result.stdout + result.stderr
    (path,) = out.glob("collective_coaching_xblock-*.whl")
    return zipfile.ZipFile(path)


def _source_copy(tmp_path_factory) -> Path:
    """A copy of the source tree, so that building writes nothing (build/, *.egg-info) into the tree."""
    source = tmp_path_factory.mktemp("source") / "src"
    ignore = shutil.ignore_patterns(".venv", "var", "build", "dist", "*.egg-info", ".git", "__pycache__", ".*_cache")
    shutil.copytree(ROOT, source, ignore=ignore)
    return source


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """The wheel as pip builds it from pyproject.toml."""
    out = tmp_path_factory.mktemp("wheel")
    source = _source_copy(tmp_path_factory)
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out)]
    return _build([*command, str(source)], out, source)


@pytest.fixture(scope="module")
def setup_py_wheel(tmp_path_factory) -> zipfile.ZipFile:
    """The wheel as the top-level setup.py builds it."""
    out = tmp_path_factory.mktemp("setup-py-wheel")
    source = _source_copy(tmp_path_factory)
    return _build([sys.executable, "setup.py", "--quiet", "bdist_wheel", "--dist-dir", str(out)], out, source)


def _entry_points(wheel: zipfile.ZipFile) -> str:
    return wheel.read(next(n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt"))).decode()


def test_setup_py_builds_the_same_wheel_as_pyproject(wheel, setup_py_wheel):
    assert sorted(setup_py_wheel.namelist()) == sorted(wheel.namelist())
    assert _entry_points(setup_py_wheel) == _entry_points(wheel)
    metadata = wheel.read(next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: AGPL-3.0-only" in metadata
    assert "Classifier: Programming Language :: Python :: 3.13" in metadata


def test_wheel_contains_everything_the_platform_loads(wheel):
    names = set(wheel.namelist())
    for required in (
        "collective_coaching_xblock/block.py",
        "collective_coaching_xblock/migrations/0001_initial.py",
        "collective_coaching_xblock/demo/migrations/0001_initial.py",
        "collective_coaching_xblock/templates/learner.html",
        "collective_coaching_xblock/static/js/learner.js",
        "collective_coaching_xblock/static/js/fields.js",
        "collective_coaching_xblock/static/css/coaching.css",
        "collective_coaching_xblock/translations/en/LC_MESSAGES/text.po",
        "collective_coaching_xblock/translations/en/LC_MESSAGES/text.mo",
        "collective_coaching_xblock/translations/es_419/LC_MESSAGES/text.mo",
        "collective_coaching_xblock/translations/es_419/LC_MESSAGES/textjs.mo",
        "collective_coaching_xblock/static/js/studio.js",
        "collective_coaching_xblock/templates/studio.html",
        "collective_coaching_xblock/migrations/0006_news.py",
        "collective_coaching_xblock/management/commands/send_group_news.py",
        "collective_coaching_xblock/templatetags/collective_coaching_i18n.py",
        *(
            f"collective_coaching_xblock/templates/collective_coaching/edx_ace/groupnews/email/{name}"
            for name in ("subject.txt", "body.txt", "body.html", "head.html", "from_name.txt")
        ),
    ):
        assert required in names, required
    assert not any(name.startswith("tests/") for name in names)


def test_wheel_declares_the_block_and_the_django_app_entry_points(wheel):
    text = _entry_points(wheel)
    assert "[xblock.v1]\ncollective_coaching = collective_coaching_xblock.block:CollectiveCoachingXBlock" in text
    for group in ("[lms.djangoapp]", "[cms.djangoapp]"):
        assert f"{group}\ncollective_coaching_xblock = collective_coaching_xblock.apps:CollectiveCoachingConfig" in text
    metadata = wheel.read(next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    runtime = [line for line in requires if "extra ==" not in line]
    assert any("XBlock[django]" in line for line in runtime)
    assert any("Django<6.0,>=4.2" in line.replace(" ", "") for line in runtime)
    assert not any("xblock-sdk" in line for line in runtime)  # only for the demo and tests


def test_app_config_is_an_open_edx_plugin():
    from collective_coaching_xblock.apps import CollectiveCoachingConfig

    config = CollectiveCoachingConfig.plugin_app["settings_config"]
    assert set(config) == {"lms.djangoapp", "cms.djangoapp"}
    from django.conf import settings as django_settings

    from collective_coaching_xblock import settings as plugin_settings

    class Settings:
        pass

    fresh = Settings()
    plugin_settings.plugin_settings(fresh)
    assert fresh.COLLECTIVE_COACHING_HOST.endswith("OpenEdxHost")
    assert django_settings.COLLECTIVE_COACHING_HOST.endswith("DemoHost")  # the demo keeps its own


def test_the_block_loads_through_its_entry_point():
    from xblock.core import XBlock

    assert XBlock.load_class("collective_coaching").__name__ == "CollectiveCoachingXBlock"
