//! The policy's `[spikes]` section: when a queue's (or a keyword's) incoming rate counts as
//! a spike — by how much above its usual rate and from how many items.
//! (Contract stub: the spike work fills it in.)

use serde::Deserialize;

use super::spans::Ctx;
use super::PolicyError;

/// `[spikes]` as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSpikes {}

/// What the policy says about spike alerts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpikePolicy {}

impl Ctx<'_> {
    /// Checks and builds the `[spikes]` section (absent: the defaults).
    pub(super) fn spikes(
        &self,
        raw: Option<toml::Spanned<RawSpikes>>,
    ) -> Result<SpikePolicy, PolicyError> {
        let _ = raw;
        Ok(SpikePolicy::default())
    }
}
