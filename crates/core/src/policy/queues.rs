//! The `[[queue]]` tables: ids, labels, colours, leads and each queue's SLA.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use super::raw::RawQueue;
use super::spans::Ctx;
use super::{PolicyError, QueueConfig};
use crate::{BusinessCalendar, QueueId};

/// Where each queue id was written, by id: rules check their queue against it.
pub(super) type QueueIdSpans = HashMap<String, Range<usize>>;

impl Ctx<'_> {
    /// The queues in the order written, and where each id was written (by id). One of
    /// them must be `triage`.
    pub(super) fn queues(
        &self,
        raw: Vec<Spanned<RawQueue>>,
        calendars: &BTreeMap<String, Arc<BusinessCalendar>>,
    ) -> Result<(Vec<QueueConfig>, QueueIdSpans), PolicyError> {
        let mut queues: Vec<QueueConfig> = Vec::new();
        let mut first_id_span: Option<Range<usize>> = None;
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        for raw_queue in raw {
            let table = raw_queue.span();
            let raw_queue = raw_queue.into_inner();
            let raw_id = self.required(
                &raw_queue.id,
                &table,
                "this [[queue]] has no id: add one such as id = \"support\"",
            )?;
            let id_span = raw_id.span();
            first_id_span.get_or_insert(id_span.clone());
            let id = raw_id.get_ref().trim().to_owned();
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                return Err(self.error(
                    id_span,
                    format!(
                        "queue id \"{}\" may only use lowercase letters, digits, - and _ (e.g. \"support\")",
                        raw_id.get_ref()
                    ),
                ));
            }
            if let Some(first) = seen.get(&id) {
                let first_line = self.error(first.clone(), "").line;
                return Err(self.error(
                    id_span,
                    format!(
                        "duplicate queue id \"{id}\": it is already used on line {first_line}; give each queue its own id"
                    ),
                ));
            }
            seen.insert(id.clone(), id_span);
            let raw_label = self.required(
                &raw_queue.label,
                &table,
                &format!("queue \"{id}\" has no label: add the name people see, e.g. label = \"Support\""),
            )?;
            let label = raw_label.get_ref().trim().to_owned();
            if label.is_empty() {
                return Err(self.error(
                    raw_label.span(),
                    format!("queue \"{id}\" has an empty label: write the name people see, e.g. \"Support\""),
                ));
            }
            let color = self.color(self.required(
                &raw_queue.color,
                &table,
                &format!("queue \"{id}\" has no colour: add one such as color = \"#2f80ed\""),
            )?)?;
            let mut leads = Vec::new();
            for lead in raw_queue.leads {
                let text = lead.get_ref().trim();
                if text.is_empty() {
                    return Err(self.error(
                        lead.span(),
                        "a lead is empty: write a person's id or email address",
                    ));
                }
                leads.push(text.to_owned());
            }
            let sla = match raw_queue.sla {
                Some(raw_sla) => Some(self.sla(raw_sla, calendars)?),
                None => None,
            };
            queues.push(QueueConfig {
                id: QueueId(id),
                label,
                color,
                leads,
                sla,
            });
        }
        if !seen.contains_key("triage") {
            return Err(self.error(
                first_id_span.unwrap_or(0..0),
                "no queue has the id \"triage\": add a [[queue]] with id = \"triage\" — items that no rule claims go there",
            ));
        }
        Ok((queues, seen))
    }

    fn color(&self, value: &Spanned<String>) -> Result<String, PolicyError> {
        let text = value.get_ref().trim();
        let hex = text.strip_prefix('#').unwrap_or("");
        if (hex.len() == 6 || hex.len() == 3) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(text.to_ascii_lowercase())
        } else {
            Err(self.error(
                value.span(),
                format!(
                    "\"{}\" is not a colour: write a hex colour such as \"#2f80ed\"",
                    value.get_ref()
                ),
            ))
        }
    }
}
