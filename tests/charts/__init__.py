"""Unit tests of the chart builders, one file per core/charts module (a package, so the file names may repeat
the chapter test files' names in tests/)."""
