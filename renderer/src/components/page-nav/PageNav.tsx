import { Pagination } from '@mantine/core';

export interface PageNavProps {
  /** Accessible name of the navigation region, e.g. "Audit pages". */
  label: string;
  /** Number of pages (at least 1). */
  pages: number;
  /** Current page, 1-based; clamped to `pages`. */
  page: number;
  onChange: (page: number) => void;
}

/** Pagination in a labelled region, with named page and control buttons for screen readers and tests. */
export function PageNav({ label, pages, page, onChange }: PageNavProps) {
  return (
    <nav aria-label={label}>
      <Pagination
        total={pages}
        value={Math.min(page, pages)}
        onChange={onChange}
        size="sm"
        getItemProps={(n) => ({ 'aria-label': `Page ${n}` })}
        getControlProps={(control) => ({ 'aria-label': `${control} page` })}
      />
    </nav>
  );
}
