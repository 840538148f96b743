"""Presentation helpers: German number formatting, tables, charts."""
