/**
 * App updates per channel: the bank-signed release each channel offers now and to what share of its workstations,
 * and the release manager's two proposals: publish a signed release, or change a channel's rollout.
 */
import { Alert, Box, Button, Card, Code, Loader, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { AdminRole } from '../../../../shared/sync/admin-auth';
import type { AppUpdateOffer } from '../../../../shared/sync/app-updates';
import type { UpdateChannel } from '../../../../shared/sync/release-bodies';
import { formatBytes, formatDateTime } from '../../format';
import { useNexisQuery } from '../../hooks';
import { CardTitle } from './ConsoleHeadings';
import { PublishAppReleaseModal } from './PublishAppReleaseModal';
import { RolloutModal } from './RolloutModal';

const ONLY_RELEASE_MANAGERS = 'Only a release manager may propose app releases and rollout changes';

function FilesCell({ offer }: { offer: AppUpdateOffer }) {
  const files = offer.signed.release.files;
  return (
    <Box>
      {files.map((f) => (
        <Text key={f.name} size="xs" ff="monospace">
          {f.name} · {formatBytes(f.size)}
        </Text>
      ))}
    </Box>
  );
}

export function AppReleasesPanel({ roles }: { roles: readonly AdminRole[] }) {
  const releases = useNexisQuery('console:appReleases', {});
  const [publishing, setPublishing] = useState(false);
  const [rollout, setRollout] = useState<{ channel: UpdateChannel; offer: AppUpdateOffer } | null>(null);
  const canPropose = roles.includes('release-manager');

  return (
    <Card component="section" aria-labelledby="app-releases-title" p={0} data-testid="app-releases-panel">
      <Box px="lg" pt="lg" pb="xs">
        <CardTitle
          id="app-releases-title"
          title="App releases"
          description="The bank-signed app update each channel offers, and to what share of its workstations. Every workstation checks the signature and file hashes before installing."
          actions={
            <Tooltip label={ONLY_RELEASE_MANAGERS} disabled={canPropose}>
              <Button variant="default" disabled={!canPropose} onClick={() => setPublishing(true)}>
                Publish app release…
              </Button>
            </Tooltip>
          }
        />
      </Box>
      {releases.data === null ? (
        <Box px="lg" pb="lg">
          {releases.error === null ? (
            <Loader size="sm" aria-label="Loading app releases" />
          ) : (
            <Alert color="red" variant="light">
              The app releases could not be read from the central server.
            </Alert>
          )}
        </Box>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table aria-label="App releases" horizontalSpacing="sm" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Channel</Table.Th>
                <Table.Th>Version</Table.Th>
                <Table.Th ta="right">Serial</Table.Th>
                <Table.Th ta="right">Rollout</Table.Th>
                <Table.Th>Files</Table.Th>
                <Table.Th>Published</Table.Th>
                <Table.Th ta="right">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {releases.data.channels.map(({ channel, offer }) => (
                <Table.Tr
                  key={channel}
                  data-app-channel={channel}
                  data-app-version={offer?.signed.release.version ?? ''}
                >
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {channel}
                    </Text>
                  </Table.Td>
                  {offer === null ? (
                    <Table.Td colSpan={6}>
                      <Text size="sm" c="dimmed">
                        Nothing offered: workstations of this channel keep the version they run.
                      </Text>
                    </Table.Td>
                  ) : (
                    <>
                      <Table.Td>
                        <Code>{offer.signed.release.version}</Code>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm">{offer.signed.serial}</Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm">{offer.rolloutPercent} %</Text>
                      </Table.Td>
                      <Table.Td>
                        <FilesCell offer={offer} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(offer.publishedAt)}</Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Tooltip label={ONLY_RELEASE_MANAGERS} disabled={canPropose}>
                          <Button
                            size="xs"
                            variant="default"
                            disabled={!canPropose}
                            onClick={() => setRollout({ channel, offer })}
                          >
                            Change rollout…
                          </Button>
                        </Tooltip>
                      </Table.Td>
                    </>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <PublishAppReleaseModal opened={publishing} onClose={() => setPublishing(false)} />
      <RolloutModal target={rollout} onClose={() => setRollout(null)} />
    </Card>
  );
}
