"""ECG uploads stream to temporary files on disk, whatever their size, and stop at the limit."""

from typing import Any

from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest

from heartmon.ecg.services.recordings import refuse_if_too_large


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Writes every file to a temporary file (never memory), counting the bytes of all files as
    they arrive; past ECG_MAX_UPLOAD_MB it deletes the file being written and answers 413."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        try:
            refuse_if_too_large(self.received)
        except Exception:
            self.file.close()  # a closed temporary upload file is deleted
            raise
        return super().receive_data_chunk(raw_data, start)


def stream_to_disk(request: HttpRequest) -> None:
    """Install the handler before anything reads the body."""
    request.upload_handlers = [LimitedTemporaryFileUploadHandler(request)]


def refuse_by_content_length(request: Any) -> None:
    """The early 413: the multipart body (with some room for its other fields) is too large."""
    refuse_if_too_large(int(request.META.get("CONTENT_LENGTH") or 0) - 64 * 1024)
