//! Replying from Switchboard: the reply is queued in the store (event + outbox row in one
//! transaction), then posted through the conversation's brand account with the row's
//! idempotency key. The posted item is ingested at once like any brand reply, so the
//! conversation counts as answered without waiting for the next pull.
//!
//! - **Too long** for the platform (its real limit, counted its way) is refused in plain
//!   words before anything is queued.
//! - **Waiting**: while the platform cannot be reached (unavailable, timed out, rate
//!   limited) the reply waits, shown as "Will send when Mastodon is reachable", and is
//!   tried again with backoff (honouring the platform's `Retry-After`) until it is sent.
//!   Only a permanent refusal (the post answered is gone, too long, sign in again) ends it
//!   as failed ("not sent"), to Retry by hand.
//! - **Past Meta's messaging window** (a Messenger / Instagram message conversation whose
//!   customer wrote last more than 24 hours ago, 7 days with the human-agent tag) a reply
//!   is refused before anything is queued ([`crate::reply_window`]).
//! - **Exactly once**: before any post that may follow an earlier one — after a try that
//!   may have got through, at resume (replies still sending after a crash or exit), on
//!   Retry — the thread is read and a brand reply with the same text after the customer's
//!   message is taken as this reply ([`matching`]); platforms that ignore idempotency
//!   keys (and Mastodon after one hour) would otherwise post it twice. In this process a
//!   reply is posted by one task at a time, and a Retry of a reply already sending or sent
//!   does nothing.

mod matching;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_core::{ApiError, ErrorCode, Item, Thread};
use switchboard_platforms::backoff::Backoff;
use switchboard_platforms::{Provider, ProviderError, ReplyTarget};
use switchboard_store::{QueuedReply, RetryClaim, RoutedItem};
use tokio::sync::watch;

use crate::actions::checked_text;
use crate::planner::PolicyPlanner;
use crate::reply_keys::{already_queued, reply_key, ReplyKey};
use crate::{api::to_api, Engine, Shared};

/// How long writing a reply waits for its platform's length limit (read once per account).
const LIMIT_LOOKUP: Duration = Duration::from_secs(3);

/// Longest reply accepted, in characters, on any platform (each platform's own, lower
/// limit is checked too where the provider knows it).
const MAX_REPLY_CHARS: usize = 10_000;

/// What the writer of a reply was warned of and sent anyway: logged with the reply (its
/// `reply_queued`, or a trainee's `reply_awaiting_approval`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Confirmed {
    /// A teammate's reply or claim they were told of (the collision checks).
    pub sent_anyway: Option<String>,
    /// The guardrail rules whose warnings they confirmed.
    pub guardrail_overrides: Vec<String>,
}

impl Engine {
    /// Writes `text` as the brand's reply in conversation `id` and sends it. Resolves once
    /// the reply is queued; the thread then shows it as sending, and later as an item (or
    /// failed, with why).
    pub async fn send_reply(&self, id: i64, text: String) -> Result<Thread, ApiError> {
        self.send_reply_once(id, text, None).await
    }

    /// Like [`Engine::send_reply`], under the window's `idempotency_key` for this reply
    /// (a UUID): sent again with the same key, the reply already queued stands and nothing
    /// new is queued or posted.
    pub async fn send_reply_once(
        &self,
        id: i64,
        text: String,
        idempotency_key: Option<String>,
    ) -> Result<Thread, ApiError> {
        self.send_reply_with(id, text, idempotency_key, Confirmed::default())
            .await
    }

    /// [`Engine::send_reply_once`], logging what the writer was warned of and confirmed
    /// (`confirmed`) with the reply. A trainee's reply (team mode) is not queued but waits
    /// for a lead's approval.
    pub(crate) async fn send_reply_with(
        &self,
        id: i64,
        text: String,
        idempotency_key: Option<String>,
        confirmed: Confirmed,
    ) -> Result<Thread, ApiError> {
        let text = checked_reply(text)?;
        let shared = &self.shared;
        let now = shared.now();
        let key = match reply_key(shared, id, idempotency_key, now).await? {
            ReplyKey::Fresh(key) => key,
            ReplyKey::Queued(thread) => return Ok(*thread),
        };
        check_length(shared, id, &text).await?;
        // Past Meta's messaging window nothing may be sent (see `reply_window`).
        shared.check_reply_window(id).await?;
        // A trainee's reply waits for a lead's approval instead of going.
        if let Some(replica) = &shared.team {
            if crate::team::approval::is_trainee(shared, replica).await {
                return crate::team::approval::request(shared, id, text, key, confirmed).await;
            }
        }
        let queued = match shared
            .store
            .queue_reply_confirmed(
                id,
                &shared.me,
                &text,
                &key,
                now,
                &PolicyPlanner(&shared.policy()),
                confirmed.sent_anyway.as_deref(),
                &confirmed.guardrail_overrides,
            )
            .await
        {
            Ok(queued) => queued,
            // The same key queued meanwhile (a resend racing the first call): that stands.
            Err(e) => match already_queued(shared, id, &key, now).await? {
                Some(thread) => return Ok(thread),
                None => return Err(to_api(e)),
            },
        };
        shared.recorded(vec![id]);
        start_posting(shared, queued);
        shared.thread(id).await
    }

