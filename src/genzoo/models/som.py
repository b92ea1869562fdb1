"""som: the 8×8 Kohonen map over 64×64 faces of the write-up (Kohonen 1982)."""

from __future__ import annotations

from genzoo.config import integer, number

FAMILY = "som"

# Spec bounds are inclusive; this stands in for "strictly positive".
_POSITIVE = 1e-6

PARAMS = {
    "rows": integer(1),
    "cols": integer(1),
    "adjust_iterations": integer(0),
    "converge_iterations": integer(0),
    "eta0": number(0.0, maximum=1.0),
    "sigma0": number(_POSITIVE),
    "tau": number(_POSITIVE),
    "converge_eta": number(0.0, maximum=1.0),
    "converge_sigma": number(_POSITIVE),
    "max_samples": integer(1, nullable=True),
    "log_every": integer(1),
}
