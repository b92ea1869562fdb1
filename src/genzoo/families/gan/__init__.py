"""The adversarial family: the networks, games and figures its models share."""
