//! A stand-in desktop notification server for tests and benchmarks.
//!
//! It owns `org.freedesktop.Notifications` on a D-Bus bus, serves the freedesktop
//! notification interface at `/org/freedesktop/Notifications`, records every call it gets
//! (on a channel, so tests wait for them with a timeout), and can emit `ActionInvoked` and
//! `NotificationClosed` as a user's click or dismissal would. It keeps the ids of the
//! notifications it shows until they are closed ([`TestNotificationServer::on_screen`]).
//!
//! [`TestNotificationServer::start_slow`] answers every `Notify` only after a delay (a
//! busy server under a burst), without holding up the calls behind it.
#![allow(dead_code)] // The test binary and the benchmark each use part of it.

use std::collections::{BTreeSet, HashMap};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
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
    on_screen: OnScreen,
}

/// The arguments of `Notify`, in the spec's order.
type NotifyArgs = (
    String,
    u32,
    String,
    String,
    String,
    Vec<String>,
    HashMap<String, OwnedValue>,
    i32,
);

/// The ids of the notifications the server shows.
type OnScreen = Arc<Mutex<BTreeSet<u32>>>;

impl Server {
    /// Records a `Notify` and returns the id it answers with.
    #[allow(clippy::too_many_arguments)]
    fn record_notify(
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
        // As real servers do: an id it does not show (any more) gets a new notification.
        let on_screen = self.on_screen.lock().unwrap().contains(&replaces_id);
        let id = if replaces_id != 0 && on_screen {
            replaces_id
        } else {
            self.last_id += 1;
            self.last_id
        };
        self.on_screen.lock().unwrap().insert(id);
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

    fn record_close(&mut self, id: u32) {
        self.on_screen.lock().unwrap().remove(&id);
        let _ = self.calls.send(Call::CloseNotification(id));
    }
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
        self.record_notify(
            app_name,
            replaces_id,
            app_icon,
            summary,
            body,
            actions,
            hints,
            expire_timeout,
        )
    }

    async fn close_notification(
        &mut self,
        id: u32,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> zbus::fdo::Result<()> {
        self.record_close(id);
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
    on_screen: OnScreen,
}

impl TestNotificationServer {
    /// Starts serving on the session bus (`DBUS_SESSION_BUS_ADDRESS`), or on the bus at
    /// `address`, advertising `capabilities`.
    pub fn start(address: Option<&str>, capabilities: &[&str]) -> Self {
        let (server, calls, on_screen) = Self::server(capabilities);
        let conn = Self::builder(address)
            .serve_at(PATH, server)
            .expect("serve the notification interface")
            .build()
            .expect("the test listener connects to the bus");
        Self::own_name(&conn);
        Self {
            conn,
            calls,
            on_screen,
        }
    }

    /// Like [`TestNotificationServer::start`] on the bus at `address`, but every `Notify`
    /// is answered only `delay` after it arrived, as a busy server would; the calls behind
    /// it are received (and recorded) meanwhile, and each is answered `delay` after its
    /// own arrival.
    pub fn start_slow(address: &str, capabilities: &[&str], delay: Duration) -> Self {
        let (mut server, calls, on_screen) = Self::server(capabilities);
        let conn = Self::builder(Some(address))
            .build()
            .expect("the test listener connects to the bus");
        let messages = zbus::blocking::MessageIterator::from(&conn);
        Self::own_name(&conn);
        // Answers in arrival order, each `delay` after it arrived.
        let (late_tx, late) = mpsc::channel::<(Instant, zbus::Message, u32)>();
        std::thread::spawn({
            let conn = conn.clone();
            move || {
                for (due, call, id) in late {
                    std::thread::sleep(due.saturating_duration_since(Instant::now()));
                    if conn.reply(&call.header(), &id).is_err() {
                        return;
                    }
                }
            }
        });
        std::thread::spawn({
            let conn = conn.clone();
            move || {
                for message in messages {
                    let Ok(message) = message else { return };
                    if message.message_type() != zbus::message::Type::MethodCall {
                        continue;
                    }
                    let header = message.header();
                    let member = header.member().map(|m| m.to_string()).unwrap_or_default();
                    let answered = match member.as_str() {
                        "Notify" => {
                            let (app, replaces, icon, summary, body, actions, hints, expire): NotifyArgs = message.body().deserialize().expect("a Notify body");
                            let id = server.record_notify(
                                app, replaces, icon, summary, body, actions, hints, expire,
                            );
                            let _ = late_tx.send((Instant::now() + delay, message.clone(), id));
                            Ok(())
                        }
                        "CloseNotification" => {
                            let id: u32 = message.body().deserialize().expect("an id");
                            server.record_close(id);
                            conn.reply(&header, &()).and_then(|()| {
                                conn.emit_signal(
                                    None::<&str>,
                                    PATH,
                                    NAME,
                                    "NotificationClosed",
                                    &(id, 3u32),
                                )
                            })
                        }
                        "GetCapabilities" => {
                            let _ = server.calls.send(Call::GetCapabilities);
                            conn.reply(&header, &server.capabilities)
                        }
                        "GetServerInformation" => conn.reply(
                            &header,
                            &("switchboard-test-listener", "Switchboard", "1", "1.2"),
                        ),
                        _ => Ok(()),
                    };
                    if answered.is_err() {
                        return;
                    }
                }
            }
        });
        Self {
            conn,
            calls,
            on_screen,
        }
    }

    fn server(capabilities: &[&str]) -> (Server, mpsc::Receiver<Call>, OnScreen) {
        let (tx, calls) = mpsc::channel();
        let on_screen = OnScreen::default();
        let server = Server {
            capabilities: capabilities.iter().map(|c| (*c).to_owned()).collect(),
            last_id: 0,
            calls: tx,
            on_screen: Arc::clone(&on_screen),
        };
        (server, calls, on_screen)
    }

    fn builder(address: Option<&str>) -> Builder<'static> {
        match address {
            Some(address) => Builder::address(address),
            None => Builder::session(),
        }
        .expect("a valid bus address")
    }

    fn own_name(conn: &Connection) {
        let reply = conn
            .request_name_with_flags(NAME, RequestNameFlags::DoNotQueue.into())
            .expect("RequestName");
        assert_eq!(
            reply,
            RequestNameReply::PrimaryOwner,
            "another process already owns {NAME} on this bus (a real notification server?): \
             the test listener must be the only one"
        );
    }

    /// The ids of the notifications on screen now (shown and not closed).
    pub fn on_screen(&self) -> BTreeSet<u32> {
        self.on_screen.lock().unwrap().clone()
    }

    /// Every call received so far that has not been taken yet, without waiting.
    pub fn calls_so_far(&self) -> Vec<Call> {
        self.calls.try_iter().collect()
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
