"""Calendar feeds: what volunteers, dispatchers, sites and beneficiaries subscribe to or download.

``feed`` is the pure iCalendar builder (events in, bytes out); ``events`` decides
what each audience may see and turns appointments into feed events; ``render``
puts the two together for one feed; ``tokens`` issues, seals, verifies and
revokes the secrets in subscription links.
"""
