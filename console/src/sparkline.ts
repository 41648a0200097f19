// Availability over the last hour as a strip: green while available, red while not.
import { HISTORY_MS, type Sample } from './apiservices.ts';
import { s } from './dom.ts';

const WIDTH = 120;
const HEIGHT = 18;

/** Share of the window (since the first sample) that was available, 0..1. */
export function availableShare(samples: readonly Sample[], now: number): number {
  const start = Math.max(now - HISTORY_MS, samples[0]?.t ?? now);
  if (now <= start) return samples.length > 0 && samples[samples.length - 1].available ? 1 : 0;
  let up = 0;
  samples.forEach((sample, i) => {
    const from = Math.max(sample.t, start);
    const to = i + 1 < samples.length ? samples[i + 1].t : now;
    if (sample.available && to > from) up += to - from;
  });
  return up / (now - start);
}

/**
 * The window is the last hour, or less while the page has been open for less: history is
 * kept in the browser from the watch, so there is nothing to draw before the page opened.
 */
export function sparkline(samples: readonly Sample[], now: number): SVGElement {
  const windowStart = Math.max(now - HISTORY_MS, Math.min(samples[0]?.t ?? now, now - 1000));
  const span = now - windowStart;
  const x = (t: number) => ((Math.max(t, windowStart) - windowStart) / span) * WIDTH;
  const share = availableShare(samples, now);
  const minutes = Math.max(1, Math.round(span / 60_000));
  const svg = s('svg', { class: 'sparkline', width: WIDTH, height: HEIGHT, viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `available ${Math.round(share * 100)}% of the last ${minutes} min` });
  svg.append(s('title', {}, `available ${Math.round(share * 100)}% of the last ${minutes} min (watched since the page opened, at most an hour)`));
  svg.append(s('rect', { x: 0, y: HEIGHT / 2 - 1, width: WIDTH, height: 2, class: 'spark-none' }));
  samples.forEach((sample, i) => {
    const from = x(sample.t);
    const to = x(i + 1 < samples.length ? samples[i + 1].t : now);
    svg.append(s('rect', { x: from, y: 2, width: Math.max(to - from, 1.5), height: HEIGHT - 4, class: sample.available ? 'spark-up' : 'spark-down' }));
  });
  return svg;
}
