import { Card, Group, List, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ScoreView } from '../../../../shared/ipc/scoring';
import type { TextLanguage } from '../../features';
import { formatPoints } from './review-labels';

export interface ReasonsCardProps {
  reasons: ScoreView['reasons'];
  /** The applicant's consent language, shown first */
  language: TextLanguage;
}

/** The principal reasons (at most four), in English or Kiswahili. */
export function ReasonsCard({ reasons, language }: ReasonsCardProps) {
  const [shown, setShown] = useState<TextLanguage>(language);
  return (
    <Card component="section" aria-labelledby="reasons-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="reasons-title">
            Principal reasons
          </Title>
          <SegmentedControl
            size="xs"
            aria-label="Language of the reasons"
            value={shown}
            onChange={(value) => setShown(value as TextLanguage)}
            data={[
              { value: 'en', label: 'English' },
              { value: 'sw', label: 'Kiswahili' },
            ]}
          />
        </Group>
        {reasons.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing lowered this score below the best attainable values.
          </Text>
        ) : (
          <List type="ordered" spacing="xs" size="sm" data-testid="principal-reasons">
            {reasons.map((reason) => (
              <List.Item key={reason.feature} data-feature={reason.feature}>
                {shown === 'sw' ? (reason.text.sw ?? reason.text.en) : reason.text.en}{' '}
                <Text span size="xs" c="dimmed">
                  ({formatPoints(-reason.pointsLost)} points against the best value)
                </Text>
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Card>
  );
}
