"""Argument checks shared by the transforms that resample: interpolation, border mode and fills."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from augkit.core.validate import as_choice, as_fill
from augkit.image.functional._cv import BORDER_MODES, INTERPOLATIONS

__all__ = ["Resampling"]


class Resampling:
    """Mixin for transforms that resample pixels: stores and types the five shared arguments."""

    interpolation: str
    mask_interpolation: str
    border_mode: str
    fill: float | tuple[float, ...]
    fill_mask: float | tuple[float, ...]

    def _store_resampling(
        self,
        interpolation: str,
        mask_interpolation: str,
        border_mode: str,
        fill: float | Sequence[float],
        fill_mask: float | Sequence[float],
        interpolations: Iterable[str] = INTERPOLATIONS,
    ) -> None:
        """Validate and store the arguments (call from ``__init__``)."""
        owner = type(self).__name__
        names = tuple(interpolations)
        self.interpolation = as_choice(owner, "interpolation", interpolation, names)
        self.mask_interpolation = as_choice(owner, "mask_interpolation", mask_interpolation, names)
        self.border_mode = as_choice(owner, "border_mode", border_mode, BORDER_MODES)
        self.fill = as_fill(owner, "fill", fill)
        self.fill_mask = as_fill(owner, "fill_mask", fill_mask)
