"""The loops layer of course_lib: training runs that start processes or span workers."""
