"""Escouade: plans digital-help volunteers' visits and publishes their calendars."""
