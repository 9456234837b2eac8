//! Brand accounts signed in to in this workspace: who they are and whether they need a
//! new sign-in. Tokens are never here; they live in the OS keychain.

use switchboard_core::Platform;

use crate::{Store, StoreError};

/// A brand account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRecord {
    /// Stable key within the workspace, e.g. `mastodon:10923@social.example`.
    pub key: String,
    /// The platform.
    pub platform: Platform,
    /// The platform's stable id of the account.
    pub account_id: String,
    /// The handle.
    pub handle: String,
    /// The shown name.
    pub display_name: String,
    /// The server it lives on.
    pub service: String,
    /// When it was added (ms since the epoch).
    pub added_at: i64,
    /// Who added it.
    pub added_by: String,
    /// Whether its sign-in was revoked or expired.
    pub needs_sign_in: bool,
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    key: String,
    platform: String,
    account_id: String,
    handle: String,
    display_name: String,
    service: String,
    added_at: i64,
    added_by: String,
    needs_sign_in: bool,
}

impl TryFrom<AccountRow> for AccountRecord {
    type Error = StoreError;

    fn try_from(row: AccountRow) -> Result<Self, StoreError> {
        Ok(AccountRecord {
            platform: Platform::parse(&row.platform).ok_or(StoreError::Corrupt {
                what: "platform",
                value: row.platform.clone(),
            })?,
            key: row.key,
            account_id: row.account_id,
            handle: row.handle,
            display_name: row.display_name,
            service: row.service,
            added_at: row.added_at,
            added_by: row.added_by,
            needs_sign_in: row.needs_sign_in,
        })
    }
}

impl Store {
    /// Adds `account`, or refreshes what is known of it after a new sign-in.
    pub async fn upsert_account(&self, account: &AccountRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO accounts (key, platform, account_id, handle, display_name, service, \
             added_at, added_by, needs_sign_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (key) DO UPDATE SET handle = excluded.handle, \
             display_name = excluded.display_name, service = excluded.service, \
             needs_sign_in = excluded.needs_sign_in",
        )
        .bind(&account.key)
        .bind(account.platform.as_str())
        .bind(&account.account_id)
        .bind(&account.handle)
        .bind(&account.display_name)
        .bind(&account.service)
        .bind(account.added_at)
        .bind(&account.added_by)
        .bind(account.needs_sign_in)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every account, in the order they were added.
    pub async fn accounts(&self) -> Result<Vec<AccountRecord>, StoreError> {
        let rows: Vec<AccountRow> = sqlx::query_as(
            "SELECT key, platform, account_id, handle, display_name, service, added_at, \
             added_by, needs_sign_in FROM accounts ORDER BY added_at, key",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(AccountRecord::try_from).collect()
    }

    /// Marks whether `key` needs a new sign-in.
    pub async fn set_needs_sign_in(&self, key: &str, needs: bool) -> Result<(), StoreError> {
        sqlx::query("UPDATE accounts SET needs_sign_in = ? WHERE key = ?")
            .bind(needs)
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets account `key` (its conversations and log stay).
    pub async fn remove_account(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM accounts WHERE key = ?")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
