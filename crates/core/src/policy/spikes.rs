//! The policy's `[spikes]` section: when a queue's (or a keyword's) incoming rate counts as
//! a spike — by how much above its usual rate and from how many items.
//!
//! ```toml
//! [spikes]
//! factor = 4.0                     # times the usual rate (above 1)
//! min_count = 20                   # customer items in the window, at least
//! window = "10m"                   # the sliding window the rate is counted over
//! keywords = ["outage", "login"]   # also watched on their own, per queue
//! ```
//!
//! Every key is optional; an absent section means the defaults above (without keywords).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::duration::parse_duration_millis;
use super::raw::DurationText;
use super::spans::Ctx;
use super::PolicyError;

/// `[spikes]` as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSpikes {
    factor: Option<Spanned<Number>>,
    min_count: Option<Spanned<Number>>,
    window: Option<Spanned<DurationText>>,
    keywords: Option<Spanned<Vec<Spanned<String>>>>,
}

/// A number, integer or not.
struct Number(f64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl Visitor<'_> for NumberVisitor {
            type Value = Number;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number without quotes, such as 4 or 4.5")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number(v))
            }
        }
        deserializer.deserialize_any(NumberVisitor)
    }
}

/// What the policy says about spike alerts.
#[derive(Debug, Clone, PartialEq)]
pub struct SpikePolicy {
    /// A spike is a rate at least this many times the usual one (above 1; default 4).
    pub factor: f64,
    /// …and at least this many customer items in the window (default 20).
    pub min_count: u32,
    /// The sliding window the rate is counted over, in milliseconds (default 10 minutes).
    pub window_millis: i64,
    /// Words or phrases watched on their own in each queue, lowercase (default none).
    pub keywords: Vec<String>,
}

impl SpikePolicy {
    /// The default factor.
    pub const DEFAULT_FACTOR: f64 = 4.0;
    /// The default minimum count.
    pub const DEFAULT_MIN_COUNT: u32 = 20;
    /// The default window (10 minutes).
    pub const DEFAULT_WINDOW_MILLIS: i64 = 10 * 60_000;
    /// The shortest window the policy accepts (1 minute).
    pub const MIN_WINDOW_MILLIS: i64 = 60_000;
    /// The longest window the policy accepts (1 day).
    pub const MAX_WINDOW_MILLIS: i64 = 86_400_000;
}

impl Default for SpikePolicy {
    fn default() -> Self {
        SpikePolicy {
            factor: Self::DEFAULT_FACTOR,
            min_count: Self::DEFAULT_MIN_COUNT,
            window_millis: Self::DEFAULT_WINDOW_MILLIS,
            keywords: Vec::new(),
        }
    }
}

impl Ctx<'_> {
    /// Checks and builds the `[spikes]` section (absent: the defaults).
    pub(super) fn spikes(
        &self,
        raw: Option<toml::Spanned<RawSpikes>>,
    ) -> Result<SpikePolicy, PolicyError> {
        let mut policy = SpikePolicy::default();
        let Some(raw) = raw else {
            return Ok(policy);
        };
        let raw = raw.into_inner();
        if let Some(factor) = &raw.factor {
            let value = factor.get_ref().0;
            if !(value.is_finite() && value > 1.0 && value <= 1000.0) {
                return Err(self.error(
                    factor.span(),
                    format!("factor = {value} must be above 1 (and at most 1000): a spike is a rate that many times the usual one, e.g. factor = 4"),
                ));
            }
            policy.factor = value;
        }
        if let Some(min_count) = &raw.min_count {
            let value = min_count.get_ref().0;
            if !(value.fract() == 0.0 && (1.0..=1_000_000.0).contains(&value)) {
                return Err(self.error(
                    min_count.span(),
                    format!("min_count = {value} must be a whole number of items from 1 to 1000000, e.g. min_count = 20"),
                ));
            }
            policy.min_count = value as u32;
        }
        if let Some(window) = &raw.window {
            let text = &window.get_ref().0;
            let millis = parse_duration_millis(text)
                .map_err(|message| self.error(window.span(), message))?;
            if !(SpikePolicy::MIN_WINDOW_MILLIS..=SpikePolicy::MAX_WINDOW_MILLIS).contains(&millis)
            {
                return Err(self.error(
                    window.span(),
                    format!(
                        "window = \"{text}\" must be from 1 minute to 1 day, e.g. window = \"10m\""
                    ),
                ));
            }
            policy.window_millis = millis;
        }
        if let Some(keywords) = &raw.keywords {
            for keyword in keywords.get_ref() {
                let word = keyword.get_ref().trim().to_lowercase();
                if word.is_empty() {
                    return Err(self.error(
                        keyword.span(),
                        "a keyword is empty: write a word or phrase to watch, e.g. \"outage\"",
                    ));
                }
                if policy.keywords.contains(&word) {
                    return Err(self.error(
                        keyword.span(),
                        format!("the keyword \"{word}\" is listed twice"),
                    ));
                }
                policy.keywords.push(word);
            }
        }
        Ok(policy)
    }
}
