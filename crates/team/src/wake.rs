//! [`Wakeups`]: `LISTEN/NOTIFY` used only to wake the puller.
//!
//! Every commit that appends events to a team notifies the team's channel (see
//! [`crate::schema::team_channel`]); a notification carries nothing. A change of presence
//! notifies the same channel with the payload `presence` ([`Wake::Presence`]): there is
//! nothing new in the log, only presence to read again. The puller reacts to any other
//! [`Wake`] the same way: read [`TeamClient::events_after`] from its own cursor. A
//! notification sent while the listening connection was down is lost, so after a
//! reconnect [`Wakeups::next`] returns [`Wake::Reconnected`] and the puller re-reads from
//! its cursor anyway — nothing is ever learnt from the notification itself.

use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::PgPool;

use crate::client::TeamClient;
use crate::schema::team_channel;
use crate::TeamError;

/// Why the puller was woken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// New events were committed.
    Notified,
    /// Someone's presence changed (announced or left): read [`TeamClient::presence`]
    /// again; the log has nothing new.
    Presence,
    /// The listening connection was lost and is back: notifications may have been
    /// missed in between.
    Reconnected,
}

/// The team's wake-up stream (holds one of the laptop's two connections).
pub struct Wakeups {
    pool: PgPool,
    channel: String,
    listener: Option<PgListener>,
}

/// The payload of a presence change's notification (see the schema's
/// `notify_presence` trigger).
const PRESENCE_PAYLOAD: &str = "presence";

/// How long to wait before trying to listen again after a failure.
const RETRY: Duration = Duration::from_millis(200);

impl TeamClient {
    /// Starts listening for the team's wake-ups.
    pub async fn wakeups(&self) -> Result<Wakeups, TeamError> {
        let mut wakeups = Wakeups {
            pool: self.pool.clone(),
            channel: team_channel(self.team),
            listener: None,
        };
        wakeups.listen().await?;
        Ok(wakeups)
    }
}

impl Wakeups {
    async fn listen(&mut self) -> Result<(), TeamError> {
        self.listener = None;
        let mut listener = PgListener::connect_with(&self.pool).await?;
        listener.ignore_pool_close_event(true);
        listener.listen(&self.channel).await?;
        self.listener = Some(listener);
        Ok(())
    }

    /// Waits for the next reason to re-read the log. Never fails: a lost connection is
    /// retried until it is back, then reported as [`Wake::Reconnected`].
    pub async fn next(&mut self) -> Wake {
        if let Some(listener) = self.listener.as_mut() {
            if let Ok(Some(notification)) = listener.try_recv().await {
                return if notification.payload() == PRESENCE_PAYLOAD {
                    Wake::Presence
                } else {
                    Wake::Notified
                };
            }
        }
        loop {
            match self.listen().await {
                Ok(()) => return Wake::Reconnected,
                Err(err) => {
                    tracing::debug!("team wake-ups: listening again failed: {err}");
                    tokio::time::sleep(RETRY).await;
                }
            }
        }
    }
}
