//! Where the managed settings apply in a running workspace: the engine keeps the ones
//! its console read, for the allowlist ([`crate::accounts`]).

use std::sync::Arc;

use super::Managed;
use crate::Engine;

impl Engine {
    /// Puts the organisation's managed settings in force for this workspace (once).
    /// Accounts signed in earlier that a managed list does not name are paused.
    pub(crate) fn set_managed(&self, managed: Arc<Managed>) {
        let _ = self.managed.set(managed);
        self.pause_unmanaged_accounts();
    }

    /// The organisation's managed settings (not managed when none were set).
    pub(crate) fn managed(&self) -> &Managed {
        static NOT_MANAGED: Managed = Managed::NotManaged;
        self.managed.get().map_or(&NOT_MANAGED, |m| m.as_ref())
    }
}
