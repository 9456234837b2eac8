//! Settings stored in the workspace database: one JSON value per key.

use crate::{Store, StoreError};

impl Store {
    /// The JSON stored under `key`, if any.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let value = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(value)
    }

    /// Stores `json` under `key`, replacing what was there.
    pub async fn set_setting(&self, key: &str, json: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(json)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Replaces the value under `key` and erases the old one from the database files: the
    /// bytes it freed are zeroed (`secure_delete`) and the write-ahead log, which still
    /// holds the old page, is emptied (a truncating checkpoint). For a value that held a
    /// secret. Returns whether the log could be emptied now (not while another connection
    /// reads or writes; the old page then stays in it until SQLite writes over it).
    pub async fn replace_setting_erasing(&self, key: &str, json: &str) -> Result<bool, StoreError> {
        let mut connection = self.pool.acquire().await?;
        sqlx::query("PRAGMA secure_delete = ON")
            .execute(&mut *connection)
            .await?;
        let replaced = sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(json)
        .execute(&mut *connection)
        .await;
        let checkpoint = match replaced {
            Ok(_) => {
                sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)")
                    .fetch_one(&mut *connection)
                    .await
            }
            Err(e) => Err(e),
        };
        sqlx::query("PRAGMA secure_delete = OFF")
            .execute(&mut *connection)
            .await?;
        let (busy, _, _) = checkpoint?;
        Ok(busy == 0)
    }
}
