"""Outputs for machines and the atomic file writer every output goes through."""
