//! Guardrails on replies: the corpus (replies that must be flagged on their exact span,
//! and ordinary good replies in English, German, Spanish and French that must not be, with
//! at most 2 % false positives), UTF-16 spans, public versus private, and the policy's
//! `[guardrails]` section (brand domains, block list, own rules, errors with positions).

#![allow(clippy::print_stdout)] // the corpus test prints its rates and misses

use switchboard_core::guardrails::{refusal, utf16_offset, ReplyContext};
use switchboard_core::{GuardrailAction, GuardrailFinding, GuardrailKind, Policy};

const FLAGGED: &str = include_str!("guardrail_corpus/flagged.tsv");
const CLEAN: &str = include_str!("guardrail_corpus/clean.txt");

const PUBLIC: ReplyContext<'static> = ReplyContext {
    public: true,
    direct_messages: true,
    language: None,
};

const PRIVATE: ReplyContext<'static> = ReplyContext {
    public: false,
    direct_messages: true,
    language: None,
};

fn policy(guardrails: &str) -> Policy {
    let text = format!(
        "[[queue]]\nid = \"triage\"\nlabel = \"Triage\"\ncolor = \"#888888\"\n\n{guardrails}"
    );
    Policy::parse("policy.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

fn northwind() -> Policy {
    policy("[guardrails]\nbrand_domains = [\"northwind.example\"]\n")
}

/// The text of a finding's span (UTF-16 offsets).
fn span(text: &str, f: &GuardrailFinding) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[f.start as usize..f.end as usize]).expect("a whole span")
}

fn lines(corpus: &str) -> impl Iterator<Item = &str> {
    corpus
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

#[test]
fn the_corpus_is_flagged_on_its_spans_and_good_replies_are_not() {
    let policy = northwind();
    let checker = &policy.guardrails;

    let flagged: Vec<(&str, &str, &str)> = lines(FLAGGED)
        .map(|l| {
            let mut parts = l.split('\t');
            let (Some(text), Some(rule), Some(expected), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                panic!("a flagged line is text<TAB>rule<TAB>span: {l:?}")
            };
            (text, rule, expected)
        })
        .collect();
    let mut misses = Vec::new();
    for (text, rule, expected) in &flagged {
        let findings = checker.check(text, &PUBLIC);
        let hit = findings
            .iter()
            .any(|f| f.rule == *rule && span(text, f) == *expected);
        if !hit {
            let got: Vec<String> = findings
                .iter()
                .map(|f| format!("{} “{}”", f.rule, span(text, f)))
                .collect();
            misses.push(format!("{text:?}: wanted {rule} “{expected}”, got {got:?}"));
        }
    }

    let clean: Vec<&str> = lines(CLEAN).collect();
    let mut false_positives = Vec::new();
    for text in &clean {
        let findings = checker.check(text, &PUBLIC);
        if !findings.is_empty() {
            let got: Vec<String> = findings
                .iter()
                .map(|f| format!("{} “{}”", f.rule, span(text, f)))
                .collect();
            false_positives.push(format!("{text:?}: {got:?}"));
        }
    }
    let rate = false_positives.len() as f64 / clean.len() as f64 * 100.0;
    println!(
        "guardrail corpus: {} flagged replies, {} missed; {} good replies, {} false positives ({rate:.2} %)",
        flagged.len(),
        misses.len(),
        clean.len(),
        false_positives.len()
    );
    for miss in &misses {
        println!("  missed: {miss}");
    }
    for fp in &false_positives {
        println!("  false positive: {fp}");
    }
    assert!(
        flagged.len() >= 150,
        "the corpus needs at least 150 flagged replies"
    );
    assert!(
        clean.len() >= 300,
        "the corpus needs at least 300 good replies"
    );
    assert!(misses.is_empty(), "{} flagged replies missed", misses.len());
    assert!(rate <= 2.0, "false positives {rate:.2} % over 2 %");
}

#[test]
fn every_built_in_rule_and_language_is_in_the_corpus() {
    let rules: Vec<&str> = lines(FLAGGED)
        .filter_map(|l| l.split('\t').nth(1))
        .collect();
    for id in switchboard_core::guardrails::BUILTIN_RULES {
        assert!(
            rules.iter().filter(|r| **r == id).count() >= 5,
            "rule {id} has fewer than 5 flagged replies"
        );
    }
}

#[test]
fn spans_count_utf16_units_after_emoji_and_combining_marks() {
    let policy = northwind();
    // "☕🙂" is 3 units; "e\u{301}" 2 units (a combining acute).
    let text = "☕🙂 Café\u{301}: call +44 20 7946 0958!";
    let findings = policy.guardrails.check(text, &PRIVATE);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f.rule, "phone_number");
    assert_eq!(f.kind, GuardrailKind::ContactLeak);
    assert_eq!(f.action, GuardrailAction::Warn);
    let byte = text.find('+').expect("a plus");
    assert_eq!(f.start, utf16_offset(text, byte));
    assert_eq!(
        f.start as usize,
        "☕🙂 Café\u{301}: call ".encode_utf16().count()
    );
    assert_eq!(span(text, f), "+44 20 7946 0958");
}

