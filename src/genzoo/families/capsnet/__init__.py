"""Capsule networks with dynamic routing between capsules (Sabour, Frosst & Hinton 2017)."""
