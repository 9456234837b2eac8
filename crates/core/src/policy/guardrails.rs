//! The policy's `[guardrails]` section: the brand's own e-mail domains, which rules block
//! rather than warn, and the workspace's own rules besides the built-in starter set.
//! (Contract stub: the guardrails work fills it in.)

use serde::Deserialize;

use super::spans::Ctx;
use super::PolicyError;

/// `[guardrails]` as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGuardrails {}

/// What the policy says about checking replies before they go.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GuardrailPolicy {}

impl Ctx<'_> {
    /// Checks and builds the `[guardrails]` section (absent: the defaults).
    pub(super) fn guardrails(
        &self,
        raw: Option<toml::Spanned<RawGuardrails>>,
    ) -> Result<GuardrailPolicy, PolicyError> {
        let _ = raw;
        Ok(GuardrailPolicy::default())
    }
}
