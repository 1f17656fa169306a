import { Alert, Button, Card, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { Organisation } from '../../../../shared/ipc/system';
import { fromSchema } from '../../components/form-rules';
import { useNexisMutation, useNexisQuery } from '../../hooks';

type OrganisationValues = Organisation;

const EMPTY: OrganisationValues = {
  controllerName: '',
  contactEmail: '',
  contactPhone: '',
  address: '',
  jurisdiction: '',
  policyUrl: '',
};

const shape = Organisation.shape;

/** The bank as data controller: printed on every consent receipt and letter; registration needs it. */
export function OrganisationCard() {
  const current = useNexisQuery('system:getOrganisation', {});
  const form = useForm<OrganisationValues>({
    initialValues: EMPTY,
    validate: {
      controllerName: fromSchema(shape.controllerName),
      contactEmail: fromSchema(shape.contactEmail),
      contactPhone: fromSchema(shape.contactPhone),
      address: fromSchema(shape.address),
      jurisdiction: fromSchema(shape.jurisdiction),
      policyUrl: fromSchema(shape.policyUrl),
    },
  });
  const update = useNexisMutation('system:updateOrganisation', {
    successMessage: (saved) => `Controller details saved: ${saved.controllerName}.`,
  });

  const loaded = current.data;
  const { setInitialValues, setValues } = form;
  useEffect(() => {
    if (loaded) {
      setInitialValues(loaded);
      setValues(loaded);
    }
  }, [loaded, setInitialValues, setValues]);

  const submit = form.onSubmit(async (values) => {
    const result = await update.run(Organisation.parse(values));
    if (result.ok) {
      form.setInitialValues(result.value);
      form.resetDirty(result.value);
    }
  });

  return (
    <Card component="section" aria-labelledby="organisation-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <div>
            <Title order={2} size="h4" id="organisation-title">
              Organisation (data controller)
            </Title>
            <Text size="sm" c="dimmed">
              The bank named on consent receipts and applicant letters, and how applicants reach its data protection
              contact.
            </Text>
          </div>
          {current.data === null && !current.loading ? (
            <Alert color="yellow" variant="light" title="Not set yet">
              Applicants cannot be registered until these details are saved.
            </Alert>
          ) : null}
          <TextInput label="Controller name" withAsterisk {...form.getInputProps('controllerName')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput label="Contact email" type="email" withAsterisk {...form.getInputProps('contactEmail')} />
            <TextInput label="Contact phone" withAsterisk {...form.getInputProps('contactPhone')} />
          </SimpleGrid>
          <TextInput label="Postal address" withAsterisk {...form.getInputProps('address')} />
          <TextInput
            label="Privacy policy URL"
            description="https only"
            withAsterisk
            {...form.getInputProps('policyUrl')}
          />
          <TextInput
            label="Jurisdiction"
            description="ISO 3166 country code, e.g. KE"
            maxLength={2}
            w={220}
            withAsterisk
            {...form.getInputProps('jurisdiction')}
          />
          <Group>
            <Button type="submit" loading={update.pending} disabled={!form.isDirty()}>
              Save controller details
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
