"""Small files and requests that cost a naive server a lot: the cases of the hostile-input
issue, built on the spot (nothing is stored in the repository).

Each builder returns bytes of the size an attacker would send: a few KB that declare a huge
sheet, a few hundred KB that hold ten million rows.
"""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HEADER = "id,start,actor,kind,title"


def xlsx_dimension_bomb(ref: str = "A1:XFD1048576") -> bytes:
    """A valid workbook of three events whose first sheet declares the dimension ``ref``
    (``XFD`` is Excel's last column, 16,384; 1,048,576 its last row)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for n in range(3):
        sheet.append([f"e{n}", f"2024-02-0{n + 1}", "Someone", "statement", f"Event {n}"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data)
            zf.writestr(item, data)
    return out.getvalue()


def parquet_rows_bomb(rows: int = 10_000_000) -> bytes:
    """A Parquet file of ``rows`` identical events in one row group: it compresses to a few
    hundred KB and decodes to gigabytes of text cells."""
    repeat = pa.array(np.zeros(rows, dtype=np.int8)).dictionary_encode()
    labels = pa.DictionaryArray.from_arrays(repeat.indices, pa.array(["x"]))
    table = pa.table({name: labels for name in HEADER.split(",")})
    buffer = io.BytesIO()
    pq.write_table(table, buffer, row_group_size=rows, compression="zstd")
    return buffer.getvalue()


def invalid_rows_csv(rows: int = 200_000) -> bytes:
    """A CSV of ``rows`` events, each with a date that is no date (about 4.5 MB at 200,000)."""
    lines = [HEADER, *(f"{n},soon,A,claim,{n}" for n in range(rows))]
    return ("\n".join(lines) + "\n").encode()


def many_names(count: int = 900_000) -> list[str]:
    """Actor names to send in one filter (about 10 MB of JSON at 900,000)."""
    return [f"a{n}" for n in range(count)]
