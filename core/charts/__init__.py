"""Altair chart builders: arrays and tables in, charts out. ``common`` holds builders several chapters share."""
