"""(Being written: the dropout transforms of the pixel catalog.)"""

__all__: list[str] = []
