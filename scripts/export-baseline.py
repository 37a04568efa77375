#!/usr/bin/env python3
"""What a user would otherwise write to get a claimlens store into Parquet: Python's sqlite3
and pyarrow, the same tables as `claimlens export` (documents, one file per layer, links,
said), Snappy-compressed. Used beside `claimlens export` in docs/evaluation.md.

    python3 scripts/export-baseline.py corpus.db out-folder
"""
import os
import sqlite3
import sys

import pyarrow as pa
import pyarrow.parquet as pq


def write(conn, sql, path, params=()):
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    writer = None
    while True:
        rows = cur.fetchmany(100_000)
        if not rows:
            break
        table = pa.Table.from_pylist([dict(zip(names, r)) for r in rows])
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema, compression="snappy")
        writer.write_table(table.cast(writer.schema))
    if writer is not None:
        writer.close()


def main():
    db, out = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(out, "layers"), exist_ok=True)
    conn = sqlite3.connect(db)
    write(conn, "SELECT doc_id, source_id, source, record, format, title, outlet, url, author, "
          "published, language, fetched_url, fetched_at, encoding, words, ingested_at, text "
          "FROM documents ORDER BY doc", os.path.join(out, "documents.parquet"))
    layers = [r[0] for r in conn.execute("SELECT DISTINCT name FROM layers ORDER BY name")]
    for layer in layers:
        write(conn, "SELECT d.doc_id, a.idx, a.type, a.start_char, a.end_char, a.start_byte, "
              "a.end_byte, a.text, a.stage, a.rule, a.score, a.attrs FROM annotations a "
              "JOIN documents d ON d.doc = a.doc WHERE a.layer = ? ORDER BY a.doc, a.idx",
              os.path.join(out, "layers", layer + ".parquet"), (layer,))
    write(conn, "SELECT d.doc_id, k.from_layer, k.from_idx, k.position, k.role, k.to_layer, "
          "k.to_idx FROM links k JOIN documents d ON d.doc = k.doc "
          "ORDER BY k.doc, k.from_layer, k.from_idx, k.position", os.path.join(out, "links.parquet"))
    write(conn, "SELECT d.doc_id, s.relation, s.speaker FROM said s JOIN documents d "
          "ON d.doc = s.doc ORDER BY s.doc, s.relation", os.path.join(out, "said.parquet"))


if __name__ == "__main__":
    main()
