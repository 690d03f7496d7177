"""The pipeline: one top-to-bottom function per document (report, questionnaire, trend, check)."""
