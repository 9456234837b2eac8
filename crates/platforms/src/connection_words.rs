//! A failed connection in plain words, for every platform client: what the person at the
//! laptop can act on ("nothing answers at that address"), never the technical chain.

/// The error and its causes, joined by `": "` — for the debug log, not for people.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

/// What went wrong with a connection whose [`error_chain`] is `chain`, in plain words.
pub fn connection_failure_words(chain: &str, timed_out: bool) -> &'static str {
    let chain = chain.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| chain.contains(w));
    if timed_out {
        "it did not answer in time"
    } else if has(&["dns", "lookup", "name or service not known", "no such host"]) {
        "no server has that name; check the address"
    } else if has(&["connection refused"]) {
        "nothing answers at that address"
    } else if has(&["certificate", "unknownissuer", "notvalidforname"]) {
        "its https certificate is not valid"
    } else if has(&[
        "tls",
        "corrupt message",
        "invalidcontenttype",
        "handshake",
        "ssl",
    ]) {
        "it does not answer on https"
    } else if has(&["network is unreachable", "no route to host"]) {
        "this computer cannot reach that network"
    } else if has(&["reset", "broken pipe", "closed", "incomplete"]) {
        "the connection was cut off"
    } else {
        "the connection failed"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_has_its_words() {
        assert_eq!(
            connection_failure_words("error sending request: dns error: failed to lookup", false),
            "no server has that name; check the address"
        );
        assert_eq!(
            connection_failure_words(
                "tcp connect error: Connection refused (os error 111)",
                false
            ),
            "nothing answers at that address"
        );
        assert_eq!(
            connection_failure_words("anything", true),
            "it did not answer in time"
        );
        assert_eq!(
            connection_failure_words("odd", false),
            "the connection failed"
        );
    }

    #[test]
    fn the_chain_names_every_cause() {
        let io = std::io::Error::other("refused");
        assert_eq!(error_chain(&io), "refused");
    }
}
