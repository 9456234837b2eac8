//! The workspace policy file: the demo policy, and where each kind of mistake is reported.

use jiff::civil::{Date, Time, Weekday};
use switchboard_core::{
    format_duration_millis, parse_duration_millis, AllowedAccount, Author, Item, ItemKind,
    Platform, Policy, PolicyError, Queue, QueueId, Router, RoutingRule, SlaState, SlaTarget,
    SlaThresholds, TextPattern, ThreadKey, Timestamp,
};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

// --- The demo policy ------------------------------------------------------------------

#[test]
fn the_demo_policy_matches_the_built_in_defaults() {
    let demo = Policy::demo();
    assert_eq!(demo.queues(), Queue::defaults());
    assert_eq!(demo.routing, Router::defaults());
    assert_eq!(demo.thresholds, SlaThresholds::default());
    let support = demo.sla_for(&QueueId::from("support")).unwrap();
    assert_eq!(support.target_millis(ItemKind::Mention, true), 30 * MINUTE);
    assert_eq!(
        support.target_millis(ItemKind::DirectMessage, true),
        15 * MINUTE
    );
    assert_eq!(
        support.target_millis(ItemKind::DirectMessage, false),
        15 * MINUTE
    );
    let target = |q: &str| {
        demo.sla_for(&QueueId::from(q))
            .unwrap()
            .target_millis(ItemKind::Mention, true)
    };
    assert_eq!(target("triage"), 20 * MINUTE);
    assert_eq!(target("sales"), 4 * HOUR);
    assert_eq!(target("marketing"), 24 * HOUR);
    let london = demo.calendar_for(&QueueId::from("sales"));
    assert_eq!(london.time_zone_name(), "Europe/London");
    assert_eq!(
        london.shifts_on(Weekday::Wednesday),
        vec![
            (Time::constant(9, 0, 0, 0), Time::constant(12, 30, 0, 0)),
            (Time::constant(13, 30, 0, 0), Time::constant(17, 30, 0, 0)),
        ]
    );
    assert!(london.shifts_on(Weekday::Saturday).is_empty());
    assert!(london.holidays().contains(&Date::constant(2026, 12, 25)));
    let desk = demo.calendar_for(&QueueId::from("support"));
    assert_eq!(
        desk.weekly_open_millis(),
        7 * 24 * HOUR,
        "support runs around the clock"
    );
    assert_eq!(
        demo.calendar_for(&QueueId::from("nope")),
        &switchboard_core::BusinessCalendar::always_open()
    );
    assert!(demo.is_allowed(Platform::Mastodon, "northwind"));
    assert!(!demo.is_allowed(Platform::LinkedIn, "northwind"));
    assert_eq!(demo.allowlist.len(), 5);
    assert_eq!(
        demo.queue(&QueueId::from("support")).unwrap().leads,
        vec!["priya@northwind.example".to_owned()]
    );
}

#[test]
fn the_demo_bank_holidays_are_weekdays() {
    let demo = Policy::demo();
    for holiday in demo.calendars["london"].holidays() {
        assert!(
            !matches!(holiday.weekday(), Weekday::Saturday | Weekday::Sunday),
            "{holiday} is a weekend day"
        );
    }
}

#[test]
fn the_demo_policy_computes_deadlines() {
    let demo = Policy::demo();
    // Thursday 2026-12-24 17:30 in London (GMT = UTC), closing time: a question to Sales
    // (4 h) waits out Christmas and Boxing Day; on Tuesday 29 December 3 h 30 of it pass
    // before lunch and the last 30 minutes after, so it is due at 14:00.
    let since = Timestamp(
        "2026-12-24T17:30:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond(),
    );
    let dl = demo
        .deadlines(&QueueId::from("sales"), ItemKind::Mention, true, since, &[])
        .unwrap();
    let at = |s: &str| Timestamp(s.parse::<jiff::Timestamp>().unwrap().as_millisecond());
    assert_eq!(dl.at_risk_at, at("2026-12-29T12:00:00Z"), "3 h of 4");
    assert_eq!(dl.breached_at, at("2026-12-29T14:00:00Z"));
    assert_eq!(
        dl.escalated_at,
        at("2026-12-30T09:30:00Z"),
        "8 h: into Wednesday"
    );
    assert_eq!(
        switchboard_core::state_at(&dl, at("2026-12-29T14:00:00Z")),
        SlaState::Breached
    );
}

