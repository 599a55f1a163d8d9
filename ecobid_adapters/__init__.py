"""Adapters: the ports of ``ecobid_core`` implemented in memory and on AWS."""
