"""Package discovery: ``ing2gw`` from ing2gw/, ``ing2gw_providers`` from providers/."""

from setuptools import find_packages, setup

core = find_packages(include=["ing2gw", "ing2gw.*"])
plugins = ["ing2gw_providers" + p[len("providers"):] for p in find_packages(include=["providers", "providers.*"])]
setup(packages=core + plugins, package_dir={"ing2gw_providers": "providers"})
