//! The team's policy: versioned TOML, published by leads.
//!
//! Each version is a row (`policy`, primary key team + version); a new version must be
//! exactly one more than the version its author started from, so two leads editing at
//! once cannot silently overwrite each other: the second is told to start again
//! ([`TeamError::PolicyVersionTaken`]). Row-level security admits the insert only from a
//! lead ([`TeamError::NotALead`] otherwise). Publishing appends a `policy_changed` event in
//! the same transaction, so every laptop's puller learns of it.

use serde_json::json;
use sqlx::Row;

use crate::client::{insert_events, TeamClient};
use crate::event::{NewEvent, Stamp};
use crate::TeamError;

/// One version of the team's policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersion {
    /// 1, 2, …
    pub version: i32,
    /// The policy file's text.
    pub body_toml: String,
    /// The login role of the lead who published it.
    pub author: String,
}

impl TeamClient {
    /// Publishes `body_toml` as the version after `based_on` (None: the first version).
    /// The caller validates the TOML before; the database stores it as text.
    pub async fn publish_policy(
        &self,
        based_on: Option<i32>,
        body_toml: &str,
        stamp: Stamp,
    ) -> Result<i32, TeamError> {
        let version = based_on.unwrap_or(0) + 1;
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO switchboard.policy (team_id, version, body_toml) VALUES ($1::uuid, $2, $3)",
        )
        .bind(self.team.to_string())
        .bind(version)
        .bind(body_toml)
        .execute(&mut *tx)
        .await;
        if let Err(sqlx::Error::Database(db)) = &inserted {
            match db.code().as_deref() {
                Some("42501") => return Err(TeamError::NotALead),
                Some("23505") => return Err(TeamError::PolicyVersionTaken { version }),
                _ => {}
            }
        }
        inserted?;
        let event = NewEvent::new(stamp, "policy_changed", &json!({ "version": version }))?;
        insert_events(&mut tx, self.team, &self.device, &[event]).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// The newest version of the team's policy, if any was published.
    pub async fn latest_policy(&self) -> Result<Option<PolicyVersion>, TeamError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT version, body_toml, author FROM switchboard.policy \
             WHERE team_id = $1::uuid ORDER BY version DESC LIMIT 1",
        )
        .bind(self.team.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        row.map(|r| {
            Ok(PolicyVersion {
                version: r.try_get(0)?,
                body_toml: r.try_get(1)?,
                author: r.try_get(2)?,
            })
        })
        .transpose()
    }
}
