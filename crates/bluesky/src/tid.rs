//! Record keys for replies, derived from the idempotency key.
//!
//! A post's **record key** (rkey, the last part of its `at://` URI) must be a **TID**: 13
//! characters of base32-sortable (`234567abcdefghijklmnopqrstuvwxyz`) encoding a 64-bit
//! number whose top bit is 0, then 53 bits of microseconds since the epoch, then a 10-bit
//! clock id. Creating a record whose key exists fails, so a reply whose key is derived
//! from the **idempotency key** alone cannot be posted twice: a retry finds the record of
//! the first attempt instead.
//!
//! The time part is the idempotency key's own time when it is a UUID version 7 (so the
//! reply sorts about when it was written), else a point in 2023 chosen by the key's hash
//! (never in the future, so a sync position kept as the newest key seen never jumps
//! ahead). The rest comes from a hash that is stable across builds (FNV-1a, mixed).

const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
/// 2023-01-01T00:00:00Z in microseconds.
const FALLBACK_ERA_MICROS: u64 = 1_672_531_200_000_000;
/// A year in microseconds.
const YEAR_MICROS: u64 = 365 * 24 * 3600 * 1_000_000;

/// The record key a reply with `idempotency_key` is posted under.
pub fn record_key_for(idempotency_key: &str) -> String {
    let hash = stable_hash(idempotency_key.as_bytes());
    let micros = match uuid_v7_millis(idempotency_key) {
        Some(millis) => millis * 1000 + (hash >> 20) % 1000,
        None => FALLBACK_ERA_MICROS + (hash >> 10) % YEAR_MICROS,
    };
    let clock_id = hash & 0x3ff;
    encode(((micros & ((1 << 53) - 1)) << 10) | clock_id)
}

/// Whether `key` is a syntactically valid TID.
pub fn is_valid(key: &str) -> bool {
    key.len() == 13
        && key.bytes().all(|b| ALPHABET.contains(&b))
        && b"234567abcdefghij".contains(&key.as_bytes()[0])
}

fn encode(mut value: u64) -> String {
    let mut out = [b'2'; 13];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(value & 31) as usize];
        value >>= 5;
    }
    out.iter().map(|&b| b as char).collect()
}

/// The millisecond timestamp of a UUID version 7 (`xxxxxxxx-xxxx-7xxx-…`).
fn uuid_v7_millis(key: &str) -> Option<u64> {
    let hex: String = key.chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    if hex.as_bytes()[12] != b'7' {
        return None;
    }
    u64::from_str_radix(&hex[..12], 16).ok()
}

/// FNV-1a 64 with a SplitMix64 finaliser: the same value on every build and platform.
pub(crate) fn stable_hash(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash = (hash ^ (hash >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash = (hash ^ (hash >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    hash ^ (hash >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_key_gives_the_same_valid_record_key_and_others_differ() {
        let a = record_key_for("reply-1");
        assert_eq!(
            a,
            record_key_for("reply-1"),
            "derivation must be deterministic"
        );
        assert_ne!(a, record_key_for("reply-2"));
        for key in ["", "reply-1", "0190f1a2-7b3c-7def-8123-456789abcdef", "😀"] {
            let rkey = record_key_for(key);
            assert!(is_valid(&rkey), "{rkey} from {key:?} must be a TID");
        }
    }

    #[test]
    fn a_uuid_v7_key_dates_the_record_key_at_the_uuids_time() {
        // 0x0190f1a27b3c ms = 2024-07-19T…: the TID's time part must be within that ms.
        let rkey = record_key_for("0190f1a2-7b3c-7def-8123-456789abcdef");
        let value = rkey.bytes().fold(0u64, |acc, b| {
            (acc << 5) | ALPHABET.iter().position(|&a| a == b).unwrap() as u64
        });
        assert_eq!((value >> 10) / 1000, 0x0190_f1a2_7b3c);
    }

    #[test]
    fn other_keys_are_dated_in_the_past() {
        let rkey = record_key_for("not-a-uuid");
        let value = rkey.bytes().fold(0u64, |acc, b| {
            (acc << 5) | ALPHABET.iter().position(|&a| a == b).unwrap() as u64
        });
        let micros = value >> 10;
        assert!((FALLBACK_ERA_MICROS..FALLBACK_ERA_MICROS + YEAR_MICROS).contains(&micros));
        assert_eq!(stable_hash(b"switchboard"), stable_hash(b"switchboard"));
    }
}
