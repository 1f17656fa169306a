/**
 * CSS variables over Mantine's defaults, so that every text colour a screen uses reads at WCAG AA in both colour
 * schemes: hint text (`c="dimmed"`), placeholders, coloured text (`c="red"`), and the light and outline variants of
 * badges, alerts and buttons. Surfaces are the ones the app draws text on: the page, cards and table rows, and for
 * the light variant its own tinted background.
 */
import { darken, getPrimaryShade, luminance, type CSSVariablesResolver, type MantineTheme } from '@mantine/core';
import { readableOn } from './contrast';

type Variables = Record<`--${string}`, string>;

function surfaces(theme: MantineTheme) {
  const { gray, dark } = theme.colors;
  return {
    light: [theme.white, gray[0], gray[1]],
    // Page (dark 7), cards and inputs (dark 6), a hovered row or a filled input (dark 5), the header (dark 8).
    dark: [dark[7], dark[6], dark[5], dark[8]],
  };
}

/**
 * A filled button or badge. Mantine's autoContrast picks the label colour once for both schemes, from the colour's
 * light-scheme shade: black when that shade is lighter than the theme's luminance threshold, else white. White is
 * too light a label for orange 7 (3.0:1) or red 6 (3.3:1), so the fill is darkened until the label reads (and a fill
 * under a black label lightened); hover is a step further, as in Mantine.
 */
function filled(theme: MantineTheme, shades: readonly string[], scheme: 'light' | 'dark'): [string, string] {
  const fill = shades[getPrimaryShade(theme, scheme)] ?? theme.black;
  const blackLabel =
    theme.autoContrast && luminance(shades[getPrimaryShade(theme, 'light')] ?? fill) > theme.luminanceThreshold;
  if (blackLabel) {
    const readable = readableOn(fill, [theme.black], 'dark');
    return [readable, darken(readable, 0.08)];
  }
  const readable = readableOn(fill, [theme.white], 'light');
  return [readable, darken(readable, 0.1)];
}

function colourVariables(theme: MantineTheme, scheme: 'light' | 'dark'): Variables {
  const variables: Variables = {};
  const pages = surfaces(theme)[scheme];
  for (const [name, shades] of Object.entries(theme.colors)) {
    if (name === 'dark' || name === 'gray') {
      continue;
    }
    [variables[`--mantine-color-${name}-filled`], variables[`--mantine-color-${name}-filled-hover`]] = filled(
      theme,
      shades,
      scheme,
    );
    if (scheme === 'light') {
      // Mantine: light variant = shade 9 on shade 1 (hover shade 2); text and outline = the filled shade (7).
      variables[`--mantine-color-${name}-light-color`] = readableOn(
        shades[9],
        [shades[1], shades[2], ...pages],
        'light',
      );
      variables[`--mantine-color-${name}-text`] = readableOn(shades[7], pages, 'light');
      variables[`--mantine-color-${name}-outline`] = readableOn(shades[7], pages, 'light');
    } else {
      // Mantine: light variant = shade 0 on shade 9 darkened by half (hover: by 0.3); text = shade 4.
      const tint = [darken(shades[9], 0.5), darken(shades[9], 0.3)];
      variables[`--mantine-color-${name}-light-color`] = readableOn(shades[0], [...tint, ...pages], 'dark');
      variables[`--mantine-color-${name}-text`] = readableOn(shades[4], pages, 'dark');
      variables[`--mantine-color-${name}-outline`] = readableOn(shades[4], pages, 'dark');
    }
  }
  return variables;
}

export const cssVariablesResolver: CSSVariablesResolver = (theme) => {
  const { gray, dark, red } = theme.colors;
  const primary = theme.colors[theme.primaryColor] ?? gray;
  const { light, dark: darkSurfaces } = surfaces(theme);
  return {
    variables: {},
    light: {
      '--mantine-color-dimmed': readableOn(gray[6], light, 'light'),
      // Inputs are white in the light scheme, dark 6 in the dark one.
      '--mantine-color-placeholder': readableOn(gray[5], [theme.white], 'light'),
      // Field errors ("Enter the full name") and links.
      '--mantine-color-error': readableOn(red[6], light, 'light'),
      '--mantine-color-anchor': readableOn(primary[getPrimaryShade(theme, 'light')], light, 'light'),
      ...colourVariables(theme, 'light'),
    },
    dark: {
      '--mantine-color-dimmed': readableOn(dark[2], darkSurfaces, 'dark'),
      '--mantine-color-placeholder': readableOn(dark[3], [dark[6]], 'dark'),
      '--mantine-color-error': readableOn(red[6], darkSurfaces, 'dark'),
      '--mantine-color-anchor': readableOn(primary[4], darkSurfaces, 'dark'),
      ...colourVariables(theme, 'dark'),
    },
  };
};
