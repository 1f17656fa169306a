import { useComputedColorScheme } from '@mantine/core';

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

/** A half-circle gauge of the score on the model's 300–850 scale. */
export function ScoreGauge({ score, marks = [], color = 'nexis' }: ScoreGaugeProps) {
  const dark = useComputedColorScheme('light') === 'dark';
  const f = fractionOf(score);
  const end = point(f, 80);
  const track = dark ? 'var(--mantine-color-dark-4)' : 'var(--mantine-color-gray-3)';
  return (
    <svg
      viewBox="0 0 200 118"
      width="100%"
      style={{ maxWidth: 260 }}
      role="img"
      aria-label={`Score ${score} on a scale from ${SCALE_MIN} to ${SCALE_MAX}`}
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
      {marks.map((mark) => {
        const inner = point(fractionOf(mark.score), 66);
        const outer = point(fractionOf(mark.score), 94);
        return (
          <line
            key={mark.label}
            x1={inner.x}
            y1={inner.y}
            x2={outer.x}
            y2={outer.y}
            stroke="var(--mantine-color-text)"
            strokeWidth={1.5}
            strokeDasharray="3 2"
          >
            <title>{`${mark.label}: ${mark.score}`}</title>
          </line>
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
  );
}
