"""A word's recording by its teacher: students hear it instead of synthetic speech."""
