"""The teaching layer of course_lib: question bank, quiz modes, spaced repetition, progress."""
