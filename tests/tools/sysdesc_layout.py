# SPDX-License-Identifier: BSD-2-Clause
"""The boot description's binary layout (include/coffer/sysdesc.h), for the tool tests."""
import struct

HEADER, CONTAINER, OBJECT, CAP = "<6I", "<16s16s64sIIQ6IIIIIII", "<4I", "<6IQ"


def decode(data):
    """(header, [container tuples], [object tuples], [cap tuples]) of a boot description."""
    header = struct.unpack_from(HEADER, data, 0)
    off = struct.calcsize(HEADER)
    parts = []
    for fmt, count in ((CONTAINER, header[2]), (OBJECT, header[4]), (CAP, header[3])):
        part = []
        for _ in range(count):
            part.append(struct.unpack_from(fmt, data, off))
            off += struct.calcsize(fmt)
        parts.append(part)
    assert off == len(data), f"{len(data) - off} bytes after the last capability"
    return (header, *parts)
