//! Team mode in the real app: two teammates' laptops — two app instances, each with its
//! own data dir and keychain namespace, side by side on one virtual display and one
//! session bus — on one throwaway PostgreSQL team database.
//!
//! Terms: *Ana* (laptop A, a lead working Support) and *Bob* (laptop B, working Support
//! and Sales) join the team "Acme Support" through the window's join flow with the join
//! codes the administrator made. The *feeder* holds the brand account's poll lease and
//! enters customers' mentions into the team's log (`team_feed`). Then, in the windows:
//! A claims → B's row says "Claimed by Ana" within 1 s; B types a reply → A sees "Bob is
//! replying"; B sends it while A has the conversation open, A sends hers → A's reply box
//! asks first (the collision prompt); B hands Sales conversations off to Support (to
//! anyone in the queue, then for Ana) with a note → A's app (not B's) raises the desktop
//! notification with the note (seen on the bus), and A's thread shows the note.
//! Screenshots of both windows go to `tests/artifacts/e2e-team-{a,b}.png`, the apps' logs
//! to `tests/artifacts/e2e-team-{ana,bob}-logs/`.

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};
use switchboard_team::admin::NewMember;
use switchboard_team::testing;

use crate::team_feed::Feeder;
use crate::webdriver::{Element, Session};
use crate::{bus_log, desktop};

/// The team's name, as the join preview shows it and the new workspace is called.
const TEAM: &str = "Acme Support";
/// Each window's size; the windows sit side by side on a screen twice as wide.
const WINDOW: (u32, u32) = (1280, 900);
/// How long any step may take before the test fails (the app and the database are local).
const LONG: Duration = Duration::from_secs(30);

/// One teammate's laptop: the app on its own data dir, driven through WebDriver.
struct Laptop {
    /// The member's name in the team ("Ana").
    name: &'static str,
    session: Session,
    /// Left edge of its window on the display.
    x: u32,
    data: tempfile::TempDir,
    _driver: desktop::Process,
}

impl Laptop {
    /// Starts the app on `display` and `bus` for member `name` with a fresh data dir, its
    /// own keychain namespace, and its window at `x`.
    fn start(display: &str, bus: &str, name: &'static str, x: u32) -> Laptop {
        let data = tempfile::tempdir().unwrap();
        let lower = name.to_lowercase();
        let xdg_data = data.path().join("xdg-data");
        let xdg_cache = data.path().join("xdg-cache");
        let namespace = format!("app.switchboard.e2e.{lower}.{}", std::process::id());
        // The app's own log, kept for reading when the test fails.
        let logs = crate::artifacts().join(format!("e2e-team-{lower}-logs"));
        let _ = std::fs::remove_dir_all(&logs);
        let (driver, session) = crate::launch(
            display,
            data.path(),
            &[
                ("SWITCHBOARD_DEMO_SPEED", "0"),
                ("SWITCHBOARD_USER", &lower),
                ("SWITCHBOARD_KEYCHAIN_NAMESPACE", &namespace),
                ("SWITCHBOARD_LOG_DIR", logs.to_str().unwrap()),
                ("DBUS_SESSION_BUS_ADDRESS", bus),
                // The webview's own storage, apart from the other laptop's.
                ("XDG_DATA_HOME", xdg_data.to_str().unwrap()),
                ("XDG_CACHE_HOME", xdg_cache.to_str().unwrap()),
            ],
        );
        session.set_window_rect(x as i32, 0, WINDOW.0, WINDOW.1);
        session.wait_for(
            "[data-testid=workspace-name]",
            LONG,
            &format!("{name}'s window"),
            |_, _| true,
        );
        Laptop {
            name,
            session,
            x,
            data,
            _driver: driver,
        }
    }

