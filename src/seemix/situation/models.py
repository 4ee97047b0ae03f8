"""Tables of the regional picture."""