// --- Writing a policy by hand ---------------------------------------------------------

#[test]
fn the_reference_example_in_the_docs_parses() {
    let text = include_str!("../policies/example.toml");
    let policy = Policy::parse("example.toml", text).unwrap();
    let support = policy.sla_for(&QueueId::from("support")).unwrap();
    assert_eq!(support.target_millis(ItemKind::Mention, false), 2 * HOUR);
    assert_eq!(
        support.target_millis(ItemKind::DirectMessage, false),
        30 * MINUTE
    );
    assert_eq!(support.target_millis(ItemKind::Comment, true), 2 * HOUR);
    assert_eq!(support.target_millis(ItemKind::Comment, false), 4 * HOUR);
    assert_eq!(
        policy.calendars["london"].shifts_on(Weekday::Saturday),
        vec![(Time::constant(10, 0, 0, 0), Time::constant(14, 0, 0, 0))]
    );
    assert!(policy.is_allowed(Platform::Mastodon, "northwind"));
    let mention = |text: &str| item_on("northwind", text);
    assert_eq!(
        policy.routing.route(&mention("Where is #123456?")),
        QueueId::from("support"),
        "the example's regex rule catches an order number"
    );
    assert_eq!(
        policy.routing.route(&mention("ORDER 42 is late")),
        QueueId::from("support"),
        "the example's regex ignores case"
    );
    assert_eq!(
        policy.routing.route(&mention("Is #12 open?")),
        QueueId::triage(),
        "too short for an order number"
    );
}

/// A customer's mention of brand account `account` on Mastodon.
fn item_on(account: &str, text: &str) -> Item {
    Item {
        platform: Platform::Mastodon,
        account: account.into(),
        native_id: "1".into(),
        thread: ThreadKey::new(Platform::Mastodon, account, "1"),
        kind: ItemKind::Mention,
        author: Author {
            handle: "@ana@example.social".into(),
            display_name: "Ana".into(),
        },
        from_brand: false,
        text: text.into(),
        lang: Some("en".into()),
        created_at: Timestamp(0),
    }
}

const MINIMAL: &str = r##"
[calendar.office]
time_zone = "America/New_York"
hours.weekdays = ["08:00-12:00", "13:00-17:00"]
hours.sat = ["10:00-14:00"]
holidays = ["2026-07-03", 2026-11-26]

[[queue]]
id = "triage"
label = "Triage"
color = "#ABC"

[[queue]]
id = "vip"
label = "VIP"
color = "#123456"
leads = ["ana", "ben@example.com"]

[queue.sla]
calendar = "office"
first_response = "2h30m"
next_response = "45m"
dm = "15m"
"##;

