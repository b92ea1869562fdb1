"""Model families: the code shared by every model of one kind, and its pipeline stages."""
