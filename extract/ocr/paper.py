"""Paper cleaned before OCR: its background made white, scanner dust taken off.

A scan's paper is not white: gray jitter, JPEG ringing where a rule was painted out, dust. The
engine binarises by itself, locally, and reads faint gray beside a word as punctuation ("=~",
"TIP.", a quote mark). What Otsu's threshold calls paper is made white, and a dark blob smaller
than the smallest mark text makes (a full stop at 6 pt is about 0.7 pt across) is taken off; the
text's own gray edges are kept, which the engine reads better than hard black and white.
"""

from __future__ import annotations

import cv2
import numpy as np

DUST = 0.6  # points: a dark blob whose bounding box is no larger than this square is dust


def clean(image: np.ndarray, dpi: float) -> np.ndarray:
    """A copy of the grayscale image with its paper white and the dark blobs smaller than DUST gone."""
    level, dark = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    out = image.copy()
    out[image > level] = 255
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    side = max(int(DUST * dpi / 72), 1)
    small = (stats[:, cv2.CC_STAT_WIDTH] <= side) & (stats[:, cv2.CC_STAT_HEIGHT] <= side)
    small[0] = False  # the background
    if small.any():
        out[small[labels]] = 255
    return out