#[test]
fn a_minimal_policy_uses_defaults() {
    // `dm` is not a field: the per-kind keys are the kinds' names.
    let err = Policy::parse("p.toml", MINIMAL).unwrap_err();
    assert_eq!((err.line, err.column), (23, 1));
    assert!(
        err.message.contains("unknown field `dm`"),
        "{}",
        err.message
    );

    let text = MINIMAL.replace(
        "dm = \"15m\"",
        "direct_message = \"15m\"\ncomment = { next_response = \"1d\" }",
    );
    let policy = Policy::parse("p.toml", &text).unwrap();
    assert_eq!(policy.thresholds, SlaThresholds::default());
    assert_eq!(policy.routing, Router::default());
    assert!(policy.allowlist.is_empty());
    assert_eq!(
        policy.queues(),
        vec![
            Queue::new("triage", "Triage", "#abc"),
            Queue::new("vip", "VIP", "#123456")
        ]
    );
    assert!(policy.sla_for(&QueueId::triage()).is_none());
    let vip = policy.sla_for(&QueueId::from("vip")).unwrap();
    assert_eq!(
        vip.default,
        SlaTarget {
            first_response_millis: 150 * MINUTE,
            next_response_millis: 45 * MINUTE
        }
    );
    assert_eq!(
        vip.per_kind,
        vec![
            (
                ItemKind::Comment,
                SlaTarget {
                    first_response_millis: 150 * MINUTE,
                    next_response_millis: 24 * HOUR
                }
            ),
            (ItemKind::DirectMessage, SlaTarget::both(15 * MINUTE)),
        ]
    );
    let cal = &policy.calendars["office"];
    assert_eq!(cal.shifts_on(Weekday::Saturday).len(), 1);
    assert_eq!(cal.shifts_on(Weekday::Friday).len(), 2);
    assert!(cal.shifts_on(Weekday::Sunday).is_empty());
    assert_eq!(
        cal.holidays(),
        &[Date::constant(2026, 7, 3), Date::constant(2026, 11, 26)]
    );
    assert_eq!(cal.weekly_open_millis(), (5 * 8 + 4) * HOUR);
}

#[test]
fn rules_accept_friendly_spellings() {
    let text = format!(
        "{MINIMAL_OK}\n{}",
        r#"
[[rule]]
queue = "vip"
platforms = ["LinkedIn", "you_tube", "twitter"]
kinds = ["DM", "direct-message", "mention"]
languages = ["de", "pt-BR"]
keywords = ["  Refund  ", "Never Arrived"]

[[brand_account]]
platform = "linkedin"
account = "urn:li:organization:1"
"#
    );
    let policy = Policy::parse("p.toml", &text).unwrap();
    assert_eq!(
        policy.routing,
        Router::new(vec![RoutingRule {
            queue: QueueId::from("vip"),
            platforms: vec![Platform::LinkedIn, Platform::YouTube, Platform::X],
            accounts: vec![],
            kinds: vec![
                ItemKind::DirectMessage,
                ItemKind::DirectMessage,
                ItemKind::Mention
            ],
            languages: vec!["de".into(), "pt-BR".into()],
            keywords: vec!["refund".into(), "never arrived".into()],
            pattern: None,
        }])
    );
    assert_eq!(
        policy.allowlist,
        vec![AllowedAccount {
            platform: Platform::LinkedIn,
            account: "urn:li:organization:1".into()
        }]
    );
}

#[test]
fn rules_route_by_brand_account_and_regex() {
    let text = with_ok(
        r#"
[[rule]]
queue = "vip"
accounts = ["northwind-uk"]
regex = '(?-i:\bVIP\b)|gold member'

[[brand_account]]
platform = "mastodon"
account = "northwind"

[[brand_account]]
platform = "mastodon"
account = "northwind-uk"
"#,
    );
    let policy = Policy::parse("p.toml", &text).unwrap();
    assert_eq!(
        policy.routing,
        Router::new(vec![RoutingRule {
            queue: QueueId::from("vip"),
            platforms: vec![],
            accounts: vec!["northwind-uk".into()],
            kinds: vec![],
            languages: vec![],
            keywords: vec![],
            pattern: Some(TextPattern::new(r"(?-i:\bVIP\b)|gold member").unwrap()),
        }])
    );
    let route = |account: &str, text: &str| policy.routing.route(&item_on(account, text));
    assert_eq!(route("northwind-uk", "VIP here"), QueueId::from("vip"));
    assert_eq!(
        route("northwind-uk", "I am a GOLD MEMBER"),
        QueueId::from("vip"),
        "the rest of the pattern ignores case"
    );
    assert_eq!(
        route("northwind-uk", "vip here"),
        QueueId::triage(),
        "(?-i:…) makes VIP case-sensitive"
    );
    assert_eq!(
        route("northwind", "VIP here"),
        QueueId::triage(),
        "another brand account's items do not match"
    );
}

