import { Button, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { PersonalData } from '../../../../shared/ipc/applicants';
import {
  DATE_EXAMPLE,
  DATE_FORMAT,
  LEGAL_AGE_YEARS,
  NATIONAL_ID_HINT,
  PERSONAL_LABELS,
  PHONE_HINT,
  dateOfBirthProblem,
} from '../../../../shared/rules/personal-data';
import { fromSchema } from '../../components/form-rules';

export interface PersonalValues {
  fullName: string;
  phone: string;
  email: string;
  nationalId: string;
  address: string;
  dateOfBirth: string;
}

export const EMPTY_PERSONAL: PersonalValues = {
  fullName: '',
  phone: '',
  email: '',
  nationalId: '',
  address: '',
  dateOfBirth: '',
};

const shape = PersonalData.shape;

const optional =
  (rule: (value: unknown) => string | null) =>
  (value: string): string | null =>
    value.trim() === '' ? null : rule(value);

/** The contract's PersonalData from the form (optional fields left empty are omitted). */
export function toPersonalData(values: PersonalValues): PersonalData {
  return PersonalData.parse({
    fullName: values.fullName,
    phone: values.phone,
    nationalId: values.nationalId,
    dateOfBirth: values.dateOfBirth,
    ...(values.email.trim() === '' ? {} : { email: values.email.trim() }),
    ...(values.address.trim() === '' ? {} : { address: values.address }),
  });
}

export interface PersonalDataStepProps {
  initial: PersonalValues;
  onCancel(): void;
  onNext(values: PersonalValues): void;
}

/**
 * Step 1: who the applicant is, validated with the contract's own schema (shared/rules/personal-data.ts) as each
 * field is left, so a wrong birth date or an under-age applicant is said here, not at the final step.
 */
export function PersonalDataStep({ initial, onCancel, onNext }: PersonalDataStepProps) {
  const form = useForm<PersonalValues>({
    initialValues: initial,
    validateInputOnBlur: true,
    validate: {
      fullName: fromSchema(shape.fullName),
      phone: fromSchema(shape.phone),
      email: optional(fromSchema(shape.email)),
      nationalId: fromSchema(shape.nationalId),
      address: optional(fromSchema(shape.address)),
      dateOfBirth: (value) => dateOfBirthProblem(value),
    },
  });
  return (
    <form onSubmit={form.onSubmit(onNext)} noValidate>
      <Stack gap="md" maw={720}>
        <TextInput label={PERSONAL_LABELS.fullName} withAsterisk data-autofocus {...form.getInputProps('fullName')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput
            label={PERSONAL_LABELS.phone}
            description={PHONE_HINT}
            withAsterisk
            {...form.getInputProps('phone')}
          />
          <TextInput
            label={PERSONAL_LABELS.email}
            description="Optional"
            type="email"
            {...form.getInputProps('email')}
          />
          <TextInput
            label={PERSONAL_LABELS.nationalId}
            description={NATIONAL_ID_HINT}
            withAsterisk
            {...form.getInputProps('nationalId')}
          />
          <TextInput
            label={PERSONAL_LABELS.dateOfBirth}
            description={`${DATE_FORMAT}, such as ${DATE_EXAMPLE}; only to check legal age (${LEGAL_AGE_YEARS})`}
            placeholder={DATE_FORMAT}
            inputMode="numeric"
            autoComplete="off"
            withAsterisk
            {...form.getInputProps('dateOfBirth')}
          />
        </SimpleGrid>
        <TextInput label={PERSONAL_LABELS.address} description="Optional" {...form.getInputProps('address')} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit">Continue to consent</Button>
        </Group>
      </Stack>
    </form>
  );
}
