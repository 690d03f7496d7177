"""Typed contexts for templates: what a report or questionnaire shows, built from models and results."""
