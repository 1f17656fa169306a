import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { syncChannels } from '../../../../shared/ipc/sync';
import { fromSchema } from '../../components/form-rules';
import { IconKey } from '../../components/icons';
import { useNexisMutation } from '../../hooks';

/** Where a development central API listens (`npm run server`). */
/** Development only (`npm run server` on this machine); a bank build prefills its baked server instead. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

const enrolInput = syncChannels['sync:enrol'].input.shape;

interface EnrolValues {
  serverUrl: string;
  code: string;
}

/** Enrols this workstation with a one-time code from the central console; sync starts on its own afterwards. */
export interface EnrolFormProps {
  /** A bank build's baked central server: prefilled and fixed (the core refuses any other); null in development. */
  trustedServerUrl: string | null;
}

export function EnrolForm({ trustedServerUrl }: EnrolFormProps) {
  const form = useForm<EnrolValues>({
    initialValues: { serverUrl: trustedServerUrl ?? DEFAULT_SERVER_URL, code: '' },
    validate: {
      serverUrl: fromSchema(enrolInput.serverUrl),
      code: fromSchema(enrolInput.code),
    },
    transformValues: (values) => ({ serverUrl: values.serverUrl.trim(), code: values.code.trim().toUpperCase() }),
  });
  const enrol = useNexisMutation('sync:enrol', {
    successMessage: (status) =>
      `This workstation is enrolled with ${status.serverUrl ?? 'the central API'} for branch ${status.branchId ?? '?'}.`,
  });

  const submit = form.onSubmit(async (values) => {
    const result = await enrol.run(values);
    if (result.ok) {
      form.reset();
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label="Enrol this workstation">
      <Stack gap="md">
        <Text size="sm">
          Ask a central administrator for a one-time enrolment code for this branch. The code enrols exactly one
          workstation; this workstation's device key signs the request.
        </Text>
        <Group align="flex-start" gap="md" grow preventGrowOverflow={false} wrap="wrap">
          <TextInput
            label="Central server URL"
            description={
              trustedServerUrl === null
                ? 'https:// (plain http only to this machine), without a user name or password'
                : "The bank's central server this build is bound to"
            }
            withAsterisk
            readOnly={trustedServerUrl !== null}
            miw={240}
            {...form.getInputProps('serverUrl')}
          />
          <TextInput
            label="Enrolment code"
            description="Four groups of five letters or digits"
            placeholder="XXXXX-XXXXX-XXXXX-XXXXX"
            autoComplete="off"
            spellCheck={false}
            withAsterisk
            miw={240}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.04em' } }}
            {...form.getInputProps('code')}
          />
        </Group>
        <Group>
          <Button type="submit" leftSection={<IconKey size={16} />} loading={enrol.pending}>
            Enrol this workstation
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
