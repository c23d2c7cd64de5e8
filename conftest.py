import os

# Read by config.settings before Django starts.
os.environ.setdefault("DELTACROWN_TESTING", "1")
