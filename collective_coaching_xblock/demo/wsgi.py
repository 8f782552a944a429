"""The demo as a WSGI application, for gunicorn (``demo/load.py``): as the platform serves the LMS.

Serve it with ``--preload``: the workbench builds its scenarios (and their usage ids, which it
keeps in memory) here, once, before gunicorn forks the workers; no worker then writes them again.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collective_coaching_xblock.demo.settings")
application = get_wsgi_application()


def _build_scenarios() -> None:
    from workbench.scenarios import get_scenarios  # after Django is set up

    get_scenarios()
    connections.close_all()  # each worker opens its own connections: none is shared across a fork


_build_scenarios()
