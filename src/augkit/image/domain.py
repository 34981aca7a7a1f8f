"""(Being written: the domain transforms of the pixel catalog.)"""

__all__: list[str] = []