#[test]
fn private_details_are_flagged_only_in_public_replies() {
    let policy = northwind();
    let text = "Your order #NW-70506 goes to 12 rue de la Paix tomorrow.";
    let public = policy.guardrails.check(text, &PUBLIC);
    let rules: Vec<&str> = public.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["order_number_public", "address_public"]);
    assert!(
        public[0].message.contains("direct message"),
        "{}",
        public[0].message
    );
    let no_dms = ReplyContext {
        direct_messages: false,
        ..PUBLIC
    };
    let without = policy.guardrails.check(text, &no_dms);
    assert!(
        without[0].message.contains("no direct messages"),
        "{}",
        without[0].message
    );
    assert!(policy.guardrails.check(text, &PRIVATE).is_empty());
}

#[test]
fn brand_addresses_are_not_leaks_but_others_are() {
    let text = "Write to help@northwind.example or to me at jo@gmail.com.";
    let findings = northwind().guardrails.check(text, &PRIVATE);
    let found: Vec<(String, String)> = findings
        .iter()
        .map(|f| (f.rule.clone(), span(text, f)))
        .collect();
    assert_eq!(
        found,
        [("personal_email".to_owned(), "jo@gmail.com".to_owned())]
    );
    // Without brand domains every address is outside them.
    let bare = policy("").guardrails.check(text, &PRIVATE);
    assert_eq!(bare.len(), 2);
}

#[test]
fn the_policy_makes_rules_block_adds_its_own_and_turns_some_off() {
    let policy = policy(
        r#"[guardrails]
brand_domains = ["northwind.example", "@Northwind.co.uk"]
brand_phones = ["+44 20 7946 0000"]
block = ["phone_number"]
off = ["sarcasm"]

[[guardrails.rule]]
id = "refund_promise"
pattern = '\bguaranteed?\s+(?:a\s+)?(?:full\s+)?refund'
languages = ["en"]
message = "Only a lead can promise a refund."
action = "block"
kind = "tone"

[[guardrails.rule]]
id = "blame"
pattern = '\bnot\s+my\s+job\b'
message = "Our own blame rule."
"#,
    );
    let g = &policy.guardrails;
    assert_eq!(
        g.settings.brand_domains,
        ["northwind.example", "northwind.co.uk"]
    );
    let phone = g.check("Call me on 07700 900123.", &PRIVATE);
    assert_eq!(phone[0].action, GuardrailAction::Block);
    assert!(g
        .check("Our line is +44 20 7946 0000.", &PRIVATE)
        .is_empty());
    assert!(g.check("Yeah right, sure, because.", &PRIVATE).is_empty());
    let promise = g.check("We guarantee a full refund!", &PRIVATE);
    assert_eq!(promise.len(), 1);
    assert_eq!(promise[0].rule, "refund_promise");
    assert_eq!(promise[0].message, "Only a lead can promise a refund.");
    assert_eq!(promise[0].action, GuardrailAction::Block);
    // Languages: the rule runs on English conversations (and unknown ones) only.
    let german = ReplyContext {
        language: Some("de-AT"),
        ..PRIVATE
    };
    assert!(g.check("We guarantee a full refund!", &german).is_empty());
    let english = ReplyContext {
        language: Some("en-GB"),
        ..PRIVATE
    };
    assert_eq!(g.check("We guarantee a full refund!", &english).len(), 1);
    // A rule with a built-in id replaces it.
    assert!(g.check("As I already said, no.", &PRIVATE).is_empty());
    assert_eq!(
        g.check("That's not my job.", &PRIVATE)[0].message,
        "Our own blame rule."
    );
}

