//! [`TcpGate`]: a loopback TCP forwarder in front of the cluster, to cut the network
//! between a member and the database and give it back.
//!
//! The gate listens on 127.0.0.1 and a free port and forwards every accepted connection
//! to the target port. It is *open* or *cut*. Cutting closes every forwarded connection
//! at once and, while cut, closes new ones right after accepting them (clients see a
//! closed connection at once rather than a timeout). Restoring opens it again; pools
//! then connect afresh. Each forwarded connection remembers the *generation* it started
//! in; a cut starts a new one, which ends every connection of older generations.

use std::net::{Ipv4Addr, SocketAddr};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use url::Url;

/// Whether the gate forwards, and the generation of the forwarded connections.
#[derive(Clone, Copy, Debug)]
struct State {
    open: bool,
    generation: u64,
}

/// A loopback TCP forwarder that can be cut and restored. Dropping it stops it and
/// closes every forwarded connection.
pub struct TcpGate {
    port: u16,
    state: watch::Sender<State>,
    accepting: JoinHandle<()>,
}

impl TcpGate {
    /// Starts forwarding `127.0.0.1:<a free port>` to `127.0.0.1:<target_port>`. Call it
    /// inside a Tokio runtime (a `#[tokio::test]`).
    pub fn start(target_port: u16) -> TcpGate {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .expect("the gate gets a free port on 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("the gate's socket is non-blocking");
        let port = listener.local_addr().expect("the gate's address").port();
        let listener =
            TcpListener::from_std(listener).expect("the gate is started inside a Tokio runtime");
        let (state, _) = watch::channel(State {
            open: true,
            generation: 0,
        });
        let target = SocketAddr::from((Ipv4Addr::LOCALHOST, target_port));
        let accepting = tokio::spawn(accept(listener, target, state.subscribe()));
        TcpGate {
            port,
            state,
            accepting,
        }
    }

    /// The port the gate listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Closes every forwarded connection at once, and closes new ones as soon as they
    /// are accepted until [`TcpGate::restore`].
    pub fn cut(&self) {
        self.state.send_modify(|state| {
            state.open = false;
            state.generation += 1;
        });
    }

    /// Forwards new connections again.
    pub fn restore(&self) {
        self.state.send_modify(|state| state.open = true);
    }

    /// Whether the gate forwards (it is not cut).
    pub fn is_open(&self) -> bool {
        self.state.borrow().open
    }

    /// `url` (a member's address, as in a join code) with its port replaced by the
    /// gate's, so that the connection goes through the gate.
    pub fn url_for(&self, url: &str) -> String {
        let mut url = Url::parse(url).expect("a postgres:// address");
        url.set_port(Some(self.port))
            .expect("the address has a host");
        url.into()
    }
}

impl Drop for TcpGate {
    fn drop(&mut self) {
        self.accepting.abort();
        // Every forwarded connection ends when the sender goes (see `forward`); a cut
        // makes that immediate even for connections whose task has not polled yet.
        self.cut();
    }
}

/// Accepts connections until the gate is dropped: forwards them while open, closes
/// them at once while cut.
async fn accept(listener: TcpListener, target: SocketAddr, mut state: watch::Receiver<State>) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((client, _)) = accepted else { continue };
                let now = *state.borrow();
                if now.open {
                    tokio::spawn(forward(client, target, now.generation, state.clone()));
                } else {
                    drop(client);
                }
            }
            changed = state.changed() => {
                if changed.is_err() {
                    return;
                }
            }
        }
    }
}

/// Copies bytes both ways between `client` and `target` until either side closes or
/// the gate is cut (a generation after `generation`) or dropped.
async fn forward(
    mut client: TcpStream,
    target: SocketAddr,
    generation: u64,
    mut state: watch::Receiver<State>,
) {
    let Ok(mut server) = TcpStream::connect(target).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let cut = async {
        loop {
            if state.borrow_and_update().generation != generation {
                return;
            }
            if state.changed().await.is_err() {
                return;
            }
        }
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        () = cut => {}
    }
}
