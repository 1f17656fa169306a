/**
 * "Report a problem": saves a diagnostics file (versions, states, error counters and the recent, redacted log; no
 * personal data, see docs/diagnostics.md) that the officer can send to support.
 */
import { Button } from '@mantine/core';
import { IconDownload } from '../../components/icons';
import { downloadText } from '../../files';
import { useNexisMutation } from '../../hooks';

export function ReportProblemButton() {
  const bundle = useNexisMutation('system:diagnosticsBundle', {
    successMessage: 'Diagnostics file saved. It holds no applicant or officer data; send it to support.',
  });
  const save = async (): Promise<void> => {
    const result = await bundle.run({});
    if (result.ok) {
      downloadText(result.value.fileName, result.value.json, 'application/json');
    }
  };
  return (
    <Button
      variant="default"
      leftSection={<IconDownload size={16} />}
      loading={bundle.pending}
      onClick={() => void save()}
    >
      Report a problem
    </Button>
  );
}
