//! The window's commands, defined once in `list.rs` and expanded here into the one
//! dispatcher both fronts use (the desktop app's IPC handler and the dev bridge), the list
//! of names (for the app's permissions) and the TypeScript table the window calls through.
//!
//! Terms: a **command** is one call the window can make, by name, with a JSON object of
//! arguments (camelCase keys) and a JSON answer, or an [`ApiError`]. A **workspace
//! command** names the workspace it is meant for (`workspace`); it runs on that
//! workspace's engine only while that workspace is open, so a call still on its way when
//! the person switches is refused (`workspace_changed`) instead of landing on the other
//! workspace's conversation with the same number. The engine of a workspace only ever
//! writes that workspace's database, so holding it for the whole call (even while a
//! switch closes it) can never touch another workspace.

use std::path::PathBuf;

use serde_json::Value;
use switchboard_core::{
    AccountView, Activity, AlertPreferences, ApiError, ConversationSummary, DoneReason, ErrorCode,
    FilledReply, GuardrailFinding, JoinPreview, PlaceholderAnswer, QueueId, QueueSummary,
    ResponseTimesReport, SavedReply, SavedReplyDraft, SignInOutcome, SignInRequest, TeamView,
    Thread, WorkspaceEntry, WorkspaceInfo,
};
use switchboard_core::{CrashNotice, ManagedView, StartupView, UpdateView};
use switchboard_core::{MetaAppSetup, MetaChoices, MetaDeviceCode};

use crate::Console;

mod typescript;

pub use typescript::typescript_commands;

include!("list.rs");

/// What a front gives every call besides its arguments.
#[derive(Debug, Clone)]
pub struct CallContext {
    /// Where exported event logs are written.
    pub export_dir: PathBuf,
}

/// One command as the list defines it (for generated code and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSpec {
    /// Its name (`claim`).
    pub name: &'static str,
    /// Whether it names its workspace (a `workspace` argument before those listed).
    pub names_workspace: bool,
    /// Its arguments as listed: the Rust name and type.
    pub args: Vec<(&'static str, &'static str)>,
    /// The Rust type of its answer.
    pub returns: &'static str,
    /// What it does, from the list's comment.
    pub doc: String,
}

/// The arguments of a call, read as the command's argument struct.
fn parse_args<T: serde::de::DeserializeOwned>(command: &str, args: Value) -> Result<T, ApiError> {
    let args = match args {
        Value::Null => Value::Object(Default::default()),
        other => other,
    };
    serde_json::from_value(args).map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!(
                "The window asked for `{command}` with arguments Switchboard cannot use ({e}). \
                 Reload the window and try again."
            ),
        )
    })
}

fn answer<T: serde::Serialize>(value: T) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("Switchboard could not send its answer to the window ({e})."),
        )
    })
}

/// The refusal of a call naming workspace `named` (its name, else its id) while another
/// one (or none) is open.
fn workspace_changed(named: &str, open: Option<&WorkspaceInfo>) -> ApiError {
    let now = match open {
        Some(info) => format!(" “{}” is open now.", info.name),
        None => String::new(),
    };
    ApiError::new(
        ErrorCode::WorkspaceChanged,
        format!(
            "That belongs to the workspace “{named}”, which is no longer open.{now} \
             Nothing was changed; open that workspace to try again."
        ),
    )
}

impl Console {
    /// The engine of workspace `workspace` while it is the open one; otherwise refused
    /// with `workspace_changed` (also while a switch is under way or none is open).
    pub async fn engine_for(
        &self,
        workspace: &str,
    ) -> Result<std::sync::Arc<crate::Engine>, ApiError> {
        match self.try_engine().await {
            Some(engine) if engine.workspace_info().id == workspace => Ok(engine),
            open => Err(self.refusal(workspace, open.as_deref()).await),
        }
    }

    /// Why a call naming `workspace` is refused while `open` is open.
    async fn refusal(&self, workspace: &str, open: Option<&crate::Engine>) -> ApiError {
        let name = self
            .workspaces()
            .await
            .into_iter()
            .find(|w| w.id == workspace)
            .map_or_else(|| workspace.to_owned(), |w| w.name);
        workspace_changed(&name, open.map(|e| e.workspace_info()).as_ref())
    }

