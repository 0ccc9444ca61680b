"""Template filters for showing numbers and dates the Persian way."""
