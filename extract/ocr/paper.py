"""Paper cleaned before OCR: its background made white, scanner dust taken off.

A scan's paper is not white: gray jitter, JPEG ringing where a rule was painted out, dust. The
engine binarises by itself, locally, and reads faint gray beside a word as punctuation ("=~",
"TIP.", a quote mark). What Otsu's threshold calls paper is made white. A dark blob no larger
than the marks of dust, and standing apart from the text, is taken off: a full stop or a comma
is as small (at 6 pt, about 0.6 pt across) but always stands close to the letter it follows.
The text's own gray edges are kept, which the engine reads better than hard black and white.
"""

from __future__ import annotations

import cv2
import numpy as np

DUST = 0.8  # points: a dark blob whose bounding box is no larger than this square may be dust ...
APART = 1.2  # points: ... when no other ink comes this close to it (a full stop's letter always does)


def clean(image: np.ndarray, dpi: float) -> np.ndarray:
    """A copy of the grayscale image with its paper white and its dust gone."""
    _, dark = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    out = image | ~dark  # paper (not dark) to 255, ink as it is
    dust = _dust(dark, dpi)
    if dust is not None:
        out[dust] = 255
    return out


def _dust(dark: np.ndarray, dpi: float) -> np.ndarray | None:
    """Where the small dark blobs lie that stand apart from all other ink (None: there are none).
    A speck is judged by its pixels' distance to the text, not as a whole: it is a few pixels
    across, the distance that keeps it several times that."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    side = max(int(DUST * dpi / 72), 1)
    small = (stats[:, cv2.CC_STAT_WIDTH] <= side) & (stats[:, cv2.CC_STAT_HEIGHT] <= side)
    small[0] = False  # the background
    if not small.any():
        return None
    specks = (small.astype(np.uint8) * 255)[labels]
    reach = 2 * max(int(APART * dpi / 72), 1) + 1
    near_text = cv2.dilate(cv2.bitwise_and(dark, ~specks), np.ones((reach, reach), np.uint8))
    return cv2.bitwise_and(specks, ~near_text) > 0  # close to text: a full stop, a comma, a dot of i
