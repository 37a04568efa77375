//! Table folders written here and read back: Parquet with the parquet crate's own reader (a
//! code path the writer does not use), CSV by hand. The CLI's tests read the store's export
//! with pyarrow and DuckDB.

use super::*;
use ::parquet::file::reader::{FileReader, SerializedFileReader};
use ::parquet::record::Field;

fn people() -> TableSchema {
    TableSchema::new(
        "people",
        vec![
            Column::text("name"),
            Column::int("age").nullable(),
            Column::real("score").nullable(),
            Column::text("note").nullable(),
        ],
    )
}

/// The names in `dir`: a finished or abandoned export leaves no temporary folder beside its
/// target.
fn entries(dir: &Path) -> Vec<std::ffi::OsString> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect()
}

fn write(target: &Path, format: TableFormat, rows: usize, pad: usize) -> Vec<TableWritten> {
    let pad = "·".repeat(pad);
    let mut folder = TableFolder::create(target, format).unwrap();
    let t = folder.open_table(&people()).unwrap();
    let nested = folder
        .open_table(&TableSchema::new(
            "layers/attribution-parts",
            vec![Column::text("doc_id")],
        ))
        .unwrap();
    for i in 0..rows {
        let name = format!("Élodie «{i}», \"the\" one\nnext line{pad}");
        let cells = [
            Cell::Text(&name),
            if i % 3 == 0 {
                Cell::Null
            } else {
                Cell::Int(i as i64)
            },
            if i % 2 == 0 {
                Cell::Real(i as f64 / 8.0)
            } else {
                Cell::Null
            },
            if i % 5 == 0 {
                Cell::Text("")
            } else {
                Cell::Null
            },
        ];
        folder.row(t, &cells).unwrap();
        folder.row(nested, &[Cell::Text("d")]).unwrap();
    }
    folder.finish(json!({"test": true})).unwrap()
}

#[test]
fn parquet_tables_read_back_with_nulls_unicode_and_several_row_groups() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    // More bytes than one row group holds, so groups are cut and counted right.
    let (rows, pad) = (20_017, 1_000);
    assert!(rows * pad * 2 > BUFFER_BUDGET);
    let written = write(&target, TableFormat::Parquet, rows, pad);
    assert_eq!(written[0].file, "people.parquet");
    assert_eq!(written[1].file, "layers/attribution-parts.parquet");
    assert!(written.iter().all(|t| t.rows == rows as u64));
    let reader =
        SerializedFileReader::new(fs::File::open(target.join("people.parquet")).unwrap()).unwrap();
    assert!(reader.metadata().num_row_groups() >= 2);
    assert_eq!(reader.metadata().file_metadata().num_rows(), rows as i64);
    let read: Vec<_> = reader.get_row_iter(None).unwrap().take(7).collect();
    for (i, row) in read.into_iter().enumerate() {
        let row = row.unwrap();
        let fields: Vec<&Field> = row.get_column_iter().map(|(_, f)| f).collect();
        assert_eq!(
            fields[0],
            &Field::Str(format!(
                "Élodie «{i}», \"the\" one\nnext line{}",
                "·".repeat(pad)
            ))
        );
        let age = if i % 3 == 0 {
            Field::Null
        } else {
            Field::Long(i as i64)
        };
        assert_eq!(fields[1], &age);
        let score = if i % 2 == 0 {
            Field::Double(i as f64 / 8.0)
        } else {
            Field::Null
        };
        assert_eq!(fields[2], &score);
        let note = if i % 5 == 0 {
            Field::Str(String::new())
        } else {
            Field::Null
        };
        assert_eq!(fields[3], &note);
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(target.join(MANIFEST)).unwrap()).unwrap();
    assert_eq!(manifest["schema"], TABLES_SCHEMA);
    assert_eq!(manifest["source"]["test"], true);
    assert_eq!(manifest["tables"][0]["rows"], rows as u64);
    assert_eq!(manifest["tables"][0]["columns"][1]["type"], "int64");
    assert_eq!(manifest["tables"][0]["columns"][1]["nullable"], true);
    // Nothing is left beside the target.
    assert_eq!(entries(dir.path()), ["out"]);
}

