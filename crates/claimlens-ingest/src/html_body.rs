//! The fallback when the article extractor finds nothing: the visible text of the page's body,
//! block by block, without menus, scripts and other furniture.
//!
//! Readability scores candidate containers and gives up on short pages (a press notice, a
//! one-paragraph brief), even when the one paragraph is all the page says. For a
//! fact-checker the paragraph is the point, so such a page keeps its body text, and the
//! document says (by a diagnostic) that it was taken whole. A page with no real paragraph,
//! only links, buttons or a few words, still has no article.

use dom_query::{Document, NodeRef};

/// Elements whose text is never article text.
const FURNITURE: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "select", "option", "svg", "iframe", "object", "head", "title", "menu", "dialog",
];

/// Elements that end a block of text (their text is a paragraph of its own).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "br",
    "hr",
    "address",
    "details",
    "summary",
    "body",
];

/// Fewest words, outside links, a block needs to count as a real paragraph: a sentence, not
/// a menu entry or a caption.
const MIN_PARAGRAPH_WORDS: usize = 8;

/// The body's text, one block per paragraph (blank line between), when at least one block
/// is a real paragraph; `None` otherwise.
pub(crate) fn body_text(html: &str) -> Option<String> {
    let doc = Document::from(html);
    let body = doc.body()?;
    let mut blocks: Vec<Block> = Vec::new();
    let mut current = Block::default();
    // Iterative walk: (node, inside a link, leaving), so deep pages cannot overflow the stack
    // (extraction already refused pages nesting past MAX_DEPTH).
    let mut stack: Vec<(NodeRef<'_>, bool, bool)> = vec![(body, false, false)];
    while let Some((node, in_link, leaving)) = stack.pop() {
        if node.is_text() {
            current.push(&node.text(), in_link);
            continue;
        }
        if !node.is_element() {
            continue;
        }
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        let is_block = BLOCKS.contains(&name.as_str());
        if leaving {
            if is_block {
                blocks.push(std::mem::take(&mut current));
            }
            continue;
        }
        if FURNITURE.contains(&name.as_str()) {
            continue;
        }
        if is_block {
            blocks.push(std::mem::take(&mut current));
        }
        stack.push((node, in_link, true));
        let in_link = in_link || name == "a";
        let mut children = Vec::new();
        let mut child = node.first_child();
        while let Some(c) = child {
            children.push(c);
            child = c.next_sibling();
        }
        stack.extend(children.into_iter().rev().map(|c| (c, in_link, false)));
    }
    blocks.push(current);
    if !blocks
        .iter()
        .any(|b| b.words_outside_links >= MIN_PARAGRAPH_WORDS)
    {
        return None;
    }
    let paragraphs: Vec<String> = blocks
        .into_iter()
        .map(|b| b.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .collect();
    Some(paragraphs.join("\n\n"))
}

/// Text gathered for one block.
#[derive(Debug, Default)]
struct Block {
    text: String,
    words_outside_links: usize,
}

impl Block {
    fn push(&mut self, text: &str, in_link: bool) {
        if !in_link {
            self.words_outside_links += text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
        }
        self.text.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_real_paragraph_is_kept_without_the_furniture() {
        let page = "<html><head><title>Notice</title><script>var x = 1;</script></head><body>\
                    <nav><a href='/'>Home</a> <a href='/news'>News</a></nav>\
                    <article><p>The council will meet on Thursday to vote on the harbour plan, \
                    a spokeswoman said.</p></article><footer>© Coast Post</footer></body></html>";
        assert_eq!(
            body_text(page).as_deref(),
            Some("The council will meet on Thursday to vote on the harbour plan, a spokeswoman said.")
        );
    }

    #[test]
    fn blocks_become_paragraphs() {
        let page = "<body><h1>Port closes</h1><div>The port closed on Monday after the storm \
                    damaged the sea wall.<br>Repairs start soon.</div></body>";
        assert_eq!(
            body_text(page).as_deref(),
            Some(
                "Port closes\n\nThe port closed on Monday after the storm damaged the sea \
                 wall.\n\nRepairs start soon."
            )
        );
    }

    #[test]
    fn links_and_short_snippets_are_not_an_article() {
        for page in [
            "<body><div><a href='/a'>A long link text that has more than eight words in \
             it</a></div></body>",
            "<body><p>Read more</p><p>Subscribe now</p></body>",
            "<body><p> \u{a0} </p><p>...</p></body>",
            "<html><head><title>Empty</title></head><body></body></html>",
        ] {
            assert_eq!(body_text(page), None, "{page}");
        }
    }
}
