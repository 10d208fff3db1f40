"""Benchmarks: the matcher, the store and the bot side by side with their baselines (python -m bench)."""
