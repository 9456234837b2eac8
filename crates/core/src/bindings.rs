//! TypeScript bindings for the IPC types, generated from the Rust definitions.
//!
//! The UI imports `ui/src/lib/bindings.ts`. A test compares it with a fresh rendering;
//! `UPDATE_BINDINGS=1 cargo test -p switchboard-core bindings` rewrites it.

use ts_rs::{Config, TS};

use crate::{LimitUnit, ReplyLimit};

use crate::{
    AccountSync, AccountView, OutgoingReply, ReplyState, SignInOutcome, SignInRequest,
    WorkspaceEntry,
};
use crate::{
    Activity, ClaimState, ClaimView, ConversationTeam, JoinPreview, LinkState, PolicyVersionView,
    PresenceView, TeamLink, TeamMemberView, TeamView,
};
use crate::{
    AlertPreferences, ApiError, Author, ConversationSummary, DayResponseTimes, DoneReason,
    ErrorCode, HandoffNote, HistoryEntry, ItemKind, Platform, Queue, QueueId, QueueResponseTimes,
    QueueSummary, QuietHoursView, ResponseTimesReport, SlaState, SlaView, Thread, ThreadItem,
    Timestamp, WorkspaceInfo,
};
use crate::{
    ChoiceVerdict, MetaAccountChoice, MetaAppSetup, MetaChoices, MetaDeviceCode, ReplyWindow,
};
use crate::{CrashNotice, ManagedView, StartupView, UpdateView};
use crate::{
    FilledReply, GuardrailAction, GuardrailFinding, GuardrailKind, PlaceholderAnswer, SavedReply,
    SavedReplyDraft, SpikeView,
};

/// The contents of `ui/src/lib/bindings.ts`.
pub fn typescript_bindings() -> String {
    let cfg = Config::default();
    let decls = [
        Timestamp::decl(&cfg),
        Platform::decl(&cfg),
        ItemKind::decl(&cfg),
        Author::decl(&cfg),
        QueueId::decl(&cfg),
        Queue::decl(&cfg),
        WorkspaceInfo::decl(&cfg),
        SlaState::decl(&cfg),
        DoneReason::decl(&cfg),
        SlaView::decl(&cfg),
        HandoffNote::decl(&cfg),
        HistoryEntry::decl(&cfg),
        Activity::decl(&cfg),
        PresenceView::decl(&cfg),
        ClaimState::decl(&cfg),
        ClaimView::decl(&cfg),
        ConversationTeam::decl(&cfg),
        LinkState::decl(&cfg),
        TeamLink::decl(&cfg),
        TeamMemberView::decl(&cfg),
        PolicyVersionView::decl(&cfg),
        TeamView::decl(&cfg),
        JoinPreview::decl(&cfg),
        SpikeView::decl(&cfg),
        QueueSummary::decl(&cfg),
        QuietHoursView::decl(&cfg),
        DayResponseTimes::decl(&cfg),
        QueueResponseTimes::decl(&cfg),
        ResponseTimesReport::decl(&cfg),
        AlertPreferences::decl(&cfg),
        ReplyWindow::decl(&cfg),
        ConversationSummary::decl(&cfg),
        ThreadItem::decl(&cfg),
        ReplyState::decl(&cfg),
        OutgoingReply::decl(&cfg),
        LimitUnit::decl(&cfg),
        ReplyLimit::decl(&cfg),
        Thread::decl(&cfg),
        WorkspaceEntry::decl(&cfg),
        AccountSync::decl(&cfg),
        AccountView::decl(&cfg),
        SignInRequest::decl(&cfg),
        SignInOutcome::decl(&cfg),
        MetaAppSetup::decl(&cfg),
        MetaDeviceCode::decl(&cfg),
        ChoiceVerdict::decl(&cfg),
        MetaAccountChoice::decl(&cfg),
        MetaChoices::decl(&cfg),
        GuardrailKind::decl(&cfg),
        GuardrailAction::decl(&cfg),
        GuardrailFinding::decl(&cfg),
        SavedReply::decl(&cfg),
        SavedReplyDraft::decl(&cfg),
        PlaceholderAnswer::decl(&cfg),
        FilledReply::decl(&cfg),
        ManagedView::decl(&cfg),
        StartupView::decl(&cfg),
        CrashNotice::decl(&cfg),
        UpdateView::decl(&cfg),
        ErrorCode::decl(&cfg),
        ApiError::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in crates/core by `typescript_bindings()`.\n\
         // Do not edit: run `UPDATE_BINDINGS=1 cargo test -p switchboard-core bindings`.\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_are_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/lib/bindings.ts");
        let fresh = typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(path, &fresh).expect("write bindings");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/lib/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p switchboard-core bindings`"
        );
    }
}
