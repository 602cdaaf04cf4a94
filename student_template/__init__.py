"""What students start from: the notebook's opening text and, for implementation tasks,
the function signatures they fill in."""
