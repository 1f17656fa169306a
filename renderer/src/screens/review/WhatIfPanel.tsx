/**
 * "What if": the officer moves an actionable value within what is realistic in 12 months (the specification's
 * feasibility) and sees the new score at once; nothing is stored. Folded by default: its sliders are a tool for a
 * conversation with the applicant, not a step of every review, and the decision must not sit below them.
 */
import { Badge, Button, Card, Collapse, Group, Slider, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { NumericFeature } from '../../../../shared/features';
import { FEATURES, formatFeatureValue } from '../../features';
import { useNexisQuery } from '../../hooks';
import { OUTCOME_COLORS, OUTCOME_LABELS } from './review-labels';
import { WhatIfValueInput } from './WhatIfValueInput';

export interface WhatIfPanelProps {
  applicantId: string;
  /** The values the latest score was computed from */
  values: Readonly<Record<string, number | string | null>>;
  baseScore: number;
}

interface Lever {
  readonly feature: NumericFeature;
  readonly current: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

function niceStep(span: number, integer: boolean): number {
  if (span <= 0) {
    return integer ? 1 : 0.01;
  }
  const raw = span / 200;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? magnitude * 10;
  return integer ? Math.max(1, Math.round(step)) : step;
}

function leverOf(feature: NumericFeature, current: number): Lever | null {
  const move = feature.feasibility?.months12;
  if (!move) {
    return null;
  }
  const up = move.relative ? current * move.up : move.up;
  const down = move.relative ? current * move.down : move.down;
  let min = Math.max(feature.min, current - down);
  let max = Math.min(feature.max, current + up);
  if (feature.kind === 'integer') {
    min = Math.ceil(min);
    max = Math.floor(max);
  }
  if (!(min < max)) {
    return null;
  }
  return { feature, current, min, max, step: niceStep(max - min, feature.kind === 'integer') };
}

function leversFor(values: WhatIfPanelProps['values']): Lever[] {
  const levers: Lever[] = [];
  for (const feature of FEATURES) {
    const value = values[feature.key];
    if (feature.kind === 'categorical' || !feature.actionable || typeof value !== 'number') {
      continue;
    }
    const lever = leverOf(feature, value);
    if (lever) {
      levers.push(lever);
    }
  }
  return levers;
}

export function WhatIfPanel({ applicantId, values, baseScore }: WhatIfPanelProps) {
  const levers = leversFor(values);
  const [open, setOpen] = useState(false);
  const [changes, setChanges] = useState<Record<string, number>>({});
  const [debounced] = useDebouncedValue(changes, 100);
  const changed = Object.keys(debounced).length > 0;
  const result = useNexisQuery('scoring:whatIf', { applicantId, changes: debounced }, changed);
  const answer = changed ? result.data : null;

  const set = (lever: Lever, value: number): void => {
    setChanges((previous) =>
      Object.fromEntries([
        ...Object.entries(previous).filter(([key]) => key !== lever.feature.key),
        ...(value === lever.current ? [] : [[lever.feature.key, value] as const]),
      ]),
    );
  };

  return (
    <Card component="section" aria-labelledby="what-if-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h4" id="what-if-title">
              What if
            </Title>
            <Text size="sm" c="dimmed">
              Move a value within what is realistic in 12 months. Nothing is stored.
            </Text>
          </div>
          <Group gap="xs">
            {open ? (
              <Button
                variant="default"
                size="xs"
                onClick={() => setChanges({})}
                disabled={Object.keys(changes).length === 0}
              >
                Reset
              </Button>
            ) : null}
            <Button
              variant="light"
              size="xs"
              onClick={() => setOpen((o) => !o)}
              aria-expanded={open}
              aria-controls="what-if-levers"
            >
              {open ? 'Hide what-if' : 'Try what-if'}
            </Button>
          </Group>
        </Group>
        <Collapse expanded={open} id="what-if-levers">
          <Stack gap="md">
            <Group gap="md" data-testid="what-if-result" aria-live="polite">
              <Text size="sm">
                New score{' '}
                <Text span fw={700} size="lg" data-testid="what-if-score">
                  {answer ? answer.score : baseScore}
                </Text>
              </Text>
              {answer ? (
                <>
                  <Badge variant="light" color={answer.deltaPoints >= 0 ? 'teal' : 'red'} data-testid="what-if-delta">
                    {answer.deltaPoints >= 0 ? '+' : '−'}
                    {Math.abs(answer.deltaPoints)} points
                  </Badge>
                  <Badge variant="outline">Band {answer.band}</Badge>
                  <Badge variant="light" color={OUTCOME_COLORS[answer.outcome]}>
                    Policy: {OUTCOME_LABELS[answer.outcome]}
                  </Badge>
                </>
              ) : (
                <Text size="sm" c="dimmed">
                  (unchanged)
                </Text>
              )}
            </Group>
            {levers.length === 0 ? (
              <Text size="sm" c="dimmed">
                No value of this applicant can realistically move.
              </Text>
            ) : (
              levers.map((lever) => {
                const value = changes[lever.feature.key] ?? lever.current;
                const label = lever.feature.label.en;
                return (
                  <Stack key={lever.feature.key} gap={4} data-lever={lever.feature.key}>
                    <Group justify="space-between" wrap="nowrap">
                      <Text size="sm" fw={500} id={`lever-${lever.feature.key}`}>
                        {label}
                      </Text>
                      <Text size="xs" c="dimmed">
                        now {formatFeatureValue(lever.feature.key, lever.current)}
                      </Text>
                    </Group>
                    <Group gap="md" wrap="nowrap">
                      <Slider
                        style={{ flex: 1 }}
                        min={lever.min}
                        max={lever.max}
                        step={lever.step}
                        value={value}
                        onChange={(next) => set(lever, next)}
                        label={(v) => formatFeatureValue(lever.feature.key, v)}
                        marks={[{ value: lever.current }]}
                        // A fill from the scale's start would read as "how much"; the mark shows where the applicant is now.
                        styles={{ bar: { backgroundColor: 'transparent' } }}
                        thumbLabel={label}
                        aria-labelledby={`lever-${lever.feature.key}`}
                      />
                      <WhatIfValueInput
                        feature={lever.feature}
                        value={value}
                        min={lever.min}
                        max={lever.max}
                        label={label}
                        onChange={(next) => set(lever, next)}
                      />
                    </Group>
                  </Stack>
                );
              })
            )}
          </Stack>
        </Collapse>
      </Stack>
    </Card>
  );
}
