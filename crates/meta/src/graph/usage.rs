//! **Usage**: how much of its call budget the app and the Page have spent, as Meta reports
//! it in response headers, turned into the account's [`RateBudget`] figures.
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
//! `limit` 100 (percentage points), `remaining` 100 minus the share used, and `reset_at`
//! when access returns (`estimated_time_to_regain_access`) or else the end of the one-hour
//! window.

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
    /// points, what is left of it, and when it is whole again.
    pub fn rate_headers(&self, now: Timestamp) -> RateHeaders {
        let reset_in = self.regain_access_in.unwrap_or(WINDOW);
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
        // No time to regain access: the budget is whole again after the one-hour window.
        assert_eq!(figures.reset_at, Some(NOW.plus_millis(3_600_000)));
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
    }
}
