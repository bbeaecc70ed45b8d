"""Help requests, from the moment they arrive to the erasure of their personal data.

Intake (the public form, partners, the phone), the dispatcher's inbox and triage, likely
duplicates and merging, urgency, short references, the ``[BOOKING]`` options and retention.
"""
