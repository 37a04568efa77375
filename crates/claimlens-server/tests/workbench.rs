//! The workbench in a real headless Chromium, used as a person would: paste the example
//! article, wait for the highlights, click them, follow a source chain, upload an HTML file,
//! and paste an article full of markup that must never run. Screenshots are saved under
//! `target/tmp/` for review.
//!
//! Skipped (with a counted note) when no Chromium is installed; `CLAIMLENS_CHROMIUM` names
//! the binary.

mod common;

use std::path::PathBuf;

use claimlens_server::ServerConfig;
use claimlens_testkit::browser::{chromium, Browser};
use serde_json::json;

use common::{example_article, start};

fn screenshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("workbench-{name}.png"))
}

/// Opens the analyze page, pastes `text` as keyboard input and submits; waits for the report.
fn paste_and_analyze(browser: &mut Browser, base: &str, text: &str) {
    browser.goto(&format!("{base}/"));
    browser.click("#text");
    browser.type_text(text);
    browser.click("button[type=submit]");
    browser.wait_for(
        "location.pathname.startsWith('/documents/') && document.readyState === 'complete'",
    );
}

#[test]
fn workbench_works_in_chromium() {
    let Some(binary) = chromium() else {
        return;
    };
    let server = start(ServerConfig::default());
    let mut browser = Browser::launch(&binary, 1280, 900);

    // 1. Paste the example article: the report shows it with highlights.
    let article = example_article();
    paste_and_analyze(&mut browser, &server.base, &article);
    browser.wait_for("document.querySelectorAll('mark[data-a]').length > 10");
    let shown = browser.eval(
        "document.querySelector('.doc') ? document.querySelector('.doc').innerText.length : 0",
    );
    assert!(
        shown.as_u64().unwrap_or(0) > 500,
        "report text not shown: {shown}"
    );
    browser.screenshot(&screenshot_path("report"));

    // 2. Click a quote: a card says what it is and why, and its speaker is highlighted.
    browser.click("mark.pq[data-a]");
    browser.wait_for(
        "document.querySelector('.info-card') && !document.querySelector('.info-card').hidden",
    );
    let card = browser.eval(
        "({text: document.querySelector('.info-card').innerText, \
          linked_speakers: document.querySelectorAll('mark.ps.linked').length})",
    );
    assert!(
        card["linked_speakers"].as_u64().unwrap_or(0) > 0,
        "no speaker linked: {card}"
    );
    let card_text = card["text"].as_str().unwrap_or("");
    assert!(
        card_text.contains('%') || card_text.contains("rule"),
        "no reason shown: {card}"
    );
    browser.screenshot(&screenshot_path("quote-card"));
    browser.command(
        "Input.dispatchKeyEvent",
        json!({"type": "keyDown", "key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27}),
    );
    browser.wait_for(
        "!document.querySelector('.info-card') || document.querySelector('.info-card').hidden",
    );

    // 3. Follow a source chain: a step's link flashes exactly the highlight it names.
    let steps = browser.eval("document.querySelectorAll('button.step-link').length");
    assert!(
        steps.as_u64().unwrap_or(0) > 0,
        "the example article has no drawn source chain"
    );
    browser.eval(
        "document.querySelectorAll('mark.flash').forEach(m => m.classList.remove('flash')), 0",
    );
    browser.click("button.step-link");
    browser.wait_for(
        "(() => { const b = document.querySelector('button.step-link'); \
         const marks = document.querySelectorAll('[data-a=\"' + b.dataset.target + '\"]'); \
         return marks.length > 0 && Array.from(marks).every(m => m.classList.contains('flash')); })()",
    );
    browser.screenshot(&screenshot_path("source-chain"));

    // 4. Upload an HTML page: the real file input, the real multipart upload.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("quay.html");
    let paragraph = "<p>The harbour master of the northern port said on Tuesday that the old quay \
        would close for repairs next spring, and that the ferries would move to the new pier.</p>";
    std::fs::write(
        &page,
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Old quay to close</title></head>\
             <body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>Old quay to close</h1>{}</article>\
             <footer>Copyright the Harbour Gazette</footer></body></html>",
            paragraph.repeat(4)
        ),
    )
    .unwrap();
    browser.goto(&format!("{}/", server.base));
    let root = browser.command("DOM.getDocument", json!({}));
    let input = browser.command(
        "DOM.querySelector",
        json!({"nodeId": root["root"]["nodeId"], "selector": "#file"}),
    );
    browser.command(
        "DOM.setFileInputFiles",
        json!({"files": [page.display().to_string()], "nodeId": input["nodeId"]}),
    );
    browser.click("button[type=submit]");
    browser.wait_for(
        "location.pathname.startsWith('/documents/') && document.readyState === 'complete'",
    );
    let title = browser.eval("document.title");
    assert!(
        title.as_str().unwrap_or("").contains("Old quay to close"),
        "{title}"
    );
    let text = browser.eval("document.querySelector('.doc').innerText");
    let text = text.as_str().unwrap_or("");
    assert!(text.contains("harbour master"), "{text}");
    assert!(
        !text.contains("Copyright the Harbour Gazette"),
        "boilerplate kept: {text}"
    );

    // 5. An article full of markup and tricks: shown as text, nothing runs, nothing links out.
    let hostile = "<script>window.__pwned = 1</script> The minister said \"<img src=x onerror=window.__pwned=2>\" \
        was false. <a href=\"javascript:window.__pwned=3\">Read more</a> \"onerror=window.__pwned=4 \
        javascript:window.__pwned=5 The spokesman said the \u{202e}report was fake\u{202c} and \
        <svg onload=window.__pwned=6></svg> <iframe src=\"javascript:parent.__pwned=7\"></iframe> \
        told reporters that \"</mark></span><script>window.__pwned=8</script>\" meant nothing.";
    paste_and_analyze(&mut browser, &server.base, hostile);
    browser.wait_for("document.querySelector('.doc')");
    let report = browser.eval(
        "({pwned: typeof window.__pwned, images: document.querySelectorAll('.doc img, .doc svg, .doc iframe').length, \
          js_links: Array.from(document.querySelectorAll('a[href]')).filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length, \
          scripts_in_text: document.querySelectorAll('.doc script').length, \
          shown: document.querySelector('.doc').innerText})",
    );
    assert_eq!(report["pwned"], "undefined", "{report}");
    assert_eq!(report["images"], 0, "{report}");
    assert_eq!(report["js_links"], 0, "{report}");
    assert_eq!(report["scripts_in_text"], 0, "{report}");
    let shown = report["shown"].as_str().unwrap();
    assert!(
        shown.contains("<script>window.__pwned = 1</script>"),
        "{shown}"
    );
    assert!(
        !shown.contains('\u{202e}'),
        "a bidi override reached the page: {shown}"
    );
    browser.screenshot(&screenshot_path("hostile"));
    // The analyze page lists it among recent analyses, escaped there too.
    browser.goto(&format!("{}/", server.base));
    let home = browser.eval("({pwned: typeof window.__pwned, items: document.querySelectorAll('.documents li').length})");
    assert_eq!(home["pwned"], "undefined", "{home}");
    assert!(home["items"].as_u64().unwrap_or(0) >= 3, "{home}");
}

#[test]
fn links_and_corpus_search_work_in_chromium() {
    let Some(binary) = chromium() else {
        return;
    };
    let page = "<html><head><title>Ferry timetable cut</title></head><body><article>\
        <p>The ferry operator said on Friday that it would cut the winter timetable to two crossings \
        a day because of falling passenger numbers.</p>\
        <p>Island residents said the quay would be empty for most of the week.</p></article></body></html>";
    let origin = claimlens_testkit::http_server::LoopbackServer::start(move |_, stream| {
        use std::io::Write;
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
            page.len()
        );
    });
    let dir = tempfile::tempdir().unwrap();
    let server = start(ServerConfig {
        db: Some(claimlens_store::Location::File(
            dir.path().join("corpus.db"),
        )),
        allow_private_fetch: true,
        ..ServerConfig::default()
    });
    let mut browser = Browser::launch(&binary, 1280, 900);

    // A link, fetched by the server.
    browser.goto(&format!("{}/", server.base));
    browser.click("#url");
    browser.type_text(&origin.url("/ferry"));
    browser.click("#analyze button[type=submit]");
    browser
        .wait_for("location.pathname.startsWith('/documents/') && document.querySelector('.doc')");
    let title = browser.eval("document.title");
    assert!(
        title.as_str().unwrap_or("").contains("Ferry timetable cut"),
        "{title}"
    );

    // Two pasted articles, then a search across the three.
    for text in [
        "The harbour master said on Monday that the old quay would close for repairs. \"It is not safe,\" she said.",
        "Fishermen said the council had ignored their complaints about the quay for years.",
    ] {
        paste_and_analyze(&mut browser, &server.base, text);
    }
    browser.goto(&format!("{}/search", server.base));
    browser.click("#query");
    browser.type_text("quay");
    browser.click("#search button[type=submit]");
    browser.wait_for("document.querySelectorAll('li.hit').length > 0");
    let hits = browser.eval(
        "({hits: document.querySelectorAll('li.hit').length, \
          marked: Array.from(document.querySelectorAll('li.hit .snippet mark')).map(m => m.textContent.toLowerCase())})",
    );
    assert_eq!(hits["hits"], 3, "{hits}");
    assert!(
        hits["marked"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m == "quay"),
        "{hits}"
    );
    browser.screenshot(&screenshot_path("search"));
    browser.click("li.hit a");
    browser.wait_for(
        "location.pathname.startsWith('/documents/') && document.querySelector('.doc mark')",
    );

    // Who said what across the corpus.
    browser.goto(&format!("{}/speakers", server.base));
    let rows = browser.eval("document.querySelectorAll('table.speakers tbody tr').length");
    assert!(
        rows.as_u64().unwrap_or(0) >= 1,
        "no speakers listed: {rows}"
    );
    browser.click("table.speakers tbody a");
    browser.wait_for("document.querySelectorAll('ol.quotes li').length > 0");
    browser.screenshot(&screenshot_path("speaker"));
}