const MINIMAL_OK: &str = r##"
[calendar.office]
time_zone = "America/New_York"
hours.mon-fri = ["08:00-17:00"]

[[queue]]
id = "triage"
label = "Triage"
color = "#8a8f98"

[[queue]]
id = "vip"
label = "VIP"
color = "#123456"
"##;

// --- Mistakes: each points at the offending value --------------------------------------

/// Parses `text` and expects an error at the first occurrence of `needle` (line and column
/// of its first character), with a message containing `words`.
#[track_caller]
fn expect_error(text: &str, needle: &str, words: &str) -> PolicyError {
    let err = Policy::parse("policy.toml", text).expect_err("the policy should be refused");
    let offset = text.find(needle).expect("needle in text");
    let line = text[..offset].matches('\n').count() + 1;
    let column = text[..offset].rsplit('\n').next().unwrap().chars().count() + 1;
    assert_eq!(
        (err.line, err.column),
        (line, column),
        "position of {needle:?}; error: {err}"
    );
    assert!(
        err.message.contains(words),
        "message {:?} should contain {words:?}",
        err.message
    );
    assert_eq!(err.file, "policy.toml");
    err
}

fn with_ok(extra: &str) -> String {
    format!("{MINIMAL_OK}{extra}")
}

#[test]
fn toml_syntax_errors_give_their_position() {
    let text = "[[queue]]\nid = \"triage\"\nlabel = \"Triage\ncolor = \"#fff\"\n";
    let err = Policy::parse("broken.toml", text).unwrap_err();
    assert_eq!(err.line, 3, "{err}");
    assert_eq!(
        err.to_string(),
        format!("broken.toml:{}:{}: {}", err.line, err.column, err.message)
    );
    let err = Policy::parse("broken.toml", "thresholds = [\n  75,\n  oops\n]\n").unwrap_err();
    assert_eq!((err.line, err.column), (3, 3), "{err}");
}

#[test]
fn unknown_keys_are_reported_where_they_are() {
    expect_error(
        &MINIMAL_OK.replace("color = \"#123456\"", "colour = \"#123456\""),
        "colour",
        "unknown field `colour`",
    );
}

#[test]
fn missing_fields_point_at_their_table() {
    expect_error(
        &with_ok("\n[[queue]]\nid = \"sales\"\ncolor = \"#fff\"\n"),
        "[[queue]]\nid = \"sales\"",
        "queue \"sales\" has no label: add the name people see",
    );
    expect_error(
        &with_ok("\n[queue.sla]\nfirst_response = \"1h\"\n"),
        "[queue.sla]",
        "this SLA has no calendar",
    );
    expect_error(
        &with_ok("\n[queue.sla]\ncalendar = \"office\"\n"),
        "[queue.sla]",
        "this SLA has no first_response target",
    );
    expect_error(
        &with_ok("\n[[rule]]\nkeywords = [\"x\"]\n"),
        "[[rule]]",
        "this [[rule]] names no queue",
    );
    expect_error(
        &with_ok("\n[[brand_account]]\nplatform = \"x\"\n"),
        "[[brand_account]]",
        "this [[brand_account]] has no account",
    );
    expect_error(
        &MINIMAL_OK.replace("time_zone = \"America/New_York\"\n", ""),
        "[calendar.office]",
        "calendar \"office\" has no time zone",
    );
}

