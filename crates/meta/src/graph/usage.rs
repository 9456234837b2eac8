//! **Usage**: how much of its call budget the app and the Page have spent, as Meta reports
//! it in response headers, turned into the account's [`RateBudget`](switchboard_platforms::pacing::RateBudget) figures.
//!
//! Meta does not give call counts. It gives **percentages** of a rolling one-hour window
//! (<https://developers.facebook.com/docs/graph-api/overview/rate-limiting/>):
//!
//! - `X-App-Usage` (and the older `X-Page-Usage`): one JSON object,
//!   `{"call_count":28,"total_time":25,"total_cputime":25}` — the app's (or Page's) share
//!   of calls, of total time and of CPU time used.
//! - `X-Business-Use-Case-Usage`: per business object id a list of use cases,
//!   `{"<id>":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":25,
//!   "estimated_time_to_regain_access":19}]}`, where `estimated_time_to_regain_access` is
//!   the **minutes** until throttling ends. Requests made with a Page token count against
//!   these business use case (BUC) limits.
//!
//! Throttling starts when any of the three percentages reaches 100, so the **share used**
//! is the largest of them, over every header and use case. It becomes [`RateHeaders`] with
//! `limit` 100 (percentage points), `remaining` 100 minus the share used, and `reset_at`:
//!
//! - when Meta throttles, the time it gives (`estimated_time_to_regain_access`);
//! - otherwise a **pacing horizon** that grows with the share used: the one-hour window
//!   scaled by the square of the share (`p² × 1 h`, at least a second). The rate budget
//!   spreads the points left over that horizon, so polling is unhindered while little is
//!   used (10 % → a poll may follow after 0.5 s), slows as usage climbs (50 % → 22 s,
//!   75 % → 100 s, 90 % → 6 min) and stops for the whole window at 100 %. Spreading the
//!   points left over a full hour whatever the share (one point taken as one call) would
//!   hold every Page to a poll every 45 s even at 0 % — while one percentage point is in
//!   fact 2 to hundreds of calls (Pages' business use case limit is 4 800 calls a day per
//!   engaged user).

use std::time::Duration;

use serde::Deserialize;
use switchboard_core::Timestamp;
use switchboard_platforms::pacing::RateHeaders;

/// Meta's rolling rate-limit window.
const WINDOW: Duration = Duration::from_secs(3600);

/// What the usage headers of one response said.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// The largest percentage in `X-App-Usage` / `X-Page-Usage`, if sent.
    pub app_percent: Option<u32>,
    /// The largest percentage over every use case of `X-Business-Use-Case-Usage`, if sent.
    pub business_percent: Option<u32>,
    /// The longest `estimated_time_to_regain_access` (minutes in the header), when not zero.
    pub regain_access_in: Option<Duration>,
}

impl Usage {
    /// Reads the usage headers among `(name, value)` pairs; `None` when there are none
    /// (Meta sends them only once an app has made enough calls) or none is readable.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<Self> {
        let mut usage = Usage::default();
        let mut seen = false;
        for (name, value) in pairs {
            match name.to_ascii_lowercase().as_str() {
                "x-app-usage" | "x-page-usage" => {
                    if let Ok(figures) = serde_json::from_str::<Figures>(value) {
                        usage.app_percent = usage.app_percent.max(Some(figures.share_used()));
                        seen = true;
                    }
                }
                "x-business-use-case-usage" => {
                    let Ok(objects) = serde_json::from_str::<BusinessUsage>(value) else {
                        continue;
                    };
                    for figures in objects.values().flatten() {
                        usage.business_percent =
                            usage.business_percent.max(Some(figures.share_used()));
                        let minutes = figures.estimated_time_to_regain_access.unwrap_or(0.0);
                        if minutes > 0.0 {
                            let regain = Duration::from_secs_f64(minutes.min(24.0 * 60.0) * 60.0);
                            usage.regain_access_in = usage.regain_access_in.max(Some(regain));
                        }
                        seen = true;
                    }
                }
                _ => {}
            }
        }
        seen.then_some(usage)
    }

    /// The share of the budget used: the largest percentage reported, at most 100.
    pub fn percent_used(&self) -> u32 {
        self.app_percent
            .max(self.business_percent)
            .unwrap_or(0)
            .min(100)
    }

    /// The figures for the account's rate budget at `now`: a budget of 100 percentage
    /// points, what is left of it, and the horizon to spread it over (see the module
    /// documentation).
    pub fn rate_headers(&self, now: Timestamp) -> RateHeaders {
        let share = f64::from(self.percent_used()) / 100.0;
        let reset_in = self
            .regain_access_in
            .unwrap_or_else(|| WINDOW.mul_f64(share * share).max(Duration::from_secs(1)));
        RateHeaders {
            limit: Some(100),
            remaining: Some(100 - self.percent_used()),
            reset_at: Some(now.plus_millis(i64::try_from(reset_in.as_millis()).unwrap_or(0))),
        }
    }
}

/// `X-Business-Use-Case-Usage`: business object id → its use cases.
type BusinessUsage = std::collections::HashMap<String, Vec<Figures>>;

