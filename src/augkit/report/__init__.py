"""Human spot checks: HTML galleries of originals beside augmented copies."""

from augkit.report.gallery import GalleryItem, write_gallery

__all__ = ["GalleryItem", "write_gallery"]
