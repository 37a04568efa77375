//! Each case format read from documents written here: good records, malformed ones rejected
//! with their line (or JSON element), repeated ids, and a ClaimReview `@graph`.

use claimlens_narratives::import::{parse, Format, Imported};

fn read(format: Format, text: &str) -> Imported {
    parse(format, text.as_bytes(), None, "desk").unwrap()
}

fn rejected_at(imported: &Imported) -> Vec<u64> {
    imported.rejected.iter().map(|r| r.position).collect()
}

#[test]
fn euvsdisinfo_reports_are_read_with_iso_dates_and_stable_ids() {
    let csv = "\"issue\",\"date\",\"outlet\",\"language\",\"origin\",\"reported by\",\"keywords\",\"source\",\"title\",\"summary\",\"disproof\"\n\
        82,10/03/17,\"Outlet A\",\"Russian\",\"Ukraine\",\"Team\",\"Military, Weapons\",\"https://a.example/1\",\"Explosions were staged\",\"The depot explosions were staged by soldiers.\",\"No evidence.\"\n\
        82,10/04/17,\"Outlet B\",\"Russian\"\n\
        83,11/05/17,\"Outlet C\",\"Russian\",\"Russia\",\"Team\",\"\",\"\",\"\",\"\",\"\"\n\
        82,10/03/17,\"Outlet D\",\"Russian\",\"Ukraine\",\"Team\",\"Military\",\"https://d.example/2\",\"Explosions were staged\",\"The depot explosions were staged by soldiers.\",\"Repeated.\"\n";
    let imported = read(Format::EuVsDisinfo, csv);
    assert_eq!(rejected_at(&imported), [3, 4], "{:?}", imported.rejected);
    assert!(imported.rejected[1].reason.contains("no title"));
    // Lines 2 and 5 are the same report (date, title, summary): one case, the last kept.
    assert_eq!(imported.duplicates, 1);
    let [case] = &imported.cases[..] else {
        panic!("{:?}", imported.cases)
    };
    assert_eq!(case.source, "euvsdisinfo");
    assert_eq!(case.date.as_deref(), Some("2017-10-03"));
    assert_eq!(case.verdict.as_deref(), Some("disinformation"));
    assert_eq!(case.url.as_deref(), Some("https://d.example/2"));
    assert_eq!(case.keywords, ["Military"]);
    assert_eq!(case.case_id.len(), 16);
    // The id depends on the report only, so a second read gives the same one.
    assert_eq!(
        read(Format::EuVsDisinfo, csv).cases[0].case_id,
        case.case_id
    );
}

#[test]
fn euvsdisinfo_case_titles_use_the_report_url_as_id() {
    let csv = "date,id,title,countries,keywords,languages,outlets\n\
        2021-02-18,https://r.example/report/a/,\"Special services helped him\",Russia+Germany,Alexei Navalny+Vladimir Putin,Russian,TASS\n\
        2021-02-19,,No id here,Russia,,Russian,TASS\n";
    let imported = read(Format::EuVsDisinfo, csv);
    assert_eq!(rejected_at(&imported), [3]);
    let case = &imported.cases[0];
    assert_eq!(case.case_id, "https://r.example/report/a/");
    assert_eq!(case.url.as_deref(), Some("https://r.example/report/a/"));
    assert_eq!(case.keywords, ["Alexei Navalny", "Vladimir Putin"]);
    assert_eq!(case.date.as_deref(), Some("2021-02-18"));
}

#[test]
fn an_unknown_csv_header_is_an_error_naming_the_columns() {
    let err = parse(Format::EuVsDisinfo, b"a,b\n1,2\n", None, "x").unwrap_err();
    assert!(err.to_string().contains("found: a, b"), "{err}");
}

