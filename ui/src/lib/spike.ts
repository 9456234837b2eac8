// A queue's spike in words: the marker on the sidebar ("Spike · 5×") and what it says in full.
import type { SpikeView } from './bindings';

/** "5×", "2.5×": the factor over the usual rate, rounded for a glance. */
export function spikeFactor(spike: SpikeView): string {
  const factor = spike.factor >= 10 ? Math.round(spike.factor) : Math.round(spike.factor * 10) / 10;
  return `${factor}×`;
}

/** The marker's text: "Spike · 5×". */
export function spikeLabel(spike: SpikeView): string {
  return `Spike · ${spikeFactor(spike)}`;
}

/** The marker's title: "46 new in 10 min, 5× usual — top words: outage, login" (and the keyword, if it is one's). */
export function spikeTitle(spike: SpikeView): string {
  const about = spike.keyword !== null ? ` about “${spike.keyword}”` : '';
  const words = spike.top_words.length > 0 ? ` — top words: ${spike.top_words.join(', ')}` : '';
  return `${spike.count} new${about} in ${spike.window_minutes} min, ${spikeFactor(spike)} usual${words}`;
}
