/**
 * Setup for renderer component tests (jsdom). jsdom lacks a few browser APIs Mantine reads at mount time, so they are
 * filled in here with behaviour a real 1366×768 light-mode window would have; each test's DOM is unmounted after it.
 */
import '@testing-library/jest-dom/vitest';
import { notifications } from '@mantine/notifications';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  // Mantine keeps notifications in a module-level store that outlives the unmounted tree.
  notifications.clean();
  window.localStorage.clear();
});

// Mantine's color scheme and useMediaQuery ask matchMedia; no query matches (light scheme, no reduced motion).
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string): MediaQueryList => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});

// ScrollArea, Tabs and charts observe their size; in jsdom there is no layout, so there is nothing to report.
class NoLayoutResizeObserver implements ResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
window.ResizeObserver = NoLayoutResizeObserver;

// Combobox and focus management scroll options into view; jsdom does not implement scrolling.
Element.prototype.scrollIntoView = function scrollIntoView(): void {};

// Mantine's autosize Textarea re-measures when web fonts finish loading; jsdom has no FontFaceSet (no fonts load).
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    value: { addEventListener: () => undefined, removeEventListener: () => undefined, ready: Promise.resolve() },
  });
}
