"""(Being written: the tone transforms of the pixel catalog.)"""

__all__: list[str] = []
