"""The ``ecobid`` command line: the local server and its helpers."""
