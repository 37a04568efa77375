//! A headless Chromium driven over the DevTools protocol, for end-to-end tests that act as a
//! person would: load a page, type, click at a highlight's position, wait for the result,
//! take a screenshot.
//!
//! Only what the tests need: one browser process per [`Browser`] (killed on drop, its
//! profile in a temporary folder), one page, commands sent over the browser's WebSocket with
//! a session id (`Target.attachToTarget` with `flatten`), events ignored. Every wait has a
//! deadline, so a broken page fails a test instead of hanging it.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// How long a single protocol command may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// The Chromium binary: `$CLAIMLENS_CHROMIUM`, else `chromium` or `chromium-browser` on the
/// `PATH`; when there is none, a visible skip ([`crate::skip`]) and `None`.
pub fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CLAIMLENS_CHROMIUM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "CLAIMLENS_CHROMIUM={} is not a file",
            path.display()
        );
        return Some(path);
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        crate::skip(
            crate::Requirement::Browser,
            "chromium not found (install Debian's `chromium` or set CLAIMLENS_CHROMIUM)",
        );
    }
    found
}

/// A running headless Chromium with one page attached.
pub struct Browser {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    session: String,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium and opens a blank page of `width` × `height` CSS pixels.
    pub fn launch(binary: &Path, width: u32, height: u32) -> Browser {
        let profile = tempfile::tempdir().expect("temporary profile folder");
        let mut child = Command::new(binary)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--remote-debugging-port=0",
                &format!("--window-size={width},{height}"),
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
        let url = devtools_url(&mut child);
        let (socket, _) = tungstenite::connect(url.as_str())
            .unwrap_or_else(|e| panic!("connecting to {url}: {e}"));
        if let MaybeTlsStream::Plain(tcp) = socket.get_ref() {
            tcp.set_read_timeout(Some(COMMAND_TIMEOUT))
                .expect("read timeout");
        }
        let mut browser = Browser {
            child,
            socket,
            session: String::new(),
            next_id: 0,
            _profile: profile,
        };
        let target = browser.call(None, "Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().expect("targetId").to_owned();
        let attached = browser.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .expect("sessionId")
            .to_owned();
        browser.command("Page.enable", json!({}));
        browser.command("Runtime.enable", json!({}));
        browser.command(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        );
        browser
    }

    /// Sends a command to the page and returns its result; panics on a protocol error.
    pub fn command(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.call(Some(&session), method, params)
    }

    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .unwrap_or_else(|e| panic!("sending {method}: {e}"));
        let deadline = Instant::now() + COMMAND_TIMEOUT;
        loop {
            assert!(Instant::now() < deadline, "{method}: no answer in time");
            let reply = self
                .socket
                .read()
                .unwrap_or_else(|e| panic!("waiting for {method}: {e}"));
            let Message::Text(text) = reply else { continue };
            let value: Value = serde_json::from_str(text.as_str()).expect("protocol JSON");
            if value["id"].as_u64() != Some(id) {
                continue; // an event, or another session's message
            }
            if let Some(error) = value.get("error") {
                panic!("{method} failed: {error}");
            }
            return value["result"].clone();
        }
    }

    /// Navigates and waits until the document has loaded.
    pub fn goto(&mut self, url: &str) {
        self.command("Page.navigate", json!({"url": url}));
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'");
    }

    /// Evaluates a JavaScript expression in the page (awaiting a promise) and returns its
    /// value; panics when it throws.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.command(
            "Runtime.evaluate",
            json!({"expression": expression, "awaitPromise": true, "returnByValue": true}),
        );
        if let Some(details) = result.get("exceptionDetails") {
            panic!("{expression}\nthrew: {details}");
        }
        result["result"]["value"].clone()
    }

    /// Waits (up to 30 s) until `condition`, a JavaScript expression, is true.
    pub fn wait_for(&mut self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let result = self.command(
                "Runtime.evaluate",
                json!({"expression": format!("!!({condition})"), "returnByValue": true}),
            );
            if result["result"]["value"].as_bool() == Some(true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {condition}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types text into the focused element, as keyboard input.
    pub fn type_text(&mut self, text: &str) {
        self.command("Input.insertText", json!({"text": text}));
    }

    /// Clicks the first element matching `selector` with the mouse (near its start, on its
    /// first line box), after scrolling it into view and waiting until it stops moving (a
    /// page's own smooth scrolling would otherwise move it under the pointer); panics if
    /// there is none.
    pub fn click(&mut self, selector: &str) {
        let selector_json = json!(selector).to_string();
        let rect = self.eval(&format!(
            "(async () => {{ const el = document.querySelector({selector_json}); if (!el) return null; \
             el.scrollIntoView({{block: 'center', behavior: 'instant'}}); \
             const frame = () => new Promise(r => requestAnimationFrame(() => r())); \
             const at = () => {{ const r = el.getClientRects()[0] || el.getBoundingClientRect(); \
               return [r.left + Math.min(r.width, 40) / 2, r.top + r.height / 2]; }}; \
             let last = at(); \
             for (let i = 0; i < 120; i++) {{ await frame(); await frame(); const now = at(); \
               if (now[0] === last[0] && now[1] === last[1]) return now; last = now; }} \
             return last; }})()"
        ));
        let (x, y) = match rect.as_array().map(Vec::as_slice) {
            Some([x, y]) => (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0)),
            _ => panic!("no element matches {selector}"),
        };
        for kind in ["mousePressed", "mouseReleased"] {
            self.command(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// Saves a PNG screenshot of the whole page.
    pub fn screenshot(&mut self, path: &Path) {
        use base64::Engine as _;
        let shot = self.command(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("screenshot data"))
            .expect("base64 screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot folder");
        }
        std::fs::write(path, png).expect("writing the screenshot");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads Chromium's stderr until it prints its DevTools WebSocket address.
fn devtools_url(child: &mut Child) -> String {
    let stderr = child.stderr.take().expect("piped stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !sent {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = tx.send(url.trim().to_owned());
                    sent = true;
                }
            }
            // Keep draining so Chromium never blocks on a full pipe.
        }
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("Chromium printed no DevTools address within 30 s")
}