    /// Sends failed reply `reply` of conversation `id` again (same idempotency key),
    /// after looking in the thread for it. Checked before anything changes: a reply of
    /// another conversation is refused and stays as it was; a reply already sending or
    /// sent (a second Retry) is left alone and the thread returned.
    pub async fn retry_reply(&self, id: i64, reply: i64) -> Result<Thread, ApiError> {
        let shared = &self.shared;
        match shared.store.retry_reply(id, reply).await.map_err(to_api)? {
            RetryClaim::OtherConversation => {
                return Err(ApiError::new(
                    ErrorCode::NotFound,
                    "That reply belongs to another conversation.",
                ))
            }
            RetryClaim::Underway => {}
            RetryClaim::Claimed(queued) => {
                shared.recorded(vec![id]);
                tokio::spawn(post_again(Arc::clone(shared), queued));
            }
        }
        shared.thread(id).await
    }
}

/// `text` trimmed, refused when empty or longer than any platform takes.
pub(crate) fn checked_reply(text: String) -> Result<String, ApiError> {
    checked_text(text, MAX_REPLY_CHARS, "Write a reply first.", "A reply")
}

/// Posts reply `queued`, just queued, in the background and records the outcome.
pub(crate) fn start_posting(shared: &Arc<Shared>, queued: QueuedReply) {
    tokio::spawn(post(Arc::clone(shared), queued));
}

/// Refuses `text` as a reply in conversation `id` when it is longer than its platform
/// takes, in plain words. Nothing is checked when the platform's limit is unknown.
pub(crate) async fn check_length(shared: &Shared, id: i64, text: &str) -> Result<(), ApiError> {
    let Some(answered) = shared.store.reply_would_answer(id).await.map_err(to_api)? else {
        return Ok(()); // queueing says there is nothing to answer
    };
    let Some(source) = shared.accounts.for_account(&answered.account) else {
        return Ok(());
    };
    // A platform slow to say (an outage) does not hold the reply up: it is queued and
    // waits, and a reply too long then ends as not sent with the platform's reason.
    let Ok(Some(limit)) = tokio::time::timeout(LIMIT_LOOKUP, source.provider.reply_limit()).await
    else {
        return Ok(());
    };
    limit
        .check(text, Some(&answered.author.handle))
        .map_err(|why| ApiError::new(ErrorCode::InvalidInput, why))
}

/// The replies this process is posting, and the signal that ends their waits.
pub(crate) struct Posting {
    in_flight: Mutex<HashSet<i64>>,
    stop: watch::Sender<bool>,
}

impl Default for Posting {
    fn default() -> Self {
        Posting {
            in_flight: Mutex::new(HashSet::new()),
            stop: watch::channel(false).0,
        }
    }
}

impl Posting {
    /// Ends every wait: replies still waiting stay sending, for the next start.
    pub(crate) fn stop(&self) {
        self.stop.send_replace(true);
    }

    /// Reply `id` for this task alone; `None` while another task posts it.
    fn claim(&self, id: i64) -> Option<Claim<'_>> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        in_flight.insert(id).then_some(Claim { posting: self, id })
    }

    /// Sleeps `pause`; false when stopped meanwhile (or before).
    async fn pause(&self, pause: Duration) -> bool {
        let mut stop = self.stop.subscribe();
        if *stop.borrow_and_update() {
            return false;
        }
        tokio::select! {
            _ = tokio::time::sleep(pause) => true,
            _ = stop.wait_for(|stopped| *stopped) => false,
        }
    }
}

struct Claim<'a> {
    posting: &'a Posting,
    id: i64,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        let mut in_flight = self
            .posting
            .in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        in_flight.remove(&self.id);
    }
}

