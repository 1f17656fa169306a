import { DEFAULT_THEME, luminance, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { contrastRatio } from './contrast';
import { cssVariablesResolver } from './css-variables';
import { theme } from './theme';

const merged = mergeMantineTheme(DEFAULT_THEME, theme);
const resolved = cssVariablesResolver(merged);
const { gray, dark } = merged.colors;
/** Where the app draws text: page, cards, table rows (WCAG AA: 4.5:1 for normal text). */
const SURFACES = { light: ['#ffffff', gray[0], gray[1]], dark: [dark[7], dark[6], dark[5]] } as const;
const COLOURS = Object.keys(merged.colors).filter((name) => name !== 'dark' && name !== 'gray');

/** A palette reference such as `var(--mantine-color-gray-6)` as the colour it stands for. */
function actual(value: string): string {
  const reference = /^var\(--mantine-color-([a-z]+)-(\d)\)$/.exec(value);
  return reference ? (merged.colors[reference[1] ?? '']?.[Number(reference[2])] ?? value) : value;
}

function ratiosBelowAa(scheme: 'light' | 'dark', variable: `--${string}`, backgrounds: readonly string[]): string[] {
  const colour = actual(resolved[scheme][variable] ?? '');
  expect(colour, `${scheme} ${variable} is set`).not.toBe('');
  return backgrounds
    .map((background) => ({ background, ratio: contrastRatio(colour, background) }))
    .filter(({ ratio }) => ratio < 4.5)
    .map(({ background, ratio }) => `${scheme} ${variable} ${colour} on ${background}: ${ratio.toFixed(2)}`);
}

describe('theme colours meet WCAG AA contrast', () => {
  it('hint text (dimmed) reads on every surface in both schemes (Mantine gives 3.32:1 on white)', () => {
    expect([
      ...ratiosBelowAa('light', '--mantine-color-dimmed', SURFACES.light),
      ...ratiosBelowAa('dark', '--mantine-color-dimmed', SURFACES.dark),
    ]).toEqual([]);
  });

  it('placeholders read on input backgrounds; field errors and links on every surface', () => {
    expect([
      ...ratiosBelowAa('light', '--mantine-color-placeholder', ['#ffffff']),
      ...ratiosBelowAa('dark', '--mantine-color-placeholder', [dark[6]]),
      ...ratiosBelowAa('light', '--mantine-color-error', SURFACES.light),
      ...ratiosBelowAa('dark', '--mantine-color-error', SURFACES.dark),
      ...ratiosBelowAa('light', '--mantine-color-anchor', SURFACES.light),
      ...ratiosBelowAa('dark', '--mantine-color-anchor', SURFACES.dark),
    ]).toEqual([]);
  });

  it('the light variant (badges, alerts) reads on its own tint, and coloured text reads on the page', () => {
    const failures = COLOURS.flatMap((name) => {
      const shades = merged.colors[name] ?? [];
      return [
        ...ratiosBelowAa('light', `--mantine-color-${name}-light-color`, [shades[1] ?? '', '#ffffff']),
        ...ratiosBelowAa('light', `--mantine-color-${name}-text`, SURFACES.light),
        ...ratiosBelowAa('light', `--mantine-color-${name}-outline`, SURFACES.light),
        ...ratiosBelowAa('dark', `--mantine-color-${name}-text`, SURFACES.dark),
        ...ratiosBelowAa('dark', `--mantine-color-${name}-outline`, SURFACES.dark),
      ];
    });
    expect(failures).toEqual([]);
  });

  it('white labels read on filled buttons (Mantine: 3.04:1 on orange, 3.84:1 on red); light fills get black', () => {
    const failures = COLOURS.flatMap((name) => {
      // What autoContrast writes on the fill in both schemes: decided on the light primary shade (7), black when
      // it is above the theme's luminance threshold, white below.
      const label = luminance(merged.colors[name]?.[7] ?? '') > merged.luminanceThreshold ? merged.black : merged.white;
      return [
        ...ratiosBelowAa('light', `--mantine-color-${name}-filled`, [label]),
        ...ratiosBelowAa('dark', `--mantine-color-${name}-filled`, [label]),
      ];
    });
    expect(failures).toEqual([]);
  });

  it('keeps colours that already read as Mantine made them', () => {
    // nexis 7 (the light primary) is 6.3:1 on white: no reason to change the brand colour.
    expect(resolved.light['--mantine-color-nexis-text']).toBe(merged.colors.nexis?.[7]);
  });
});
