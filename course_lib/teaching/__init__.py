"""The teaching layer of course_lib: the bank files, quiz modes, spaced repetition, progress."""
