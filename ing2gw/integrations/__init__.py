"""Integrations with CI systems (the GitHub Action's scripts)."""
