//! The demo's **app outage**: a few minutes after the first start (from live item
//! [`BURST_START`] of the cursor on), [`BURST_ITEMS`] customers write within a minute or
//! so that the app is down, that login fails, that it crashes — in English, German,
//! Spanish and French, most of them in words Support's routing rule knows ("problem",
//! "help", "order"…), a few with nothing to route on (Triage). It shows a newcomer the
//! spike alert and the queue's spike marker. Deterministic from the seed and the item's
//! place in the burst; paced like the crowd (by the network's speed), only faster.

use switchboard_core::{Author, Item, ItemKind, Platform, ThreadKey, Timestamp};

use super::crowd::{handle_on, DEMO_ACCOUNT};
use super::rng::SplitMix64;

/// The cursor at which the burst starts (the backlog's 40 items, then 100 live ones:
/// about seven minutes after the first start at speed 1).
pub const BURST_START: u64 = 140;
/// Items in the burst.
pub const BURST_ITEMS: u64 = 60;
/// How much faster than the crowd the burst's items come.
pub(super) const BURST_PACE: u64 = 5;
/// Sets the burst's randomness apart from the crowd's.
const OUTAGE_SEED: u64 = 0x4f55_5441_4745;

/// Whether cursor `n` is an item of the burst.
pub(super) fn in_burst(n: u64) -> bool {
    (BURST_START..BURST_START + BURST_ITEMS).contains(&n)
}

/// How many of the crowd's own items come before cursor `n` (the burst's are not the
/// crowd's).
pub(super) fn crowd_items_before(n: u64) -> u64 {
    if n <= BURST_START {
        n
    } else {
        n - (n - BURST_START).min(BURST_ITEMS)
    }
}

/// What Support hears (a routing keyword in each), per language.
const SUPPORT: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "The app is down and login fails every time. Is this an outage? Please help",
            "App crashes at login since this morning, big problem: I can't see my order",
            "Outage? The app keeps crashing and I can't log in. Help!",
            "Login broken on the app for me too, same problem as everyone else",
        ],
    ),
    (
        "de",
        &[
            "App abgestürzt, Login geht nicht — Problem seit heute früh. Outage?",
            "Login-Problem: die App stürzt ständig ab, meine Bestellung sehe ich nicht",
        ],
    ),
    (
        "es",
        &[
            "La app no funciona y el login falla. ¿Hay una caída? No veo mi pedido",
            "Problema con el login: la app se cierra sola y no veo mi pedido. ¿Outage?",
        ],
    ),
    (
        "fr",
        &[
            "L'appli plante au login, impossible de voir ma commande. Panne ?",
            "Problème de login, l'appli est down depuis ce matin : où est ma commande ?",
        ],
    ),
];

/// What reaches Triage (nothing a rule routes on).
const TRIAGE: &[(&str, &[&str])] = &[
    ("en", &["Is the app down for everyone? Login just spins"]),
    ("de", &["Ist die App down? Login lädt ewig"]),
    ("es", &["¿La app está caída? El login no carga"]),
    ("fr", &["L'appli est en panne ? Le login ne charge pas"]),
];

const FIRST_NAMES: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "Olivia", "Liam", "Maya", "Noah", "Zoe", "Ethan", "Grace", "Owen",
        ],
    ),
    ("de", &["Lena", "Felix", "Jonas", "Mia", "Paul", "Lara"]),
    (
        "es",
        &["Lucía", "Mateo", "Sofía", "Diego", "Valeria", "Pablo"],
    ),
    ("fr", &["Camille", "Hugo", "Léa", "Louis", "Manon", "Jules"]),
];

/// Item `k` of the burst (0-based), stamped `at`.
pub(super) fn burst_item(seed: u64, k: u64, at: Timestamp) -> Item {
    let mut rng = SplitMix64::new(seed ^ OUTAGE_SEED ^ k.rotate_left(23));
    let lang = ["en", "en", "en", "de", "es", "fr"][rng.below(6)];
    // About one in twenty has nothing Support's rule knows: Triage's.
    let texts = if rng.below(20) == 0 { TRIAGE } else { SUPPORT };
    let text = *rng.pick(of(texts, lang));
    let first = *rng.pick(of(FIRST_NAMES, lang));
    let initial = (b'A' + rng.below(26) as u8) as char;
    let platform = *rng.pick(&[
        Platform::Mastodon,
        Platform::Mastodon,
        Platform::Bluesky,
        Platform::Bluesky,
        Platform::X,
    ]);
    let root = format!("outage-{k}");
    let stem = format!(
        "{}{}{k}",
        first.to_lowercase(),
        initial.to_ascii_lowercase()
    );
    Item {
        platform,
        account: DEMO_ACCOUNT.into(),
        native_id: root.clone(),
        thread: ThreadKey::new(platform, DEMO_ACCOUNT, &root),
        kind: ItemKind::Mention,
        author: Author {
            handle: handle_on(platform, &stem),
            display_name: format!("{first} {initial}."),
        },
        from_brand: false,
        text: text.to_owned(),
        lang: Some(lang.into()),
        created_at: at,
    }
}

fn of<'a>(table: &'a [(&str, &'a [&'a str])], lang: &str) -> &'a [&'a str] {
    table
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or(table[0].1, |(_, texts)| texts)
}
