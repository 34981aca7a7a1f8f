"""(Being written: the compression transforms of the pixel catalog.)"""

__all__: list[str] = []
