"""The math layer of course_lib: pure functions (no loops, no plots, no widgets)."""
