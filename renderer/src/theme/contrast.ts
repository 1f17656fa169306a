/**
 * Text colours that meet WCAG 2.2 AA (4.5:1 for body text) on the surfaces they are drawn on. Mantine's defaults do
 * not: hint text (`dimmed`) is 3.32:1 on white and 3.53:1 on dark cards, and the "light" variant of yellow, orange
 * and teal (badges, alerts) is 2.7–4.3:1. Rather than hand-picking every shade, each colour is darkened (light
 * scheme) or lightened (dark scheme) from Mantine's own choice just until it reads on all its backgrounds, so the
 * palette keeps its look and the rule holds for any colour added to the theme later.
 */
import { darken, lighten, luminance } from '@mantine/core';

/** WCAG 2.x AA for normal-size text; a little headroom above 4.5 absorbs rounding in the browser's blending. */
export const MIN_TEXT_CONTRAST = 4.6;

export function contrastRatio(foreground: string, background: string): number {
  const [lighter, darker] = [luminance(foreground), luminance(background)].sort((a, b) => b - a) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

function toHex(color: string): string {
  const match = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color);
  if (!match) {
    return color;
  }
  return `#${match
    .slice(1, 4)
    .map((part) => Number(part).toString(16).padStart(2, '0'))
    .join('')}`;
}

/**
 * The colour closest to `color` (darker on light surfaces, lighter on dark ones) that reaches MIN_TEXT_CONTRAST on
 * every background; `color` itself when it already does.
 */
export function readableOn(color: string, backgrounds: readonly string[], scheme: 'light' | 'dark'): string {
  const reads = (candidate: string): boolean =>
    backgrounds.every((background) => contrastRatio(candidate, background) >= MIN_TEXT_CONTRAST);
  if (reads(color)) {
    return color;
  }
  for (let step = 0.02; step <= 1; step += 0.02) {
    const candidate = toHex(scheme === 'light' ? darken(color, step) : lighten(color, step));
    if (reads(candidate)) {
      return candidate;
    }
  }
  return scheme === 'light' ? '#000000' : '#ffffff';
}
