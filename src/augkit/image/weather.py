"""(Being written: the weather transforms of the pixel catalog.)"""

__all__: list[str] = []
