"""Teacher authoring: lessons, words and phrases, and who edits a course."""
