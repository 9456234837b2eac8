//! The person's notification preferences in this workspace: stored in the workspace
//! database (key `alerts`), shown and edited as [`AlertPreferences`].
//!
//! In a team workspace the person's **roles** come from the team (their membership, see
//! `team::live`): until they choose queues themselves, they are alerted for the queues
//! they work; they lead the queues they are a lead of (a lead who works no queue leads
//! all), so escalations of those queues reach them. Elsewhere the policy's queue leads
//! are matched against the person, as before.

use switchboard_core::{
    AlertPreferences, AlertSettings, ApiError, ErrorCode, QueueId, QuietHours, QuietHoursView,
};

use crate::{api::to_api, notifier, Engine, Shared};

/// The settings key.
const KEY: &str = "alerts";
/// Longest pause, in minutes (one day).
const MAX_PAUSE_MINUTES: u32 = 24 * 60;

impl Shared {
    /// The settings in force: the stored ones (or the defaults), with — in a team
    /// workspace, when the person chose no queues — the queues of their membership.
    pub(crate) async fn alert_settings(&self) -> AlertSettings {
        let mut settings = self.stored_alert_settings().await;
        if settings.queues.is_empty() {
            if let Some(queues) = self.team_queues() {
                settings.queues = queues;
            }
        }
        settings
    }

    /// The queues the person works as a team member (team workspaces only; `None` before
    /// the members were read).
    fn team_queues(&self) -> Option<Vec<QueueId>> {
        self.team.as_ref()?;
        let live = self.team_live()?;
        let me = live.my_member()?;
        Some(me.queues.iter().cloned().map(QueueId).collect())
    }

    /// The queues whose escalations reach the person: in a team workspace the queues
    /// they lead as a member, elsewhere those whose policy names them a lead.
    pub(crate) fn lead_of(&self, settings: &AlertSettings) -> Vec<QueueId> {
        let policy = self.policy();
        policy
            .queues
            .iter()
            .filter(|q| settings.is_lead(&self.leads_of(&q.id, &q.leads)))
            .map(|q| q.id.clone())
            .collect()
    }

    /// The leads of `queue`: in a team workspace (once its members were read) the team's
    /// leads of it, elsewhere `policy_leads`.
    pub(crate) fn leads_of(&self, queue: &QueueId, policy_leads: &[String]) -> Vec<String> {
        match (&self.team, self.team_live()) {
            (Some(_), Some(live)) if !live.members.is_empty() => live.leads_of(queue),
            _ => policy_leads.to_vec(),
        }
    }

    /// The stored settings, or the defaults for the person using this laptop.
    async fn stored_alert_settings(&self) -> AlertSettings {
        let stored = match self.store.setting(KEY).await {
            Ok(stored) => stored,
            Err(e) => {
                tracing::warn!(error = %e, "could not read notification settings");
                None
            }
        };
        let mut settings = stored
            .and_then(|json| serde_json::from_str::<AlertSettings>(&json).ok())
            .unwrap_or_else(|| notifier::default_settings(&self.me));
        settings.person = self.me.clone();
        settings
    }

    async fn save_alert_settings(&self, settings: &AlertSettings) -> Result<(), ApiError> {
        let json = serde_json::to_string(settings)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        self.store.set_setting(KEY, &json).await.map_err(to_api)?;
        self.alerts.settings_changed();
        self.changed(Vec::new());
        Ok(())
    }
}

impl Engine {
    /// The person's notification preferences.
    pub async fn alert_preferences(&self) -> AlertPreferences {
        let settings = self.shared.alert_settings().await;
        AlertPreferences {
            lead_of: self.shared.lead_of(&settings),
            person: settings.person,
            queues: settings.queues,
            quiet_hours: settings.quiet_hours.map(|q| QuietHoursView {
                start: q.start().strftime("%H:%M").to_string(),
                end: q.end().strftime("%H:%M").to_string(),
            }),
            time_zone: local_time_zone(),
            cooldown_seconds: u32::try_from(settings.cooldown_millis.max(0) / 1000)
                .unwrap_or(u32::MAX),
            paused_until: settings.paused_until,
            escalations_pierce_quiet_hours: settings.escalations_pierce_quiet_hours,
        }
    }

    /// Saves the person's notification preferences. `person`, `lead_of` and `time_zone`
    /// are not editable, and `paused_until` changes only through [`Engine::pause_alerts`]
    /// (so a save cannot undo a pause made from the tray meanwhile); they are ignored.
    pub async fn set_alert_preferences(
        &self,
        preferences: AlertPreferences,
    ) -> Result<AlertPreferences, ApiError> {
        let policy = self.shared.policy();
        if let Some(unknown) = preferences
            .queues
            .iter()
            .find(|q| policy.queue(q).is_none())
        {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("There is no queue `{}` in this workspace.", unknown.0),
            ));
        }
        if preferences.cooldown_seconds > 3_600 {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "The cool-down can be at most an hour (3600 seconds).",
            ));
        }
        let quiet_hours = preferences
            .quiet_hours
            .map(|q| parse_quiet_hours(&q))
            .transpose()?;
        let mut settings = self.shared.stored_alert_settings().await;
        settings.queues = dedup(preferences.queues);
        settings.quiet_hours = quiet_hours;
        settings.cooldown_millis = i64::from(preferences.cooldown_seconds) * 1000;
        settings.escalations_pierce_quiet_hours = preferences.escalations_pierce_quiet_hours;
        self.shared.save_alert_settings(&settings).await?;
        Ok(self.alert_preferences().await)
    }

    /// Pauses notifications for `minutes` (0 resumes them).
    pub async fn pause_alerts(&self, minutes: u32) -> Result<AlertPreferences, ApiError> {
        if minutes > MAX_PAUSE_MINUTES {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "Notifications can be paused for at most a day.",
            ));
        }
        let mut settings = self.shared.stored_alert_settings().await;
        settings.paused_until =
            (minutes > 0).then(|| self.shared.now().plus_millis(i64::from(minutes) * 60_000));
        self.shared.save_alert_settings(&settings).await?;
        Ok(self.alert_preferences().await)
    }

    /// How many waiting conversations are past their target (for the tray).
    pub async fn overdue_count(&self) -> u32 {
        match self.list_queues().await {
            Ok(queues) => queues.iter().map(|q| q.breached_count).sum(),
            Err(_) => 0,
        }
    }
}

fn dedup(queues: Vec<QueueId>) -> Vec<QueueId> {
    let mut seen = Vec::new();
    for q in queues {
        if !seen.contains(&q) {
            seen.push(q);
        }
    }
    seen
}

fn parse_quiet_hours(view: &QuietHoursView) -> Result<QuietHours, ApiError> {
    let time = |text: &str| {
        text.trim().parse::<jiff::civil::Time>().map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!("`{text}` is not a time of day; write it as HH:MM, e.g. 18:00."),
            )
        })
    };
    QuietHours::new(time(&view.start)?, time(&view.end)?, &local_time_zone())
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, e.to_string()))
}

/// This laptop's time zone (IANA name), or UTC when it cannot be told.
fn local_time_zone() -> String {
    jiff::tz::TimeZone::system()
        .iana_name()
        .unwrap_or("UTC")
        .to_owned()
}