#[test]
fn values_of_the_wrong_type_say_what_is_expected() {
    expect_error(
        &with_ok("\n[queue.sla]\ncalendar = \"office\"\nfirst_response = 30\n"),
        "30",
        "expected a duration in quotes, such as \"30m\"",
    );
    expect_error(
        &format!("[thresholds]\nat_risk = \"75%\"\n{MINIMAL_OK}"),
        "\"75%\"",
        "expected a number of percent without quotes or %, such as 75",
    );
    expect_error(
        &with_ok("\n[queue.sla]\ncalendar = \"office\"\nfirst_response = \"1h\"\nmention = { first = \"1h\" }\n"),
        "{ first",
        "unknown field `first`, expected `first_response` or `next_response`",
    );
}

#[test]
fn an_unknown_time_zone_points_at_the_zone() {
    let err = expect_error(
        &MINIMAL_OK.replace("America/New_York", "Europe/Lundon"),
        "\"Europe/Lundon\"",
        "unknown time zone \"Europe/Lundon\"",
    );
    assert!(err.message.contains("IANA"));
}

#[test]
fn an_unknown_calendar_points_at_its_name() {
    expect_error(
        &with_ok("\n[queue.sla]\ncalendar = \"ofice\"\nfirst_response = \"1h\"\n"),
        "\"ofice\"",
        "unknown calendar \"ofice\": the file defines \"office\"",
    );
}

#[test]
fn a_duplicate_queue_id_points_at_the_second() {
    let text = with_ok("\n[[queue]]\nid =   \"vip\"\nlabel = \"VIP 2\"\ncolor = \"#000000\"\n");
    let err = expect_error(
        &text,
        "\"vip\"\nlabel = \"VIP 2\"",
        "duplicate queue id \"vip\"",
    );
    assert!(err.message.contains("line 12"), "{}", err.message);
}

#[test]
fn a_bad_duration_points_at_it() {
    let err = expect_error(
        &with_ok("\n[queue.sla]\ncalendar = \"office\"\nfirst_response = \"30 minutes\"\n"),
        "\"30 minutes\"",
        "\"30 minutes\" is not a duration",
    );
    assert!(err.message.contains("\"2h30m\""));
    expect_error(
        &with_ok("\n[queue.sla]\ncalendar = \"office\"\nfirst_response = \"1h\"\nreply = { first_response = \"30m\", next_response = \"1m1h\" }\n"),
        "\"1m1h\"",
        "is not a duration",
    );
    expect_error(
        &with_ok("\n[queue.sla]\ncalendar = \"office\"\nfirst_response = \"1h\"\nquote = \"0m\"\n"),
        "\"0m\"",
        "is zero",
    );
}

#[test]
fn a_rule_naming_an_unknown_queue_points_at_it() {
    let err = expect_error(
        &with_ok("\n[[rule]]\nqueue = \"billing\"\nkeywords = [\"invoice\"]\n"),
        "\"billing\"",
        "unknown queue \"billing\"",
    );
    assert!(err.message.contains("triage, vip"), "{}", err.message);
}

#[test]
fn unknown_platforms_and_kinds_point_at_the_element() {
    expect_error(
        &with_ok("\n[[rule]]\nqueue = \"vip\"\nplatforms = [\"mastodon\", \"myspace\"]\n"),
        "\"myspace\"",
        "unknown platform \"myspace\": use one of mastodon, bluesky, x",
    );
    expect_error(
        &with_ok("\n[[rule]]\nqueue = \"vip\"\nkinds = [\"mention\",\n  \"story\"]\n"),
        "\"story\"",
        "unknown kind \"story\": use one of mention, reply, quote, comment, direct_message",
    );
    expect_error(
        &with_ok("\n[[brand_account]]\nplatform = \"friendster\"\naccount = \"x\"\n"),
        "\"friendster\"",
        "unknown platform",
    );
}

