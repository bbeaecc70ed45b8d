"""The planning pages: plan a week, read the draft, publish it (blueprint ``plans``)."""
