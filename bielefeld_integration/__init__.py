"""Integration monitoring of the city of Bielefeld."""
