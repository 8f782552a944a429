"""The demo host: the xblock-sdk workbench with seeded cohorts and people. Not used by Open edX."""
