/**
 * The accessibility gate's instrument: axe-core (the engine behind most accessibility checkers) run on the screen as
 * it is, once in the light and once in the dark colour scheme. Every serious or critical violation is kept with the
 * screen, the mode, the rule and the element, so one run lists everything that fails, not only the first finding.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export type ColourMode = 'light' | 'dark';

export interface AxeFinding {
  readonly screen: string;
  readonly mode: ColourMode;
  readonly rule: string;
  readonly impact: string;
  /** CSS path of the failing element, as axe reports it. */
  readonly target: string;
  /** axe's explanation, e.g. the contrast ratio found and the one needed. */
  readonly summary: string;
}

const GATED_IMPACTS: ReadonlySet<string> = new Set(['serious', 'critical']);
const MODES: readonly ColourMode[] = ['light', 'dark'];

/** Set to a folder to keep a 1366×768 picture of every checked screen in both modes (for looking at them). */
const SHOTS_DIR = process.env.NEXIS_A11Y_SHOTS ?? '';

export function formatFinding(finding: AxeFinding): string {
  return `${finding.screen} [${finding.mode}] ${finding.impact} ${finding.rule} at ${finding.target}: ${finding.summary}`;
}

export class AccessibilityAudit {
  readonly findings: AxeFinding[] = [];
  private shot = 0;

  constructor(readonly page: Page) {}

  /**
   * Checks what is on screen now in both colour schemes and leaves the page in the light one. The app follows the
   * system scheme until an officer picks one, so the system preference is what is switched (no state changes).
   */
  async check(screen: string): Promise<void> {
    for (const mode of MODES) {
      await this.page.emulateMedia({ colorScheme: mode });
      await expect(this.page.locator('html')).toHaveAttribute('data-mantine-color-scheme', mode);
      await this.settle();
      let found = await this.analyze(screen, mode);
      if (found.length > 0) {
        // A notification closing on its timer during the scan is measured halfway through its fade (a contrast
        // that nobody reads). Scan again once things settle and keep only what both scans found.
        await this.page.waitForTimeout(500);
        await this.settle();
        const again = new Set((await this.analyze(screen, mode)).map(formatFinding));
        found = found.filter((finding) => again.has(formatFinding(finding)));
      }
      this.findings.push(...found);
      await this.truncatedBadges(screen, mode);
      if (SHOTS_DIR !== '') {
        mkdirSync(SHOTS_DIR, { recursive: true });
        const name = `${String(++this.shot).padStart(2, '0')}-${screen.replace(/[^a-z0-9]+/gi, '-')}-${mode}.png`;
        await this.page.screenshot({ path: join(SHOTS_DIR, name) });
      }
    }
    await this.page.emulateMedia({ colorScheme: 'light' });
    await expect(this.page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
  }

  private async analyze(screen: string, mode: ColourMode): Promise<AxeFinding[]> {
    const results = await new AxeBuilder({ page: this.page }).analyze();
    return results.violations
      .filter((violation) => GATED_IMPACTS.has(violation.impact ?? 'unknown'))
      .flatMap((violation) =>
        violation.nodes.map((node) => ({
          screen,
          mode,
          rule: violation.id,
          impact: violation.impact ?? 'unknown',
          target: node.target.map(String).join(' >> '),
          summary: (node.failureSummary ?? violation.help).replace(/\s+/g, ' ').trim(),
        })),
      );
  }

  /**
   * Badges that show less than their text ("Temporary passw…"): a badge states a fact, so cutting it hides the
   * fact. Not an axe rule; reported the same way so the gate lists it with the rest.
   */
  private async truncatedBadges(screen: string, mode: ColourMode): Promise<void> {
    const cut = await this.page
      .locator('.mantine-Badge-label')
      .evaluateAll((labels) =>
        labels
          .filter((label) => label.scrollWidth > label.clientWidth + 1 || label.scrollHeight > label.clientHeight + 1)
          .map((label) => label.textContent ?? ''),
      );
    for (const text of cut) {
      this.findings.push({
        screen,
        mode,
        rule: 'nexis-badge-truncated',
        impact: 'serious',
        target: `badge "${text}"`,
        summary: 'The badge is narrower than its text, which is cut off.',
      });
    }
  }

  /** Fails with every finding of the run, one line each. */
  expectNoFindings(): void {
    expect(this.findings.map(formatFinding), 'serious or critical axe-core violations').toEqual([]);
  }

  /**
   * Waits for transitions (a modal fading in, colours changing with the scheme) to end: contrast measured halfway
   * through a fade is not what the officer reads. Endless animations (loaders) are not waited for.
   */
  private async settle(): Promise<void> {
    // A script string: the e2e project compiles without the DOM's typings.
    await this.page.evaluate(`(async () => {
      const finite = document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity);
      await Promise.race([
        Promise.all(finite.map((animation) => animation.finished.catch(() => undefined))),
        new Promise((resolve) => setTimeout(resolve, 2000)),
      ]);
    })()`);
  }
}