#[test]
fn guardrail_mistakes_are_reported_where_they_are() {
    let cases: [(&str, &str); 9] = [
        (
            "[guardrails]\nbrand_domains = [\"northwind\"]\n",
            "policy.toml:7:18: \"northwind\" is not an e-mail domain",
        ),
        (
            "[guardrails]\nblock = [\"phone\"]\n",
            "policy.toml:7:10: unknown built-in rule \"phone\" in block: use one of phone_number,",
        ),
        (
            "[guardrails]\nbrand_phones = [\"call us\"]\n",
            "policy.toml:7:17: \"call us\" is not a phone number",
        ),
        (
            "[[guardrails.rule]]\nid = \"x\"\npattern = '(unclosed'\nmessage = \"m\"\n",
            "policy.toml:8:11: the pattern \"(unclosed\" is not valid: unclosed group",
        ),
        (
            "[[guardrails.rule]]\nid = \"x\"\nmessage = \"m\"\n",
            "policy.toml:6:1: this [[guardrails.rule]] has no pattern",
        ),
        (
            "[[guardrails.rule]]\nid = \"x\"\npattern = 'a'\nmessage = \"m\"\naction = \"stop\"\n",
            "policy.toml:10:10: unknown action \"stop\"",
        ),
        (
            "[[guardrails.rule]]\nid = \"x\"\npattern = 'a'\nmessage = \"m\"\nkind = \"rude\"\n",
            "policy.toml:10:8: unknown kind \"rude\"",
        ),
        (
            "[[guardrails.rule]]\nid = \"Bad Id\"\npattern = 'a'\nmessage = \"m\"\n",
            "policy.toml:7:6: the rule id \"Bad Id\" must be lowercase",
        ),
        (
            "[guardrails]\nwarn = []\n",
            "policy.toml:7:1: unknown field `warn`",
        ),
    ];
    for (section, expected) in cases {
        let text = format!(
            "[[queue]]\nid = \"triage\"\nlabel = \"Triage\"\ncolor = \"#888888\"\n\n{section}"
        );
        let error = Policy::parse("policy.toml", &text)
            .expect_err(section)
            .to_string();
        assert!(
            error.starts_with(expected),
            "for {section:?}\n  got:  {error}\n  want: {expected}…"
        );
    }
}

#[test]
fn the_demo_policy_knows_the_brand_and_its_forbidden_promises() {
    let demo = Policy::demo();
    let g = &demo.guardrails;
    assert!(g
        .settings
        .brand_domains
        .contains(&"northwind.example".to_owned()));
    assert!(g
        .check("Mail help@northwind.example any time.", &PRIVATE)
        .is_empty());
    assert!(!g.check("We guarantee a full refund.", &PRIVATE).is_empty());
}

#[test]
fn the_send_question_names_the_findings_and_blocks_say_so() {
    let policy = northwind();
    let g = &policy.guardrails;
    let text = "Call +44 20 7946 0958, you should have checked first.";
    let findings = g.check(text, &PRIVATE);
    let asked = refusal(g.guardrails(), text, &findings, &[]).expect("asks first");
    assert!(!asked.blocked);
    assert_eq!(asked.rules, ["phone_number", "blame"]);
    assert_eq!(
        asked.message,
        "This reply has a phone number (“+44 20 7946 0958”) and sounds defensive (“you should have”). Send it anyway?"
    );
    let confirmed = vec!["phone_number".to_owned(), "blame".to_owned()];
    assert_eq!(refusal(g.guardrails(), text, &findings, &confirmed), None);
    let partly = refusal(g.guardrails(), text, &findings, &confirmed[..1]).expect("blame left");
    assert_eq!(partly.rules, ["blame"]);

    let strict = self::policy("[guardrails]\nblock = [\"phone_number\"]\n");
    let findings = strict.guardrails.check(text, &PRIVATE);
    let blocked = refusal(strict.guardrails.guardrails(), text, &findings, &confirmed)
        .expect("blocked whatever is confirmed");
    assert!(blocked.blocked);
    assert!(
        blocked
            .message
            .contains("the workspace policy does not allow sending it: it has a phone number (“+44 20 7946 0958”)"),
        "{}",
        blocked.message
    );
}

mod any_text {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever is typed (any Unicode, digits, @, capitals, emoji), the check does not
        /// fail and every span is a whole, non-empty piece of the text.
        #[test]
        fn spans_are_whole_pieces_of_the_text(
            text in "(\\PC|[0-9 +()@.#-]|[A-Z]{2,6} |🙂|e\u{301}|WhatsApp me|\n){0,80}",
            public in any::<bool>(),
        ) {
            let policy = northwind();
            let context = ReplyContext { public, direct_messages: true, language: None };
            let units: Vec<u16> = text.encode_utf16().collect();
            for f in policy.guardrails.check(&text, &context) {
                prop_assert!(f.start < f.end && f.end as usize <= units.len(), "{f:?}");
                prop_assert!(
                    String::from_utf16(&units[f.start as usize..f.end as usize]).is_ok(),
                    "{f:?} splits a character"
                );
            }
        }
    }
}
