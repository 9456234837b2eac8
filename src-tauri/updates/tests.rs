//! The updater plugin's signature checking, for real: a local HTTP server (127.0.0.1)
//! serves a manifest and a package signed with a key pair made here (the `minisign`
//! crate, the format the Tauri CLI signer writes); the app (Tauri's mock runtime with the
//! updater plugin, configured with the test's public key) checks and installs into a
//! stand-in AppImage in a temporary folder.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use minisign::KeyPair;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri_plugin_updater::UpdaterExt;

use super::*;

fn b64(text: String) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// The public key as `tauri.conf.json` holds it.
fn pubkey(keys: &KeyPair) -> String {
    b64(keys.pk.to_box().unwrap().into_string())
}

/// The package's signature as the Tauri CLI writes it (`.sig`, base64), for `version`.
fn sign(keys: &KeyPair, package: &[u8], version: &str) -> String {
    let trusted = format!("timestamp:1765000000\tfile:Switchboard.AppImage\tversion:{version}");
    let signature = minisign::sign(
        Some(&keys.pk),
        &keys.sk,
        Cursor::new(package),
        Some(&trusted),
        None,
    )
    .unwrap();
    b64(signature.into_string())
}

/// A stand-in AppImage (the plugin checks for an ELF header before installing one).
fn package(marker: &str) -> Vec<u8> {
    let mut bytes = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    bytes.resize(64, 0);
    bytes.extend_from_slice(marker.as_bytes());
    bytes
}

/// The app with the updater plugin trusting `keys`.
fn app(keys: &KeyPair) -> tauri::App<MockRuntime> {
    let mut context = mock_context(noop_assets());
    context.config_mut().plugins.0.insert(
        "updater".into(),
        serde_json::json!({ "pubkey": pubkey(keys), "dangerousInsecureTransportProtocol": true }),
    );
    mock_builder().plugin(plugin()).build(context).unwrap()
}

/// A release on a local server: its manifest announces `announced`, carries `signature`,
/// and points at `served`.
struct Release {
    manifest_url: String,
}

fn release(announced: &str, signature: String, served: Vec<u8>) -> Release {
    let mut routes = HashMap::new();
    routes.insert("/Switchboard.AppImage".to_string(), served);
    // the address is only known once the server runs: the package path is relative to it
    let base = serve_later(&mut routes);
    let manifest = serde_json::json!({
        "version": announced,
        "notes": "Faster queues.",
        "pub_date": "2026-12-01T00:00:00Z",
        "url": format!("{base}/Switchboard.AppImage"),
        "signature": signature,
    });
    base.fill("/update.json", serde_json::to_vec(&manifest).unwrap());
    Release {
        manifest_url: format!("{}/update.json", base.url),
    }
}

/// A server on 127.0.0.1 serving its routes (path → body), which can be filled in
/// after it started (a manifest names the server's own address).
struct Later {
    url: String,
    routes: std::sync::Arc<std::sync::Mutex<HashMap<String, Vec<u8>>>>,
}

impl std::fmt::Display for Later {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.url)
    }
}

impl Later {
    fn fill(&self, path: &str, body: Vec<u8>) {
        self.routes.lock().unwrap().insert(path.into(), body);
    }
}