#[test]
fn an_invalid_regex_points_at_it() {
    let err = expect_error(
        &with_ok("\n[[rule]]\nqueue = \"vip\"\nregex = \"order (#\\\\d+\"\n"),
        "\"order (",
        "the regex \"order (#\\d+\" is not valid: unclosed group",
    );
    assert!(err.message.contains("(?-i)"), "says how case works: {err}");
    expect_error(
        &with_ok("\n[[rule]]\nqueue = \"vip\"\nregex = 'a{2,1}'\n"),
        "'a{2,1}'",
        "is not valid: invalid repetition count range",
    );
    expect_error(
        &with_ok("\n[[rule]]\nqueue = \"vip\"\nregex = ['a', 'b']\n"),
        "['a'",
        "invalid type",
    );
}

#[test]
fn a_rule_naming_an_unlisted_brand_account_points_at_it() {
    expect_error(
        &with_ok(
            "\n[[rule]]\nqueue = \"vip\"\naccounts = [\"northwind\", \"nortwind\"]\n\n[[brand_account]]\nplatform = \"x\"\naccount = \"northwind\"\n",
        ),
        "\"nortwind\"",
        "unknown brand account \"nortwind\": a rule's accounts must be listed with [[brand_account]] (the file lists northwind)",
    );
    expect_error(
        &with_ok("\n[[rule]]\nqueue = \"vip\"\naccounts = [\"northwind\"]\n"),
        "\"northwind\"",
        "(the file lists none)",
    );
}

#[test]
fn thresholds_out_of_order_point_at_the_offending_value() {
    let err = expect_error(
        &format!("[thresholds]\nat_risk = 75\nbreached = 60\n{MINIMAL_OK}"),
        "60",
        "breached = 60 must be above at_risk = 75",
    );
    assert_eq!(err.line, 3);
    expect_error(
        &format!("[thresholds]\nescalated = 90\n{MINIMAL_OK}"),
        "90",
        "escalated = 90 must be above breached = 100",
    );
    expect_error(
        &format!("[thresholds]\nat_risk = -5\n{MINIMAL_OK}"),
        "-5",
        "above 0",
    );
    // Fractions of a percent are fine.
    let policy = Policy::parse(
        "policy.toml",
        &format!("[thresholds]\nat_risk = 62.5\nescalated = 150\n{MINIMAL_OK}"),
    )
    .unwrap();
    assert_eq!(
        policy.thresholds,
        SlaThresholds::new(0.625, 1.0, 1.5).unwrap()
    );
}

#[test]
fn a_shift_ending_before_it_starts_points_at_the_shift() {
    expect_error(
        &MINIMAL_OK.replace("[\"08:00-17:00\"]", "[\"17:00-08:00\"]"),
        "\"17:00-08:00\"",
        "ends before it starts",
    );
    expect_error(
        &MINIMAL_OK.replace("[\"08:00-17:00\"]", "[\"8am-5pm\"]"),
        "\"8am-5pm\"",
        "is not a shift: write the start and end as HH:MM-HH:MM",
    );
    expect_error(
        &MINIMAL_OK.replace("[\"08:00-17:00\"]", "[\"08:00-12:00\", \"11:00-17:00\"]"),
        "\"11:00-17:00\"",
        "on Monday this shift overlaps 08:00-12:00",
    );
    // 24:00 ends a shift at midnight; it cannot start one.
    let ok = MINIMAL_OK.replace("[\"08:00-17:00\"]", "[\"18:00-24:00\"]");
    assert!(Policy::parse("policy.toml", &ok).is_ok());
    expect_error(
        &MINIMAL_OK.replace("[\"08:00-17:00\"]", "[\"24:00-24:00\"]"),
        "\"24:00-24:00\"",
        "is not a shift",
    );
}