    /// Joins the team with the join code `code` through the window: the join form, the
    /// preview of the team and of the member, then "Join".
    fn join(&self, code: &str) {
        let s = &self.session;
        let join = match s.find_all("[data-testid=join-team]").first() {
            Some(button) => button.clone(),
            None => {
                s.click(&s.find_all("[data-testid=workspace-switcher]")[0]);
                let manage = s.wait_for(
                    "[data-testid=manage-workspaces]",
                    LONG,
                    "the workspace menu",
                    |_, _| true,
                );
                s.click(&manage[0]);
                s.wait_for(
                    "[data-testid=join-team]",
                    LONG,
                    "the join-a-team button",
                    |_, _| true,
                )[0]
                .clone()
            }
        };
        s.click(&join);
        let input = s.wait_for("[data-testid=join-code]", LONG, "the join form", |_, _| {
            true
        });
        s.type_into(&input[0], code);
        s.click(&s.find_all("[data-testid=join-preview-button]")[0]);
        let preview = s.wait_for(
            "[data-testid=join-preview]",
            LONG,
            &format!("the preview of {}'s membership", self.name),
            |s, e| s.text(&e[0]).contains(self.name),
        );
        let shown = s.text(&preview[0]);
        assert!(shown.contains(TEAM), "the preview names the team: {shown}");
        assert!(
            shown.to_lowercase().contains("support"),
            "the preview shows the member's queues: {shown}"
        );
        if let Some(name) = s.find_all("[data-testid=join-name]").first() {
            let value = s.execute_with("return arguments[0].value", &[name]);
            assert_eq!(
                value,
                json!(TEAM),
                "the workspace is named after the team by default"
            );
        }
        s.click(&s.find_all("[data-testid=join-confirm]")[0]);
        s.wait_for(
            "[data-testid=workspace-name]",
            LONG,
            &format!("{}'s team workspace", self.name),
            |s, e| s.text(&e[0]) == TEAM,
        );
        for close in s.find_all("[data-testid=close-manage-workspaces]") {
            s.click(&close);
        }
    }

    /// Shows the queue `queue` and waits for the conversation of `customer` in it.
    fn open_queue(&self, queue: &str, customer: &str) {
        let s = &self.session;
        let button = s.wait_for(
            &format!("[data-testid=queue-{queue}]"),
            LONG,
            &format!("{}'s {queue} queue", self.name),
            |_, _| true,
        );
        s.click(&button[0]);
        self.until(
            &format!("{customer}'s conversation in {}'s {queue} queue", self.name),
            &format!("return {} !== null", row_of(customer)),
        );
    }

    /// Opens `customer`'s conversation from the list shown and waits for its thread.
    fn open(&self, customer: &str) {
        self.until(
            &format!("{customer}'s row on {}'s laptop", self.name),
            &format!(
                "const row = {}; if (row) row.click(); return row !== null",
                row_of(customer)
            ),
        );
        self.until(
            &format!("{customer}'s thread on {}'s laptop", self.name),
            &format!(
                "const t = document.querySelector('[data-testid=thread-view]');
                 return t !== null && t.innerText.includes({})",
                json!(customer)
            ),
        );
    }

