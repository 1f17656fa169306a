/**
 * Review of an applicant (issue #5): score with the exact explanation, principal reasons, improvement plan, what-if,
 * the decision and its history with the applicant's letter.
 */
import { Alert, Button, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ApplicantDetail } from '../../../../shared/ipc/applicants';
import type { DecisionView, ScoreView } from '../../../../shared/ipc/scoring';
import { canCall, useSession } from '../../auth';
import { IconAlert, IconModel } from '../../components/icons';
import { describeError } from '../../errors';
import { useNexisMutation, useNexisQuery } from '../../hooks';
import { useOfficerLabel } from '../applicants/use-officer-label';
import { ContributionChart } from './ContributionChart';
import { DecisionForm } from './DecisionForm';
import { DecisionHistory } from './DecisionHistory';
import { PlanCard } from './PlanCard';
import { ReasonsCard } from './ReasonsCard';
import { ScoreSummary } from './ScoreSummary';
import { WhatIfPanel } from './WhatIfPanel';

export interface ReviewPanelProps {
  detail: ApplicantDetail;
  onChanged(): void;
}

function consentLanguage(detail: ApplicantDetail): 'en' | 'sw' {
  return detail.receipts[detail.receipts.length - 1]?.language ?? 'en';
}

export function ReviewPanel({ detail, onChanged }: ReviewPanelProps) {
  const { officer } = useSession();
  const applicantId = detail.applicantId;
  const officerLabel = useOfficerLabel();
  const lending = canCall(officer.role, 'scoring:score');
  const latest = useNexisQuery('scoring:latest', { applicantId });
  const decisions = useNexisQuery('decisions:list', { applicantId });
  const [fresh, setFresh] = useState<ScoreView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState<DecisionView | null>(null);
  const scoreCall = useNexisMutation('scoring:score', {
    successMessage: (s) => `Scored: ${s.score} (band ${s.band}).`,
    onError: (error) => setProblem(describeError(error)),
  });
  const score = fresh ?? latest.data;
  const inputs =
    score && detail.behaviour && detail.behaviour.recordId === score.behaviourRecordId ? detail.behaviour.values : null;
  const decided = score ? (decisions.data ?? []).some((d) => d.scoreId === score.scoreId) : false;

  const run = async (): Promise<void> => {
    setProblem(null);
    const result = await scoreCall.run({ applicantId });
    if (result.ok) {
      setFresh(result.value);
      decisions.refresh();
      onChanged();
    }
  };

  return (
    <Stack gap="lg" data-testid="review-panel">
      <Card>
        <Group justify="space-between" wrap="wrap">
          <div>
            <Title order={2} size="h4">
              Offline score
            </Title>
            <Text size="sm" c="dimmed">
              {score
                ? inputs
                  ? 'The latest score of this applicant, from the current behavioural data.'
                  : 'The behavioural data changed since this score: score again before deciding.'
                : 'Scores the latest behavioural data with the signed model on this workstation.'}
            </Text>
          </div>
          {lending ? (
            <Button leftSection={<IconModel size={16} />} onClick={() => void run()} loading={scoreCall.pending}>
              {score ? 'Score again' : 'Score'}
            </Button>
          ) : null}
        </Group>
        {problem ? (
          <Alert mt="md" color="red" variant="light" icon={<IconAlert />} title="Not scored" data-testid="score-error">
            {problem}
          </Alert>
        ) : null}
      </Card>
      {score ? (
        <>
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <ScoreSummary score={score} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <ReasonsCard reasons={score.reasons} language={consentLanguage(detail)} />
            </Grid.Col>
          </Grid>
          <Card component="section" aria-labelledby="explanation-title">
            <Stack gap="sm">
              <div>
                <Title order={2} size="h4" id="explanation-title">
                  Explanation
                </Title>
                <Text size="sm" c="dimmed">
                  Exact contribution of each factor in score points, from the base of {Math.round(score.basePoints)}{' '}
                  points. Green raises the score, red lowers it.
                </Text>
              </div>
              <ContributionChart contributions={score.contributions} inputs={inputs} />
            </Stack>
          </Card>
          <PlanCard plan={score.plan} />
          {lending && inputs ? <WhatIfPanel applicantId={applicantId} values={inputs} baseScore={score.score} /> : null}
          {lending && !decided && inputs ? (
            <DecisionForm
              key={score.scoreId}
              score={score}
              onRecorded={() => {
                decisions.refresh();
                onChanged();
              }}
            />
          ) : null}
        </>
      ) : null}
      {score && correcting ? (
        <DecisionForm
          key={correcting.decisionId}
          score={score}
          correcting={correcting}
          onCancel={() => setCorrecting(null)}
          onRecorded={() => {
            setCorrecting(null);
            decisions.refresh();
            onChanged();
          }}
        />
      ) : null}
      <DecisionHistory
        decisions={decisions.data ?? []}
        officerLabel={officerLabel}
        canCorrect={(d) =>
          lending &&
          inputs !== null &&
          d.supersededBy === null &&
          d.decision !== 'refer' &&
          d.scoreId === score?.scoreId &&
          (d.officerId === officer.id || officer.role === 'supervisor')
        }
        onCorrect={setCorrecting}
      />
    </Stack>
  );
}