#[test]
fn csv_tables_quote_what_needs_it_and_keep_null_apart_from_empty_text() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    write(&target, TableFormat::Csv, 6, 0);
    let csv = fs::read_to_string(target.join("people.csv")).unwrap();
    let mut lines = csv.split_inclusive('\n');
    assert_eq!(lines.next(), Some("name,age,score,note\n"));
    assert_eq!(lines.next(), Some("\"Élodie «0», \"\"the\"\" one\n"));
    assert_eq!(lines.next(), Some("next line\",,0.0,\"\"\n"));
    assert_eq!(lines.next(), Some("\"Élodie «1», \"\"the\"\" one\n"));
    assert_eq!(lines.next(), Some("next line\",1,,\n"));
    assert!(target.join("layers/attribution-parts.csv").exists());
}

#[test]
fn an_earlier_export_is_replaced_and_anything_else_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    write(&target, TableFormat::Parquet, 3, 0);
    // An earlier export (here of the other format) is replaced whole: no stale file stays.
    write(&target, TableFormat::Csv, 3, 0);
    assert!(target.join("people.csv").exists());
    assert!(!target.join("people.parquet").exists());

    let foreign = dir.path().join("photos");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("cat.jpg"), b"not ours").unwrap();
    let e = TableFolder::create(&foreign, TableFormat::Parquet)
        .err()
        .unwrap();
    assert!(e.to_string().contains("not a claimlens export"), "{e}");
    assert_eq!(fs::read(foreign.join("cat.jpg")).unwrap(), b"not ours");

    let file = dir.path().join("file.txt");
    fs::write(&file, b"keep me").unwrap();
    let e = TableFolder::create(&file, TableFormat::Csv).err().unwrap();
    assert!(e.to_string().contains("not a folder"), "{e}");
    assert_eq!(fs::read(&file).unwrap(), b"keep me");
}

#[test]
fn an_unfinished_export_leaves_the_target_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    write(&target, TableFormat::Csv, 2, 0);
    let before = fs::read(target.join("people.csv")).unwrap();
    {
        let mut folder = TableFolder::create(&target, TableFormat::Csv).unwrap();
        let t = folder.open_table(&people()).unwrap();
        folder
            .row(t, &[Cell::Text("x"), Cell::Null, Cell::Null, Cell::Null])
            .unwrap();
        // Dropped: the run failed before finishing.
    }
    assert_eq!(fs::read(target.join("people.csv")).unwrap(), before);
    assert_eq!(entries(dir.path()), ["out"]);
}

#[test]
fn rows_that_do_not_fit_and_unsafe_names_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut folder = TableFolder::create(&dir.path().join("out"), TableFormat::Parquet).unwrap();
    let t = folder.open_table(&people()).unwrap();
    let short = folder.row(t, &[Cell::Text("x")]).unwrap_err();
    assert_eq!(short.kind(), io::ErrorKind::InvalidData);
    let null_name = folder
        .row(t, &[Cell::Null, Cell::Null, Cell::Null, Cell::Null])
        .unwrap_err();
    assert!(null_name.to_string().contains("column name"), "{null_name}");
    let wrong_type = folder
        .row(t, &[Cell::Int(1), Cell::Null, Cell::Null, Cell::Null])
        .unwrap_err();
    assert!(wrong_type.to_string().contains("cannot hold an integer"));
    assert!(folder.open_table(&people()).is_err(), "opened twice");
    for name in ["../escape", "a//b", "/abs", "layers/..", "sp ace", ""] {
        let schema = TableSchema::new(name, vec![Column::text("x")]);
        assert!(folder.open_table(&schema).is_err(), "{name:?}");
    }
}
