"""Grading: judging submissions outside the student's kernel."""
