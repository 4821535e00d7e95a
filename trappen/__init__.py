"""trappen: case work and steering for vulnerable children by the Herning model."""
