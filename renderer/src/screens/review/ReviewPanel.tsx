/**
 * Review of an applicant (issue #5): score with the exact explanation, principal reasons, the decision, improvement
 * plan, what-if, and the decision history with the applicant's letter. The decision sits beside the score, under its
 * reasons, so it is in view at 1366×768 without scrolling past the chart, the plan or the what-if (folded by default).
 */
import { Alert, Button, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ApplicantDetail } from '../../../../shared/ipc/applicants';
import type { DecisionView, ScoreView } from '../../../../shared/ipc/scoring';
import { canCall, useSession } from '../../auth';
import { IconAlert, IconModel } from '../../components/icons';
import { describeError } from '../../errors';
import { useNexisMutation, useNexisQuery } from '../../hooks';
import { formatDate } from '../../format';
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
}

/** The credit-scoring consent; null when it was never asked for. */
function scoringPurpose(detail: ApplicantDetail): ApplicantDetail['purposes'][number] | null {
  return detail.purposes.find((p) => p.purpose === 'credit-scoring') ?? null;
}

function consentLanguage(detail: ApplicantDetail): 'en' | 'sw' {
  return detail.receipts[detail.receipts.length - 1]?.language ?? 'en';
}

export function ReviewPanel({ detail }: ReviewPanelProps) {
  const { officer } = useSession();
  const applicantId = detail.applicantId;
  const officerLabel = useOfficerLabel();
  const lending = canCall(officer.role, 'scoring:score');
  const purpose = scoringPurpose(detail);
  const consented = purpose?.active === true;
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
          {lending && consented ? (
            <Button leftSection={<IconModel size={16} />} onClick={() => void run()} loading={scoreCall.pending}>
              {score ? 'Score again' : 'Score'}
            </Button>
          ) : null}
        </Group>
        {consented ? null : (
          <Alert
            mt="md"
            color="yellow"
            variant="light"
            icon={<IconAlert />}
            title="Scoring is not available"
            data-testid="scoring-unavailable"
          >
            {purpose?.granted
              ? `The applicant withdrew consent to credit scoring on ${formatDate(purpose.changedAt)}. `
              : 'The applicant has not consented to credit scoring. '}
            Without that consent this applicant cannot be scored or decided on here. Earlier scores and decisions stay
            on record. If the applicant agrees again, record a new consent on the Overview tab.
          </Alert>
        )}
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
              <Stack gap="lg">
                <ReasonsCard reasons={score.reasons} language={consentLanguage(detail)} />
                {lending && consented && !decided && inputs ? <DecisionForm key={score.scoreId} score={score} /> : null}
              </Stack>
            </Grid.Col>
          </Grid>
          <Card component="section" aria-labelledby="explanation-title">
            <Stack gap="sm">
              <div>
                <Title order={2} size="h4" id="explanation-title">
                  Explanation
                </Title>
                {score.attribution ? (
                  <Text size="sm" c="dimmed" data-testid="explanation-reference">
                    One reference point for the chart, the reasons and the plan: each factor's best attainable value. A
                    bar is the score points the factor loses against that value (the principal reasons are the longest
                    bars). With every factor at its best the score would be {Math.round(score.attribution.bestPoints)};
                    the losses bring it to {Math.round(score.rawScore)}.
                  </Text>
                ) : null}
              </div>
              {score.attribution ? (
                <ContributionChart
                  attribution={score.attribution}
                  inputs={inputs}
                  reasons={score.reasons.map((r) => r.feature)}
                />
              ) : (
                <Text size="sm">
                  This score was stored before explanations were measured against the best values: score again to see
                  them.
                </Text>
              )}
            </Stack>
          </Card>
          <PlanCard plan={score.plan} />
          {lending && consented && inputs ? (
            <WhatIfPanel applicantId={applicantId} values={inputs} baseScore={score.score} />
          ) : null}
        </>
      ) : null}
      {score && correcting ? (
        <DecisionForm
          key={correcting.decisionId}
          score={score}
          correcting={correcting}
          onCancel={() => setCorrecting(null)}
          onRecorded={() => setCorrecting(null)}
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
          // A pending override is decided by another supervisor in the referrals queue; only its author corrects it.
          (d.officerId === officer.id || (officer.role === 'supervisor' && d.fourEyes !== 'pending'))
        }
        onCorrect={setCorrecting}
      />
    </Stack>
  );
}
