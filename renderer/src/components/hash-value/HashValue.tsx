import { ActionIcon, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { shortHash } from '../../format';
import { IconCheck, IconCopy } from '../icons';

export interface HashValueProps {
  /** The full value (hash, public key, id) */
  value: string;
  /** What the value is, for the copy button's accessible name */
  label: string;
  /** Characters kept at each end @default 8 */
  keep?: number;
  /** `tail` keeps only the end: for encoded keys whose start is a fixed header (SPKI) @default 'middle' */
  shorten?: 'middle' | 'tail';
}

/** A long hex value shown shortened, the full value in a tooltip, with a copy button. */
export function HashValue({ value, label, keep = 8, shorten = 'middle' }: HashValueProps) {
  const short = shorten === 'tail' && value.length > keep ? `…${value.slice(-keep)}` : shortHash(value, keep);
  return (
    <Group gap={4} wrap="nowrap" data-full-value={value}>
      <Tooltip
        label={value}
        multiline
        maw={420}
        styles={{ tooltip: { wordBreak: 'break-all', fontFamily: 'var(--mantine-font-family-monospace)' } }}
      >
        <Text ff="monospace" size="sm" tabIndex={0} aria-label={`${label}: ${value}`}>
          {short}
        </Text>
      </Tooltip>
      <CopyButton value={value} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : `Copy ${label}`}>
            <ActionIcon
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              size="sm"
              onClick={copy}
              aria-label={`Copy ${label}`}
            >
              {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
