"""Evaluation harness: real Chinese prose, generated newspaper pages with known truth, metrics.

Nothing here is imported by ``pipeline/``; the harness only measures it.
"""
