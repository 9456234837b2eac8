//! Desktop notifications: the engine's notifier decides, [`DesktopSink`] shows them
//! through the OS (D-Bus on Linux, native on macOS and Windows), and the person's answers
//! ("Open", "Snooze 15 m") come back here.

use std::sync::Arc;
use switchboard_core::{AlertAction, Notification, Urgency};
use switchboard_desktop::{AlertResponse, DesktopAlert, DesktopNotifier};

use switchboard_engine::{AlertSink, Console, Engine};
use tauri::{AppHandle, Emitter, Manager};

/// The event that asks the window to open a conversation (payload: its id).
pub const OPEN_EVENT: &str = "conversation://open";

/// Shows the notifier's decisions as OS notifications.
pub struct DesktopSink(DesktopNotifier);

impl DesktopSink {
    /// Connects to the OS notification service; answers are carried out on `app`.
    pub fn connect(app: &AppHandle) -> Result<DesktopSink, switchboard_desktop::NotifyError> {
        let app = app.clone();
        let notifier = DesktopNotifier::new(
            "Switchboard",
            Box::new(move |response| respond(&app, response)),
        )?;
        Ok(DesktopSink(notifier))
    }
}

impl AlertSink for DesktopSink {
    fn deliver(&self, actions: Vec<AlertAction>) {
        self.deliver_in("", actions);
    }

    /// Shows and closes under keys that name the workspace (`<workspace>/<key>`), so an
    /// answer to a notification acts on the workspace it came from, never on another
    /// one's conversation with the same number.
    fn deliver_in(&self, workspace: &str, actions: Vec<AlertAction>) {
        for action in actions {
            let result = match &action {
                AlertAction::Show(n) | AlertAction::Update(n) => {
                    self.0.show(&desktop_alert(workspace, n))
                }
                AlertAction::Close { key } => self.0.close(&scoped_key(workspace, key)),
            };
            if let Err(e) = result {
                tracing::warn!(error = %e, detail = e.detail(), "a desktop notification failed");
            }
        }
    }
}

/// The desktop key of the notifier's `key` in `workspace`.
fn scoped_key(workspace: &str, key: &str) -> String {
    format!("{workspace}/{key}")
}

/// The workspace a desktop key names.
fn workspace_of(key: &str) -> &str {
    key.split_once('/').map_or("", |(workspace, _)| workspace)
}

fn desktop_alert(workspace: &str, n: &Notification) -> DesktopAlert {
    DesktopAlert {
        key: scoped_key(workspace, &n.key),
        title: n.title.clone(),
        body: n.body.clone(),
        critical: n.urgency == Urgency::Critical,
        conversation: n.conversation,
        conversations: n.conversations.clone(),
    }
}

/// Carries out what the person chose on a notification (runs on the listener thread).
fn respond(app: &AppHandle, response: AlertResponse) {
    match response {
        AlertResponse::Open { key, conversation } => {
            crate::show_window(app);
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                // Only a conversation of the open workspace is opened: the window would
                // show another workspace's conversation with the same number.
                if engine_of(&app, &key).await.is_some() {
                    if let Err(e) = app.emit(OPEN_EVENT, conversation) {
                        tracing::warn!(error = %e, "could not ask the window to open a conversation");
                    }
                }
            });
        }
        AlertResponse::Snooze {
            key,
            conversation,
            minutes,
        } => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                if let Some(engine) = engine_of(&app, &key).await {
                    if let Err(e) = engine.snooze(conversation, minutes).await {
                        tracing::warn!(error = %e.message, "snooze from a notification failed");
                    }
                }
            });
        }
        AlertResponse::Dismissed { key } => tracing::debug!(%key, "notification dismissed"),
    }
}

/// The engine of the workspace the notification `key` came from, while it is open.
async fn engine_of(app: &AppHandle, key: &str) -> Option<Arc<Engine>> {
    let console = app.try_state::<Console>()?;
    match console.engine_for(workspace_of(key)).await {
        Ok(engine) => Some(engine),
        Err(e) => {
            tracing::info!(%key, reason = %e.message, "a notification's answer is for a workspace no longer open; ignored");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{scoped_key, workspace_of};

    #[test]
    fn a_desktop_key_names_its_workspace() {
        let key = scoped_key("acme-7f3a", "conv:42");
        assert_eq!(key, "acme-7f3a/conv:42");
        assert_eq!(workspace_of(&key), "acme-7f3a");
        assert_eq!(
            workspace_of(&scoped_key("demo", "group:support:breached")),
            "demo"
        );
        assert_eq!(
            workspace_of("conv:42"),
            "",
            "a key without a workspace names none"
        );
    }
}
