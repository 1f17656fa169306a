import { Button, Group, Select, TextInput } from '@mantine/core';
import { EMPTY_FILTERS, type AuditFilterValues } from './audit-query';

export interface AuditFiltersProps {
  values: AuditFilterValues;
  onChange(values: AuditFilterValues): void;
  /** Every action present in the trail, from `audit:list` */
  actions: readonly string[];
}

/** Filters applied as they change (actor text is debounced by the screen). */
export function AuditFilters({ values, onChange, actions }: AuditFiltersProps) {
  const set = <K extends keyof AuditFilterValues>(key: K, value: AuditFilterValues[K]): void =>
    onChange({ ...values, [key]: value });
  const active = values.action !== null || values.actor !== '' || values.from !== '' || values.to !== '';
  return (
    <Group align="flex-end" gap="sm" wrap="wrap" role="search" aria-label="Audit filters">
      <Select
        label="Action"
        placeholder="All actions"
        data={[...actions]}
        value={values.action}
        onChange={(value) => set('action', value)}
        clearable
        searchable
        w={240}
        comboboxProps={{ withinPortal: true }}
      />
      <TextInput
        label="Actor"
        placeholder="Username or officer id"
        value={values.actor}
        onChange={(event) => set('actor', event.currentTarget.value)}
        w={200}
      />
      <TextInput
        label="From"
        type="date"
        value={values.from}
        onChange={(event) => set('from', event.currentTarget.value)}
        w={160}
      />
      <TextInput
        label="To"
        type="date"
        value={values.to}
        onChange={(event) => set('to', event.currentTarget.value)}
        w={160}
      />
      <Button variant="subtle" color="gray" disabled={!active} onClick={() => onChange(EMPTY_FILTERS)}>
        Clear filters
      </Button>
    </Group>
  );
}
