"""Parsers for the raw formats that several corpora share. Each reports errors with file and line."""
