"""Partner organisations that refer people, their staff's logins, and what they may follow.

``organisations``: an administrator adds, edits, deactivates partner organisations and
invites their staff. ``referrals``: a partner's own referrals with the status it may see
(received, planned with the date, done, could not be served and why), nothing more.
``news``: the e-mail a partner may ask for when one of its referrals changes status.
"""
