"""Template tags of the public pages: personal data hidden or masked, and a dictamen's public
state."""
