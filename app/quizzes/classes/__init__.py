"""Teachers' view of a class's quizzes (its figures are app.quizzes.stats, which progress reads too)."""
