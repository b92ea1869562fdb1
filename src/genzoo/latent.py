"""Pictures and 2-D maps of an autoencoder's latent space, shared by the VAE and the AAE."""

from __future__ import annotations

import numpy as np

from genzoo.images import grid

PROJECTIONS = ("pca", "tsne")


def project_2d(codes: np.ndarray, method: str, seed: int) -> np.ndarray:
    """Codes as 2-D points: unchanged when already 2-D, else PCA or t-SNE.

    PCA is linear and instant, so distances along its axes mean something; t-SNE
    (van der Maaten & Hinton 2008) keeps neighbourhoods and shows clusters more clearly,
    at a few seconds per thousand points.
    """
    codes = np.asarray(codes, dtype=np.float64)
    if codes.ndim != 2:
        raise ValueError(f"codes must be (N, D), got shape {codes.shape}")
    if codes.shape[1] == 2:
        return codes
    if method == "pca":
        from sklearn.decomposition import PCA

        return PCA(n_components=2, random_state=seed).fit_transform(codes)
    if method == "tsne":
        from sklearn.manifold import TSNE

        perplexity = min(30.0, (len(codes) - 1) / 3)  # sklearn needs perplexity < N
        return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed).fit_transform(codes)
    raise ValueError(f"projection is {method!r}; allowed values: {', '.join(PROJECTIONS)}")


def scatter_rows(points: np.ndarray, labels: np.ndarray) -> list[dict]:
    """Rows for a dvc scatter plot: ``{"x", "y", "label"}``, the label as text so it colours by class."""
    return [
        {"x": round(float(x), 4), "y": round(float(y), 4), "label": str(int(label))}
        for (x, y), label in zip(points, labels)
    ]


def reconstruction_pairs(inputs: np.ndarray, outputs: np.ndarray, ncols: int = 10) -> np.ndarray:
    """A picture whose odd rows are inputs and even rows their reconstructions, column for column."""
    if inputs.shape != outputs.shape:
        raise ValueError(f"inputs {inputs.shape} and reconstructions {outputs.shape} differ in shape")
    n = len(inputs) - len(inputs) % ncols
    if n == 0:
        raise ValueError(f"need at least {ncols} images for one row of pairs, got {len(inputs)}")
    rows = []
    for start in range(0, n, ncols):
        rows += [inputs[start : start + ncols], outputs[start : start + ncols]]
    return grid(np.concatenate(rows), ncols=ncols)


def cluster_purity(assignments: np.ndarray, labels: np.ndarray) -> float:
    """The share of points whose cluster's most common label is their own label."""
    assignments, labels = np.asarray(assignments), np.asarray(labels)
    if assignments.shape != labels.shape or assignments.ndim != 1 or len(labels) == 0:
        raise ValueError(f"assignments {assignments.shape} and labels {labels.shape} must be equal 1-D shapes")
    hits = 0
    for cluster in np.unique(assignments):
        hits += np.bincount(labels[assignments == cluster]).max()
    return float(hits / len(labels))


def save_scatter(path, points: np.ndarray, labels: np.ndarray, title: str) -> None:
    """A PNG of the 2-D points coloured by label, for READMEs and reports (dvc renders the JSON)."""
    import matplotlib

    matplotlib.use("Agg")  # stages run headless
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5), dpi=100)
    for label in np.unique(labels):
        chosen = labels == label
        ax.scatter(points[chosen, 0], points[chosen, 1], s=4, color=plt.cm.tab10(int(label) % 10), label=str(label))
    ax.legend(markerscale=3, fontsize=7, loc="best", title="digit", title_fontsize=7)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
