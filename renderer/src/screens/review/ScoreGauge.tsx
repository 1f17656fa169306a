import { Group, Stack, Text, useComputedColorScheme } from '@mantine/core';

/** The score scale of NEXIS model packages (manifest `scaling.minScore` / `maxScore`); the contract does not carry it. */
const SCALE_MIN = 300;
const SCALE_MAX = 850;

export interface ScoreGaugeProps {
  score: number;
  /** Cut-offs drawn as ticks on the arc (next band, approval) */
  marks?: readonly { score: number; label: string }[];
  /** Mantine colour of the needle's arc @default 'nexis' */
  color?: string;
}

function point(fraction: number, radius: number): { x: number; y: number } {
  const angle = Math.PI * (1 - fraction);
  return { x: 100 + radius * Math.cos(angle), y: 100 - radius * Math.sin(angle) };
}

function fractionOf(score: number): number {
  return Math.min(1, Math.max(0, (score - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)));
}

/** Closer than this share of the scale, two cut-off numbers would overlap on the arc; the second moves outwards. */
const LABEL_CLEARANCE = 0.07;

/**
 * A half-circle gauge of the score on the model's 300–850 scale. Every cut-off tick carries its value on the arc
 * and its name in the legend below, so the officer sees how far the score is from each.
 */
export function ScoreGauge({ score, marks = [], color = 'nexis' }: ScoreGaugeProps) {
  const dark = useComputedColorScheme('light') === 'dark';
  const f = fractionOf(score);
  const end = point(f, 80);
  const track = dark ? 'var(--mantine-color-dark-4)' : 'var(--mantine-color-gray-3)';
  const sorted = [...marks].sort((a, b) => a.score - b.score);
  const labelRadius = sorted.map((mark, i) => {
    const previous = sorted[i - 1];
    const crowded = previous !== undefined && fractionOf(mark.score) - fractionOf(previous.score) < LABEL_CLEARANCE;
    return crowded && i % 2 === 1 ? 116 : 104;
  });
  const description = sorted.map((m) => `${m.label} ${m.score}`).join(', ');
  return (
    <Stack gap={4} align="center">
      <svg
        viewBox="-12 -26 224 144"
        width="100%"
        style={{ maxWidth: 280 }}
        role="img"
        aria-label={`Score ${score} on a scale from ${SCALE_MIN} to ${SCALE_MAX}${description ? `; cut-offs: ${description}` : ''}`}
      >
        <path d="M 20 100 A 80 80 0 0 1 180 100" fill="none" stroke={track} strokeWidth={14} strokeLinecap="round" />
        {f > 0 ? (
          <path
            d={`M 20 100 A 80 80 0 0 1 ${end.x.toFixed(2)} ${end.y.toFixed(2)}`}
            fill="none"
            stroke={`var(--mantine-color-${color}-filled)`}
            strokeWidth={14}
            strokeLinecap="round"
          />
        ) : null}
        {sorted.map((mark, i) => {
          const inner = point(fractionOf(mark.score), 66);
          const outer = point(fractionOf(mark.score), 94);
          const at = point(fractionOf(mark.score), labelRadius[i] ?? 104);
          return (
            <g key={mark.label} data-mark={mark.label}>
              <line
                x1={inner.x}
                y1={inner.y}
                x2={outer.x}
                y2={outer.y}
                stroke="var(--mantine-color-text)"
                strokeWidth={1.5}
                strokeDasharray="3 2"
              />
              <text
                x={at.x}
                y={at.y + 3}
                textAnchor="middle"
                fontSize={9}
                fontWeight={600}
                fill="var(--mantine-color-text)"
              >
                {mark.score}
              </text>
              <title>{`${mark.label}: ${mark.score}`}</title>
            </g>
          );
        })}
        <text x={100} y={92} textAnchor="middle" fontSize={34} fontWeight={700} fill="var(--mantine-color-text)">
          {score}
        </text>
        <text x={20} y={116} textAnchor="middle" fontSize={9} fill="var(--mantine-color-dimmed)">
          {SCALE_MIN}
        </text>
        <text x={180} y={116} textAnchor="middle" fontSize={9} fill="var(--mantine-color-dimmed)">
          {SCALE_MAX}
        </text>
      </svg>
      {sorted.length > 0 ? (
        <Group gap="md" justify="center" data-testid="gauge-legend">
          {sorted.map((mark) => (
            <Group key={mark.label} gap={6} wrap="nowrap">
              <svg width="14" height="10" aria-hidden="true">
                <line
                  x1="1"
                  y1="5"
                  x2="13"
                  y2="5"
                  stroke="var(--mantine-color-text)"
                  strokeWidth={1.5}
                  strokeDasharray="3 2"
                />
              </svg>
              <Text size="xs">
                {mark.label}: <strong>{mark.score}</strong>
              </Text>
            </Group>
          ))}
        </Group>
      ) : null}
    </Stack>
  );
}
