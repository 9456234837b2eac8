//! A stand-in desktop notification server for tests and benchmarks.
//!
//! It owns `org.freedesktop.Notifications` on a D-Bus bus, serves the freedesktop
//! notification interface at `/org/freedesktop/Notifications`, records every call it gets
//! (on a channel, so tests wait for them with a timeout), and can emit `ActionInvoked` and
//! `NotificationClosed` as a user's click or dismissal would.
#![allow(dead_code)] // The test binary and the benchmark each use part of it.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use zbus::blocking::connection::Builder;
use zbus::blocking::Connection;
use zbus::fdo::{RequestNameFlags, RequestNameReply};
use zbus::interface;
use zbus::object_server::SignalEmitter;
use zbus::zvariant::OwnedValue;

pub const NAME: &str = "org.freedesktop.Notifications";
pub const PATH: &str = "/org/freedesktop/Notifications";

/// One `Notify` call, as the server received it.
#[derive(Debug, Clone)]
pub struct NotifyCall {
    pub app_name: String,
    pub replaces_id: u32,
    pub app_icon: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
    pub hints: HashMap<String, OwnedValue>,
    pub expire_timeout: i32,
    /// The id the server answered with.
    pub id: u32,
    pub received_at: Instant,
}

impl NotifyCall {
    /// The `urgency` hint's byte (0 low, 1 normal, 2 critical).
    pub fn urgency(&self) -> Option<u8> {
        self.hints.get("urgency").and_then(|v| u8::try_from(v).ok())
    }

    /// A string hint such as `category` or `desktop-entry`.
    pub fn string_hint(&self, name: &str) -> Option<String> {
        self.hints
            .get(name)
            .and_then(|v| <&str>::try_from(v).ok())
            .map(str::to_owned)
    }
}

/// A call the server received.
#[derive(Debug, Clone)]
pub enum Call {
    Notify(NotifyCall),
    CloseNotification(u32),
    GetCapabilities,
}

struct Server {
    capabilities: Vec<String>,
    last_id: u32,
    calls: mpsc::Sender<Call>,
}

#[interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)] // The spec's signature.
    fn notify(
        &mut self,
        app_name: String,
        replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, OwnedValue>,
        expire_timeout: i32,
    ) -> u32 {
        let received_at = Instant::now();
        let id = if replaces_id != 0 {
            replaces_id
        } else {
            self.last_id += 1;
            self.last_id
        };
        let _ = self.calls.send(Call::Notify(NotifyCall {
            app_name,
            replaces_id,
            app_icon,
            summary,
            body,
            actions,
            hints,
            expire_timeout,
            id,
            received_at,
        }));
        id
    }

    async fn close_notification(
        &mut self,
        id: u32,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> zbus::fdo::Result<()> {
        let _ = self.calls.send(Call::CloseNotification(id));
        // As real servers do: reason 3, "closed by a call to CloseNotification".
        Self::notification_closed(&emitter, id, 3).await?;
        Ok(())
    }

    fn get_capabilities(&self) -> Vec<String> {
        let _ = self.calls.send(Call::GetCapabilities);
        self.capabilities.clone()
    }

    #[zbus(out_args("name", "vendor", "version", "spec_version"))]
    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "switchboard-test-listener".into(),
            "Switchboard".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    #[zbus(signal)]
    async fn action_invoked(
        emitter: &SignalEmitter<'_>,
        id: u32,
        action_key: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn notification_closed(
        emitter: &SignalEmitter<'_>,
        id: u32,
        reason: u32,
    ) -> zbus::Result<()>;
}

/// The running stand-in server. Dropping it releases the name.
pub struct TestNotificationServer {
    conn: Connection,
    calls: mpsc::Receiver<Call>,
}

impl TestNotificationServer {
    /// Starts serving on the session bus (`DBUS_SESSION_BUS_ADDRESS`), or on the bus at
    /// `address`, advertising `capabilities`.
    pub fn start(address: Option<&str>, capabilities: &[&str]) -> Self {
        let (tx, calls) = mpsc::channel();
        let server = Server {
            capabilities: capabilities.iter().map(|c| (*c).to_owned()).collect(),
            last_id: 0,
            calls: tx,
        };
        let builder = match address {
            Some(address) => Builder::address(address),
            None => Builder::session(),
        }
        .expect("a valid bus address");
        let conn = builder
            .serve_at(PATH, server)
            .expect("serve the notification interface")
            .build()
            .expect("the test listener connects to the bus");
        let reply = conn
            .request_name_with_flags(NAME, RequestNameFlags::DoNotQueue.into())
            .expect("RequestName");
        assert_eq!(
            reply,
            RequestNameReply::PrimaryOwner,
            "another process already owns {NAME} on this bus (a real notification server?): \
             the test listener must be the only one"
        );
        Self { conn, calls }
    }

    /// The next call received, within `timeout`.
    pub fn next_call(&self, timeout: Duration) -> Call {
        self.calls.recv_timeout(timeout).unwrap_or_else(|e| {
            panic!("no call reached the notification server within {timeout:?}: {e}")
        })
    }

    /// The next `Notify` call within `timeout`, skipping other calls.
    pub fn next_notify(&self, timeout: Duration) -> NotifyCall {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if let Call::Notify(call) = self.next_call(left) {
                return call;
            }
        }
    }

    /// The next `CloseNotification` id within `timeout`, skipping other calls.
    pub fn next_close(&self, timeout: Duration) -> u32 {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if let Call::CloseNotification(id) = self.next_call(left) {
                return id;
            }
        }
    }

    /// Emits `ActionInvoked(id, action)`, as when the user clicks an action.
    pub fn invoke_action(&self, id: u32, action: &str) {
        zbus::block_on(Server::action_invoked(&self.emitter(), id, action))
            .expect("emit ActionInvoked");
    }

    /// Emits `NotificationClosed(id, 2)`: the user dismissed the notification.
    pub fn dismiss(&self, id: u32) {
        zbus::block_on(Server::notification_closed(&self.emitter(), id, 2))
            .expect("emit NotificationClosed");
    }

    fn emitter(&self) -> SignalEmitter<'static> {
        SignalEmitter::new(self.conn.inner(), PATH)
            .expect("a valid object path")
            .into_owned()
    }
}

/// A private `dbus-daemon` with no activatable services, stopped on drop.
pub struct PrivateBus {
    child: Child,
    _dir: tempfile::TempDir,
    pub address: String,
}

impl PrivateBus {
    /// Starts `dbus-daemon` with a configuration that lists no service directories, so
    /// that nothing can be started by D-Bus activation on it.
    pub fn without_services() -> Self {
        let dir = temp_dir();
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                dir.path().display()
            ),
        )
        .expect("write the bus configuration");
        Self::spawn(
            Command::new("dbus-daemon").arg(format!("--config-file={}", config.display())),
            dir,
        )
    }

    /// Starts `dbus-daemon --session`: the standard session configuration, with the
    /// machine's activatable services (e.g. dunst), in an environment with no display.
    pub fn standard_session() -> Self {
        let dir = temp_dir();
        let mut command = Command::new("dbus-daemon");
        command
            .arg("--session")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
        Self::spawn(&mut command, dir)
    }

    fn spawn(command: &mut Command, dir: tempfile::TempDir) -> Self {
        use std::io::{BufRead, BufReader};
        let mut child = command
            .args(["--nofork", "--print-address"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon (Debian package `dbus`; scripts/setup --test installs it)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("read the bus address");
        let address = line.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        Self {
            child,
            _dir: dir,
            address,
        }
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("switchboard-desktop-bus")
        .tempdir()
        .expect("create a temporary directory")
}
