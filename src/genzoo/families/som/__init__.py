"""The Kohonen self-organising map family."""
