"""The REST API's domain: tokens (issue, revoke, authenticate) and what each operation reads.

Pure of Flask: the blueprint in ``routes/api`` parses, calls these functions and writes
JSON. Creating a request goes through the same intake service as the booking form.
"""
