"""Hosts: the composition root, configuration, CLI and HTTP app."""