#[test]
fn claimreview_graph_nodes_of_other_types_are_passed_over() {
    let json = r#"{"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "name": "Harbour Checks"},
        {"@type": "ClaimReview", "url": "https://checks.example/bridge",
         "claimReviewed": "The harbour bridge will close for a year.",
         "author": {"@type": "Organization", "name": "Harbour Checks"},
         "reviewRating": {"@type": "Rating", "alternateName": "False"},
         "datePublished": "2026-03-02", "name": "No, the bridge is not closing",
         "keywords": "bridge, harbour"},
        {"@type": "ClaimReview", "url": "https://checks.example/empty"},
        {"claimReviewed": "No type"},
        17
    ]}"#;
    let imported = read(Format::ClaimReview, json);
    assert_eq!(imported.other_nodes, 1);
    assert_eq!(rejected_at(&imported), [3, 4, 5]);
    assert!(imported.rejected.iter().all(|r| r.unit == "element"));
    let case = &imported.cases[0];
    assert_eq!(case.source, "Harbour Checks");
    assert_eq!(case.case_id, "https://checks.example/bridge");
    assert_eq!(case.verdict.as_deref(), Some("False"));
    assert_eq!(case.date.as_deref(), Some("2026-03-02"));
    assert_eq!(case.title.as_deref(), Some("No, the bridge is not closing"));
    assert_eq!(case.keywords, ["bridge", "harbour"]);
}

#[test]
fn claimreview_single_objects_and_arrays_are_read_and_repeated_urls_kept_once() {
    let one = r#"{"@type": ["ClaimReview"], "claimReviewed": "Tolls doubled.", "author": [{"name": "Desk"}]}"#;
    let imported = read(Format::ClaimReview, one);
    assert_eq!(imported.cases[0].source, "Desk");
    assert_eq!(
        imported.cases[0].case_id.len(),
        16,
        "a stable hash without url or @id"
    );

    let many = r#"[{"@type": "ClaimReview", "url": "u1", "claimReviewed": "First wording."},
                   {"@type": "ClaimReview", "url": "u1", "claimReviewed": "Second wording."}]"#;
    let imported = parse(Format::ClaimReview, many.as_bytes(), Some("mine"), "x").unwrap();
    assert_eq!(imported.duplicates, 1);
    assert_eq!(imported.cases.len(), 1);
    assert_eq!(imported.cases[0].claim.as_deref(), Some("Second wording."));
    assert_eq!(imported.cases[0].source, "mine");
}

#[test]
fn broken_json_is_an_error_with_its_line() {
    let err = parse(Format::ClaimReview, b"[\n{\"@type\": }\n]", None, "x").unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
}

#[test]
fn clef_verified_claims_read_quoted_multiline_fields() {
    let tsv = "\tvclaim\ttitle\n\
        0\tTolls will double next year.\tDid tolls double?\n\
        1\t\"The mayor \"\"resigned\"\"\nlast week.\"\tMayor resigned?\n\
        \tNo id.\tx\n\
        3\t\t\n\
        4\tOnly a claim.\n";
    let imported = read(Format::Clef, tsv);
    assert_eq!(rejected_at(&imported), [5, 6]);
    let claims: Vec<_> = imported
        .cases
        .iter()
        .map(|c| (c.case_id.as_str(), c.claim.as_deref().unwrap()))
        .collect();
    assert_eq!(
        claims,
        [
            ("0", "Tolls will double next year."),
            ("1", "The mayor \"resigned\"\nlast week."),
            ("4", "Only a claim.")
        ]
    );
    assert_eq!(imported.cases[0].source, "clef2020");
    assert!(parse(Format::Clef, b"a\tb\n", None, "x").is_err());
}

#[test]
fn plain_tsv_rejects_short_and_long_lines_with_their_numbers() {
    let tsv = "id\tclaim\ttitle\tverdict\turl\tdate\n\
        a1\tThe bridge will close.\tBridge\tFalse\thttps://d.example/a1\t2026-03-02\n\
        \n\
        a2\n\
        a3\tclaim\tt\tv\tu\td\textra\n\
        a4\tTolls doubled.\n\
        a1\tThe bridge will close in May.\n";
    let imported = read(Format::Tsv, tsv);
    assert_eq!(rejected_at(&imported), [4, 5]);
    assert_eq!(imported.duplicates, 1);
    assert_eq!(imported.cases.len(), 2);
    assert_eq!(imported.cases[0].case_id, "a4");
    assert_eq!(
        imported.cases[1].claim.as_deref(),
        Some("The bridge will close in May.")
    );
    assert_eq!(imported.cases[1].source, "desk");
}