    /// Polls `script` (a function body) until it returns something other than `null` or
    /// `false`, and returns that; fails saying `what` after [`LONG`].
    fn until(&self, what: &str, script: &str) -> Value {
        let deadline = std::time::Instant::now() + LONG;
        loop {
            let value = self.session.execute(script);
            if !value.is_null() && value != json!(false) {
                return value;
            }
            if std::time::Instant::now() >= deadline {
                let page = self
                    .session
                    .execute("return document.body ? document.body.innerText : '(no body)'");
                let page: String = page
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .take(1200)
                    .collect();
                panic!(
                    "timed out waiting for {what}; {}'s window shows:\n{page}",
                    self.name
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts recording, in the page, the time (ms since the epoch) at which `condition`
    /// (a JavaScript expression) first holds, as `key`: a DOM observer notes the moment
    /// the window shows it, with no polling delay. Read it with [`Laptop::seen`].
    fn watch(&self, key: &str, condition: &str) {
        self.session.execute(&format!(
            "window.__seen = window.__seen || {{}};
             const check = () => {{
               if (!window.__seen[{key}] && ({condition})) window.__seen[{key}] = Date.now();
             }};
             new MutationObserver(check).observe(document.documentElement,
               {{ subtree: true, childList: true, characterData: true, attributes: true }});
             check();",
            key = json!(key)
        ));
    }

    /// When the window first showed what [`Laptop::watch`] watches as `key`.
    fn seen(&self, key: &str, what: &str) -> i64 {
        self.until(
            what,
            &format!("return (window.__seen || {{}})[{}] || null", json!(key)),
        )
        .as_i64()
        .unwrap()
    }

    /// The one element `testid` now (fails when there is none).
    fn find(&self, testid: &str) -> Element {
        self.session
            .find_all(&format!("[data-testid={testid}]"))
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no {testid} in {}'s window", self.name))
    }

    /// Sets the `<select>` `testid` to the option labelled `label`, as a person picking it.
    fn choose(&self, testid: &str, label: &str) {
        self.until(
            &format!("the choice {label:?} in {testid}"),
            &format!(
                "const select = document.querySelector('[data-testid={testid}]');
                 if (!select) return false;
                 const option = [...select.options].find(o => o.text.trim() === {label}
                   || o.text.trim().startsWith({label} + ' '));
                 if (!option) return false;
                 select.value = option.value;
                 select.dispatchEvent(new Event('input', {{ bubbles: true }}));
                 select.dispatchEvent(new Event('change', {{ bubbles: true }}));
                 return true",
                label = json!(label)
            ),
        );
    }

    /// Whether the process `pid` is this laptop's app (its data dir is this laptop's).
    fn owns_process(&self, pid: u32) -> bool {
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        let want = format!("SWITCHBOARD_DATA_DIR={}", self.data.path().display());
        environ
            .split(|b| *b == 0)
            .any(|entry| entry == want.as_bytes())
    }
}

/// A JavaScript expression: the row of `customer`'s conversation in the list, or `null`.
fn row_of(customer: &str) -> String {
    format!(
        "([...document.querySelectorAll('[data-testid=conversation-row]')]
            .find(r => r.innerText.includes({})) || null)",
        json!(customer)
    )
}

/// A JavaScript expression: the text of `testid` inside `customer`'s row ('' if none).
fn in_row(customer: &str, testid: &str) -> String {
    format!(
        "((({row}) || document).querySelector('[data-testid={testid}]')?.innerText || '')",
        row = row_of(customer)
    )
}

/// Milliseconds since the epoch (the clock the windows' `Date.now()` reads).
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The shared desktop: its session bus and the recording of notifications on it.
struct Desk<'a> {
    bus: &'a str,
    bus_log: &'a Path,
}

impl Desk<'_> {
    /// `from` hands `customer`'s Sales conversation off to Support (for the member `to_member`,
    /// or anyone in the queue) with `note`; checks that `to`'s app, and only it, raises the
    /// desktop notification with the note, and that `to`'s thread shows the note.
    #[allow(clippy::print_stdout)] // the test prints what it measured
    fn hand_off(
        &self,
        from: &Laptop,
        to: &Laptop,
        customer: &str,
        to_member: Option<&str>,
        note: &str,
    ) {
        from.open_queue("sales", customer);
        from.open(customer);
        from.session.click(&from.find("action-handoff"));
        from.session.wait_for(
            "[data-testid=handoff-form]",
            LONG,
            "the hand-off form",
            |_, _| true,
        );
        from.choose("handoff-queue", "Support");
        from.choose("handoff-member", to_member.unwrap_or("Anyone in the queue"));
        from.session
            .type_into(&from.find("handoff-note-input"), note);
        let handed_at = std::time::Instant::now();
        from.session.click(&from.find("handoff-submit"));
        let notification = loop {
            let log = std::fs::read_to_string(self.bus_log).unwrap_or_default();
            let calls = bus_log::notify_calls(&log);
            if let Some(call) = calls.iter().find(|c| c.body.contains(note)) {
                break call.clone();
            }
            assert!(
                handed_at.elapsed() < LONG,
                "no desktop notification with the note of the hand-off of {customer}; saw: {:?}",
                calls.iter().map(|c| &c.summary).collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        println!(
            "hand-off on B ({}) → notification from A: {} ms ({:?})",
            to_member.map_or("to the queue".into(), |m| format!("for {m}")),
            handed_at.elapsed().as_millis(),
            notification.summary
        );
        assert!(
            notification.summary.contains(from.name),
            "the notification says who handed it off, by name: {:?}",
            notification.summary
        );
        let sender = desktop::bus_peer_pid(self.bus, &notification.sender)
            .expect("the notification's sender is still on the bus");
        assert!(
            to.owns_process(sender),
            "the hand-off notification comes from {}'s app (sender pid {sender})",
            to.name
        );
        assert!(!from.owns_process(sender), "not from the author's own app");
        to.open_queue("support", customer);
        to.open(customer);
        let banner = to.until(
            &format!("the hand-off note in {}'s thread", to.name),
            "return document.querySelector('[data-testid=handoff-note]')?.innerText || null",
        );
        let banner = banner.as_str().unwrap();
        assert!(banner.contains(note), "the thread shows the note: {banner}");
        assert!(
            banner.contains(from.name),
            "the note says who wrote it, by name: {banner}"
        );
        match to_member {
            Some(member) => assert!(
                banner.contains(&format!("for {member}")),
                "the note says whom it is for: {banner}"
            ),
            None => assert!(
                !banner.contains(&format!("for {}", to.name)),
                "a hand-off to the queue is for no one in particular: {banner}"
            ),
        }
        // Every notification with this note came from the receiving app.
        let log = std::fs::read_to_string(self.bus_log).unwrap_or_default();
        for call in bus_log::notify_calls(&log)
            .iter()
            .filter(|c| c.body.contains(note))
        {
            let pid = desktop::bus_peer_pid(self.bus, &call.sender);
            assert!(
                pid.is_some_and(|pid| to.owns_process(pid)),
                "a notification of the hand-off of {customer} came from another app"
            );
        }
    }
}

// The customers writing in.
const CARLA: &str = "Carla Diaz";
const DEV: &str = "Dev Patel";
const EVE: &str = "Eve Moreau";
const FINN: &str = "Finn Olsen";

#[test]
#[allow(clippy::print_stdout)] // the test prints what it measured
fn two_laptops_see_claims_replies_collisions_and_hand_offs_of_each_other() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(testing::database());
    let team = runtime.block_on(db.team(TEAM));
    let member = |name: &str, queues: &[&str], lead: bool| {
        let member = NewMember {
            name: name.into(),
            email: format!("{}@acme.example", name.to_lowercase()),
            queues: queues.iter().map(|q| q.to_string()).collect(),
            lead,
            trainee: false,
        };
        runtime.block_on(db.member_with(team, &member))
    };
    let ana_code = member("Ana", &["support"], true);
    let bob_code = member("Bob", &["support", "sales"], false);
    let poller_code = member("Poller", &["triage"], false);

    // One screen with room for two windows side by side, one session bus with a
    // keychain and a notification server, and a recorder of the notifications.
    let (display, _xvfb) = desktop::xvfb(&format!("{}x{}", 2 * WINDOW.0, WINDOW.1));
    let (bus, _bus) = desktop::private_bus();
    let desk_dir = tempfile::tempdir().unwrap();
    let _keyring = desktop::keyring(&bus, desk_dir.path());
    // Notifications drawn at the top left: over Ana's window, whose app raises them.
    let dunstrc = desk_dir.path().join("dunstrc");
    std::fs::write(&dunstrc, "[global]\norigin = top-left\noffset = 16x56\n").unwrap();
    let _dunst = desktop::spawn_logged(
        "dunst",
        &["-config", dunstrc.to_str().unwrap()],
        &display,
        &bus,
        "team-dunst.log",
    );
    let bus_log = crate::artifacts().join("team-notifications.dbus.log");
    let _monitor = desktop::spawn_to_file(
        "dbus-monitor",
        &[
            "--session",
            "interface='org.freedesktop.Notifications'",
            "type='method_return'",
        ],
        &bus,
        &bus_log,
    );

    let (ana, bob) = std::thread::scope(|scope| {
        let ana = scope.spawn(|| {
            let ana = Laptop::start(&display, &bus, "Ana", 0);
            ana.join(ana_code.encode().expose());
            ana
        });
        let bob = scope.spawn(|| {
            let bob = Laptop::start(&display, &bus, "Bob", WINDOW.0);
            bob.join(bob_code.encode().expose());
            bob
        });
        (ana.join().unwrap(), bob.join().unwrap())
    });

    // Customers write in; the poll-lease holder enters them into the team's log.
    let feeder = runtime.block_on(Feeder::start(&poller_code));
    for (customer, text, queue) in [
        (CARLA, "My order #48213 never arrived.", "support"),
        (DEV, "The app logs me out every hour.", "support"),
        (EVE, "Do you offer volume pricing for 40 seats?", "sales"),
        (FINN, "Can I get an invoice for order #51877?", "sales"),
    ] {
        runtime.block_on(feeder.mention(customer, text, queue));
    }
    ana.open_queue("support", DEV);
    bob.open_queue("support", DEV);
    ana.open_queue("support", CARLA);
    bob.open_queue("support", CARLA);

    // A claims → B's row says so within a second.
    ana.open(CARLA);
    bob.watch(
        "claim",
        &format!("{}.includes('Claimed by Ana')", in_row(CARLA, "row-claim")),
    );
    let claimed_at = ana.until(
        "the claim button",
        "const claim = document.querySelector('[data-testid=action-claim]');
         if (!claim) return null;
         const at = Date.now();
         claim.click();
         return at;",
    );
    let shown = bob.seen("claim", "\"Claimed by Ana\" on Bob's row");
    let claim_ms = shown - claimed_at.as_i64().unwrap();
    println!("claim on A → row on B: {claim_ms} ms");
    assert!(
        claim_ms < 1000,
        "Bob's row showed Ana's claim {claim_ms} ms after she claimed (1 s at most)"
    );
    ana.until(
        "\"Claimed by you\" on Ana's row",
        &format!(
            "return {}.includes('Claimed by you')",
            in_row(CARLA, "row-claim")
        ),
    );

    // B starts a reply → A, who has the conversation open, sees that Bob is replying.
    ana.open(DEV);
    bob.open(DEV);
    ana.watch(
        "replying",
        "(document.querySelector('[data-testid=thread-presence]')?.innerText || '')
           .includes('Bob is replying')",
    );
    let typed_at = now_ms();
    bob.session
        .type_into(&bob.find("reply-input"), "Hi Dev, sorry about that. ");
    let shown = ana.seen("replying", "\"Bob is replying\" in Ana's thread");
    println!(
        "reply typed on B → \"Bob is replying\" on A: {} ms",
        shown - typed_at
    );
    ana.until(
        "\"Bob is replying\" on Ana's row",
        &format!(
            "return {}.includes('Bob is replying')",
            in_row(DEV, "row-presence")
        ),
    );

    // B sends while A has the conversation open; A's own reply then asks first.
    bob.session
        .type_into(&bob.find("reply-input"), "Could you try signing in again?");
    bob.session.click(&bob.find("reply-send"));
    bob.until(
        "Bob's reply in his thread",
        "const t = document.querySelector('[data-testid=thread-view]');
         return t !== null && t.innerText.includes('Could you try signing in again?')",
    );
    ana.session.type_into(
        &ana.find("reply-input"),
        "Hello Dev, we are looking into it.",
    );
    ana.session.click(&ana.find("reply-send"));
    let prompt = ana.until(
        "the collision prompt in Ana's reply box",
        "return document.querySelector('[data-testid=collision-prompt]')?.innerText || null",
    );
    let prompt = prompt.as_str().unwrap().to_owned();
    println!("collision prompt on A: {prompt:?}");
    assert!(
        prompt.contains("Bob"),
        "the prompt says who replied meanwhile: {prompt}"
    );
    assert!(!ana
        .session
        .find_all("[data-testid=collision-send-anyway]")
        .is_empty());
    ana.session.wait_for_paint();
    bob.session.wait_for_paint();
    // The X framebuffer trails the webview's paint; this pause only makes the screenshot
    // show what the DOM already shows.
    std::thread::sleep(Duration::from_millis(500));
    desktop::screenshot(&display, &crate::artifacts().join("e2e-team-collision.png"));
    ana.session.click(&ana.find("collision-cancel"));
    ana.until(
        "the collision prompt gone after Cancel",
        "return document.querySelector('[data-testid=collision-prompt]') === null",
    );

    // B hands Sales conversations off to Support — to anyone in the queue, then to Ana —
    // with a note → Ana's app (not Bob's) raises the desktop notification with the note,
    // and her thread shows the note.
    let desk = Desk {
        bus: &bus,
        bus_log: &bus_log,
    };
    desk.hand_off(
        &bob,
        &ana,
        FINN,
        None,
        "Finn needs an invoice for order #51877; billing is in Support now.",
    );
    desk.hand_off(
        &bob,
        &ana,
        EVE,
        Some("Ana"),
        "Eve wants 40 seats before Friday; you approved volume prices last month.",
    );

    // Both windows as the teammates see them.
    ana.session.wait_for_paint();
    bob.session.wait_for_paint();
    std::thread::sleep(Duration::from_millis(500)); // as above: the framebuffer trails
    for laptop in [&ana, &bob] {
        let file = format!("e2e-team-{}.png", if laptop.x == 0 { "a" } else { "b" });
        desktop::screenshot_area(
            &display,
            &crate::artifacts().join(file),
            (laptop.x, 0),
            WINDOW,
        );
    }
    ana.session.end();
    bob.session.end();
    drop(runtime);
}
