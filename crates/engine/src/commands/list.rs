// Every command the window can call, defined once. Read by `include!` from the engine (the
// dispatcher, the TypeScript table), from `src-tauri/build.rs` (the permission list) and
// from nothing else: a command added here is callable from the desktop app and the bridge,
// has its permission, and appears in `ui/src/lib/commands.ts`.
//
// Each line: `scope name(args) -> answer = |target, ctx| call;`. The scope says what the
// call runs on:
// - `workspace`: the engine of the workspace the call names. The command takes a
//   `workspace` argument besides those listed; a call naming another workspace than the
//   open one is refused with `workspace_changed` and nothing is done.
// - `open`: the engine of the workspace open now (only `workspace_info`, which says which
//   one that is).
// - `console`: the console itself (the workspaces list; these name workspaces by `id`).
// `ctx` is the front's [`CallContext`] (where exports go). This file has no `use`s and no
// inner doc comments, so that a build script can include it; the names are resolved
// where it is expanded.

macro_rules! with_commands {
    ($then:ident) => {
        $then! {
            /// The workspace open now, with the state of its policy file.
            open workspace_info() -> WorkspaceInfo = |engine, _ctx| Ok(engine.workspace_info());
            /// The sidebar: every queue with its counts, in display order.
            workspace list_queues() -> Vec<QueueSummary> = |engine, _ctx| engine.list_queues().await;
            /// How fast the brand answered, per queue and day, over the last `days` days (1 to 90).
            workspace response_times(days: u32) -> ResponseTimesReport =
                |engine, _ctx| engine.response_times(days).await;
            /// The conversations of a queue, waiting ones first.
            workspace list_conversations(queue: QueueId) -> Vec<ConversationSummary> =
                |engine, _ctx| engine.list_conversations(queue).await;
            /// One conversation with its items, history and outgoing replies.
            workspace get_thread(conversation_id: i64) -> Thread =
                |engine, _ctx| engine.get_thread(conversation_id).await;
            /// Takes a conversation (claims it for this person).
            workspace claim(conversation_id: i64) -> Thread =
                |engine, _ctx| engine.claim(conversation_id).await;
            /// Gives a claimed conversation back to its queue.
            workspace release(conversation_id: i64) -> Thread =
                |engine, _ctx| engine.release(conversation_id).await;
            /// Moves a conversation to another queue with a note for the next person, and in a
            /// team optionally to one teammate (`to_member`, their id), who is notified.
            workspace hand_off(conversation_id: i64, queue: QueueId, note: String, to_member: Option<String>) -> Thread =
                |engine, _ctx| engine.hand_off_to(conversation_id, queue, note, to_member).await;
            /// Adds an internal note.
            workspace add_note(conversation_id: i64, note: String) -> Thread =
                |engine, _ctx| engine.add_note(conversation_id, note).await;
            /// A lead hides an item (a Facebook or Instagram comment) of a conversation from the
            /// public, with a reason (logged), or (`hidden` false) shows it again. Nothing is deleted.
            workspace set_item_hidden(conversation_id: i64, item_id: i64, hidden: bool, reason: String) -> Thread =
                |engine, _ctx| engine.set_item_hidden(conversation_id, item_id, hidden, reason).await;
            /// Marks a conversation done, with why.
            workspace mark_done(conversation_id: i64, reason: DoneReason) -> Thread =
                |engine, _ctx| engine.mark_done(conversation_id, reason).await;
            /// Opens a done conversation again.
            workspace reopen(conversation_id: i64) -> Thread =
                |engine, _ctx| engine.reopen(conversation_id).await;
            /// Pauses a conversation's response clock for `minutes`.
            workspace snooze(conversation_id: i64, minutes: u32) -> Thread =
                |engine, _ctx| engine.snooze(conversation_id, minutes).await;
            /// Replies to the customer. `idempotency_key` is minted by the window once per reply
            /// written: the same key again (a resend after a lost answer) queues nothing new.
            /// In a team, `seen_version` is the thread's `version` when the person opened it: a
            /// teammate's reply or claim since then (or a live claim of someone else) refuses
            /// the send with `collision` until it is sent again with `send_anyway` (logged).
            /// Guardrail findings that warn refuse it with `guardrail` until their rules are
            /// named in `confirmed_rules` (logged); one the policy blocks always refuses it.
            workspace send_reply(conversation_id: i64, text: String, idempotency_key: Option<String>, seen_version: Option<i64>, send_anyway: Option<bool>, confirmed_rules: Option<Vec<String>>) -> Thread =
                |engine, _ctx| engine
                    .send_reply_guarded(
                        conversation_id,
                        text,
                        idempotency_key,
                        seen_version,
                        send_anyway.unwrap_or(false),
                        confirmed_rules.unwrap_or_default(),
                    )
                    .await;
            /// What the guardrails find in a reply being written to conversation `conversation_id`
            /// (checked as the person types, and again at send).
            workspace check_reply(conversation_id: i64, text: String) -> Vec<GuardrailFinding> =
                |engine, _ctx| engine.check_reply(conversation_id, &text).await;
            /// The workspace's saved replies (archived ones too, marked).
            workspace list_saved_replies() -> Vec<SavedReply> =
                |engine, _ctx| engine.list_saved_replies().await;
            /// Creates a saved reply (`draft.id` null) or changes one; answers with it.
            workspace save_saved_reply(draft: SavedReplyDraft) -> SavedReply =
                |engine, _ctx| engine.save_saved_reply(draft).await;
            /// Archives (or, `archived` false, restores) a saved reply: nothing is deleted.
            workspace archive_saved_reply(id: String, archived: bool) -> Vec<SavedReply> =
                |engine, _ctx| engine.archive_saved_reply(&id, archived).await;
            /// Saved reply `id` filled in for conversation `conversation_id`: its variables from
            /// the conversation and the person, its placeholders from `answers`; says which
            /// placeholders are still to ask.
            workspace fill_saved_reply(conversation_id: i64, id: String, answers: Vec<PlaceholderAnswer>) -> FilledReply =
                |engine, _ctx| engine.fill_saved_reply(conversation_id, &id, answers).await;
            /// A lead approves a trainee's reply (`approval` from the thread's outgoing reply),
            /// optionally edited (`text`); this laptop then posts it, once. Guardrail findings
            /// the trainee did not confirm for the same words refuse it with `guardrail` until
            /// their rules are named in `confirmed_rules` (logged); a blocked one always does.
            workspace approve_reply(conversation_id: i64, approval: String, text: Option<String>, confirmed_rules: Option<Vec<String>>) -> Thread =
                |engine, _ctx| engine
                    .approve_reply(conversation_id, approval, text, confirmed_rules.unwrap_or_default())
                    .await;
            /// A lead rejects a trainee's reply with a reason; it is never posted.
            workspace reject_reply(conversation_id: i64, approval: String, reason: String) -> Thread =
                |engine, _ctx| engine.reject_reply(conversation_id, approval, reason).await;
            /// In a team workspace: the team, its members and the link's state (`None` for a
            /// local workspace).
            workspace team_view() -> Option<TeamView> = |engine, _ctx| engine.team_view().await;
            /// Tells teammates what this person is doing on a conversation: viewing or
            /// replying, or (`conversation_id` null) nothing. Repeat every few seconds while it
            /// lasts: it expires by itself.
            workspace set_presence(conversation_id: Option<i64>, activity: Option<Activity>) -> () =
                |engine, _ctx| engine.set_presence(conversation_id, activity).await;
            /// Sends a failed reply again.
            workspace retry_reply(conversation_id: i64, reply_id: i64) -> Thread =
                |engine, _ctx| engine.retry_reply(conversation_id, reply_id).await;
            /// The person's notification settings.
            workspace alert_preferences() -> AlertPreferences =
                |engine, _ctx| Ok(engine.alert_preferences().await);
            /// Saves the person's notification settings; answers with what is now stored.
            workspace set_alert_preferences(preferences: AlertPreferences) -> AlertPreferences =
                |engine, _ctx| engine.set_alert_preferences(preferences).await;
            /// Pauses notifications for `minutes`; 0 resumes them.
            workspace pause_alerts(minutes: u32) -> AlertPreferences =
                |engine, _ctx| engine.pause_alerts(minutes).await;
            /// Every workspace, the open one marked.
            console list_workspaces() -> Vec<WorkspaceEntry> =
                |console, _ctx| Ok(console.workspaces().await);
            /// Creates a workspace and opens it.
            console create_workspace(name: String) -> WorkspaceEntry =
                |console, _ctx| console.create_workspace(&name).await;
            /// Renames workspace `id`.
            console rename_workspace(id: String, name: String) -> Vec<WorkspaceEntry> =
                |console, _ctx| console.rename_workspace(&id, &name).await;
            /// What a join code leads to (team, server, the person's queues), checked against
            /// the team database, before joining.
            console preview_join(code: String) -> JoinPreview =
                |console, _ctx| console.preview_join(code).await;
            /// Joins the team of join code `code` as a new workspace `name` and opens it (the
            /// code is kept in the keychain only).
            console join_team(name: String, code: String) -> WorkspaceEntry =
                |console, _ctx| console.join_team(&name, code).await;
            /// The settings the organisation enforces (what the window shows as locked).
            console managed_settings() -> ManagedView = |console, _ctx| console.managed_settings().await;
            /// Whether Switchboard starts when the person logs in.
            console startup_settings() -> StartupView = |console, _ctx| console.startup_settings().await;
            /// Turns starting at login on or off (the first run asks once).
            console set_start_at_login(enabled: bool) -> StartupView =
                |console, _ctx| console.set_start_at_login(enabled).await;
            /// The crash of the last run, if it ended in one (until dismissed).
            console last_crash() -> Option<CrashNotice> = |console, _ctx| console.last_crash().await;
            /// Forgets the last crash's notice (the report stays on disk).
            console dismiss_crash() -> () = |console, _ctx| console.dismiss_crash().await;
            /// Opens the folder with the crash reports.
            console open_crash_folder() -> () = |console, _ctx| console.open_crash_folder().await;
            /// Looks for a signed update where the managed settings say (none by default).
            console check_for_update() -> UpdateView = |console, _ctx| console.check_for_update().await;
            /// Installs the update found, when its signature checks out.
            console install_update() -> UpdateView = |console, _ctx| console.install_update().await;
            /// Closes the open workspace and opens `id`.
            console switch_workspace(id: String) -> WorkspaceInfo =
                |console, _ctx| console.switch_workspace(&id).await;
            /// Writes workspace `id`'s event log as JSON Lines; answers with the file's path.
            console export_workspace_log(id: String) -> String =
                |console, ctx| console
                    .export_log(&id, &ctx.export_dir)
                    .await
                    .map(|path| path.display().to_string());
            /// Removes workspace `id` (accounts signed out, keychain entries and files deleted).
            console remove_workspace(id: String) -> Vec<WorkspaceEntry> =
                |console, _ctx| console.remove_workspace(&id).await;
            /// The workspace's brand accounts and how each syncs.
            workspace list_accounts() -> Vec<AccountView> =
                |engine, _ctx| Ok(engine.list_accounts().await);
            /// Signs a brand account in (a Mastodon sign-in waits for the person in the browser).
            workspace add_account(request: SignInRequest) -> SignInOutcome =
                |engine, _ctx| engine.add_account(request).await;
            /// Stops a sign-in waiting for the browser.
            workspace cancel_sign_in() -> () = |engine, _ctx| {
                engine.cancel_sign_in();
                Ok(())
            };
            /// Answers a sign-in that needs the person's confirmation.
            workspace confirm_account(pending: String, confirm: bool) -> Option<AccountView> =
                |engine, _ctx| engine.confirm_account(&pending, confirm).await;
            /// The Meta app (App ID, client token) this workspace signs in to Facebook Pages and
            /// Instagram with, as far as the window needs to know it.
            workspace meta_app_setup() -> MetaAppSetup =
                |engine, _ctx| engine.meta_app_setup().await;
            /// Starts signing in to Meta with Facebook Login for Devices: the code to show. The
            /// `app_id` and `client_token` are needed only when the policy names none (they are
            /// then kept on this laptop for the workspace).
            workspace start_meta_sign_in(app_id: Option<String>, client_token: Option<String>) -> MetaDeviceCode =
                |engine, _ctx| engine.start_meta_sign_in(app_id, client_token).await;
            /// Waits until the code is approved at facebook.com/device (or `cancel_sign_in`, or
            /// the code expires), then lists the Pages and Instagram accounts the person may add,
            /// each with the allowlist's verdict, and says which ones Meta's answer left out and why.
            workspace finish_meta_sign_in() -> MetaChoices =
                |engine, _ctx| engine.finish_meta_sign_in().await;
            /// Adds the chosen Pages and Instagram accounts (their `choice`s) as brand accounts,
            /// each as `add_account` would.
            workspace add_meta_accounts(choices: Vec<String>) -> Vec<SignInOutcome> =
                |engine, _ctx| engine.add_meta_accounts(choices).await;
            /// Signs a brand account out and deletes its keychain entry.
            workspace remove_account(key: String) -> Vec<AccountView> =
                |engine, _ctx| engine.remove_account(&key).await;
        }
    };
}
