import { Button, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { PersonalData } from '../../../../shared/ipc/applicants';
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

/** Step 1: who the applicant is, validated with the contract's own schema. */
export function PersonalDataStep({ initial, onCancel, onNext }: PersonalDataStepProps) {
  const form = useForm<PersonalValues>({
    initialValues: initial,
    validate: {
      fullName: fromSchema(shape.fullName),
      phone: fromSchema(shape.phone),
      email: optional(fromSchema(shape.email)),
      nationalId: fromSchema(shape.nationalId),
      address: optional(fromSchema(shape.address)),
      dateOfBirth: fromSchema(shape.dateOfBirth),
    },
  });
  return (
    <form onSubmit={form.onSubmit(onNext)} noValidate>
      <Stack gap="md" maw={720}>
        <TextInput label="Full name" withAsterisk data-autofocus {...form.getInputProps('fullName')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput
            label="Phone"
            description="With the country code, e.g. +254 712 345 678"
            withAsterisk
            {...form.getInputProps('phone')}
          />
          <TextInput label="Email" description="Optional" type="email" {...form.getInputProps('email')} />
          <TextInput
            label="National id"
            description="5 to 20 letters or digits"
            withAsterisk
            {...form.getInputProps('nationalId')}
          />
          <TextInput
            label="Date of birth"
            description="Only to check legal age (18)"
            type="date"
            withAsterisk
            {...form.getInputProps('dateOfBirth')}
          />
        </SimpleGrid>
        <TextInput label="Address" description="Optional" {...form.getInputProps('address')} />
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
