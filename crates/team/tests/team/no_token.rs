//! No platform token, refresh token, app password — nor a member's database password —
//! ever reaches the team database.

use std::time::Duration;

use serde::Serialize;
use switchboard_team::{BrandAccount, LeaseOutcome, NewEvent, Stamp, TeamItem};
use switchboard_vault::Sensitive;

use crate::support::{cluster, database};

const ACCESS_TOKEN: &str = "tok-ACCESS-7f3c9a1e5d";
const REFRESH_TOKEN: &str = "tok-REFRESH-0b8e2d4c6a";
const APP_PASSWORD: &str = "abcd-efgh-ijkl-mnop";

/// A signed-in brand account as a laptop holds it: public fields and secrets in the
/// vault's `Sensitive` (which does not serialize, so it cannot be put in a payload).
struct SignedIn {
    platform: &'static str,
    account: &'static str,
    handle: &'static str,
    access: Sensitive<String>,
    refresh: Sensitive<String>,
    app_password: Sensitive<String>,
}

/// An item as the pullers enter it.
#[derive(Serialize)]
struct Mention<'a> {
    kind: &'a str,
    native_id: &'a str,
    account: &'a str,
    author: &'a str,
    text: &'a str,
    url: String,
    created_at: &'a str,
}

/// A reply as the outbox records it.
#[derive(Serialize)]
struct ReplyQueued<'a> {
    conversation: &'a str,
    text: &'a str,
    fence: i64,
    as_account: &'a str,
}

/// Events and items built like the real ones from a signed-in account; then the whole
/// database (a `pg_dump`, and every row of every table as text) holds none of the
/// account's secrets nor the member's password, and no column is named like a secret.
#[tokio::test]
async fn the_database_holds_no_secret() {
    let db = database().await;
    let team = db.team("brand team").await;
    let (code, ana) = db.client(team, "ana", "ana-laptop").await;
    let signed_in = SignedIn {
        platform: "mastodon",
        account: "brand@social.example",
        handle: "@brand",
        access: Sensitive::new(ACCESS_TOKEN.into()),
        refresh: Sensitive::new(REFRESH_TOKEN.into()),
        app_password: Sensitive::new(APP_PASSWORD.into()),
    };
    // The laptop uses its secrets with the platform only (here: nowhere).
    assert_eq!(signed_in.access.expose().len(), ACCESS_TOKEN.len());
    assert!(!signed_in.refresh.expose().is_empty() && !signed_in.app_password.expose().is_empty());

    let brand = BrandAccount {
        platform: signed_in.platform,
        account: signed_in.account,
    };
    let LeaseOutcome::Granted { fence, .. } = ana
        .acquire_poll_lease(brand, Duration::from_secs(60))
        .await
        .unwrap()
    else {
        panic!("granted")
    };
    let items: Vec<TeamItem> = (1..=3)
        .map(|i| {
            let id = format!("11000{i}");
            let mention = Mention {
                kind: "mention",
                native_id: &id,
                account: signed_in.account,
                author: "@customer@elsewhere.example",
                text: "my order never arrived",
                url: format!("https://social.example/@customer/{id}"),
                created_at: "2026-12-06T05:00:00Z",
            };
            TeamItem::new(id.clone(), &mention, Stamp::new(i)).unwrap()
        })
        .collect();
    ana.commit_poll(brand, fence, &items, Some("110003"))
        .await
        .unwrap();
    ana.claim("mastodon:110001", Duration::from_secs(60), Stamp::new(10))
        .await
        .unwrap();
    let reply = ReplyQueued {
        conversation: "mastodon:110001",
        text: "Sorry! We are on it.",
        fence: 1,
        as_account: signed_in.handle,
    };
    ana.append(&[NewEvent::new(Stamp::new(11), "reply_queued", &reply).unwrap()])
        .await
        .unwrap();

    let secrets = [
        ACCESS_TOKEN,
        REFRESH_TOKEN,
        APP_PASSWORD,
        code.secret.expose().as_str(),
    ];
    let dump = cluster().pg_dump(&db.name);
    assert!(
        dump.contains("my order never arrived"),
        "the dump holds the data"
    );
    for secret in secrets {
        assert!(!dump.contains(secret), "the pg_dump holds a secret");
    }
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'switchboard'",
    )
    .fetch_all(db.admin.pool())
    .await
    .unwrap();
    assert!(tables.len() >= 8, "{tables:?}");
    for table in &tables {
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT t::text FROM switchboard.{table} t"
        )))
        .fetch_all(db.admin.pool())
        .await
        .unwrap();
        for row in rows {
            for secret in secrets {
                assert!(!row.contains(secret), "{table} holds a secret");
            }
        }
    }
    let secret_columns: Vec<String> = sqlx::query_scalar(
        "SELECT table_name || '.' || column_name FROM information_schema.columns \
         WHERE table_schema = 'switchboard' AND table_name <> '_sqlx_migrations' \
           AND column_name ~* '(token|password|secret|credential)'",
    )
    .fetch_all(db.admin.pool())
    .await
    .unwrap();
    assert!(secret_columns.is_empty(), "{secret_columns:?}");
}
