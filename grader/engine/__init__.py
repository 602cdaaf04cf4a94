"""The fast grading engine: warm worker processes that fork one child per notebook.

A worker (:mod:`~effquiz.grader.engine.worker`) imports IPython, NumPy and Otter once,
then forks a fresh child for each submission. The child executes the notebook the way
Otter's grading path does (:mod:`~effquiz.grader.engine.child`), and the worker enforces
the time, memory and output limits and kills every process the notebook left behind.
Only JSON crosses back from the child. The batch process judges the collected answers
itself (:mod:`~effquiz.grader.engine.fast`).

This module imports nothing, so that the worker process stays free of effquiz's own
modules.
"""
