//! Desktop notifications: the engine's notifier decides, [`DesktopSink`] shows them
//! through the OS (D-Bus on Linux, native on macOS and Windows), and the person's answers
//! ("Open", "Snooze 15 m") come back here.

use switchboard_core::{AlertAction, Notification, Urgency};
use switchboard_desktop::{AlertResponse, DesktopAlert, DesktopNotifier};
use switchboard_engine::AlertSink;
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
        for action in actions {
            let result = match &action {
                AlertAction::Show(n) | AlertAction::Update(n) => self.0.show(&desktop_alert(n)),
                AlertAction::Close { key } => self.0.close(key),
            };
            if let Err(e) = result {
                tracing::warn!(error = %e, detail = e.detail(), "a desktop notification failed");
            }
        }
    }
}

fn desktop_alert(n: &Notification) -> DesktopAlert {
    DesktopAlert {
        key: n.key.clone(),
        title: n.title.clone(),
        body: n.body.clone(),
        critical: n.urgency == Urgency::Critical,
        conversation: n.conversation,
    }
}

/// Carries out what the person chose on a notification (runs on the listener thread).
fn respond(app: &AppHandle, response: AlertResponse) {
    match response {
        AlertResponse::Open { conversation } => {
            crate::show_window(app);
            if let Err(e) = app.emit(OPEN_EVENT, conversation) {
                tracing::warn!(error = %e, "could not ask the window to open a conversation");
            }
        }
        AlertResponse::Snooze {
            conversation,
            minutes,
        } => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let Some(console) = app.try_state::<switchboard_engine::Console>() else {
                    return;
                };
                if let Some(engine) = console.try_engine().await {
                    if let Err(e) = engine.snooze(conversation, minutes).await {
                        tracing::warn!(error = %e.message, "snooze from a notification failed");
                    }
                }
            });
        }
        AlertResponse::Dismissed { key } => tracing::debug!(%key, "notification dismissed"),
    }
}
