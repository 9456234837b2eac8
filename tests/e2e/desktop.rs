//! The desktop the e2e tests run on: a virtual X display (Xvfb, unless `DISPLAY` is
//! already set) and `tauri-driver` in front of Debian's `WebKitWebDriver`.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process, leading its own process group, killed with the whole group when
/// dropped (tauri-driver's WebKitWebDriver and the app go with it).
pub struct Process(Child);

impl Process {
    fn spawn(command: &mut Command, what: &str) -> Process {
        command.process_group(0);
        Process(command.spawn().unwrap_or_else(|e| panic!("{what}: {e}")))
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The X display to use: the one in `DISPLAY`, or a fresh 1280×800 Xvfb.
pub fn display() -> (String, Option<Process>) {
    if let Ok(display) = std::env::var("DISPLAY") {
        if !display.is_empty() {
            return (display, None);
        }
    }
    let (display, xvfb) = xvfb("1280x800");
    (display, Some(xvfb))
}

/// A fresh Xvfb whose screen is `size` ("WIDTHxHEIGHT") pixels.
pub fn xvfb(size: &str) -> (String, Process) {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            &format!("{size}x24"),
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect(
            "Xvfb is needed for the e2e tests (Debian package xvfb; `scripts/test` installs it)",
        );
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("Xvfb reports its display");
    (format!(":{}", line.trim()), Process(child))
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Starts `tauri-driver` on `display` with `envs` for the app; returns it and its URL
/// once it answers.
pub fn tauri_driver(
    display: &str,
    envs: &[(&str, &Path)],
    extra: &[(&str, &str)],
) -> (Process, String) {
    let port = free_port();
    let native_port = free_port();
    let mut command = Command::new(driver_binary());
    command
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", display)
        .stdout(Stdio::null())
        .stderr(log_file("tauri-driver.log"));
    for (key, value) in envs {
        command.env(key, value);
    }
    for (key, value) in extra {
        command.env(key, value);
    }
    let process = Process::spawn(
        &mut command,
        "tauri-driver is needed for the e2e tests: `cargo install tauri-driver --locked` (scripts/test does)",
    );
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while ureq::get(format!("{url}/status")).call().is_err() {
        assert!(Instant::now() < deadline, "tauri-driver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (process, url)
}

/// A file under `tests/artifacts/` for a helper process's output: read it when a test
/// fails; unlike an inherited stderr, it keeps no handle of the test runner open.
fn log_file(name: &str) -> Stdio {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts");
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    std::fs::File::create(dir.join(name))
        .map(Stdio::from)
        .unwrap_or_else(|_| Stdio::null())
}

fn driver_binary() -> String {
    std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into())
}

/// Saves a screenshot of the whole X display (what a person would see) to `path`.
pub fn screenshot(display: &str, path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(path)
        .env("DISPLAY", display)
        .status()
        .expect("ImageMagick's `import` takes the screenshot (Debian package imagemagick)");
    assert!(status.success(), "screenshot failed");
}

/// Saves a screenshot of the part of the display `width`×`height` pixels at (`x`, `y`)
/// (one window of several side by side) to `path`.
pub fn screenshot_area(
    display: &str,
    path: &Path,
    (x, y): (u32, u32),
    (width, height): (u32, u32),
) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = Command::new("import")
        .args([
            "-window",
            "root",
            "-crop",
            &format!("{width}x{height}+{x}+{y}"),
            "+repage",
        ])
        .arg(path)
        .env("DISPLAY", display)
        .status()
        .expect("ImageMagick's `import` takes the screenshot (Debian package imagemagick)");
    assert!(status.success(), "screenshot failed");
}

/// Starts `program` on `display` and `bus` with its output in `tests/artifacts/<log>`.
pub fn spawn_logged(program: &str, args: &[&str], display: &str, bus: &str, log: &str) -> Process {
    Process::spawn(
        Command::new(program)
            .args(args)
            .env("DISPLAY", display)
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .stdout(log_file(log))
            .stderr(log_file(&format!("{log}.err"))),
        &format!("{program} is needed for the e2e tests (`scripts/setup --test` installs it)"),
    )
}

/// Starts `program` on `bus` with its standard output written to `path`.
pub fn spawn_to_file(program: &str, args: &[&str], bus: &str, path: &Path) -> Process {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let out = std::fs::File::create(path).expect("log file");
    let process = Process::spawn(
        Command::new(program)
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .stdout(out)
            .stderr(Stdio::null()),
        &format!("{program} is needed for the e2e tests (`scripts/setup --test` installs it)"),
    );
    // dbus-monitor must be listening before the app sends anything: wait for its first line.
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) == 0 {
        assert!(Instant::now() < deadline, "{program} did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    process
}

/// A private D-Bus session bus for one test, so that the app, the notification server and
/// the recorder do not meet other tests' listeners. Returns its address.
pub fn private_bus() -> (String, Process) {
    let mut bus = Process::spawn(
        Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
        "dbus-daemon is needed for the e2e tests (Debian package dbus)",
    );
    let mut line = String::new();
    BufReader::new(bus.0.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("dbus-daemon reports its address");
    (line.trim().to_owned(), bus)
}

/// A Secret Service (gnome-keyring, unlocked, its keyrings under `dir`) on `bus`: the OS
/// keychain where a team workspace keeps its join code.
pub fn keyring(bus: &str, dir: &Path) -> Process {
    let control = dir.join("control");
    std::fs::create_dir_all(&control).unwrap();
    // gnome-keyring accepts only a control directory its owner alone can enter.
    std::fs::set_permissions(
        &control,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let mut process = Process::spawn(
        Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .arg(format!("--control-directory={}", control.display()))
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .env("XDG_DATA_HOME", dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(log_file("gnome-keyring.log")),
        "gnome-keyring-daemon is needed for the team e2e test (Debian package gnome-keyring)",
    );
    // The login keyring's password: an empty line (stdin must then close).
    std::io::Write::write_all(&mut process.0.stdin.take().unwrap(), b"\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !bus_has_name(bus, "org.freedesktop.secrets") {
        assert!(Instant::now() < deadline, "gnome-keyring did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    process
}

/// Whether `name` has an owner on `bus`.
fn bus_has_name(bus: &str, name: &str) -> bool {
    bus_call(bus, "NameHasOwner", name).is_some_and(|answer| answer.contains("true"))
}

/// The process id of the connection `name` (e.g. a `Notify` call's sender) on `bus`.
pub fn bus_peer_pid(bus: &str, name: &str) -> Option<u32> {
    bus_call(bus, "GetConnectionUnixProcessID", name)?
        .lines()
        .find_map(|line| line.trim().strip_prefix("uint32 "))
        .and_then(|pid| pid.trim().parse().ok())
}

/// Calls the bus daemon's `method` with the string `argument`; its printed answer.
fn bus_call(bus: &str, method: &str, argument: &str) -> Option<String> {
    let output = Command::new("dbus-send")
        .args([
            &format!("--bus={bus}"),
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            &format!("org.freedesktop.DBus.{method}"),
            &format!("string:{argument}"),
        ])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
