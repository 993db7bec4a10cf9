"""A small in-memory cache with per-entry time-to-live and a size bound."""
import time
from collections import OrderedDict


class Cache:
    def __init__(self, max_entries=1024, default_ttl=60.0):
        self._entries = OrderedDict()
        self._max = max_entries
        self._ttl = default_ttl

    def put(self, key, value, ttl=None):
        self._entries[key] = (value, time.monotonic() + (ttl or self._ttl))
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)  # least recently written first

    def get(self, key, default=None):
        item = self._entries.get(key)
        if item is None or item[1] < time.monotonic():
            self._entries.pop(key, None)
            return default
        return item[0]