fn serve_later(initial: &mut HashMap<String, Vec<u8>>) -> Later {
    let routes = std::sync::Arc::new(std::sync::Mutex::new(std::mem::take(initial)));
    let shared = routes.clone();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            loop {
                let mut header = String::new();
                match reader.read_line(&mut header) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if header == "\r\n" => break,
                    Ok(_) => {}
                }
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("/");
            let path = path.split('?').next().unwrap_or(path).to_string();
            let body = shared.lock().unwrap().get(&path).cloned();
            let (status, body) = match body {
                Some(body) => ("200 OK", body),
                None => ("404 Not Found", Vec::new()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    Later { url, routes }
}

/// The stand-in for the installed Switchboard, in a fresh folder.
fn installed(dir: &Path) -> PathBuf {
    let path = dir.join("Switchboard.AppImage");
    std::fs::write(&path, package("the installed 0.1.0")).unwrap();
    path
}

fn run<F: std::future::Future>(future: F) -> F::Output {
    tauri::async_runtime::block_on(future)
}

#[test]
fn a_signed_update_is_found_verified_and_installed() {
    let keys = KeyPair::generate_unencrypted_keypair().unwrap();
    let new = package("the new 0.2.0");
    let release = release("0.2.0", sign(&keys, &new, "0.2.0"), new.clone());
    let app = app(&keys);
    let dir = tempfile::tempdir().unwrap();
    let target = installed(dir.path());

    let view = run(check(app.handle(), &release.manifest_url, Some("stable")));
    assert!(view.configured);
    assert_eq!(view.channel.as_deref(), Some("stable"));
    assert_eq!(view.available.as_deref(), Some("0.2.0"), "{view:?}");
    assert_eq!(
        view.message.as_deref(),
        Some("Switchboard 0.2.0 is available (its signature checks out).")
    );

    let builder = app.handle().updater_builder().executable_path(&target);
    let view = run(install_with(builder, "0.1.0", &release.manifest_url, None));
    assert_eq!(view.available, None, "{view:?}");
    assert!(
        view.message
            .as_deref()
            .unwrap()
            .starts_with("Switchboard 0.2.0 is installed"),
        "{view:?}"
    );
    assert_eq!(
        std::fs::read(&target).unwrap(),
        new,
        "the new package is in place"
    );
}

/// Checks and installs `release` with an app trusting `keys`: both must refuse with the
/// signature message, and the installed app must be untouched.
fn assert_refused(keys: &KeyPair, release: &Release) {
    let app = app(keys);
    let dir = tempfile::tempdir().unwrap();
    let target = installed(dir.path());
    let before = std::fs::read(&target).unwrap();

    let view = run(check(app.handle(), &release.manifest_url, None));
    assert_eq!(view.available, None, "{view:?}");
    assert_eq!(view.message.as_deref(), Some(SIGNATURE_REFUSED));

    let builder = app.handle().updater_builder().executable_path(&target);
    let view = run(install_with(builder, "0.1.0", &release.manifest_url, None));
    assert_eq!(view.message.as_deref(), Some(SIGNATURE_REFUSED), "{view:?}");
    assert_eq!(
        std::fs::read(&target).unwrap(),
        before,
        "nothing was replaced"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "no other file was written next to it");
}

#[test]
fn a_tampered_package_is_refused_and_nothing_is_replaced() {
    let keys = KeyPair::generate_unencrypted_keypair().unwrap();
    let signed = package("the new 0.2.0");
    let mut tampered = signed.clone();
    tampered.extend_from_slice(b" and something else");
    let release = release("0.2.0", sign(&keys, &signed, "0.2.0"), tampered);
    assert_refused(&keys, &release);
}

#[test]
fn an_update_signed_with_another_key_is_refused() {
    let ours = KeyPair::generate_unencrypted_keypair().unwrap();
    let theirs = KeyPair::generate_unencrypted_keypair().unwrap();
    let new = package("the new 0.2.0");
    let release = release("0.2.0", sign(&theirs, &new, "0.2.0"), new);
    assert_refused(&ours, &release);
}

#[test]
fn a_manifest_announcing_another_version_than_was_signed_is_refused() {
    let keys = KeyPair::generate_unencrypted_keypair().unwrap();
    let new = package("the new 0.2.0");
    let release = release("9.0.0", sign(&keys, &new, "0.2.0"), new);
    assert_refused(&keys, &release);
}

#[test]
fn the_newest_version_is_no_update() {
    let keys = KeyPair::generate_unencrypted_keypair().unwrap();
    let same = package("0.1.0");
    let release = release("0.1.0", sign(&keys, &same, "0.1.0"), same);
    let app = app(&keys);
    let view = run(check(app.handle(), &release.manifest_url, None));
    assert_eq!(view.available, None);
    assert_eq!(
        view.message.as_deref(),
        Some("No update: Switchboard 0.1.0 is the newest.")
    );
}

#[test]
fn an_unreachable_server_is_said_plainly() {
    let keys = KeyPair::generate_unencrypted_keypair().unwrap();
    let app = app(&keys);
    // a port that was free a moment ago: nothing listens there
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/update.json");
    let view = run(check(app.handle(), &url, None));
    let message = view.message.unwrap();
    assert!(
        message.starts_with("The update server could not be reached: "),
        "{message}"
    );
    assert!(
        !message.contains(&url),
        "the address is not repeated: {message}"
    );

    let served = serve_later(&mut HashMap::new());
    let view = run(check(app.handle(), &format!("{served}/update.json"), None));
    assert_eq!(
        view.message.as_deref(),
        Some("The update server could not be reached: it did not answer with an update manifest.")
    );
}

#[test]
fn the_channel_goes_into_the_address() {
    let at = |url: &str, channel: Option<&str>| endpoint(url, channel).unwrap().to_string();
    assert_eq!(
        at("https://u.example/sb/latest.json", Some("beta")),
        "https://u.example/sb/latest.json?channel=beta"
    );
    assert_eq!(
        at("https://u.example/sb/{{channel}}/latest.json", Some("beta")),
        "https://u.example/sb/beta/latest.json"
    );
    assert_eq!(
        at("https://u.example/sb/{{channel}}/latest.json", None),
        "https://u.example/sb/stable/latest.json"
    );
    assert_eq!(
        at("https://u.example/sb/latest.json", None),
        "https://u.example/sb/latest.json"
    );
    assert!(endpoint("not an address", None).is_err());
}

#[test]
fn the_built_in_key_is_a_minisign_public_key_and_no_address_is_built_in() {
    let config: serde_json::Value =
        serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
    let updater = &config["plugins"]["updater"];
    let pubkey = updater["pubkey"].as_str().expect("plugins.updater.pubkey");
    let text = base64::engine::general_purpose::STANDARD
        .decode(pubkey)
        .unwrap();
    let key = minisign::PublicKeyBox::from_string(std::str::from_utf8(&text).unwrap())
        .unwrap()
        .into_public_key();
    assert!(key.is_ok(), "{key:?}");
    assert!(updater.get("endpoints").is_none(), "no phoning home");
}
