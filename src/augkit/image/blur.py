"""(Being written: the blur transforms of the pixel catalog.)"""

__all__: list[str] = []
