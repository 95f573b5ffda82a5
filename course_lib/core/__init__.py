"""The course's pure functions added for issues 14 and 15 (math without loops or widgets)."""
