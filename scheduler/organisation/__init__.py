"""An organisation and what it is made of: its settings, its sites and their opening hours,
and the municipalities of its territory.
"""
