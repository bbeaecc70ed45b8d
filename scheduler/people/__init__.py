"""The people who sign in or volunteer: volunteers' profiles, their week and days off,
logins and roles.
"""
