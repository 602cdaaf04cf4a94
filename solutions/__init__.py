"""Reference implementations of the functions that students write."""
