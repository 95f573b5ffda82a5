"""The teaching layer of the course: question bank files, spaced repetition, progress."""
