"""Attributes computed on first read, for the indexes scorers build only when a document needs them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

Owner = TypeVar("Owner")
T = TypeVar("T")


class lazy(Generic[Owner, T]):
    """:func:`functools.cached_property` without its lock.

    Python 3.11's cached_property takes a lock on every first read; the speaker and referent indexes of
    quote scoring are read for the first time five times per document, and the locks were an eighth of the
    time spent judging speakers. The value is stored in the instance's ``__dict__`` under the attribute's
    name, so later reads find it there and never reach this class.
    """

    def __init__(self, make: Callable[[Owner], T]) -> None:
        self._make = make
        self._name = make.__name__
        self.__doc__ = make.__doc__

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> lazy[Owner, T]: ...

    @overload
    def __get__(self, instance: Owner, owner: type[Any] | None = None) -> T: ...

    def __get__(self, instance: Owner | None, owner: type[Any] | None = None) -> T | lazy[Owner, T]:
        if instance is None:
            return self
        value = instance.__dict__[self._name] = self._make(instance)
        return value
