//! Building a [`Policy`] from the file as written: the order of the checks, the SLA
//! thresholds and the brand-account allowlist. Queues, calendars, SLAs and rules have
//! files of their own.

use std::collections::BTreeMap;
use std::sync::Arc;

use toml::Spanned;

use super::raw::{Percent, RawAccount, RawPolicy, RawThresholds};
use super::spans::{span_of, Ctx};
use super::{AllowedAccount, Policy, PolicyError};
use crate::sla::ThresholdsError;
use crate::{Router, SlaThresholds};

impl Ctx<'_> {
    /// Checks everything the file says and builds the policy; the first mistake found is
    /// the error.
    pub(super) fn build(&self, raw: RawPolicy) -> Result<Policy, PolicyError> {
        let thresholds = self.thresholds(raw.thresholds)?;
        let mut calendars = BTreeMap::new();
        for (name, calendar) in raw.calendar {
            let built = self.calendar(&name, calendar)?;
            calendars.insert(name.into_inner(), Arc::new(built));
        }
        let (queues, queue_ids) = self.queues(raw.queue, &calendars)?;
        let allowlist = self.brand_accounts(raw.brand_account)?;
        let mut rules = Vec::new();
        for raw_rule in raw.rule {
            rules.push(self.rule(raw_rule, &queue_ids, &allowlist)?);
        }
        let guardrails = self.guardrails(raw.guardrails)?;
        let spikes = self.spikes(raw.spikes)?;
        let meta = self.meta(raw.meta)?;
        Ok(Policy {
            queues,
            thresholds,
            calendars,
            routing: Router::new(rules),
            allowlist,
            guardrails,
            spikes,
            meta,
        })
    }

    fn thresholds(&self, raw: Option<RawThresholds>) -> Result<SlaThresholds, PolicyError> {
        let Some(raw) = raw else {
            return Ok(SlaThresholds::default());
        };
        let defaults = SlaThresholds::default();
        let value = |v: &Option<Spanned<Percent>>, default: f64| {
            v.as_ref().map_or(default, |s| s.get_ref().0 / 100.0)
        };
        let thresholds = SlaThresholds {
            at_risk: value(&raw.at_risk, defaults.at_risk),
            breached: value(&raw.breached, defaults.breached),
            escalated: value(&raw.escalated, defaults.escalated),
        };
        let percent = |t: f64| format_percent(t * 100.0);
        match thresholds.validate() {
            Ok(()) => Ok(thresholds),
            Err(ThresholdsError::AtRiskNotPositive) => Err(self.error(
                span_of(&raw.at_risk),
                format!(
                    "at_risk = {} must be a percentage above 0, e.g. 75",
                    percent(thresholds.at_risk)
                ),
            )),
            Err(ThresholdsError::BreachedNotAboveAtRisk) => Err(self.error(
                if raw.breached.is_some() { span_of(&raw.breached) } else { span_of(&raw.at_risk) },
                format!(
                    "breached = {} must be above at_risk = {}: the thresholds go at_risk < breached < escalated, in percent of the target",
                    percent(thresholds.breached),
                    percent(thresholds.at_risk)
                ),
            )),
            Err(ThresholdsError::EscalatedNotAboveBreached) => Err(self.error(
                if raw.escalated.is_some() { span_of(&raw.escalated) } else { span_of(&raw.breached) },
                format!(
                    "escalated = {} must be above breached = {}: the thresholds go at_risk < breached < escalated, in percent of the target",
                    percent(thresholds.escalated),
                    percent(thresholds.breached)
                ),
            )),
        }
    }

    /// The brand-account allowlist, without repeats, in the order written.
    fn brand_accounts(
        &self,
        raw: Vec<Spanned<RawAccount>>,
    ) -> Result<Vec<AllowedAccount>, PolicyError> {
        let mut allowlist = Vec::new();
        for raw_account in raw {
            let table = raw_account.span();
            let raw_account = raw_account.into_inner();
            let platform = self.platform(self.required(
                &raw_account.platform,
                &table,
                "this [[brand_account]] has no platform: add one such as platform = \"mastodon\"",
            )?)?;
            let raw_name = self.required(
                &raw_account.account,
                &table,
                "this [[brand_account]] has no account: add the account's id or handle, e.g. account = \"northwind\"",
            )?;
            let account = raw_name.get_ref().trim();
            if account.is_empty() {
                return Err(self.error(
                    raw_name.span(),
                    "the account is empty: write the account's id or handle on the platform",
                ));
            }
            let entry = AllowedAccount {
                platform,
                account: account.to_owned(),
            };
            if !allowlist.contains(&entry) {
                allowlist.push(entry);
            }
        }
        Ok(allowlist)
    }
}

fn format_percent(value: f64) -> String {
    let rounded = (value * 1000.0).round() / 1000.0;
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    }
}
