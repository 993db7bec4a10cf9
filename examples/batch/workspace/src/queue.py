"""A bounded FIFO queue for worker threads."""
import queue as _queue

MAX_SIZE = 10_000


class WorkQueue:
    def __init__(self, max_size=MAX_SIZE):
        self._q = _queue.Queue(maxsize=max_size)

    def put(self, item, timeout=None):
        """Blocks while the queue is full; raises queue.Full after `timeout` seconds."""
        self._q.put(item, timeout=timeout)

    def get(self, timeout=None):
        return self._q.get(timeout=timeout)

    def __len__(self):
        return self._q.qsize()
