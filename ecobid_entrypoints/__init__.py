"""Entrypoints: Lambda handlers, event processors, the container and the ``ecobid`` CLI."""
