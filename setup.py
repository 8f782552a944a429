"""The package's metadata lives in pyproject.toml; this lets ``python setup.py bdist_wheel`` build the same wheel."""

from setuptools import setup

setup()
