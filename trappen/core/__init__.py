"""The Herning model's rules as pure, typed Python. No Django, no I/O."""
