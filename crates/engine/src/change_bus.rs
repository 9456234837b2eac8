//! The **change bus**: how the engine tells everyone that something in the workspace
//! changed. A **change** names the conversations it touched (none: possibly all, e.g. after
//! a policy change) and carries the workspace's **change counter** after it.
//!
//! Every change goes, in this order, to the notifier's record of what changed since it
//! last looked, to the front's [`ChangeListener`] (the shell's `workspace://changed`
//! event, the bridge's counter), and then wakes the notifier so it re-plans.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::futures::Notified;
use tokio::sync::Notify;

use crate::notifier;

/// Something in the workspace changed; the UI should refresh what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Conversations that changed (empty: possibly all, e.g. after a policy change).
    pub conversations: Vec<i64>,
    /// The workspace's change counter after this change.
    pub version: u64,
}

/// Called on every change, from the engine's tasks. Keep it quick.
pub type ChangeListener = Arc<dyn Fn(&Change) + Send + Sync>;

/// Carries every change of one workspace to its listener and its notifier.
pub(crate) struct ChangeBus {
    /// The change counter; shared so that it keeps growing across workspace switches.
    version: Arc<AtomicU64>,
    listener: ChangeListener,
    /// Woken on every change, so the notifier re-plans.
    wake: Notify,
    /// What changed since the notifier last looked.
    notifier_changes: notifier::Changes,
}

impl ChangeBus {
    /// A bus reporting to `listener`, counting on `version`.
    pub(crate) fn new(version: Arc<AtomicU64>, listener: ChangeListener) -> ChangeBus {
        ChangeBus {
            version,
            listener,
            wake: Notify::new(),
            notifier_changes: notifier::Changes::default(),
        }
    }

    /// Reports a change of `conversations` (empty: possibly anything).
    pub(crate) fn changed(&self, conversations: Vec<i64>) {
        let version = self.version.fetch_add(1, Ordering::SeqCst) + 1;
        self.notifier_changes.record(&conversations);
        (self.listener)(&Change {
            conversations,
            version,
        });
        // After the listener, so that the notifier's work on the change (which it may
        // finish on another thread at once) never appears to come before the change.
        self.wake.notify_one();
    }

    /// The change counter now.
    pub(crate) fn version(&self) -> u64 {
        self.version.load(Ordering::SeqCst)
    }

    /// Completes at the next change (or at once, if one came since the last wait).
    pub(crate) fn notified(&self) -> Notified<'_> {
        self.wake.notified()
    }

    /// What changed since the notifier last looked.
    pub(crate) fn notifier_changes(&self) -> &notifier::Changes {
        &self.notifier_changes
    }
}