    /// Whether `workspace` is the open one.
    async fn is_open(&self, workspace: &str) -> bool {
        self.try_engine()
            .await
            .is_some_and(|e| e.workspace_info().id == workspace)
    }
}

/// Expands one command of the list into its arm of [`dispatch`].
macro_rules! run_command {
    (workspace $console:ident $cx:ident $args:ident $name:ident ($($arg:ident : $ty:ty),*) -> $ret:ty
        = |$target:ident, $ctx:ident| $body:expr) => {{
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Args {
            workspace: String,
            $($arg: $ty,)*
        }
        let Args { workspace, $($arg,)* } = parse_args(stringify!($name), $args)?;
        let $target = $console.engine_for(&workspace).await?;
        let $ctx = $cx;
        let _ = &$ctx;
        let result: Result<$ret, ApiError> = $body;
        match result {
            Ok(value) => answer(value),
            // Failed because the workspace closed under the call (a switch): say that,
            // not the closed database's error.
            Err(_) if !$console.is_open(&workspace).await => {
                let open = $console.try_engine().await;
                Err($console.refusal(&workspace, open.as_deref()).await)
            }
            Err(e) => Err(e),
        }
    }};
    (open $console:ident $cx:ident $args:ident $name:ident ($($arg:ident : $ty:ty),*) -> $ret:ty
        = |$target:ident, $ctx:ident| $body:expr) => {
        run_command!(@on [$console.engine().await?] $cx $args $name ($($arg: $ty),*) -> $ret
            = |$target, $ctx| $body)
    };
    (console $console:ident $cx:ident $args:ident $name:ident ($($arg:ident : $ty:ty),*) -> $ret:ty
        = |$target:ident, $ctx:ident| $body:expr) => {
        run_command!(@on [$console] $cx $args $name ($($arg: $ty),*) -> $ret
            = |$target, $ctx| $body)
    };
    // A command that names no workspace, run on `$on` (the open engine or the console).
    (@on [$on:expr] $cx:ident $args:ident $name:ident ($($arg:ident : $ty:ty),*) -> $ret:ty
        = |$target:ident, $ctx:ident| $body:expr) => {{
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Args {
            $($arg: $ty,)*
        }
        let Args { $($arg,)* } = parse_args(stringify!($name), $args)?;
        let $target = $on;
        let $ctx = $cx;
        let _ = &$ctx;
        let result: Result<$ret, ApiError> = $body;
        answer(result?)
    }};
}

macro_rules! names_workspace {
    (workspace) => {
        true
    };
    ($other:ident) => {
        false
    };
}

/// Expands the whole list into [`NAMES`], [`specs`] and [`dispatch`].
macro_rules! command_table {
    ($(
        $(#[doc = $doc:literal])*
        $scope:ident $name:ident ($($arg:ident : $ty:ty),* $(,)?) -> $ret:ty
            = |$target:ident, $ctx:ident| $body:expr;
    )*) => {
        /// Every command's name, in the list's order.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Every command as the list defines it.
        pub fn specs() -> Vec<CommandSpec> {
            vec![$(CommandSpec {
                name: stringify!($name),
                names_workspace: names_workspace!($scope),
                args: vec![$((stringify!($arg), stringify!($ty))),*],
                returns: stringify!($ret),
                doc: [$($doc),*].iter().map(|line| line.trim()).collect::<Vec<_>>().join(" "),
            }),*]
        }

        /// Runs command `name` with `args` (a JSON object, camelCase keys) on `console`;
        /// answers with its JSON answer. An unknown name, missing or mistyped arguments
        /// and a workspace that is not open are refused with an [`ApiError`].
        pub async fn dispatch(
            console: &Console,
            context: &CallContext,
            name: &str,
            args: Value,
        ) -> Result<Value, ApiError> {
            match name {
                $(stringify!($name) => run_command!(
                    $scope console context args $name ($($arg : $ty),*) -> $ret
                        = |$target, $ctx| $body
                ),)*
                other => Err(ApiError::new(
                    ErrorCode::NotFound,
                    format!("Switchboard has no command `{other}`. Reload the window."),
                )),
            }
        }
    };
}

with_commands!(command_table);
