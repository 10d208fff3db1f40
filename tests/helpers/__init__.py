"""Factories and checkers shared by the test modules."""
