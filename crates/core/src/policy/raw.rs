//! The policy file as written: what `toml` deserializes, with the span of every value so
//! that each mistake can be reported where it is. Nothing here is checked yet; see
//! [`super::spans::Ctx`] and the files that build each part.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPolicy {
    #[serde(default)]
    pub(super) thresholds: Option<RawThresholds>,
    #[serde(default)]
    pub(super) calendar: BTreeMap<Spanned<String>, Spanned<RawCalendar>>,
    #[serde(default)]
    pub(super) queue: Vec<Spanned<RawQueue>>,
    #[serde(default)]
    pub(super) rule: Vec<Spanned<RawRule>>,
    #[serde(default)]
    pub(super) brand_account: Vec<Spanned<RawAccount>>,
    #[serde(default)]
    pub(super) guardrails: Option<super::guardrails::RawGuardrails>,
    #[serde(default)]
    pub(super) spikes: Option<Spanned<super::spikes::RawSpikes>>,
    #[serde(default)]
    pub(super) meta: Option<Spanned<super::meta::RawMeta>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawThresholds {
    pub(super) at_risk: Option<Spanned<Percent>>,
    pub(super) breached: Option<Spanned<Percent>>,
    pub(super) escalated: Option<Spanned<Percent>>,
}

/// A number of percent, integer or not.
pub(super) struct Percent(pub(super) f64);

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PercentVisitor;
        impl Visitor<'_> for PercentVisitor {
            type Value = Percent;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of percent without quotes or %, such as 75")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Percent, E> {
                Ok(Percent(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Percent, E> {
                Ok(Percent(v as f64))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Percent, E> {
                Ok(Percent(v))
            }
        }
        deserializer.deserialize_any(PercentVisitor)
    }
}

/// A duration as written, e.g. `"2h30m"`; checked by [`parse_duration_millis`].
pub(super) struct DurationText(pub(super) String);

impl<'de> Deserialize<'de> for DurationText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DurationVisitor;
        impl Visitor<'_> for DurationVisitor {
            type Value = DurationText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration in quotes, such as \"30m\", \"1h\" or \"2h30m\"")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<DurationText, E> {
                Ok(DurationText(v.to_owned()))
            }
        }
        deserializer.deserialize_any(DurationVisitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCalendar {
    pub(super) time_zone: Option<Spanned<String>>,
    pub(super) hours: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    #[serde(default)]
    pub(super) holidays: Vec<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQueue {
    pub(super) id: Option<Spanned<String>>,
    pub(super) label: Option<Spanned<String>>,
    pub(super) color: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) leads: Vec<Spanned<String>>,
    pub(super) sla: Option<Spanned<RawSla>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSla {
    pub(super) calendar: Option<Spanned<String>>,
    pub(super) first_response: Option<Spanned<DurationText>>,
    pub(super) next_response: Option<Spanned<DurationText>>,
    pub(super) mention: Option<Spanned<RawKindTarget>>,
    pub(super) reply: Option<Spanned<RawKindTarget>>,
    pub(super) quote: Option<Spanned<RawKindTarget>>,
    pub(super) comment: Option<Spanned<RawKindTarget>>,
    pub(super) direct_message: Option<Spanned<RawKindTarget>>,
}

/// A per-kind override: `"30m"` (first and next) or `{ first_response = …, next_response = … }`.
pub(super) enum RawKindTarget {
    Both(String),
    Split {
        first: Option<Spanned<DurationText>>,
        next: Option<Spanned<DurationText>>,
    },
}

impl<'de> Deserialize<'de> for RawKindTarget {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KindTargetVisitor;
        impl<'de> Visitor<'de> for KindTargetVisitor {
            type Value = RawKindTarget;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a duration such as \"30m\", or { first_response = \"30m\", next_response = \"15m\" }",
                )
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawKindTarget, E> {
                Ok(RawKindTarget::Both(v.to_owned()))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawKindTarget, A::Error> {
                const FIELDS: &[&str] = &["first_response", "next_response"];
                let mut first = None;
                let mut next = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "first_response" => first = Some(map.next_value()?),
                        "next_response" => next = Some(map.next_value()?),
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    }
                }
                Ok(RawKindTarget::Split { first, next })
            }
        }
        deserializer.deserialize_any(KindTargetVisitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    pub(super) queue: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) platforms: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) accounts: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) kinds: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) languages: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) keywords: Vec<Spanned<String>>,
    pub(super) regex: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAccount {
    pub(super) platform: Option<Spanned<String>>,
    pub(super) account: Option<Spanned<String>>,
}
