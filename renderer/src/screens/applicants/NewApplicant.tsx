/** Registration in two steps: personal data, then the consent notice and choices; ends on the signed receipt. */
import { Button, Card, Stack, Stepper } from '@mantine/core';
import { useState } from 'react';
import type { ConsentInput } from '../../../../shared/ipc/applicants';
import { IconArrowLeft } from '../../components/icons';
import { ScreenHeader } from '../../components/screen-header';
import { useNexisMutation } from '../../hooks';
import { ConsentStep } from './ConsentStep';
import { EMPTY_PERSONAL, PersonalDataStep, toPersonalData, type PersonalValues } from './PersonalDataStep';

export interface NewApplicantProps {
  onCancel(): void;
  onRegistered(applicantId: string, receiptId: string): void;
}

export function NewApplicant({ onCancel, onRegistered }: NewApplicantProps) {
  const [step, setStep] = useState(0);
  const [personal, setPersonal] = useState<PersonalValues>(EMPTY_PERSONAL);
  const register = useNexisMutation('applicants:register', {
    successMessage: (registered) => `Applicant ${registered.applicantId} registered; consent receipt signed.`,
  });

  const submit = async (consent: ConsentInput): Promise<void> => {
    const result = await register.run({ personal: toPersonalData(personal), consent });
    if (result.ok) {
      onRegistered(result.value.applicantId, result.value.receiptId);
    }
  };

  return (
    <Stack gap="lg">
      <ScreenHeader
        title="New applicant"
        description="Personal data is encrypted on this workstation; the consent receipt is signed with its key."
        actions={
          <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={onCancel}>
            Applicants
          </Button>
        }
      />
      <Card p="xl">
        <Stepper active={step} allowNextStepsSelect={false} onStepClick={setStep} size="sm">
          <Stepper.Step label="Personal data" description="Who the applicant is">
            <PersonalDataStep
              initial={personal}
              onCancel={onCancel}
              onNext={(values) => {
                setPersonal(values);
                setStep(1);
              }}
            />
          </Stepper.Step>
          <Stepper.Step label="Consent" description="Notice and choices">
            <ConsentStep submitting={register.pending} onBack={() => setStep(0)} onSubmit={(c) => void submit(c)} />
          </Stepper.Step>
        </Stepper>
      </Card>
    </Stack>
  );
}
