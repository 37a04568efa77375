//! A canned HTTP/1.1 server on `127.0.0.1:0` for tests that fetch: each connection is read up
//! to the end of its request head and handed to the test's handler, which writes whatever
//! bytes it likes (a page, a redirect, a body that never ends, nothing at all).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

/// The request line and headers of one request.
#[derive(Debug, Clone)]
pub struct Request {
    /// The request target (`/story?page=2`).
    pub path: String,
    /// The whole request head, request line and headers.
    pub head: String,
}

/// A server answering every connection on its own thread, for as long as the test runs.
#[derive(Debug)]
pub struct LoopbackServer {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

impl LoopbackServer {
    /// Starts listening; `handler` answers each request.
    pub fn start<F>(handler: F) -> LoopbackServer
    where
        F: Fn(&Request, &mut TcpStream) + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let requests = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&requests);
        let handler = Arc::new(handler);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                let counted = Arc::clone(&counted);
                thread::spawn(move || {
                    if let Some(request) = read_head(&mut stream) {
                        counted.fetch_add(1, Ordering::SeqCst);
                        handler(&request, &mut stream);
                    }
                });
            }
        });
        LoopbackServer { addr, requests }
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The port listened on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Writes a complete response with `Content-Length` and `Connection: close`.
pub fn respond(
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

/// Reads up to the blank line ending the request head (at most 64 KiB).
fn read_head(stream: &mut TcpStream) -> Option<Request> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 64 * 1024 || stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let path = head.split(' ').nth(1).unwrap_or("/").to_owned();
    Some(Request { path, head })
}
