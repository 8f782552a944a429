"""The coaching exercise in pure Python: stages, templates, grouping and scoring rules.

Nothing here imports Django or XBlock, so the rules can be read and tested on their own.
"""
