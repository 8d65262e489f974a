"""The embedded default's broker: kombu's file-system transport, with messages written
atomically.

kombu creates a message's file in the queue folder and then writes into it, so a worker
that lists the folder in between reads a partial file: a ``JSONDecodeError`` in the worker
and a message lost (seen in our tests, and a task lost in production for anyone running the
embedded default with a busy queue). Here the message is written under a name the reader
ignores (it takes only ``….<queue>.msg``) and renamed into place, which is atomic on one
file system. Registered for ``filesystem://`` URLs in ``cms.celery``.

Written here because kombu offers no option for it; the change is the one method.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put ``payload`` onto ``queue``: written aside, then renamed into the queue."""
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = f"{final}.partial"
        try:
            with open(partial, "wb", buffering=0) as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
