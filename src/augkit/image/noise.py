"""(Being written: the noise transforms of the pixel catalog.)"""

__all__: list[str] = []
