//! `[queue.sla]` tables: the calendar a queue's clock runs on, its first- and
//! next-response targets, and per-kind overrides.

use std::collections::BTreeMap;
use std::sync::Arc;

use toml::Spanned;

use super::duration::parse_duration_millis;
use super::raw::{DurationText, RawKindTarget, RawSla};
use super::spans::Ctx;
use super::PolicyError;
use crate::{BusinessCalendar, ItemKind, SlaPolicy, SlaTarget};

impl Ctx<'_> {
    pub(super) fn sla(
        &self,
        raw: Spanned<RawSla>,
        calendars: &BTreeMap<String, Arc<BusinessCalendar>>,
    ) -> Result<SlaPolicy, PolicyError> {
        let table = raw.span();
        let raw = raw.into_inner();
        let raw_calendar = self.required(
            &raw.calendar,
            &table,
            "this SLA has no calendar: add the name of one, e.g. calendar = \"office\"",
        )?;
        let calendar_name = raw_calendar.get_ref().trim();
        let calendar = calendars.get(calendar_name).ok_or_else(|| {
            let known = if calendars.is_empty() {
                "the file defines none: add a [calendar.NAME] table".to_owned()
            } else {
                format!(
                    "the file defines {}",
                    calendars
                        .keys()
                        .map(|k| format!("\"{k}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            self.error(
                raw_calendar.span(),
                format!("unknown calendar \"{}\": {known}", raw_calendar.get_ref()),
            )
        })?;
        let first = self.duration(self.required(
            &raw.first_response,
            &table,
            "this SLA has no first_response target: add one such as first_response = \"1h\"",
        )?)?;
        let next = match &raw.next_response {
            Some(next) => self.duration(next)?,
            None => first,
        };
        let default = SlaTarget {
            first_response_millis: first,
            next_response_millis: next,
        };
        let mut per_kind = Vec::new();
        for (kind, value) in [
            (ItemKind::Mention, &raw.mention),
            (ItemKind::Reply, &raw.reply),
            (ItemKind::Quote, &raw.quote),
            (ItemKind::Comment, &raw.comment),
            (ItemKind::DirectMessage, &raw.direct_message),
        ] {
            let Some(value) = value else { continue };
            let target = match value.get_ref() {
                RawKindTarget::Both(text) => SlaTarget::both(
                    self.duration(&Spanned::new(value.span(), DurationText(text.clone())))?,
                ),
                RawKindTarget::Split { first, next } => SlaTarget {
                    first_response_millis: match first {
                        Some(f) => self.duration(f)?,
                        None => default.first_response_millis,
                    },
                    next_response_millis: match next {
                        Some(n) => self.duration(n)?,
                        None => default.next_response_millis,
                    },
                },
            };
            per_kind.push((kind, target));
        }
        Ok(SlaPolicy {
            default,
            per_kind,
            calendar_name: calendar_name.to_owned(),
            calendar: Arc::clone(calendar),
        })
    }

    fn duration(&self, value: &Spanned<DurationText>) -> Result<i64, PolicyError> {
        parse_duration_millis(&value.get_ref().0)
            .map_err(|message| self.error(value.span(), message))
    }
}
