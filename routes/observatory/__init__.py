"""The observatory (blueprint ``observatory``): figures, charts and exports for staff, and
a volunteer's own year."""