/// One set of percentages (numbers, sometimes sent as decimals).
#[derive(Debug, Deserialize)]
struct Figures {
    #[serde(default)]
    call_count: f64,
    #[serde(default)]
    total_cputime: f64,
    #[serde(default)]
    total_time: f64,
    #[serde(default)]
    estimated_time_to_regain_access: Option<f64>,
}

impl Figures {
    fn share_used(&self) -> u32 {
        let max = self
            .call_count
            .max(self.total_cputime)
            .max(self.total_time)
            .clamp(0.0, 100.0);
        // Clamped to 0..=100 just above: the cast cannot truncate.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let percent = max.ceil() as u32;
        percent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_800_000_000_000);

    #[test]
    fn reads_metas_documented_app_usage_example() {
        // The example of the rate-limiting page: 28 % of calls, 25 % of time and CPU time.
        let usage = Usage::from_pairs([(
            "x-app-usage",
            r#"{"call_count":28,"total_time":25,"total_cputime":25}"#,
        )])
        .unwrap();
        assert_eq!(usage.app_percent, Some(28));
        assert_eq!(usage.business_percent, None);
        let figures = usage.rate_headers(NOW);
        assert_eq!(figures.limit, Some(100));
        assert_eq!(figures.remaining, Some(72));
        // No time to regain access: the 72 points are spread over 0.28² of the hour.
        assert_eq!(figures.reset_at, Some(NOW.plus_millis(282_240)));
    }

    #[test]
    fn reads_metas_documented_business_use_case_example() {
        // The example of the rate-limiting page: one business object, throttled on calls,
        // 19 minutes until access returns.
        let header = r#"{"{business-object-id}":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":19,"ads_api_access_tier":"standard_access"}]}"#;
        let usage = Usage::from_pairs([("X-Business-Use-Case-Usage", header)]).unwrap();
        assert_eq!(usage.business_percent, Some(100));
        assert_eq!(usage.regain_access_in, Some(Duration::from_secs(19 * 60)));
        let figures = usage.rate_headers(NOW);
        assert_eq!(figures.remaining, Some(0));
        assert_eq!(figures.reset_at, Some(NOW.plus_millis(19 * 60_000)));
    }

    #[test]
    fn the_share_used_is_the_largest_over_headers_and_use_cases() {
        let usage = Usage::from_pairs([
            ("x-app-usage", r#"{"call_count":3,"total_time":41,"total_cputime":2}"#),
            (
                "x-business-use-case-usage",
                r#"{"111":[{"type":"pages","call_count":12,"total_cputime":5,"total_time":9,"estimated_time_to_regain_access":0}],
                    "222":[{"type":"instagram","call_count":7.5,"total_cputime":63.2,"total_time":1,"estimated_time_to_regain_access":0},
                           {"type":"messenger","call_count":1,"total_cputime":1,"total_time":1}]}"#,
            ),
        ])
        .unwrap();
        assert_eq!(usage.app_percent, Some(41));
        assert_eq!(usage.business_percent, Some(64));
        assert_eq!(usage.percent_used(), 64);
        assert_eq!(usage.regain_access_in, None);
        assert_eq!(usage.rate_headers(NOW).remaining, Some(36));
    }

    #[test]
    fn no_or_unreadable_headers_report_nothing() {
        assert_eq!(
            Usage::from_pairs([("content-type", "application/json")]),
            None
        );
        assert_eq!(Usage::from_pairs([("x-app-usage", "not json")]), None);
        assert_eq!(
            Usage::from_pairs([("x-business-use-case-usage", "[]")]),
            None
        );
        // Over 100 % (it happens) is 100 %: nothing left.
        let usage = Usage::from_pairs([(
            "x-app-usage",
            r#"{"call_count":130,"total_time":0,"total_cputime":0}"#,
        )])
        .unwrap();
        assert_eq!(usage.rate_headers(NOW).remaining, Some(0));
        // Spent without a time to regain access: the whole window.
        assert_eq!(
            usage.rate_headers(NOW).reset_at,
            Some(NOW.plus_millis(3_600_000))
        );
    }

    #[test]
    fn polling_slows_as_the_share_used_climbs() {
        use switchboard_platforms::pacing::RateBudget;
        let pause_at = |percent: u32| {
            let usage = Usage {
                app_percent: Some(percent),
                ..Usage::default()
            };
            let mut budget = RateBudget::default();
            budget.observe(usage.rate_headers(NOW));
            budget.min_poll_interval(NOW)
        };
        assert!(pause_at(0) < Duration::from_millis(50), "{:?}", pause_at(0));
        assert!(pause_at(10) < Duration::from_secs(1), "{:?}", pause_at(10));
        assert_eq!(pause_at(50), Duration::from_millis(22_500));
        assert_eq!(pause_at(75), Duration::from_millis(101_250));
        assert!(pause_at(90) > Duration::from_secs(300));
        assert_eq!(pause_at(100), Duration::from_secs(3600));
        let mut previous = Duration::ZERO;
        for percent in 0..=100 {
            assert!(pause_at(percent) >= previous, "{percent} %");
            previous = pause_at(percent);
        }
    }
}
