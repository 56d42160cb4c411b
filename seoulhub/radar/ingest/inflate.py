"""Bounded decompression of gzip and deflate data (only gettext from Django: its messages reach Korean pages).

A few kilobytes of gzip can unpack to gigabytes (a "gzip bomb"), so every decompression of bytes
from outside goes through Inflater, which decompresses piece by piece and stops at a limit
instead of filling memory: a feed body with Content-Encoding gzip or deflate (fetch.py) and a
gzipped file (parse.py).
"""

from __future__ import annotations

import zlib

from django.utils.translation import gettext as _

GZIP_MAGIC = b"\x1f\x8b"
PIECE_BYTES = 1024 * 1024


class TooLarge(ValueError):
    """The unpacked data would be larger than the limit."""


class Damaged(ValueError):
    """The data is not a complete gzip or deflate stream."""


class Inflater:
    """Feed compressed pieces, get unpacked pieces; raises TooLarge past `limit` unpacked bytes."""

    def __init__(self, encoding: str, limit: int):
        if encoding not in ("gzip", "x-gzip", "deflate"):
            raise ValueError(f"not a compression this reads: {encoding}")
        self.gzip = encoding != "deflate"
        self.limit = limit
        self.produced = 0
        self._started = False
        self._ended = False
        self._stream = self._new_stream()

    def _new_stream(self, raw: bool = False):
        if self.gzip:
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate (as httpx allows).
        return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        pieces = []
        more = False  # the last call filled its room: zlib may hold output without more input
        while (data or more) and not self._ended:
            if self._stream.eof:
                # gzip allows several members one after the other (gzip.decompress reads them all);
                # anything else after the end (zero padding) is ignored, as gzip does.
                if not data:
                    break
                if not (self.gzip and data[:2] == GZIP_MAGIC):
                    self._ended = True
                    break
                self._stream = self._new_stream()
            # One byte more than allowed tells "too large"; at most a MiB at a time, so zlib's
            # growing output buffer never holds much more than what is kept.
            room = min(self.limit - self.produced + 1, PIECE_BYTES)
            try:
                piece = self._stream.decompress(data, room)
            except zlib.error as exc:
                if not self.gzip and not self._started:
                    self._started = True
                    self._stream = self._new_stream(raw=True)
                    continue
                raise Damaged(str(exc)) from exc
            self._started = True
            self.produced += len(piece)
            if self.produced > self.limit:
                raise TooLarge(_("unpacks to more than %(limit)s bytes") % {"limit": f"{self.limit:,}"})
            pieces.append(piece)
            more = len(piece) == room
            data = self._stream.unused_data if self._stream.eof else self._stream.unconsumed_tail
        return b"".join(pieces)

    def finish(self) -> None:
        """Raise Damaged when the data ended before the end of the compressed stream."""
        if self._started and not self._stream.eof and not self._ended:
            raise Damaged(_("the compressed data ends early"))


def inflate(data: bytes, encoding: str, limit: int) -> bytes:
    """All of `data` unpacked (TooLarge past `limit` bytes, Damaged when it is not complete)."""
    inflater = Inflater(encoding, limit)
    unpacked = inflater.feed(data)
    inflater.finish()
    return unpacked
