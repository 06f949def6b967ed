"""Small shared pieces every tab uses: theme, number formats, widgets, the ticker picker, background jobs."""
