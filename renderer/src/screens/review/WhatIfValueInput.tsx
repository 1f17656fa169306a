/**
 * The typed value of a what-if lever: read with the shared locale parser (percent fields in percent), never clamped.
 * A value outside what is realistic in 12 months is said, and the lever keeps its last good value until it is fixed.
 */
import { Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { NumericFeature } from '../../../../shared/features';
import { inputUnit, parseFeatureInput, toInputText } from '../../../../shared/features/input';
import { officerNumberSymbols } from '../../format';

export interface WhatIfValueInputProps {
  feature: NumericFeature;
  value: number;
  min: number;
  max: number;
  label: string;
  onChange(value: number): void;
}

export function WhatIfValueInput({ feature, value, min, max, label, onChange }: WhatIfValueInputProps) {
  const symbols = officerNumberSymbols();
  const shown = toInputText(feature, value, symbols);
  // What the officer is typing; null while the field shows the lever's value (moved by the slider).
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const unit = inputUnit(feature);

  const read = (text: string): void => {
    const parsed = parseFeatureInput(feature, text, symbols);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    if (parsed.value === null || parsed.value < min || parsed.value > max) {
      const from = toInputText(feature, min, symbols);
      const to = toInputText(feature, max, symbols);
      setError(
        `${label}: within 12 months this can realistically be from ${from} to ${to}${unit === '%' ? ' %' : ''}.`,
      );
      return;
    }
    setError(null);
    onChange(parsed.value);
  };

  return (
    <TextInput
      w={170}
      size="xs"
      inputMode="decimal"
      value={draft ?? shown}
      onChange={(event) => {
        setDraft(event.currentTarget.value);
        read(event.currentTarget.value);
      }}
      onBlur={() => {
        if (error === null) {
          setDraft(null);
        }
      }}
      error={error}
      aria-label={`${label} (what if)`}
      rightSection={
        <Text size="xs" c="dimmed" pr={4}>
          {unit}
        </Text>
      }
      rightSectionWidth={Math.max(40, unit.length * 7 + 8)}
      rightSectionPointerEvents="none"
    />
  );
}
