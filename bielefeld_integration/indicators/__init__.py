"""Indicator definitions and formulas."""
