//! The digest a region of a list is remembered by: a small **invertible Bloom lookup
//! table** (IBLT) of the entries' hashes.
//!
//! Each entry is added to one cell in each of three groups (chosen by its hash); a cell
//! keeps how many entries it holds, the XOR of their hashes and the XOR of a second hash
//! of each (a check). Subtracting the digest stored for a region from the one of what it
//! holds now leaves only the entries that arrived (+1) or left (−1). A cell holding exactly
//! one of them shows it (its check matches); taking it out of its other cells frees more.
//! With 3 × 4 cells, a few changes at once are recovered exactly (one always; two about 49
//! times in 50, five about 4 in 5, see the tests); otherwise nothing is recovered and the
//! caller gives the whole region again.
//!
//! Stored as 336 hex digits: per cell, count (4), hash XOR (16), check XOR (8).

use std::collections::HashSet;
use std::fmt::Write;

/// Cells per group.
const WIDTH: u64 = 4;
/// Groups: each entry is in one cell of each.
const GROUPS: usize = 3;
const CELLS: usize = GROUPS * WIDTH as usize;
const CELL_HEX: usize = 4 + 16 + 8;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Cell {
    /// Entries in the cell (wrapping; a difference of −1 reads as `u16::MAX`).
    count: u16,
    xor: u64,
    check: u32,
}

/// The digest of a set of entry hashes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Digest {
    cells: [Cell; CELLS],
}

/// What changed between two digests.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Hashes that arrived.
    pub arrived: Vec<u64>,
    /// Hashes that left.
    pub left: Vec<u64>,
}

fn cells_of(hash: u64) -> [usize; GROUPS] {
    let mut cells = [0; GROUPS];
    for (group, cell) in cells.iter_mut().enumerate() {
        let part = (hash >> (group * 21)) % WIDTH;
        *cell = group * WIDTH as usize + part as usize;
    }
    cells
}

fn check_of(hash: u64) -> u32 {
    let mut z = hash ^ 0x5851_f42d_4c95_7f2d;
    z = (z ^ (z >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    z = (z ^ (z >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    (z >> 32) as u32
}

impl Digest {
    /// The digest of `hashes`.
    pub fn of(hashes: impl IntoIterator<Item = u64>) -> Self {
        let mut digest = Digest::default();
        for hash in hashes {
            digest.toggle(hash, 1);
        }
        digest
    }

    fn toggle(&mut self, hash: u64, delta: u16) {
        let check = check_of(hash);
        for index in cells_of(hash) {
            let cell = &mut self.cells[index];
            cell.count = cell.count.wrapping_add(delta);
            cell.xor ^= hash;
            cell.check ^= check;
        }
    }

    /// What changed from `before` to `self`, if it can be recovered.
    pub fn changes_since(&self, before: &Digest) -> Option<Changes> {
        let mut diff = Digest::default();
        for (d, (now, then)) in diff
            .cells
            .iter_mut()
            .zip(self.cells.iter().zip(&before.cells))
        {
            *d = Cell {
                count: now.count.wrapping_sub(then.count),
                xor: now.xor ^ then.xor,
                check: now.check ^ then.check,
            };
        }
        let mut changes = Changes::default();
        let mut seen = HashSet::new();
        while let Some(index) = (0..CELLS).find(|&i| diff.pure(i)) {
            let cell = diff.cells[index];
            if !seen.insert(cell.xor) {
                return None;
            }
            if cell.count == 1 {
                changes.arrived.push(cell.xor);
                diff.toggle(cell.xor, u16::MAX);
            } else {
                changes.left.push(cell.xor);
                diff.toggle(cell.xor, 1);
            }
        }
        (diff == Digest::default()).then_some(changes)
    }

    /// Whether cell `index` holds exactly one changed entry.
    fn pure(&self, index: usize) -> bool {
        let cell = self.cells[index];
        (cell.count == 1 || cell.count == u16::MAX)
            && check_of(cell.xor) == cell.check
            && cells_of(cell.xor).contains(&index)
    }

    /// The digest as stored.
    pub fn to_hex(&self) -> String {
        let mut out = String::with_capacity(CELLS * CELL_HEX);
        for cell in &self.cells {
            let _ = write!(out, "{:04x}{:016x}{:08x}", cell.count, cell.xor, cell.check);
        }
        out
    }

    /// Reads a digest written by [`Digest::to_hex`].
    pub fn from_hex(text: &str) -> Option<Self> {
        if text.len() != CELLS * CELL_HEX || !text.is_ascii() {
            return None;
        }
        let mut digest = Digest::default();
        for (cell, chunk) in digest
            .cells
            .iter_mut()
            .zip(text.as_bytes().chunks(CELL_HEX))
        {
            let chunk = std::str::from_utf8(chunk).ok()?;
            *cell = Cell {
                count: u16::from_str_radix(&chunk[..4], 16).ok()?,
                xor: u64::from_str_radix(&chunk[4..20], 16).ok()?,
                check: u32::from_str_radix(&chunk[20..], 16).ok()?,
            };
        }
        Some(digest)
    }
}

impl serde::Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for Digest {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Digest::from_hex(&text).ok_or_else(|| serde::de::Error::custom("not a region digest"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tid::stable_hash;

    fn hashes(range: std::ops::Range<u32>) -> Vec<u64> {
        range.map(|n| stable_hash(&n.to_le_bytes())).collect()
    }

    #[test]
    fn nothing_changed_is_no_change_and_the_digest_round_trips() {
        let digest = Digest::of(hashes(0..90));
        assert_eq!(digest.changes_since(&digest), Some(Changes::default()));
        assert_eq!(Digest::from_hex(&digest.to_hex()), Some(digest.clone()));
        assert_eq!(digest.to_hex().len(), 336);
        assert_eq!(Digest::from_hex("00"), None);
    }

    #[test]
    fn one_arrival_or_departure_is_always_recovered() {
        let all = hashes(0..91);
        for n in 0..91 {
            let without: Vec<u64> = all.iter().copied().filter(|&h| h != all[n]).collect();
            let before = Digest::of(without.iter().copied());
            let after = Digest::of(all.iter().copied());
            let arrived = after.changes_since(&before).expect("one change");
            assert_eq!(arrived.arrived, vec![all[n]]);
            assert!(arrived.left.is_empty());
            let left = before.changes_since(&after).expect("one change");
            assert_eq!(left.left, vec![all[n]]);
        }
    }

    #[test]
    fn a_few_changes_are_mostly_recovered_and_never_wrongly() {
        let mut recovered = [0u32; 7];
        for trial in 0..2000u32 {
            let base = hashes(trial * 1000..trial * 1000 + 90);
            for changes in 1..=6usize {
                let gone = &base[..changes / 2];
                let new =
                    hashes(trial * 1000 + 500..trial * 1000 + 500 + (changes - gone.len()) as u32);
                let before = Digest::of(base.iter().copied());
                let after = Digest::of(
                    base[gone.len()..]
                        .iter()
                        .copied()
                        .chain(new.iter().copied()),
                );
                if let Some(found) = after.changes_since(&before) {
                    let mut arrived = found.arrived.clone();
                    arrived.sort_unstable();
                    let mut expected = new.clone();
                    expected.sort_unstable();
                    assert_eq!(arrived, expected, "a recovery is exact");
                    recovered[changes] += 1;
                }
            }
        }
        assert_eq!(recovered[1], 2000);
        assert!(recovered[2] > 1900, "{recovered:?}");
        assert!(recovered[3] > 1700, "{recovered:?}");
        eprintln!("recovered out of 2000, by number of changes: {recovered:?}");
    }
}
