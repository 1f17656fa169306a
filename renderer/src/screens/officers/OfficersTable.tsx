import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { ROLE_LABELS } from '../../../../shared/domain/roles';
import type { OfficerView } from '../../../../shared/ipc/auth';
import { formatDate, formatDateTime } from '../../format';

export interface OfficersTableProps {
  officers: readonly OfficerView[];
  /** The signed-in officer (cannot disable themselves) */
  selfId: string;
  /** Show disable/enable and reset buttons (administrators) */
  manageable: boolean;
  onToggleStatus(officer: OfficerView): void;
  onResetPassword(officer: OfficerView): void;
}

function isLockedOut(officer: OfficerView): boolean {
  return officer.lockedUntil !== null && new Date(officer.lockedUntil).getTime() > Date.now();
}

function StatusBadges({ officer }: { officer: OfficerView }) {
  return (
    <Group gap={6}>
      <Badge color={officer.status === 'active' ? 'teal' : 'gray'} variant="light">
        {officer.status === 'active' ? 'Active' : 'Disabled'}
      </Badge>
      {isLockedOut(officer) ? (
        <Badge color="orange" variant="light" title={`Locked until ${formatDateTime(officer.lockedUntil ?? '')}`}>
          Locked out
        </Badge>
      ) : null}
      {officer.mustChangePassword ? (
        <Badge color="yellow" variant="light">
          Temporary password
        </Badge>
      ) : null}
    </Group>
  );
}

export function OfficersTable({ officers, selfId, manageable, onToggleStatus, onResetPassword }: OfficersTableProps) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table aria-label="Officer accounts" horizontalSpacing="md" verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Username</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Created</Table.Th>
            {manageable ? <Table.Th ta="right">Actions</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {officers.map((officer) => {
            const self = officer.id === selfId;
            return (
              <Table.Tr key={officer.id} data-username={officer.username} data-status={officer.status}>
                <Table.Td>
                  {/* Long names wrap: kept on one line they pushed the actions out of a 1366 px window. */}
                  <Group gap="xs" wrap="nowrap">
                    <Text size="sm" fw={500}>
                      {officer.displayName}
                    </Text>
                    {self ? (
                      <Badge size="xs" variant="outline">
                        You
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Td>
                <Table.Td ff="monospace" fz="sm">
                  {officer.username}
                </Table.Td>
                <Table.Td fz="sm">{ROLE_LABELS[officer.role]}</Table.Td>
                <Table.Td>
                  <StatusBadges officer={officer} />
                </Table.Td>
                <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(officer.createdAt)}
                </Table.Td>
                {manageable ? (
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => onResetPassword(officer)}
                        aria-label={`Reset password of ${officer.username}`}
                      >
                        Reset password
                      </Button>
                      {self ? null : (
                        <Button
                          size="xs"
                          variant="light"
                          color={officer.status === 'active' ? 'red' : 'teal'}
                          onClick={() => onToggleStatus(officer)}
                          aria-label={`${officer.status === 'active' ? 'Disable' : 'Enable'} ${officer.username}`}
                          w={84}
                        >
                          {officer.status === 'active' ? 'Disable' : 'Enable'}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
