"""Hash-chained history that nobody edits: shared by every app that keeps events."""
