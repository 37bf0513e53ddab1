"""A quiz session's questions and answers, and its results."""
