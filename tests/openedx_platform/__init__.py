"""The platform's models the Open edX adapter queries, as a Django app of the test settings only.

See ``models.py``; tests/openedx_doubles.py puts them where the adapter imports them from.
"""
