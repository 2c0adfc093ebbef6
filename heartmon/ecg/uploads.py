"""ECG uploads stream to temporary files on disk, whatever their size, and stop at the limit."""

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler
from django.http import HttpRequest

from heartmon.ecg.services import refuse_if_too_large


class SizeLimitHandler(FileUploadHandler):
    """Counts the bytes of every file as they arrive and refuses the request (413) past
    ECG_MAX_UPLOAD_MB; the temporary file being written is closed, and so deleted."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        refuse_if_too_large(self.received)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def stream_to_disk(request: HttpRequest) -> None:
    """Install the handlers before anything reads the body."""
    request.upload_handlers = [SizeLimitHandler(request), TemporaryFileUploadHandler(request)]


def refuse_by_content_length(request: Any) -> None:
    """The early 413: the multipart body (with some room for its other fields) is too large."""
    refuse_if_too_large(int(request.META.get("CONTENT_LENGTH") or 0) - 64 * 1024)