/// Posts replies left sending by an earlier run (each after looking in its thread).
pub(crate) async fn resume(shared: Arc<Shared>) {
    match shared.store.replies_sending().await {
        Ok(replies) => {
            for queued in replies {
                tracing::info!(
                    reply = queued.id,
                    "sending a reply left over from the last run"
                );
                tokio::spawn(post_again(Arc::clone(&shared), queued));
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not read the outbox"),
    }
}

/// Posts a reply just written and records the outcome.
async fn post(shared: Arc<Shared>, queued: QueuedReply) {
    send(shared, queued, false).await;
}

/// Posts a reply that may have been posted before (resume, Retry), looking first.
async fn post_again(shared: Arc<Shared>, queued: QueuedReply) {
    send(shared, queued, true).await;
}

/// What one try came to.
enum Tried {
    Posted(Item),
    /// Already posted: found in the thread.
    Found(Item),
    Waits(ProviderError),
    Failed(String),
}

/// Posts `queued` until it is sent or refused (see the module docs); `look_first` when
/// an earlier post may have got through.
async fn send(shared: Arc<Shared>, queued: QueuedReply, mut look_first: bool) {
    let Some(_claim) = shared.posting.claim(queued.id) else {
        return; // another task of this process posts it
    };
    let mut failures = 0;
    loop {
        let tried = try_once(&shared, &queued, look_first).await;
        // A later try may follow a post that got through without an answer.
        look_first = true;
        match tried {
            Tried::Posted(item) => {
                record_sent(&shared, &queued, item).await;
                break;
            }
            Tried::Found(item) => {
                if record_sent(&shared, &queued, item).await {
                    break;
                }
                // Another reply with the same text took that post meanwhile: this one
                // is still to post.
            }
            Tried::Failed(why) => {
                tracing::warn!(reply = queued.id, error = %why, "reply not sent");
                let policy = shared.policy();
                record_failure(&shared, &queued, &why, &PolicyPlanner(&policy)).await;
                break;
            }
            Tried::Waits(error) => {
                failures += 1;
                let why = format!(
                    "Will send when {} is reachable. Last try: {}.",
                    platform_name(&queued),
                    error.to_string().trim_end_matches('.')
                );
                tracing::info!(reply = queued.id, error = %error, "reply waits for the platform");
                if let Err(e) = shared.store.reply_waiting(queued.id, &why).await {
                    tracing::warn!(reply = queued.id, error = %e, "could not record a waiting reply");
                }
                shared.recorded(vec![queued.conversation_id]);
                let pause = pause_before_retry(shared.poll_interval, failures, &error);
                if !shared.posting.pause(pause).await {
                    return; // stopped: it stays sending, for the next start
                }
            }
        }
    }
    shared.recorded(vec![queued.conversation_id]);
}

/// The pause before the next try of a waiting reply after `failures` tries in a row,
/// the last failing with `error`: 2 s doubling up to 5 minutes (or every `poll_interval`
/// when set, for tests), with jitter, and never shorter than the platform asked for
/// (`Retry-After`).
fn pause_before_retry(
    poll_interval: Option<Duration>,
    failures: u32,
    error: &ProviderError,
) -> Duration {
    let schedule = match poll_interval {
        Some(every) => Backoff {
            first: every,
            max: every,
        },
        None => Backoff::SYNC,
    };
    schedule.delay(failures, error.retry_after())
}

/// One try: look in the thread (when `look_first`), then post.
async fn try_once(shared: &Shared, queued: &QueuedReply, look_first: bool) -> Tried {
    let Some(source) = shared.accounts.for_account(&queued.account) else {
        return Tried::Failed(
            "the brand account it would be sent from is not signed in to in this workspace".into(),
        );
    };
    let provider: &dyn Provider = source.provider.as_ref();
    let target = ReplyTarget {
        thread: queued.thread.clone(),
        in_reply_to: queued.in_reply_to.clone(),
    };
    if look_first {
        match already_posted(shared, provider, &target, queued).await {
            Ok(Some(item)) => {
                tracing::info!(reply = queued.id, native_id = %item.native_id, "reply found already posted; not posting it again");
                return Tried::Found(item);
            }
            Ok(None) => {}
            Err(error) if error.is_transient() => return Tried::Waits(error),
            // The thread cannot be read for good (e.g. the post answered is gone): the
            // post itself says why.
            Err(error) => {
                tracing::info!(reply = queued.id, error = %error, "could not look for the reply in its thread");
            }
        }
    }
    match provider
        .reply(&target, &queued.text, &queued.idempotency_key, shared.now())
        .await
    {
        Ok(item) => Tried::Posted(item),
        Err(error) if error.is_transient() => Tried::Waits(error),
        Err(error) => Tried::Failed(error.to_string()),
    }
}

/// The brand post in `target`'s thread that is `queued` already posted, if any (one no
/// other reply was recorded as).
async fn already_posted(
    shared: &Shared,
    provider: &dyn Provider,
    target: &ReplyTarget,
    queued: &QueuedReply,
) -> Result<Option<Item>, ProviderError> {
    let thread = provider.thread(target).await?;
    for found in matching::posted_matches(&thread, queued) {
        match shared
            .store
            .native_id_claimed(queued.id, &found.native_id)
            .await
        {
            Ok(false) => return Ok(Some(found.clone())),
            Ok(true) => {}
            Err(e) => {
                return Err(ProviderError::Unavailable(format!(
                    "could not read the local outbox ({e})"
                )))
            }
        }
    }
    Ok(None)
}

/// Stores the posted `item` and records `queued` as sent (once). False only when another
/// reply was recorded as that post.
async fn record_sent(shared: &Shared, queued: &QueuedReply, item: Item) -> bool {
    let policy = shared.policy();
    let planner = PolicyPlanner(&policy);
    let now = shared.now();
    let native_id = item.native_id.clone();
    let routed = vec![RoutedItem {
        queue: policy.routing.route(&item),
        item,
    }];
    let stored = match shared.store.ingest(routed, None, now, &planner).await {
        Ok(_) => {
            shared
                .store
                .reply_sent(queued, &native_id, now, &planner)
                .await
        }
        Err(e) => Err(e),
    };
    match stored {
        Ok(true) => tracing::info!(reply = queued.id, "reply sent"),
        Ok(false) => {
            if let Ok(true) = shared.store.native_id_claimed(queued.id, &native_id).await {
                tracing::info!(reply = queued.id, "the post found is another reply's");
                return false;
            }
            tracing::info!(reply = queued.id, "reply was already recorded");
        }
        Err(e) => {
            tracing::warn!(reply = queued.id, error = %e, "reply sent but not recorded; the next start finds it in the thread")
        }
    }
    true
}

/// The platform's name for people, from the reply's thread key.
fn platform_name(queued: &QueuedReply) -> &'static str {
    let prefix = queued.thread.0.split(':').next().unwrap_or_default();
    switchboard_core::Platform::parse(prefix).map_or("the platform", platform_label)
}

/// `platform`'s name for people.
pub(crate) fn platform_label(platform: switchboard_core::Platform) -> &'static str {
    match platform {
        switchboard_core::Platform::Mastodon => "Mastodon",
        switchboard_core::Platform::Bluesky => "Bluesky",
        switchboard_core::Platform::X => "X",
        switchboard_core::Platform::Facebook => "Facebook",
        switchboard_core::Platform::Instagram => "Instagram",
        switchboard_core::Platform::LinkedIn => "LinkedIn",
        switchboard_core::Platform::YouTube => "YouTube",
    }
}

async fn record_failure(
    shared: &Shared,
    queued: &QueuedReply,
    why: &str,
    planner: &PolicyPlanner<'_>,
) {
    if let Err(e) = shared
        .store
        .reply_failed(queued, why, shared.now(), planner)
        .await
    {
        tracing::warn!(reply = queued.id, error = %e, "could not record a failed reply");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waiting_reply_backs_off_and_honours_retry_after() {
        let down = ProviderError::Unavailable("down".into());
        let first = pause_before_retry(None, 1, &down);
        assert!(first >= Duration::from_secs(2) && first <= Duration::from_millis(2500));
        let later = pause_before_retry(None, 20, &down);
        assert!(later >= Duration::from_secs(300) && later <= Duration::from_secs(375));
        let slow_down = ProviderError::RateLimited {
            retry_after: Duration::from_secs(90),
        };
        assert_eq!(
            pause_before_retry(None, 1, &slow_down),
            Duration::from_secs(90)
        );
        let tests = Some(Duration::from_millis(200));
        assert!(pause_before_retry(tests, 9, &down) <= Duration::from_millis(250));
        assert_eq!(
            pause_before_retry(tests, 1, &slow_down),
            Duration::from_secs(90)
        );
    }
}
