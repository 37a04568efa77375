//! Connections that go quiet are closed. The request deadline starts once a request's head
//! has arrived; a client that opens connections and sends nothing, or a byte now and then
//! (slowloris), would otherwise hold them forever. Every accepted stream gets a read and a
//! write idle timeout instead, which also closes kept-alive connections left idle.

use std::pin::Pin;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio_io_timeout::TimeoutStream;

/// A TCP listener whose connections time out when idle.
pub struct IdleTimeoutListener {
    inner: TcpListener,
    idle: Duration,
}

impl IdleTimeoutListener {
    /// Wraps `inner`; a connection with nothing to read or write for `idle` is closed.
    pub fn new(inner: TcpListener, idle: Duration) -> Self {
        IdleTimeoutListener { inner, idle }
    }
}

impl axum::serve::Listener for IdleTimeoutListener {
    type Io = Pin<Box<TimeoutStream<TcpStream>>>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.inner).await;
        let _ = stream.set_nodelay(true);
        let mut stream = TimeoutStream::new(stream);
        stream.set_read_timeout(Some(self.idle));
        stream.set_write_timeout(Some(self.idle));
        (Box::pin(stream), addr)
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}