#[test]
fn calendar_mistakes_point_at_the_day_key_or_holiday() {
    expect_error(
        &MINIMAL_OK.replace("hours.mon-fri", "hours.mondays"),
        "mondays",
        "\"mondays\" is not a day",
    );
    expect_error(
        &MINIMAL_OK.replace(
            "hours.mon-fri = [\"08:00-17:00\"]",
            "hours.mon-fri = [\"08:00-17:00\"]\nholidays = [2026-12-25, \"Christmas\"]",
        ),
        "\"Christmas\"",
        "\"Christmas\" is not a holiday date: write a date such as 2026-12-25",
    );
    expect_error(
        &MINIMAL_OK.replace(
            "hours.mon-fri = [\"08:00-17:00\"]",
            "hours.mon-fri = [\"08:00-17:00\"]\nholidays = [2027-02-30]",
        ),
        "2027-02-30",
        "2027-02-30 is not a holiday date",
    );
    expect_error(
        &MINIMAL_OK.replace("hours.mon-fri = [\"08:00-17:00\"]", "hours.mon-fri = []"),
        "office]",
        "calendar \"office\" has no open hours",
    );
}

#[test]
fn a_bad_colour_points_at_it() {
    expect_error(
        &MINIMAL_OK.replace("\"#123456\"", "\"blue\""),
        "\"blue\"",
        "\"blue\" is not a colour: write a hex colour such as \"#2f80ed\"",
    );
    expect_error(
        &MINIMAL_OK.replace("\"#123456\"", "\"#12345g\""),
        "\"#12345g\"",
        "is not a colour",
    );
}

#[test]
fn queue_ids_and_the_triage_queue_are_checked() {
    expect_error(
        &MINIMAL_OK.replace("id = \"vip\"", "id = \"V I P\""),
        "\"V I P\"",
        "may only use lowercase letters, digits, - and _",
    );
    expect_error(
        &MINIMAL_OK.replace("id = \"triage\"", "id = \"inbox\""),
        "\"inbox\"",
        "no queue has the id \"triage\"",
    );
    let err = Policy::parse("empty.toml", "").unwrap_err();
    assert_eq!(
        err.to_string(),
        "empty.toml:1:1: no queue has the id \"triage\": add a [[queue]] with id = \"triage\" — items that no rule claims go there"
    );
}

#[test]
fn errors_display_as_file_line_column_message() {
    let err = Policy::parse(
        "workspaces/acme/policy.toml",
        &MINIMAL_OK.replace("\"#123456\"", "\"blue\""),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "workspaces/acme/policy.toml:14:9: \"blue\" is not a colour: write a hex colour such as \"#2f80ed\""
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = MINIMAL_OK.replace(
        "label = \"VIP\"\ncolor = \"#123456\"",
        "label = \"VIP\"\ncolor = \"#123456\"\nleads = [\"Zoë\", \"\"]",
    );
    let err = Policy::parse("p.toml", &text).unwrap_err();
    assert_eq!((err.line, err.column), (15, 17), "{err}");
}

// --- Durations --------------------------------------------------------------------------

#[test]
fn durations_parse_and_format() {
    for (text, millis) in [
        ("30m", 30 * MINUTE),
        ("1h", HOUR),
        ("2h30m", 150 * MINUTE),
        ("2h 30m", 150 * MINUTE),
        ("1d", 24 * HOUR),
        ("1d2h3m4s", 24 * HOUR + 2 * HOUR + 3 * MINUTE + 4_000),
        ("90s", 90_000),
        (" 45m ", 45 * MINUTE),
    ] {
        assert_eq!(parse_duration_millis(text), Ok(millis), "{text}");
    }
    for bad in [
        "",
        "30",
        "m",
        "30 minutes",
        "1h1h",
        "30m1h",
        "1.5h",
        "-1h",
        "1w",
        "h1",
        "0h",
    ] {
        assert!(
            parse_duration_millis(bad).is_err(),
            "{bad:?} should be refused"
        );
    }
    for millis in [1_000, 90_000, 150 * MINUTE, 24 * HOUR, 26 * HOUR + 1_000] {
        assert_eq!(
            parse_duration_millis(&format_duration_millis(millis)),
            Ok(millis)
        );
    }
    assert_eq!(format_duration_millis(150 * MINUTE), "2h30m");
    assert_eq!(format_duration_millis(0), "0s");
}
