"""som: the 8×8 Kohonen map over 64×64 faces of the write-up (Kohonen 1982)."""

from __future__ import annotations

from genzoo.schema import integer, number

FAMILY = "som"
CURVES = ("quantization_error", "topographic_error")

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
# The schedule's keys, which the map takes; max_samples and log_every are the pipeline's.
_MAP_KEYS = ("rows", "cols", "adjust_iterations", "converge_iterations", "eta0", "sigma0", "tau",
             "converge_eta", "converge_sigma")


def build(image_shape: tuple[int, ...], n_classes: int | None, params: dict, seed: int):
    """An untrained ``KohonenMap`` from the ``models.som`` params section (``n_classes`` is unused)."""
    # Imported here, not at the top: validating params imports this module.
    from genzoo.families.som.kohonen import KohonenMap

    return KohonenMap(**{key: params[key] for key in _MAP_KEYS}, seed=seed)
