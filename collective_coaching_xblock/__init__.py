"""Collective career coaching for Open edX."""
