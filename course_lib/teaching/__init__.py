"""The teaching layer of course_lib: the question bank files, quiz modes, spaced repetition, progress."""
