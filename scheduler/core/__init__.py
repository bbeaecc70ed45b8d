"""What every domain uses: configuration, Flask extensions, languages, logs, secrets, checks.

Nothing here knows about requests, volunteers or plans; the domain packages build on it.
"""
