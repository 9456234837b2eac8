//! Collision checks at send time in the demo team: the team's own check
//! ([`crate::team::collision::check`]) with the demo team's members — a demo teammate's
//! reply or claim since the person opened the conversation (`seen_version`), or a demo
//! teammate holding it now, refuses the send with [`ErrorCode::Collision`] in the team's
//! words ("Ana Ruiz replied just now, after you opened this: “…”. Send yours anyway?");
//! sent again with `send_anyway`, it goes and its `reply_queued` keeps what the person was
//! told.

use switchboard_core::{ApiError, ErrorCode, Thread};

use super::DemoTeam;
use crate::api::to_api;
use crate::outbox::Confirmed;
use crate::reply_keys::{reply_key, ReplyKey};
use crate::team::collision::check;
use crate::Engine;

impl DemoTeam {
    /// [`Engine::send_reply_once`] after the collision checks.
    pub async fn send_reply_checked(
        &self,
        engine: &Engine,
        id: i64,
        text: String,
        idempotency_key: Option<String>,
        (seen_version, send_anyway): (Option<i64>, bool),
        confirmed: Confirmed,
    ) -> Result<Thread, ApiError> {
        let shared = &engine.shared;
        let now = shared.now();
        let key = match reply_key(shared, id, idempotency_key, now).await? {
            ReplyKey::Fresh(key) => key,
            // A resend of a reply already queued stands as it is.
            ReplyKey::Queued(thread) => return Ok(*thread),
        };
        let members = self.members(shared);
        let sent_anyway = match check(shared, &self.me, &members, id, seen_version, now)
            .await
            .map_err(to_api)?
        {
            Some(collision) if !send_anyway => {
                return Err(ApiError::new(ErrorCode::Collision, collision.message()))
            }
            collision => collision.map(|c| c.fact),
        };
        let confirmed = Confirmed {
            sent_anyway,
            ..confirmed
        };
        engine.send_reply_with(id, text, Some(key), confirmed).await
    }
}
