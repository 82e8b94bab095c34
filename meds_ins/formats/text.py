"""Plain UTF-8 text files: the one way builders and parsers open them, so that a file in another encoding
(Latin-1, UTF-16) or a folder where a file belongs is a RawFormatError naming the file, the line and the
byte offset, never a UnicodeDecodeError."""

from meds_ins._common.textfiles import open_text, read_text

__all__ = ["open_text", "read_text"]
