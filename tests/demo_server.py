"""The demo server as a module-scoped fixture: a fresh server and database per test module."""

from __future__ import annotations

import pytest

from collective_coaching_xblock.demo.server import Browserless, demo_server

__all__ = ["Browserless", "start_demo_server"]


def start_demo_server():
    """A module-scoped fixture: a fresh demo server (database and all) for the module that uses it."""

    @pytest.fixture(scope="module")
    def demo_server_fixture(tmp_path_factory):
        with demo_server(tmp_path_factory.mktemp("demo")) as base:
            yield base

    return demo_server_fixture
