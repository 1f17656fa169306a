/**
 * Registration in two steps: personal data, then the consent notice and choices; ends on the signed receipt.
 * Before the form: the bank's controller details must exist (the receipt names them). Between the steps: a
 * national id or phone number already registered is shown, with the choice to open that applicant instead.
 */
import { Button, Card, Skeleton, Stack, Stepper } from '@mantine/core';
import { useState } from 'react';
import type { ConsentInput, PossibleDuplicate } from '../../../../shared/ipc/applicants';
import { call } from '../../api/nexis';
import { IconArrowLeft } from '../../components/icons';
import { ScreenHeader } from '../../components/screen-header';
import { useNexisMutation, useNexisQuery, useReportError } from '../../hooks';
import { ConsentStep } from './ConsentStep';
import { DuplicateWarning } from './DuplicateWarning';
import { OrganisationMissing } from './OrganisationMissing';
import { EMPTY_PERSONAL, PersonalDataStep, toPersonalData, type PersonalValues } from './PersonalDataStep';

export interface NewApplicantProps {
  onCancel(): void;
  onRegistered(applicantId: string, receiptId: string): void;
  /** The officer chose to open an applicant already registered with the same national id or phone. */
  onOpenExisting(applicantId: string): void;
}

export function NewApplicant({ onCancel, onRegistered, onOpenExisting }: NewApplicantProps) {
  const [step, setStep] = useState(0);
  const [personal, setPersonal] = useState<PersonalValues>(EMPTY_PERSONAL);
  const [duplicates, setDuplicates] = useState<readonly PossibleDuplicate[]>([]);
  const reportError = useReportError();
  const organisation = useNexisQuery('system:getOrganisation', {});
  const register = useNexisMutation('applicants:register', {
    successMessage: (registered) => `Applicant ${registered.applicantId} registered; consent receipt signed.`,
  });

  const submit = async (consent: ConsentInput): Promise<void> => {
    const result = await register.run({ personal: toPersonalData(personal), consent });
    if (result.ok) {
      onRegistered(result.value.applicantId, result.value.receiptId);
    }
  };

  const checkThenContinue = async (values: PersonalValues): Promise<void> => {
    setPersonal(values);
    try {
      const found = await call('applicants:duplicates', { phone: values.phone, nationalId: values.nationalId });
      if (found.length > 0) {
        setDuplicates(found);
        return;
      }
    } catch (error) {
      // The check helps; it does not gate registration. Say it failed and let the officer go on.
      reportError(error);
    }
    setStep(1);
  };

  // The answer itself is null while no controller details are set, so "not loaded yet" is told by `loading`.
  const body =
    organisation.data === null && organisation.loading ? (
      <Skeleton h={320} radius="md" />
    ) : organisation.data === null && organisation.error === null ? (
      <OrganisationMissing />
    ) : (
      <Card p="xl">
        <Stepper active={step} allowNextStepsSelect={false} onStepClick={setStep} size="sm">
          <Stepper.Step label="Personal data" description="Who the applicant is">
            <PersonalDataStep
              initial={personal}
              onCancel={onCancel}
              onNext={(values) => void checkThenContinue(values)}
            />
          </Stepper.Step>
          <Stepper.Step label="Consent" description="Notice and choices">
            <ConsentStep submitting={register.pending} onBack={() => setStep(0)} onSubmit={(c) => void submit(c)} />
          </Stepper.Step>
        </Stepper>
      </Card>
    );

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
      {body}
      <DuplicateWarning
        matches={duplicates}
        onOpen={onOpenExisting}
        onBack={() => setDuplicates([])}
        onContinue={() => {
          setDuplicates([]);
          setStep(1);
        }}
      />
    </Stack>
  );
}
