"""Exports of an assignment for learning management systems and for print.

Entry points, one per target:

- :func:`export_canvas`: a Canvas Classic Quizzes QTI 1.2 zip;
- :func:`export_moodle`: Moodle XML;
- :func:`export_handouts`: HTML handouts with answer keys, and PDFs where Chromium is found;
- :func:`export_gradebook`: the gradebook of ``effquiz grade`` in Canvas's or a
  Gradescope-style CSV format.

Every export writes its output whole or not at all.
"""

from effquiz.export.gradebooks import export_gradebook
from effquiz.export.handout import export_handouts
from effquiz.export.lms import ExportSummary, export_canvas, export_moodle

__all__ = ["ExportSummary", "export_canvas", "export_gradebook", "export_handouts", "export_moodle"]
