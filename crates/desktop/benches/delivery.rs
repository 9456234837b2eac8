//! Delivery latency: from `DesktopNotifier::show` being called to the notification server
//! receiving `Notify`, over a real D-Bus bus daemon.
//!
//! Runs against the test listener on a private `dbus-daemon` of its own (so it needs no
//! session bus and never touches the user's notifications):
//!
//! ```text
//! cargo bench -p switchboard-desktop --bench delivery
//! ```
//!
//! The product goal is deadline → notification on the bus at p99 ≤ 1 s; this measures the
//! delivery part of that path.
#![allow(clippy::print_stdout)] // A benchmark's job is to print its figures.

#[cfg(all(unix, not(target_os = "macos")))]
#[path = "../tests/support/listener.rs"]
mod listener;

#[cfg(all(unix, not(target_os = "macos")))]
fn main() {
    use std::time::{Duration, Instant};

    use listener::{PrivateBus, TestNotificationServer};
    use switchboard_desktop::{DesktopAlert, DesktopNotifier};

    const RUNS: usize = 100;
    const WARM_UP: usize = 10;
    const WAIT: Duration = Duration::from_secs(10);

    let bus = PrivateBus::without_services();
    let server =
        TestNotificationServer::start(Some(&bus.address), &["actions", "body", "body-markup"]);
    let notifier = DesktopNotifier::with_bus_address(&bus.address, "Switchboard", Box::new(|_| {}))
        .expect("connect to the private bus");

    let alert = |key: String, i: usize| DesktopAlert {
        key,
        title: format!("Reply due: conversation {i}"),
        body: format!("Customer {i}: <b>where</b> is my order? & more text to carry"),
        critical: i % 5 == 0,
        conversation: Some(i as i64),
        conversations: vec![i as i64],
    };

    // `delivered`: show() called → Notify received by the server.
    // `returned`: show() called → show() returned (it sends and returns; the server's
    // answer is read on the listener thread, so this no longer includes the round trip).
    let measure = |label: &str, key_of: &dyn Fn(usize) -> String| {
        let mut delivered = Vec::with_capacity(RUNS);
        let mut returned = Vec::with_capacity(RUNS);
        for i in 0..WARM_UP + RUNS {
            let started = Instant::now();
            notifier.show(&alert(key_of(i), i)).expect("show");
            let done = started.elapsed();
            let call = server.next_notify(WAIT);
            if i >= WARM_UP {
                delivered.push(call.received_at.duration_since(started));
                returned.push(done);
            }
        }
        report(label, "show() → Notify received", &mut delivered);
        report(label, "show() → show() returned", &mut returned);
    };

    println!("desktop notification delivery, {RUNS} notifications each (after {WARM_UP} warm-up)");
    measure("new notifications", &|i| format!("bench:new:{i}"));
    measure("replacements of one key", &|_| "bench:replace".to_owned());
}

#[cfg(all(unix, not(target_os = "macos")))]
fn report(label: &str, what: &str, samples: &mut [std::time::Duration]) {
    samples.sort();
    let at =
        |q: f64| samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1];
    println!(
        "{label:<26} {what:<26} p50 {:>9.3?}  p99 {:>9.3?}  max {:>9.3?}",
        at(0.50),
        at(0.99),
        samples[samples.len() - 1]
    );
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn main() {
    println!("The delivery benchmark needs D-Bus (Linux and the BSDs).");
}
