"""The embedded default's file-system broker never shows a worker half a message."""

import json
import os
import threading

from kombu import Connection

import cms.celery  # noqa: F401 - registers the atomic transport for filesystem://


def test_a_message_file_appears_whole_or_not_at_all(tmp_path):
    queue = tmp_path / "queue"
    queue.mkdir()
    options = {"data_folder_in": str(queue), "data_folder_out": str(queue)}
    channel = Connection("filesystem://", transport_options=options).channel()
    partial_reads = []
    stop = threading.Event()

    def watch():
        # What a worker does: list the queue folder and read every message file it finds.
        while not stop.is_set():
            for name in os.listdir(queue):
                if not name.endswith(".q.msg"):
                    continue
                try:
                    data = (queue / name).read_bytes()
                except OSError:
                    continue
                try:
                    json.loads(data)
                except ValueError:
                    partial_reads.append(len(data))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        # Large messages keep each write open long enough for a reader to look in.
        for number in range(60):
            channel._put("q", {"body": "x" * 4_000_000, "number": number})
    finally:
        stop.set()
        watcher.join()
    assert partial_reads == []
    numbers = [channel._get("q")["number"] for _ in range(60)]
    assert sorted(numbers) == list(range(60))
    assert not list(queue.glob("*.partial"))
