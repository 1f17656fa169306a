import { Button, Card, DataList, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { PERSONAL_FIELDS, type ApplicantDetail, type PersonalField } from '../../../../shared/ipc/applicants';
import { canCall, useSession } from '../../auth';
import { IconEye } from '../../components/icons';
import { useNexisMutation } from '../../hooks';
import { PERSONAL_FIELD_LABELS } from './applicant-labels';

export interface PersonalDataCardProps {
  applicantId: string;
  personal: NonNullable<ApplicantDetail['personal']>;
}

/** Masked personal data; each field can be shown in clear, one at a time, and every reveal is audited. */
export function PersonalDataCard({ applicantId, personal }: PersonalDataCardProps) {
  const { officer } = useSession();
  const mayReveal = canCall(officer.role, 'applicants:reveal');
  const [revealed, setRevealed] = useState<Partial<Record<PersonalField, string | null>>>({});
  const reveal = useNexisMutation('applicants:reveal');

  const show = async (field: PersonalField): Promise<void> => {
    const result = await reveal.run({ applicantId, field });
    if (result.ok) {
      setRevealed((previous) => ({ ...previous, [field]: result.value.value }));
    }
  };

  return (
    <Card component="section" aria-labelledby="personal-title">
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4" id="personal-title">
            Personal data
          </Title>
          <Text size="sm" c="dimmed">
            Masked. {mayReveal ? 'Revealing a field is recorded in the audit trail.' : ''}
          </Text>
        </div>
        <DataList labelWidth={130} withDivider>
          {PERSONAL_FIELDS.map((field) => {
            const masked = personal[field];
            const clear = revealed[field];
            const isRevealed = field in revealed;
            return (
              <DataList.Item key={field} data-field={field}>
                <DataList.ItemLabel c="dimmed">{PERSONAL_FIELD_LABELS[field]}</DataList.ItemLabel>
                <DataList.ItemValue>
                  <Group justify="space-between" wrap="nowrap" gap="xs">
                    <Text size="sm" fw={isRevealed ? 600 : undefined} data-testid={`personal-${field}`}>
                      {isRevealed ? (clear ?? '—') : (masked ?? '—')}
                    </Text>
                    {mayReveal && masked !== null && !isRevealed ? (
                      <Button
                        variant="subtle"
                        size="compact-xs"
                        leftSection={<IconEye size={14} />}
                        onClick={() => void show(field)}
                        aria-label={`Reveal ${PERSONAL_FIELD_LABELS[field]}`}
                      >
                        Reveal
                      </Button>
                    ) : null}
                  </Group>
                </DataList.ItemValue>
              </DataList.Item>
            );
          })}
        </DataList>
      </Stack>
    </Card>
  );
}
